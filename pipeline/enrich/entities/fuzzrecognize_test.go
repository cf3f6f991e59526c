package entities

import (
	"strings"
	"testing"

	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// FuzzRecognize runs the recognizer and coreference (Recognize, then
// Resolve as Extract does) on any title and body: it must not panic, and
// every entity's key follows Key's scheme — a kind of the three, a colon,
// a non-empty id without spaces — with a name and a mention.
func FuzzRecognize(f *testing.F) {
	x := newX(f)
	for _, s := range [][2]string{
		{"Apple CEO Cook Says iPhone Sales Will Rise", "Apple chief executive Tim Cook said sales would rise."},
		{"Ebola: Vaccine Could Be Ready by Spring", "A vaccine could be ready, the World Health Organization said."},
		{"Japan and China Pressures Crude Oil", "Crude oil fell as Japan and China cut imports."},
		{"American Eagle's Profit Beats Estimates", "American Eagle Outfitters Inc said profit rose."},
		{"Into Omaha", "Warren Buffett flew into Omaha."},
		{"Greta Cloblong the Oskar Cheajandpou Huticloun Partners leedron Zogreete party Zogreete dibling", "Greta Cloblong said the party would vote."},
		{"", ""},
		{"Obama", ""},
		{"FED RAISES RATES", "THE FED RAISED RATES."},
		{"... --- ::: ()", "!!! ’s — ;;"},
		// round 43's shapes: a quote at the text's edges, "pm" first, a
		// preposition ending the run, a gathering's capitals
		{"'House of Cards'", "“War and Peace” 'of a' '"},
		{"pm Zeidan", "4 pm Friday; Libyan PM Zeidan"},
		{"Jennifer Garner In", "SXSW or CES? At MWC"},
		// round 44's: a royal and a given name inside a run, a known
		// body's run on, a topic noun at the run's end, a store's possessive
		{"Prince Harry Gave Queen Elizabeth", "Prince"},
		{"Bank of England MPC Give Testimony", "Reality TV"},
		{"Modell's CEO", "Dick's 4Q"},
		// round 45's: a regnal number (alone, possessive, after a title),
		// a royal's place, a weak body's long form before a verb, an index
		{"Queen Elizabeth II Opens King Juan Carlos I", "Elizabeth II's I. Napoleon III XXXIX IIII"},
		{"Prince William Sound Oil Spill", "in Prince William Sound"},
		{"Cisco Systems Beats Estimates", "General Dynamics Wins"},
		{"FTSE aided by S&P's record close", "S&P"},
		// round 46's: an unknown name before a chief or staff, a store's
		// possessive after a verb, a site under a country's code, going
		// bankrupt, an offering
		{"We Talk With Quellmark CEO Vince Zampella", "Given to Quellmark employees CEO"},
		{"Jos. A. Bank Sold To Men's Wearhouse", "TheMusic.com.au .co.uk a.b.cd Stuff.co.nz"},
		{"Quellmark Goes Bankrupt", "goes bankrupt; Firm Virtu Files for Initial Public Offering"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, title, body string) {
		x.Recognize(tokens.NewField(title), tokens.NewField(body), "en")
		for _, en := range x.Extract(title, body, "en") {
			kind, id, ok := strings.Cut(en.Key, ":")
			if !ok || kind != en.Kind || id == "" || strings.ContainsAny(id, " \t\n:") || en.Name == "" || en.Mentions < 1 {
				t.Fatalf("malformed entity %+v of %q / %q", en, title, body)
			}
			if kind != Person && kind != Organization && kind != Place {
				t.Fatalf("entity %+v has no kind of the scheme", en)
			}
		}
	})
}
