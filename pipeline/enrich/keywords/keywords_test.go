package keywords

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/wirestream/wirestream/pipeline/enrich/stopwords"
	"github.com/wirestream/wirestream/pipeline/record"
)

// background feeds the corpus ordinary market news, so common news words
// get a low IDF before the test story arrives.
func background(x *Extractor, n int) {
	for i := range n {
		x.Extract(fmt.Sprintf("Shares rise as market waits for data %d", i),
			"", "The market rose on Tuesday as investors waited for economic data from the government. Analysts said the market would stay calm.", "en", nil)
	}
}

func TestStopwordsNeverAppear(t *testing.T) {
	x := New(1000, 20)
	for _, tc := range []struct{ lang, title, body string }{
		{"en", "The government and the unions are in talks about the pay deal", "They said that it would be done by the end of the week."},
		{"de", "Die Regierung und die Gewerkschaften sind sich über den Lohn einig", "Sie sagte, dass es bis zum Ende der Woche fertig sein werde."},
		{"fr", "Le gouvernement et les syndicats sont d'accord sur les salaires", "Ils ont dit que ce serait fait avant la fin de la semaine."},
	} {
		for _, k := range x.Extract(tc.title, "", tc.body, tc.lang, nil) {
			for _, w := range splitWords(k) {
				if stopwords.Is(tc.lang, w) || stopwords.Is("en", w) {
					t.Errorf("%s: keyword %q contains stopword %q", tc.lang, k, w)
				}
			}
		}
	}
}

func splitWords(s string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ' ' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return out
}

func TestDistinctiveTermsWin(t *testing.T) {
	x := New(1000, 5)
	background(x, 200)
	got := x.Extract("Bitcoin exchange Mt. Gox files for bankruptcy",
		"", "The bitcoin exchange Mt. Gox filed for bankruptcy protection in Tokyo after losing bitcoin worth millions. The market for bitcoin fell.", "en", nil)
	if len(got) == 0 || got[0] != "bitcoin" && got[0] != "bitcoin exchange" {
		t.Fatalf("top keyword = %v, want bitcoin first", got)
	}
	if slices.Contains(got, "market") {
		t.Errorf("a word of every background story ranked: %v", got)
	}
	if !slices.Contains(got, "bankruptcy") {
		t.Errorf("bankruptcy missing from %v", got)
	}
}

func TestRepeatedPhrasesBecomeBigrams(t *testing.T) {
	x := New(1000, 8)
	background(x, 50)
	got := x.Extract("Fingerprint scanner opened to developers", "",
		"Samsung opened its fingerprint scanner to app developers. The fingerprint scanner works with payments.", "en", nil)
	if !slices.Contains(got, "fingerprint scanner") {
		t.Fatalf("keywords %v lack the repeated phrase \"fingerprint scanner\"", got)
	}
	if slices.Contains(got, "fingerprint") && slices.Contains(got, "scanner") {
		t.Errorf("both words of a chosen phrase repeated: %v", got)
	}
}

// An entity an article names again and again is boosted; one it names
// once in passing is not (round 17: by salience, not a flat boost).
func TestEntitiesAreBoosted(t *testing.T) {
	title, body := "Talks continue", "Kessler met Wrobel. Negotiations continue over fishing quotas and tariffs, Wrobel said. Wrobel left. Wrobel will return."
	plain := New(1000, 8).Extract(title, "", body, "en", nil)
	boosted := New(1000, 8).Extract(title, "", body, "en", []record.Entity{
		{Key: "person:anja_kessler", Name: "Anja Kessler", Kind: "person", Mentions: 1},
		{Key: "person:wrobel", Name: "Wrobel", Kind: "person", Mentions: 4}})
	if slices.Index(boosted, "wrobel") < 0 || slices.Index(boosted, "wrobel") > slices.Index(plain, "wrobel") {
		t.Fatalf("entity not boosted: with %v, without %v", boosted, plain)
	}
	if !slices.Contains(boosted, "anja kessler") || slices.Contains(boosted, "kessler") {
		t.Fatalf("a full name is not kept whole: %v", boosted)
	}
	if slices.Index(boosted, "anja kessler") < slices.Index(boosted, "wrobel") {
		t.Errorf("a name in passing outranks one the story names four times: %v", boosted)
	}
}

// Keywords are what a person would pick: no verbs ("come", "saying",
// "knew"), no fillers ("way", "things"), no first name alone, names and
// phrases whole.
func TestKeywordsAPersonWouldPick(t *testing.T) {
	runKeywordCases(t, []keywordCase{
		{"verbs and fillers are no keywords",
			"Officials come to terms with the way things are going", "Critics were saying the plan knew no limits and the officials come back again.", nil,
			nil, []string{"come", "saying", "knew", "way", "things", "going", "officials come"}},
		{"a first name alone is no keyword, the full name is",
			"National Security Advisor Mike Waltz resigns after group chat leak", "Mike Waltz added a journalist to the chat. Mike said he took responsibility. Waltz resigned on Thursday.",
			[]record.Entity{{Key: "person:mike_waltz", Name: "Mike Waltz", Kind: "person", Mentions: 3, InTitle: true}},
			[]string{"mike waltz", "group chat leak"}, []string{"mike", "waltz", "resigned", "added", "resigns", "group chat", "chat leak"}},
		{"a headline's verbs end its phrases, a run of three is kept whole",
			`Halcyon teases "Aurora" launch as AI chip race heats up`, "Halcyon Semiconductor sent invitations for a launch event. The AI chip race is on.", nil,
			[]string{"ai chip race", "aurora", "launch"}, []string{"halcyon teases", "teases", "race heats", "heats", "ai chip", "chip race"}},
		{"a headline alone: its verb after a name, after a plural, after a comma",
			"Carney faces questions as bank shares slump, adds new rules", "", nil,
			[]string{"carney", "bank shares"}, []string{"carney faces", "faces", "faces questions", "shares slump", "slump", "adds", "bank shares slump"}},
		{"an -ed word after an article is an adjective, in the headline and the text",
			"Titanfall trailer gets an extended cut", "Fans watched the extended cut twice; the extended cut runs longer.", nil,
			[]string{"extended cut"}, []string{"gets", "watched"}},
		{"a plural noun after the headline's verb is a noun",
			"OPEC extends output cuts into next year", "", nil,
			[]string{"output cuts"}, []string{"extends", "opec extends", "extends output"}},
		{"headline syntax is no phrase, a headline's noun phrase is",
			"Greece passes austerity deal amid rioting as BBC names suspect", "Lawmakers approved the austerity deal while rioters burned buildings in Athens. The broadcaster named the suspect on its 16th bulletin.",
			[]record.Entity{{Key: "place:gr", Name: "Greece", Kind: "place", Mentions: 1, InTitle: true}, {Key: "organization:bbc", Name: "BBC", Kind: "organization", Mentions: 1, InTitle: true}},
			[]string{"austerity deal"}, []string{"greece passes", "passes austerity", "deal amid", "bbc names", "names suspect", "16th"}},
		{"a headline's plural noun ends a phrase",
			"Minister orders inquiry into family members", "The minister ordered an inquiry after reports about relatives of officials.",
			nil, []string{"family members"}, []string{"orders inquiry"}},
		{"a long name is one phrase",
			"Sarah Jessica Parker opens festival", "Sarah Jessica Parker opened the festival in London.",
			[]record.Entity{{Key: "person:sarah_jessica_parker", Name: "Sarah Jessica Parker", Kind: "person", Mentions: 2, InTitle: true}},
			[]string{"sarah jessica parker", "festival"}, []string{"jessica parker", "sarah jessica", "parker", "opened"}},
	})
}

func TestAtMostMaxKeywordsLowercased(t *testing.T) {
	x := New(1000, 4)
	got := x.Extract("NATO Leaders Gather In Brussels For Emergency Summit On Defence Spending", "", "", "en", nil)
	if len(got) > 4 || len(got) == 0 {
		t.Fatalf("got %d keywords, want 1..4: %v", len(got), got)
	}
	for _, k := range got {
		for _, r := range k {
			if r >= 'A' && r <= 'Z' {
				t.Errorf("keyword %q not lowercased", k)
			}
		}
	}
}

func TestEmptyAndNumericTextGiveNothing(t *testing.T) {
	x := New(100, 8)
	if got := x.Extract("", "", "", "en", nil); got != nil {
		t.Fatalf("empty story: %v", got)
	}
	if got := x.Extract("2014 – 3:1", "", "100 200 300", "en", nil); len(got) != 0 {
		t.Fatalf("numbers only: %v", got)
	}
}

func TestCorpusStaysBounded(t *testing.T) {
	x := New(100, 8)
	for i := range 5000 {
		x.Extract(fmt.Sprintf("unique%d word%d", i, i*7), "", fmt.Sprintf("token%d alpha%d beta%d", i, i, i), "en", nil)
	}
	terms, docs := x.Stats()
	if docs > 100.5 {
		t.Errorf("effective documents %.1f exceed the window 100", docs)
	}
	if terms > 50000 {
		t.Errorf("%d terms held, cap 50000", terms)
	}
	if terms > 2000 {
		t.Errorf("%d terms held after 5000 one-off documents with a window of 100: pruning is not working", terms)
	}
}

func TestOldTermsDecay(t *testing.T) {
	x := New(100, 8)
	for range 100 {
		x.Extract("Olympics opening ceremony", "", "", "en", nil)
	}
	idf := make([]float64, 1)
	x.c.idf([]string{"olympics"}, idf)
	before := idf[0]
	for i := range 500 {
		x.Extract(fmt.Sprintf("Budget vote %d", i), "", "", "en", nil)
	}
	x.c.idf([]string{"olympics"}, idf)
	if idf[0] <= before {
		t.Fatalf("idf of a term not seen for 5 windows did not rise: %.2f → %.2f", before, idf[0])
	}
}

func TestConcurrentUse(t *testing.T) {
	x := New(1000, 8)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				x.Extract(fmt.Sprintf("Story %d from worker %d about elections", i, g), "", "Voters went to the polls.", "en", nil)
			}
		})
	}
	wg.Wait()
	if _, docs := x.Stats(); docs < 500 {
		t.Fatalf("effective docs %.0f after 1600 stories", docs)
	}
}

// normalize trims by hand what strings.Trim trimmed: the same words.
func TestNormalizeIsTrim(t *testing.T) {
	for _, w := range []string{"", "'", "'s", "a's", "'.-&", "u.s.", "-well-", "&co", "o'brien's", "'s's", "é-", "-é", "ça'", "...", "x"} {
		want := strings.Trim(strings.TrimSuffix(w, "'s"), "'.-&")
		if got := normalize(w); got != want {
			t.Errorf("normalize(%q) = %q, want %q", w, got, want)
		}
	}
}
