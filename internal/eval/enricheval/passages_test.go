package enricheval

import (
	"strings"
	"testing"

	"github.com/wirestream/wirestream/internal/eval/datasets"
	"github.com/wirestream/wirestream/pipeline/record"
)

// TestParseLabelKey pins the label files' first column: a file name alone
// is a whole article; "#p<first>-<last>" is a 1-based inclusive paragraph
// range, and anything else after "#p" is an error, never a silent whole
// article.
func TestParseLabelKey(t *testing.T) {
	for in, want := range map[string]labelKey{
		"ParisAttacks2015 (3).txt":       {Article: "ParisAttacks2015 (3).txt"},
		"samsung.galaxy.s5.4.txt#p74-76": {Article: "samsung.galaxy.s5.4.txt", First: 74, Last: 76},
		"a.txt#p5-5":                     {Article: "a.txt", First: 5, Last: 5},
		"uci-news:4378":                  {Headline: "4378"},
	} {
		got, err := parseLabelKey(in)
		if err != nil || got != want {
			t.Errorf("parseLabelKey(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, bad := range []string{"a.txt#p0-3", "a.txt#p4-3", "a.txt#p3", "a.txt#p-3", "a.txt#px-y", "#p1-2", "a.txt#p1-2-3", "uci-news:", "uci-news: 12"} {
		if k, err := parseLabelKey(bad); err == nil {
			t.Errorf("parseLabelKey(%q) = %+v, want an error", bad, k)
		}
	}
}

// TestPassageText pins what the recognizer reads: a whole article's
// headline and body; a passage's paragraphs only, joined as a body is,
// without the headline; and a range past the article's end is an error.
func TestPassageText(t *testing.T) {
	d := datasets.Labelled{
		Item:  record.Item{Title: "Headline naming Oslo"},
		Paras: []string{"One in Paris.", "Two in Rome.", "Three in Lima.", "Four in Cairo."},
	}
	d.Text = strings.Join(d.Paras, "\n")
	title, body, err := passageText(labelKey{Article: "a.txt"}, d)
	if err != nil || title != d.Item.Title || body != d.Text {
		t.Errorf("whole article: %q, %q, %v", title, body, err)
	}
	title, body, err = passageText(labelKey{Article: "a.txt", First: 2, Last: 3}, d)
	if err != nil || title != "" || body != "Two in Rome.\nThree in Lima." {
		t.Errorf("passage p2-3: %q, %q, %v; want no headline and paragraphs 2 and 3", title, body, err)
	}
	if _, _, err := passageText(labelKey{Article: "a.txt", First: 4, Last: 5}, d); err == nil {
		t.Error("passage p4-5 of a 4-paragraph article: want an error")
	}
}

// TestHalvesLeaveOutPassages pins that the random halves pool whole
// articles only, so adding a passage set leaves every seed's draw as it was.
func TestHalvesLeaveOutPassages(t *testing.T) {
	hit := map[string]PRF{"person": {TP: 1}}
	miss := map[string]PRF{"person": {FN: 5}}
	articles := EntityScores{ByArticle: map[string]map[string]PRF{"a.txt": hit, "b.txt": hit}}
	passages := EntityScores{ByArticle: map[string]map[string]PRF{"c.txt#p1-4": miss}}
	if got := wholeArticles([]EntityScores{articles, passages}); len(got) != 2 || got["c.txt#p1-4"] != nil {
		t.Fatalf("wholeArticles = %v, want a.txt and b.txt only", got)
	}
	seeds := []uint64{1, 2, 3}
	with := ScoreEntityHalves([]EntityScores{articles, passages}, seeds)
	without := ScoreEntityHalves([]EntityScores{articles}, seeds)
	for i := range with {
		for s := range seeds {
			if with[i].A[s] != without[i].A[s] || with[i].B[s] != without[i].B[s] {
				t.Errorf("%s seed %d: halves %v/%v with the passage set, %v/%v without", with[i].Kind, s, with[i].A[s], with[i].B[s], without[i].A[s], without[i].B[s])
			}
		}
	}
}

// TestHeadlineLabels pins set 31's form: a key "uci-news:<ID>" is scored on
// that dev.csv headline alone, a line of a key alone lists an item that
// names nothing (its false positives count), and the halves leave
// headlines out as they do passages.
func TestHeadlineLabels(t *testing.T) {
	byFile, order, err := readEntityLabels("labels/entities-holdout31.tsv")
	if err != nil {
		t.Fatal(err)
	}
	if len(order) != 100 {
		t.Errorf("set 31 lists %d headlines, want 100", len(order))
	}
	if g, ok := byFile["uci-news:1041"]; !ok || len(g) != 0 {
		t.Errorf("uci-news:1041 (names nothing): %v, %v; want listed with no labels", g, ok)
	}
	sets := []EntityScores{{ByArticle: map[string]map[string]PRF{"a.txt": {}, "uci-news:1": {}}}}
	if got := wholeArticles(sets); len(got) != 1 || got["a.txt"] == nil {
		t.Errorf("wholeArticles = %v, want a.txt only", got)
	}
}
