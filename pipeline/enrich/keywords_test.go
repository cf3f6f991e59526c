package enrich

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/wirestream/wirestream/internal/testkit/shareddata"
	"github.com/wirestream/wirestream/pipeline/enrich/entities"
	"github.com/wirestream/wirestream/pipeline/record"
)

var ordinalRE = regexp.MustCompile(`^[0-9]+(st|nd|rd|th)$`)

// keywordFaults lists what no keyword of a story may be: a first name
// alone, part of a longer name the story names (the name is kept whole),
// an ordinal, or a pair that is headline syntax, a subject and its verb
// ("bbc names", "greece passes") or a verb and its object ("identifies
// attacker"), or that hangs on a preposition ("deal amid", "man behind").
func keywordFaults(s *record.Story) []string {
	var faults []string
	var names [][]string
	for _, e := range s.Entities {
		if p := strings.Fields(entities.Fold(e.Name)); len(p) > 1 {
			names = append(names, p)
		}
	}
	for _, k := range s.Keywords {
		words := strings.Fields(k)
		switch {
		case len(words) == 1 && entities.IsGivenName(k):
			faults = append(faults, k+": a first name alone")
		case len(words) == 2 && slices.ContainsFunc(words, func(w string) bool {
			return slices.Contains([]string{"amid", "behind", "despite", "twice", "beyond", "sir"}, w)
		}):
			faults = append(faults, k+": a preposition or honorific in a phrase")
		case ordinalRE.MatchString(k):
			faults = append(faults, k+": an ordinal")
		}
		if len(words) >= 2 {
			continue
		}
		for _, n := range names {
			if slices.Contains(s.Keywords, strings.Join(n, " ")) && slices.Contains(n, k) {
				faults = append(faults, k+": a word of the name "+strings.Join(n, " "))
			}
		}
	}
	return faults
}

// TestKeywordsOnRealArticles holds every wikiref220 article (read twice,
// so the corpus knows which words are common) to keywordFaults.
func TestKeywordsOnRealArticles(t *testing.T) {
	e := newE(t)
	docs := shareddata.WikiRef(t)
	bad := 0
	for pass := range 2 {
		for _, d := range docs {
			s := &record.Story{Title: d.Item.Title, Body: d.Text}
			e.Enrich(s, "en")
			if pass == 0 {
				continue
			}
			if len(s.Keywords) == 0 {
				t.Errorf("%s: no keywords", d.ID)
			}
			for _, f := range keywordFaults(s) {
				bad++
				t.Errorf("%s: %s in %v", d.ID, f, s.Keywords)
			}
		}
	}
	t.Logf("%d articles, %d faulty keywords", len(docs), bad)
}

// TestKeywordsOfWireStories: the wire stories of normalize's fixtures,
// as normalize writes them, keep the phrases of the story and no
// headline syntax.
func TestKeywordsOfWireStories(t *testing.T) {
	for _, tc := range []struct {
		name, file  string
		want, never []string
	}{
		{"a Reuters story republished by a paper", "reuters-wire-republished",
			[]string{"opec", "output cuts"},
			[]string{"steadies", "extends", "extends output", "said", "reporting", "editing"}},
		{"an AP story with its dateline and byline", "ap-wire-dateline",
			[]string{"supreme court", "donald trump", "capitol riot"},
			[]string{"restores trump", "court restores", "rejecting", "mark", "sherman"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("..", "normalize", "testdata", tc.file+".golden.json"))
			if err != nil {
				t.Fatal(err)
			}
			var g struct{ Story record.Story }
			if err := json.Unmarshal(b, &g); err != nil {
				t.Fatal(err)
			}
			s := g.Story
			s.Entities, s.Keywords, s.Topics = nil, nil, nil
			newE(t).Enrich(&s, "en")
			for _, w := range tc.want {
				if !slices.Contains(s.Keywords, w) {
					t.Errorf("missing %q in %v", w, s.Keywords)
				}
			}
			for _, w := range tc.never {
				if slices.Contains(s.Keywords, w) {
					t.Errorf("%q in %v", w, s.Keywords)
				}
			}
			for _, f := range keywordFaults(&s) {
				t.Errorf("%s in %v", f, s.Keywords)
			}
		})
	}
}
