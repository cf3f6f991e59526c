package keywords

import (
	"slices"
	"strings"
	"testing"

	"github.com/wirestream/wirestream/pipeline/record"
)

// TestHeadlineVerbFormsHoldEveryStem: every stem has its -s form, "pass"
// and "miss" too (review20, keywords 4: the -s case came before -ss).
func TestHeadlineVerbFormsHoldEveryStem(t *testing.T) {
	for _, v := range headlineVerbStems {
		var form string
		switch {
		case strings.HasSuffix(v, "ss"), strings.HasSuffix(v, "sh"), strings.HasSuffix(v, "ch"), strings.HasSuffix(v, "x"):
			form = v + "es"
		case strings.HasSuffix(v, "y") && !strings.ContainsAny(v[len(v)-2:len(v)-1], "aeiou"):
			form = v[:len(v)-1] + "ies"
		default:
			form = v + "s"
		}
		if !headlineVerbForms[form] {
			t.Errorf("stem %q: no form %q", v, form)
		}
	}
}

// keywordCase is a story and the keywords it must and must not give.
type keywordCase struct {
	name, title, body string
	ents              []record.Entity
	want, never       []string
}

func runKeywordCases(t *testing.T, cases []keywordCase) {
	t.Helper()
	runKeywordCasesIn(t, "en", cases)
}

// runKeywordCasesIn is runKeywordCases for stories in language lang.
func runKeywordCasesIn(t *testing.T, lang string, cases []keywordCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			x := New(1000, 8)
			background(x, 50)
			got := x.Extract(tc.title, "", tc.body, lang, tc.ents)
			for _, w := range tc.want {
				if !slices.Contains(got, w) {
					t.Errorf("missing %q in %v", w, got)
				}
			}
			for _, w := range tc.never {
				if slices.Contains(got, w) {
					t.Errorf("%q in %v", w, got)
				}
			}
		})
	}
}

// TestPassesIsAVerb: "Senate passes budget" is subject, verb, object.
func TestPassesIsAVerb(t *testing.T) {
	runKeywordCases(t, []keywordCase{
		{"passes", "Senate passes budget", "", nil, []string{"senate", "budget"}, []string{"senate passes budget", "senate passes", "passes budget", "passes"}},
		{"misses", "Apple misses forecast", "", nil, []string{"apple", "forecast"}, []string{"apple misses forecast", "apple misses", "misses"}},
	})
}

// TestPluralNounBeforeItsVerb: a plural that is also a listed verb is the
// subject when the verb follows it (review20, keywords 2); "and" joins
// nouns and opens no clause.
func TestPluralNounBeforeItsVerb(t *testing.T) {
	runKeywordCases(t, []keywordCase{
		{"rate cuts loom", "Rate cuts loom as inflation eases", "", nil, []string{"rate cuts"}, []string{"rate", "loom", "rate cuts loom"}},
		{"job cuts hit", "Job cuts hit Ford plants", "", nil, []string{"job cuts"}, []string{"job", "hit", "job cuts hit"}},
		{"budget cuts threaten", "Budget cuts threaten schools", "", nil, []string{"budget cuts"}, []string{"budget", "budget cuts threaten"}},
		{"wage gains slow", "Wage gains slow in June", "", nil, []string{"wage gains"}, []string{"wage", "slow"}},
		{"price hikes anger", "Price hikes anger drivers", "", nil, []string{"price hikes"}, []string{"price", "anger"}},
		{"tax cuts pass", "Tax cuts pass Senate", "", nil, []string{"tax cuts"}, []string{"tax", "pass senate"}},
		{"and opens no clause", "Stocks fall on weak data and structural worries in Europe", "", nil, []string{"structural worries"}, []string{"structural"}},
	})
}

// TestNameEndingInSIsNoPlural: a capitalised word ending in -s is a name,
// not a plural subject, so the word after it is no verb (review20,
// keywords 3).
func TestNameEndingInSIsNoPlural(t *testing.T) {
	runKeywordCases(t, []keywordCase{
		{"inside the headline", "Court says Texas ban on pills stands", "", nil, []string{"texas ban"}, nil},
		{"texas ban", "Texas ban on abortion pills upheld", "", nil, []string{"texas ban"}, []string{"abortion pills upheld"}},
		{"athens strike", "Athens strike halts ferries", "", nil, []string{"athens strike"}, nil},
		{"mercedes launch event", "Mercedes launch event draws crowds", "", nil, []string{"mercedes launch event"}, []string{"event draws crowds", "draws"}},
	})
}

// TestAdjectiveAfterArticleOnlyInAPair: an -ed or -ing word after a
// determiner may open a pair but is no keyword alone (review20, keywords 6).
func TestAdjectiveAfterArticleOnlyInAPair(t *testing.T) {
	runKeywordCases(t, []keywordCase{
		{"alone", "Budget news", "An expanded program starts. Her planned visit was cancelled. The rising prices hurt.", nil,
			nil, []string{"expanded", "planned", "rising"}},
	})
}
