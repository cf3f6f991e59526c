package dedupe

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/normalize"
	"github.com/wirestream/wirestream/pipeline/record"
)

// splitOnceBodies are bodies where the fold's rule and dedupe's differ or
// where a word crosses one of the fold's write paths: capitals inside a
// lower-case run, combining marks and numbers that are no digits (written
// by the fold, splitting dedupe's words), runes whose lower case is ASCII,
// lines and paragraphs, boilerplate and volatile fragments cut.
var splitOnceBodies = []string{
	"",
	"Plain words, and more words.",
	"McDonald's CEO said: 3.5% of iPhone sales; e-mail x@y.z",
	"cafe\u0301 and re\u0301sume\u0301 (decomposed)",
	"x² + y² = z², ½ of 10¾ and ⅓",
	"\u212Aelvin İstanbul ǅemal ΣΊΣΥΦΟΣ",
	"東京で会議 مُحَمَّد हिन्दी स्वागत",
	"LONDON (Reuters) — The first line.\nThe second LINE\n\nA new paragraph.",
	"Updated 5 minutes ago. Read more at https://a.example/x?utm_source=y\n\nAll rights reserved.",
	"A\u0301B\u0301 a\u0300b 1\u20dd2 \u0663\u0664 Ⅻ ⑴",
	"\xff\xfe bad bytes \xc3 in\xe2\x82 words",
	"ABC DEF ghi JKL 123 4x5",
}

func TestFingerprintWordsAreDedupesWords(t *testing.T) {
	d, err := New(DefaultConfig(), Bounds{SeenTTL: time.Hour, MaxEntries: 1 << 10}, nil)
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat(strings.Join(splitOnceBodies, " "), 20)
	for _, body := range append(slices.Clone(splitOnceBodies), long) {
		assertSplitOnceIsSplitTwice(t, d, body)
	}
}

func FuzzFingerprintWordsAreDedupesWords(f *testing.F) {
	for _, body := range splitOnceBodies {
		f.Add(body)
	}
	d, err := New(DefaultConfig(), Bounds{SeenTTL: time.Hour, MaxEntries: 1 << 10}, nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body string) {
		assertSplitOnceIsSplitTwice(t, d, body)
	})
}

// assertSplitOnceIsSplitTwice checks that the words FingerprintWords finds
// while writing a story's fingerprint text are appendWords' words of that
// text, that the text is FingerprintText's, and that both sketches are
// equal — directly and through the normalizer's NormalizeWords.
func assertSplitOnceIsSplitTwice(t *testing.T, d *Deduper, body string) {
	t.Helper()
	s := &record.Story{Body: body}
	want := normalize.FingerprintText(s)
	text, spans := normalize.FingerprintWords(s, nil)
	if text != want {
		t.Fatalf("body %q: FingerprintWords' text %q, FingerprintText %q", body, text, want)
	}
	wantWords := appendWords(nil, text)
	gotWords := appendSpanWords(nil, text, spans)
	if !slices.Equal(gotWords, wantWords) {
		t.Fatalf("body %q, text %q: words\n got %q\nwant %q", body, text, gotWords, wantWords)
	}
	if got, want := d.SketchWords(text, spans), d.Sketch(text); !reflect.DeepEqual(got, want) {
		t.Fatalf("body %q: SketchWords %+v, Sketch %+v", body, got, want)
	}

	n := normalize.New(normalize.DefaultConfig(), nil)
	now := time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)
	it := record.Item{Feed: record.FeedRef{URL: "https://feed.example/rss"}, Title: "t", Content: body, Link: "https://a.example/1", FetchedAt: now}
	s1, text1, err1 := n.NormalizeText(it, now)
	s2, text2, spans2, err2 := n.NormalizeWords(it, now, []int32{7, 7})
	if (err1 == nil) != (err2 == nil) || text1 != text2 || !reflect.DeepEqual(s1, s2) {
		t.Fatalf("body %q: NormalizeWords (%q, %v) is not NormalizeText (%q, %v)", body, text2, err2, text1, err1)
	}
	if err2 != nil {
		return
	}
	if len(spans2) < 2 || spans2[0] != 7 || spans2[1] != 7 {
		t.Fatalf("body %q: NormalizeWords did not append to the given spans: %v", body, spans2)
	}
	if got := appendSpanWords(nil, text2, spans2[2:]); !slices.Equal(got, appendWords(nil, text2)) {
		t.Fatalf("body %q: NormalizeWords' words %q, appendWords %q", body, got, appendWords(nil, text2))
	}
}
