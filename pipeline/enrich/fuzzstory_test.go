package enrich

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/wirestream/wirestream/pipeline/record"
)

// storySeeds are headlines and bodies of the shapes the recognizer's rules
// read apart: title case with connectors, colons, possessives, role
// titles, and the degenerate runs (empty, one word, all caps,
// punctuation alone) a feed can send.
var storySeeds = [][2]string{
	{"Apple CEO Cook Says iPhone Sales Will Rise in China", "Apple chief executive Tim Cook said on Tuesday that sales would rise."},
	{"Ebola: Vaccine Could Be Ready by Spring, WHO Says", "GENEVA — A vaccine against Ebola could be ready by spring, the World Health Organization said."},
	{"Japan and China Pressures Crude Oil", "Crude oil fell as Japan and China cut imports, traders said."},
	{"American Eagle's Profit Beats Estimates", "American Eagle Outfitters Inc said profit rose."},
	{"Into Omaha", "Warren Buffett flew into Omaha on Friday."},
	{"Greta Cloblong the Oskar Cheajandpou Huticloun Partners leedron Zogreete party Zogreete dibling", "Greta Cloblong said the party would vote."},
	{"", ""},
	{"Obama", "Obama"},
	{"BREAKING: FED RAISES RATES", "THE FEDERAL RESERVE RAISED RATES ON WEDNESDAY."},
	{"... --- ::: '' \"\" ()", "!!! ??? ,,, ;;; — – ’s"},
	{"The", "Mr. Dr. Sen. Gov."},
	// a modal's spelling inside a person's name, read again with the
	// story's people (keywords' Pick), and a shouted possessive
	{"MPs Reject Theresa May Plan As Stocks May Fall", "Prime Minister Theresa May said her plan will pass."},
	{"FARMER'S MARKET SALES GROW; S&P’S RECORD CLOSE", "Quellmark CEO Vince Zampella said Quellmark employees will stay."},
}

// checkEnriched fails t if s's enrichment is malformed: an entity without
// a kind of the three or whose key is not "kind:id" with a non-empty id of
// no spaces, a mention count below one, an empty keyword, more keywords
// than the cap, or not one to three topics.
func checkEnriched(t *testing.T, s *record.Story) {
	t.Helper()
	for _, en := range s.Entities {
		kind, id, ok := strings.Cut(en.Key, ":")
		if !ok || kind != en.Kind || id == "" || strings.ContainsAny(id, " \t\n:") || en.Name == "" || en.Mentions < 1 {
			t.Fatalf("malformed entity %+v of %q / %q", en, s.Title, s.Body)
		}
		switch kind {
		case "person", "organization", "place":
		default:
			t.Fatalf("entity %+v has no kind of the scheme", en)
		}
	}
	if len(s.Keywords) > DefaultConfig().MaxKeywords {
		t.Fatalf("%d keywords", len(s.Keywords))
	}
	for _, k := range s.Keywords {
		if strings.TrimSpace(k) == "" {
			t.Fatalf("empty keyword in %q of %q / %q", s.Keywords, s.Title, s.Body)
		}
	}
	if len(s.Topics) < 1 || len(s.Topics) > 3 {
		t.Fatalf("%d topics for %q / %q", len(s.Topics), s.Title, s.Body)
	}
}

// FuzzEnrichAllHeadlines runs a story's whole enrichment through
// EnrichAll, the enrich stage's entry point (FuzzEnrich covers Enrich), on
// any title and body from title-case headline seeds: story text comes from
// outside, so it must never panic — a panic kills the pipeline — and what
// it writes must be well-formed, keys in Key's scheme. The enricher is shared across inputs, as
// in a run, so the corpus and the surname map carry what earlier inputs
// taught.
func FuzzEnrichAllHeadlines(f *testing.F) {
	e := newE(f)
	for _, s := range storySeeds {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, title, body string) {
		batch := []*record.Story{{Title: title, Body: body, Summary: title}, {Title: body, Body: title}}
		e.EnrichAll(batch, []string{"en", ""})
		for _, s := range batch {
			checkEnriched(t, s)
		}
	})
}

// TestEnrichmentOfManyNewsStoriesDoesNotPanic drives enrichment over the
// load harness's news text (newsStory) for several seeds, where the
// empty-run panic hid until the 10,443rd story. Long: it runs only when
// ENRICH_NEWS_STORIES gives the number of stories per seed.
func TestEnrichmentOfManyNewsStoriesDoesNotPanic(t *testing.T) {
	n, err := strconv.Atoi(os.Getenv("ENRICH_NEWS_STORIES"))
	if err != nil || n <= 0 {
		t.Skip("set ENRICH_NEWS_STORIES=<stories per seed> to run")
	}
	for _, seed := range []uint64{29, 1, 7, 101, 4242} {
		e := newE(t)
		enrichNewsStream(e, seed, n, func(ptrs []*record.Story) {
			for _, s := range ptrs {
				checkEnriched(t, s)
			}
		})
		t.Logf("seed %d: %d stories enriched", seed, n)
	}
}
