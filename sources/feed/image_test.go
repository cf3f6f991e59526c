package feed

import (
	"bytes"
	"fmt"
	"html"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"
	xhtml "golang.org/x/net/html"
)

// TestRSSImagesMatchGofeed parses every fixture feed and thousands of
// generated ones with gofeed's own translator and with rssTranslator: the
// feed and item images must be the same, HTML edge cases included (img
// inside tables, select and svg, <image>, upper case, no src).
func TestRSSImagesMatchGofeed(t *testing.T) {
	var docs [][]byte
	files, err := filepath.Glob("testdata/feeds/*")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, b)
	}
	pieces := []string{"text ", "<img src=\"a.jpg\">", "<IMG SRC=b.png>", "<image src=c.gif>", "<img alt=x>",
		"<table><tr><td>", "</td></tr></table>", "<select>", "</select>", "<svg>", "</svg>", "<svg><image src=d.png/></svg>",
		"<p>", "</p>", "<!-- <img src=e.jpg> -->", "<script>", "</script>", "<textarea>", "</textarea>", "<title>",
		"&lt;img src=f.jpg&gt;", "<imgx src=g.jpg>", "<im", "g src=h.jpg>", "<template>", "</template>", "<noscript>",
		"<img src=\"\">", "<iMg src='i.jpg' src=j.jpg>", "<a href=k><img src=l.jpg></a>", "<math>", "</math>", "<frameset>", "<b>"}
	rng := rand.New(rand.NewPCG(3, 4))
	field := func() string {
		var b strings.Builder
		for range rng.IntN(8) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		return html.EscapeString(b.String())
	}
	for range 400 {
		var b bytes.Buffer
		fmt.Fprintf(&b, `<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>t</title><description>%s</description>`, field())
		for range 1 + rng.IntN(6) {
			fmt.Fprintf(&b, `<item><title>x</title><description>%s</description>`, field())
			if rng.IntN(2) == 0 {
				fmt.Fprintf(&b, `<content:encoded>%s</content:encoded>`, field())
			}
			if rng.IntN(5) == 0 {
				b.WriteString(`<enclosure url="http://e/x.jpg" type="image/jpeg" length="1"/>`)
			}
			b.WriteString(`</item>`)
		}
		b.WriteString(`</channel></rss>`)
		docs = append(docs, b.Bytes())
	}
	images := 0
	for i, doc := range docs {
		want, werr := gofeed.NewParser().Parse(bytes.NewReader(doc))
		p := gofeed.NewParser()
		p.RSSTranslator = newRSSTranslator()
		got, gerr := p.Parse(bytes.NewReader(doc))
		if (werr == nil) != (gerr == nil) {
			t.Fatalf("doc %d: error %v, gofeed %v", i, gerr, werr)
		}
		if werr != nil {
			continue
		}
		if !reflect.DeepEqual(got.Image, want.Image) {
			t.Fatalf("doc %d: feed image %+v, gofeed %+v\n%s", i, got.Image, want.Image, doc)
		}
		for j := range want.Items {
			if !reflect.DeepEqual(got.Items[j].Image, want.Items[j].Image) {
				t.Fatalf("doc %d item %d: image %+v, gofeed %+v\n%s", i, j, got.Items[j].Image, want.Items[j].Image, doc)
			}
			if want.Items[j].Image != nil {
				images++
			}
		}
	}
	if images == 0 {
		t.Fatal("no item had an image: the comparison compared nothing")
	}
	t.Logf("%d documents, %d item images", len(docs), images)
}

func TestContainsFold(t *testing.T) {
	for _, c := range []struct {
		s, sub string
		want   bool
	}{
		{"", "<im", false}, {"<", "<im", false}, {"<i", "<im", false}, {"<im", "<im", true}, {"a <IMG", "<im", true},
		{"<<iM", "<im", true}, {"< im", "<im", false}, {"x<i<im", "<im", true},
		// every byte folds, the first too, and only ASCII letters do
		{"an IMAGE", "image", true}, {"Image", "image", true}, {"IMAGE", "IMAGE", true}, {"imag", "image", false},
		{"iiiiMAGE", "image", true}, {"\u212amg", "kmg", false}, {"[", "{", false}, {"x", "", true},
	} {
		if got := containsFold(c.s, c.sub); got != c.want {
			t.Errorf("containsFold(%q, %q) = %v, want %v", c.s, c.sub, got, c.want)
		}
	}
}

// FuzzFirstHTMLImage checks the shortcut firstHTMLImage takes: text
// without "<im" (any case) never parses to an img element with a src.
func FuzzFirstHTMLImage(f *testing.F) {
	for _, s := range []string{"", "<img src=a>", "<IMAGE SRC=b>", "<svg><image href=c>", "<i\x00mg src=d>", "<select><img src=e>", "&lt;img src=f&gt;", "<template><img src=g></template>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		got := firstHTMLImage(doc)
		var want *gofeed.Image
		if parsed, err := xhtml.Parse(strings.NewReader(doc)); err == nil {
			if img := firstImgWithSrc(parsed); img != nil {
				for _, a := range img.Attr {
					if a.Key == "src" {
						want = &gofeed.Image{URL: a.Val}
						break
					}
				}
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("firstHTMLImage(%q) = %+v, parsing it gives %+v", doc, got, want)
		}
	})
}
