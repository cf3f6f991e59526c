package keywords

import (
	"strings"
	"testing"
)

// A 20 kB run of letters is no keyword, however often the story repeats
// it: a record of such "keywords" is one Kafka refuses.
func TestATermPastMaxKeywordBytesIsNoKeyword(t *testing.T) {
	x := New(100, 10)
	long := strings.Repeat("zq", 10000)
	body := strings.Repeat(long+" ", 5) + "the minister said the budget vote failed. The " + long + " budget vote."
	kws := x.Extract(long+" wins budget vote", "", body, "en", nil)
	if len(kws) == 0 {
		t.Fatal("no keywords at all: the story's real words were lost too")
	}
	for _, k := range kws {
		if len(k) > MaxKeywordBytes {
			t.Errorf("keyword of %d bytes kept: %.40q…", len(k), k)
		}
	}
}

// Nor does the corpus keep it: its table is bounded in terms, not bytes,
// and a feed of such stories would fill it with kilobytes per entry.
func TestTheCorpusKeepsNoTermPastMaxKeywordBytes(t *testing.T) {
	x := New(100, 10)
	long := strings.Repeat("zq", 10000)
	for range 3 {
		x.Extract(long+" wins budget vote", "", strings.Repeat(long+" ", 5)+"the minister said the budget vote failed.", "en", nil)
	}
	x.c.mu.Lock()
	defer x.c.mu.Unlock()
	x.c.each(func(term string, _ int32) {
		if len(term) > MaxKeywordBytes {
			t.Errorf("the corpus kept a term of %d bytes", len(term))
		}
	})
	if x.c.held == 0 {
		t.Fatal("the corpus learned nothing: the test tests nothing")
	}
}

// The bound is the record's bytes: each '&' inside a word takes six in the story record's
// HTML-safe JSON, so a term of 60 bytes of '&'-joined letters took over 200 there.
func TestATermIsBoundedByTheBytesItTakesInTheRecord(t *testing.T) {
	x := New(100, 10)
	amp := "qa" + strings.Repeat("&q", 29) // 60 bytes, 205 in the record
	body := strings.Repeat(amp+" holdings failed. ", 5) + "the minister said the budget vote failed at AT&T."
	kws := x.Extract(amp+" wins budget vote", "", body, "en", nil)
	if len(kws) == 0 {
		t.Fatal("no keywords at all: the story's real words were lost too")
	}
	for _, k := range kws {
		if n := len(strings.ReplaceAll(k, "&", `\u0026`)); n > MaxKeywordBytes {
			t.Errorf("keyword of %d bytes in the record kept (%d in the text): %.40q…", n, len(k), k)
		}
	}
}
