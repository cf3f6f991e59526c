package keywords

import (
	"slices"
	"strings"
	"testing"
)

// A name's particle — an article or preposition of any language the
// project reads, lower case between two capitalised words — ends and
// starts no keyword: "Stade de France" gave "stade de" and "de france"
// in English stories (a French stopword is a content word there), "Rue
// de Charonne" gave "rue de". The name is kept whole, by its run, or not
// at all; the particle is no keyword alone.
func TestANamesParticleEndsAndStartsNoKeyword(t *testing.T) {
	body := "Three explosions were heard outside the Stade de France during the match. " +
		"Gunmen opened fire on a bar in the Rue de Charonne, and on diners in the Rue de Charonne later. " +
		"Fans left the Stade de France in the night; the Stade de France was closed on Saturday. " +
		"A painting by Vincent van Gogh hung in the bar."
	x := New(1000, 20)
	got := x.Extract("Explosions heard outside Stade de France", "", body, "en", nil)
	for _, k := range got {
		ws := strings.Fields(k)
		if first, last := ws[0], ws[len(ws)-1]; nameParticles[first] || nameParticles[last] {
			t.Errorf("keyword %q starts or ends in a particle; all: %q", k, got)
		}
	}
	if !slices.Contains(got, "stade de france") {
		t.Errorf("no %q whole in %q", "stade de france", got)
	}
}

// A particle's word that is not inside a name is read as before: "van"
// after a common word is the vehicle, a capitalised particle opens a
// name ("La Liga", "Los Angeles") and stays in its phrase.
func TestAWordThatIsAParticleElsewhereIsKeptOutsideAName(t *testing.T) {
	x := New(1000, 20)
	for _, c := range []struct{ title, want string }{
		{"Police van hits crowd in Toronto", "police van"},
		{"Barcelona top La Liga table again", "la liga"},
		{"Wildfire nears Los Angeles suburbs", "los angeles"},
	} {
		if got := x.Extract(c.title, "", "", "en", nil); !slices.ContainsFunc(got, func(k string) bool { return strings.HasPrefix(k, c.want) }) {
			t.Errorf("%q: %q, want %q among them", c.title, got, c.want)
		}
	}
}

// A name of three or four capitalised words that a common noun follows in
// the text ("Le Petit Cambodge restaurant") is a term of its own: the run
// of four is two ideas and no term, so the name was kept only by its
// pairs, and "le petit" won (round 23's left item). A headline's capitals
// name less: "Early PC Titanfall players" gives no "early pc titanfall".
func TestANameBeforeACommonNounIsKeptWhole(t *testing.T) {
	body := "Gunmen opened fire on the Le Carillon bar and Le Petit Cambodge restaurant in the 10th district. " +
		"Diners were shot at a Cambodian restaurant, Le Petit Cambodge. " +
		"A resident living close to Le Petit Cambodge said he heard shots. " +
		"Witnesses near Le Petit Cambodge restaurant described panic in the street. " +
		"The Le Petit Cambodge restaurant reopened months later."
	x := New(1000, 8)
	background(x, 50)
	got := x.Extract("Gunmen attack restaurants in Paris", "", body, "en", nil)
	if !slices.Contains(got, "le petit cambodge") {
		t.Errorf("no %q whole in %q", "le petit cambodge", got)
	}
	for _, k := range got {
		if k == "le petit" || k == "petit cambodge" {
			t.Errorf("a piece of the name, %q, in %q", k, got)
		}
	}
	got = x.Extract("Early PC Titanfall players may get the ban hammer", "", "", "en", nil)
	if slices.Contains(got, "early pc titanfall") {
		t.Errorf("a headline's capitals read as a name: %q", got)
	}
}
