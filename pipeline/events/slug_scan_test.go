package events

import (
	"slices"
	"strings"
	"testing"

	"github.com/wirestream/wirestream/internal/testkit/shareddata"
)

// slugWordsFields is the definition slugWords' byte scan keeps: the
// link's path split at "/", each segment's pieces by FieldsFunc over runes.
func slugWordsFields(dst []string, link string) []string {
	best, bestN := "", 0
	for seg := range strings.SplitSeq(linkPath(link), "/") {
		if i := strings.LastIndexByte(seg, '.'); i > 0 && !strings.ContainsAny(seg[i:], "-_") {
			seg = seg[:i]
		}
		n := 0
		for w := range strings.FieldsFuncSeq(seg, isSlugSep) {
			if slugWord(w) {
				n++
			}
		}
		if n >= bestN {
			best, bestN = seg, n
		}
	}
	if bestN < minSlugWords {
		return dst
	}
	for w := range strings.FieldsFuncSeq(best, isSlugSep) {
		if slugWord(w) {
			dst = append(dst, w)
		}
	}
	return dst
}

func isSlugSep(r rune) bool { return r == '-' || r == '_' || r == '+' || r == ',' || r == '.' }

var slugSeeds = []string{
	"http://www.latimes.com/business/money/la-fi-mo-federal-reserve-plosser-stimulus-economy-20140310,0,1312750.story?track=rss",
	"http://www.northjersey.com/news/249583911_Men_s_Wearhouse_agrees_to_buy_Jos__A__Bank.html",
	"http://news.cnet.com/8301-13579_3-57620109-37/apples-ios-7.1-lands-with-carplay/",
	"https://example.com/--één-twee-drie--/caf\u00e9-au-lait-today",
	"https://example.com/abc-\xff\xfe-def-ghi/x",
	"https://example.com//a..b,,c++d__e-",
	"http://a/",
	"",
}

// The byte scan finds the words the rune split does, in every uci-news
// headline's link (the links slugWords reads in the ceiling's headlines).
func TestSlugWordsScanIsTheFieldsSplit(t *testing.T) {
	links := slices.Clone(slugSeeds)
	for _, l := range shareddata.UCI(t) {
		links = append(links, l.Item.Link)
	}
	for _, link := range links {
		if got, want := slugWords(nil, link), slugWordsFields(nil, link); !slices.Equal(got, want) {
			t.Errorf("slugWords(%q) = %q, want %q", link, got, want)
		}
	}
}

func FuzzSlugWords(f *testing.F) {
	for _, s := range slugSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, link string) {
		if got, want := slugWords(nil, link), slugWordsFields(nil, link); !slices.Equal(got, want) {
			t.Errorf("slugWords(%q) = %q, want %q", link, got, want)
		}
	})
}

// BenchmarkSlugWords is the slug words of every uci-news headline's link,
// by the byte scan (scan) and by the rune split it replaced (fields).
func BenchmarkSlugWords(b *testing.B) {
	var links []string
	for _, l := range shareddata.UCI(b) {
		links = append(links, l.Item.Link)
	}
	for _, c := range []struct {
		name string
		f    func([]string, string) []string
	}{{"scan", slugWords}, {"fields", slugWordsFields}} {
		b.Run(c.name, func(b *testing.B) {
			var dst []string
			for i := 0; b.Loop(); i++ {
				dst = c.f(dst[:0], links[i%len(links)])
			}
		})
	}
}
