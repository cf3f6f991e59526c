package enricheval

import (
	"bytes"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/wirestream/wirestream/internal/testkit/shareddata"
)

func TestShingleWords(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       []string
	}{
		{"punctuation, apostrophes and hyphens only separate words", "U.S. well-known Obama's", []string{"u", "s", "well", "known", "obama", "s"}},
		{"letters outside ASCII and digits are word characters", "Löw: 2-1, ÉTÉ!", []string{"löw", "2", "1", "été"}},
		{"line breaks and runs of spaces are one separator", "Title\n\n  body\tText ", []string{"title", "body", "text"}},
		{"text without a letter or digit has no word", " -- ... ", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := ShingleWords(tc.text); !slices.Equal(got, tc.want) {
				t.Errorf("ShingleWords(%q) = %q, want %q", tc.text, got, tc.want)
			}
		})
	}
}

// seq is n distinct words: p0 p1 … p(n-1).
func seq(p string, from, n int) string {
	w := make([]string, n)
	for i := range w {
		w[i] = fmt.Sprintf("%s%d", p, from+i)
	}
	return strings.Join(w, " ")
}

func TestUnlabelledShares(t *testing.T) {
	// Labelled: L1 has 20 words (15 shingles), L2 30 words (25).
	// Every candidate has 105 words, so 100 distinct shingles: a share
	// is shared/100, and dividing by the labelled article's shingles, or
	// summing over labelled articles, gives another figure.
	arts := []ShingleArticle{
		{"t.1.txt", seq("a", 0, 20)},
		{"t.2.txt", seq("b", 0, 30)},
		// One shingle of L1 (its first 6 words, in other case and with
		// punctuation between): exactly 1 %, not over.
		{"t.3.txt", "A0, a1. A2; a3 - A4 (a5's) " + seq("c", 0, 98)},
		// Two shingles of L1 (7 words): 2 %, over.
		{"t.4.txt", seq("a", 5, 7) + " " + seq("d", 0, 98)},
		// One shingle of L1 and two of L2: the largest, 2 % from L2,
		// not the sum 3 %.
		{"u.1.txt", seq("a", 10, 6) + " " + seq("b", 20, 7) + " " + seq("e", 0, 92)},
		// L1's first shingle twice among 101: distinct shingles count
		// once on each side, 1 of 100 and not over (2 of 101 would be).
		{"s.1.txt", seq("a", 0, 6) + " " + seq("f", 0, 93) + " " + seq("a", 0, 6) + " x"},
		// One shingle of L1 and one of L2: 1 % with either, not over;
		// 2 % with both together, over.
		{"v.1.txt", seq("a", 0, 6) + " " + seq("b", 0, 6) + " " + seq("g", 0, 93)},
	}
	got := UnlabelledShares(arts, map[string]bool{"t.1.txt": true, "t.2.txt": true})
	want := []Unlabelled{
		{File: "s.1.txt", Topic: "s", Words: 106, Shingles: 100, Share: 1.0 / 100, Nearest: "t.1.txt", ShareAll: 1.0 / 100},
		{File: "t.3.txt", Topic: "t", Words: 105, Shingles: 100, Share: 1.0 / 100, Nearest: "t.1.txt", ShareAll: 1.0 / 100},
		{File: "t.4.txt", Topic: "t", Words: 105, Shingles: 100, Share: 2.0 / 100, Nearest: "t.1.txt", ShareAll: 2.0 / 100},
		{File: "u.1.txt", Topic: "u", Words: 105, Shingles: 100, Share: 2.0 / 100, Nearest: "t.2.txt", ShareAll: 3.0 / 100},
		{File: "v.1.txt", Topic: "v", Words: 105, Shingles: 100, Share: 1.0 / 100, Nearest: "t.1.txt", ShareAll: 2.0 / 100},
	}
	if !slices.Equal(got, want) {
		t.Fatalf("got\n%+v\nwant\n%+v", got, want)
	}
	for _, u := range got {
		wantOne := u.File == "t.4.txt" || u.File == "u.1.txt"
		wantAll := wantOne || u.File == "v.1.txt"
		if u.Over() != wantOne || u.OverAll() != wantAll {
			t.Errorf("%s at %.4f / %.4f: Over() %v OverAll() %v, want %v %v", u.File, u.Share, u.ShareAll, u.Over(), u.OverAll(), wantOne, wantAll)
		}
	}
	var out bytes.Buffer
	if err := WriteUnlabelled(&out, got); err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{
		"v.1.txt  105    100       1.00%  2.00%  +   t.1.txt",
		"u.1.txt  105    100       2.00%  3.00%  *+  t.2.txt",
		"5 unlabelled; over the line: 2 with one article (*), 3 with all (+), 3 either; 2 under both: s 1 t 1",
	} {
		if !strings.Contains(out.String(), line+"\n") {
			t.Errorf("output lacks %q:\n%s", line, out.String())
		}
	}
}

func TestUnlabelledSharesAtTheLine(t *testing.T) {
	// 105 words, 100 shingles, one of them L's: 1 % is not over the line.
	arts := []ShingleArticle{
		{"t.1.txt", seq("a", 0, 6)},
		{"t.2.txt", seq("a", 0, 6) + " " + seq("c", 0, 99)},
		{"t.3.txt", seq("z", 0, 3)}, // too short for a shingle
	}
	got := UnlabelledShares(arts, map[string]bool{"t.1.txt": true})
	if len(got) != 2 || got[0].File != "t.3.txt" || got[1].File != "t.2.txt" {
		t.Fatalf("got %+v, want t.3 then t.2", got)
	}
	if got[1].Share != 0.01 || got[1].ShareAll != 0.01 || got[1].Over() || got[1].OverAll() {
		t.Errorf("t.2: %+v, want exactly 0.01 and not over", got[1])
	}
	if got[0].Share != 0 || got[0].ShareAll != 0 || got[0].Nearest != "" || got[0].Shingles != 0 {
		t.Errorf("t.3 (3 words): %+v, want no shingle and no share", got[0])
	}
}

func TestLabelledFiles(t *testing.T) {
	fsys := fstest.MapFS{
		"labels/entities-dev.tsv":      {Data: []byte("# header\tnot\ta label\nx (1).txt\tperson\tA\nx (1).txt\tplace\tB\n\ny.2.txt\torganization\tC\n")},
		"labels/entities-holdout9.tsv": {Data: []byte("# h\nz.3.txt\tplace\tD\n")},
		// A passage leaves its article on the unlabelled list (passages.go).
		"labels/entities-holdout29.tsv": {Data: []byte("long.5.txt#p3-9\tperson\tF\n")},
		"labels/topics-headlines.tsv":   {Data: []byte("w.4.txt\tsport\tE\n")},
		// A headline is no wikiref220 article, and one naming nothing is its key alone.
		"labels/entities-holdout31.tsv": {Data: []byte("uci-news:12\tplace\tG\nuci-news:13\n")},
	}
	got, err := labelledFiles(fsys)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"x (1).txt": true, "y.2.txt": true, "z.3.txt": true}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for f := range want {
		if !got[f] {
			t.Errorf("%s missing from %v", f, got)
		}
	}
}

// TestListUnlabelled runs on the real data: the list and the label files
// together cover wikiref220 once, and an article repeating a labelled one
// word for word would print at 100 %.
func TestListUnlabelled(t *testing.T) {
	dir := shareddata.Dir(t)
	list, err := ListUnlabelled(dir)
	if err != nil {
		t.Fatal(err)
	}
	labelled, err := labelledFiles(labels)
	if err != nil {
		t.Fatal(err)
	}
	all, err := filepath.Glob(filepath.Join(dir, "wikiref220", "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(list)+len(labelled) != len(all) {
		t.Errorf("%d unlabelled + %d labelled, want %d articles", len(list), len(labelled), len(all))
	}
	for _, u := range list {
		if labelled[u.File] {
			t.Errorf("%s is labelled but listed", u.File)
		}
		if u.Share < 0 || u.Share > u.ShareAll || u.ShareAll > 1 {
			t.Errorf("%s: share %v with one article, %v with all", u.File, u.Share, u.ShareAll)
		}
	}
	var out bytes.Buffer
	if err := WriteUnlabelled(&out, list); err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + out.String())
}
