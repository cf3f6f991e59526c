package normalize

import (
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/testkit/shareddata"
	"github.com/wirestream/wirestream/pipeline/record"
)

// TestFingerprintKeepsRealProse runs boilerplate removal over 220 real
// full-text articles, which carry no wire boilerplate to speak of: what it
// removes there is, almost all, prose lost by mistake. It reports the share
// of words kept and fails under the measured floor.
func TestFingerprintKeepsRealProse(t *testing.T) {
	articles := shareddata.WikiRef(t)
	n := New(DefaultConfig(), nil)
	var total, kept int
	worst, worstName := 1.0, ""
	for _, a := range articles {
		s, err := n.Normalize(record.Item{
			Link:    "https://example.com/" + a.ID,
			Title:   a.Item.Title,
			Content: a.Text,
		}, time.Date(2024, 3, 5, 12, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatalf("%s: %v", a.ID, err)
		}
		all := len(strings.Fields(foldText(s.Body)))
		got := len(strings.Fields(FingerprintText(s)))
		total += all
		kept += got
		if all > 0 && float64(got)/float64(all) < worst {
			worst, worstName = float64(got)/float64(all), a.ID
		}
		if testing.Verbose() && got < all {
			for _, line := range removedLines(s.Body) {
				t.Logf("%s: removed %q", a.ID, line)
			}
		}
	}
	ratio := float64(kept) / float64(total)
	t.Logf("wikiref220: %d articles, %d words, %.4f kept by FingerprintText (worst %.3f in %s)", len(articles), total, ratio, worst, worstName)
	if ratio < 0.985 {
		t.Fatalf("FingerprintText kept only %.4f of real article words, floor 0.985", ratio)
	}
}

// removedLines lists the lines of body that boilerplate removal dropped
// or changed.
func removedLines(body string) []string {
	var out []string
	for _, l := range strings.Split(body, "\n") {
		l = strings.TrimSpace(l)
		if l != "" && foldText(stripBoilerplate(l)) != foldText(l) {
			out = append(out, l)
		}
	}
	return out
}

// TestRealURLsAndTitles canonicalizes the 3,285 real URLs of the UCI News
// Aggregator sample and measures TitleKey: how many headline pairs of
// different stories it would merge (false merges) against pairs of one
// story (true merges).
func TestRealURLsAndTitles(t *testing.T) {
	rows := shareddata.UCI(t)
	canon := map[string]bool{}
	byKey := map[string]map[string]int{} // title key → story → count
	failed := 0
	for _, r := range rows {
		title, link, story := r.Item.Title, r.Item.Link, r.Label
		c, err := CanonicalURL(link)
		if err != nil {
			failed++
			t.Logf("canonical %q: %v", link, err)
			continue
		}
		canon[c] = true
		k := TitleKey(title)
		if byKey[k] == nil {
			byKey[k] = map[string]int{}
		}
		byKey[k][story]++
	}
	var same, cross int
	for k, stories := range byKey {
		total := 0
		for _, c := range stories {
			same += c * (c - 1) / 2
			total += c
		}
		all := total * (total - 1) / 2
		within := 0
		for _, c := range stories {
			within += c * (c - 1) / 2
		}
		cross += all - within
		if all > within && testing.Verbose() {
			t.Logf("title key %q spans stories %v", k, stories)
		}
	}
	t.Logf("uci-news: %d urls, %d canonical, %d failed; TitleKey pairs: %d same-story, %d cross-story",
		len(rows), len(canon), failed, same, cross)
	if failed > 0 {
		t.Errorf("%d real URLs failed to canonicalize", failed)
	}
	// Measured: the cross-story pairs are generic titles ("Business Wire")
	// and the aggregator's own split clusters, so exact title keys are a
	// hint for dedupe, never proof on their own.
	if precision := float64(same) / float64(same+cross); precision < 0.85 {
		t.Errorf("TitleKey pair precision %.3f (%d same-story, %d cross-story), floor 0.85", precision, same, cross)
	}
}
