package normalize

import (
	"regexp"
	"strconv"
	"testing"
)

var idRe = regexp.MustCompile(`^s_[a-z2-7]{22}$`)

func TestStoryID(t *testing.T) {
	const feedA, feedB = "https://a.example/feed.xml", "https://b.example/rss"
	tests := []struct {
		name string
		a, b [3]string // canonicalURL, guid, feedURL
		same bool
	}{
		{"the same canonical url gives the same id whatever the guid and feed",
			[3]string{"https://example.com/a", "1", feedA}, [3]string{"https://example.com/a", "2", feedB}, true},
		{"http and https versions of a url share an id",
			[3]string{"http://example.com/a", "", feedA}, [3]string{"https://example.com/a", "", feedA}, true},
		{"a raw link with tracking gives the id of its canonical form",
			[3]string{"https://example.com/a?utm_source=x", "", feedA}, [3]string{"https://example.com/a", "", feedA}, true},
		{"different urls give different ids",
			[3]string{"https://example.com/a", "", feedA}, [3]string{"https://example.com/b", "", feedA}, false},
		{"the same bare guid in two feeds gives two ids",
			[3]string{"", "12345", feedA}, [3]string{"", "12345", feedB}, false},
		{"the same bare guid in one feed gives one id",
			[3]string{"", "12345", feedA}, [3]string{"", " 12345 ", feedA}, true},
		{"a guid feed moving from http to https keeps its ids",
			[3]string{"", "12345", "http://a.example/feed.xml"}, [3]string{"", "12345", "https://a.example/feed.xml"}, true},
		{"a guid that is a url gives the id of that url as a link, in any feed",
			[3]string{"", "https://example.com/a", feedA}, [3]string{"https://example.com/a", "", feedB}, true},
		{"a url-guid is not confused with the same text as a bare guid",
			[3]string{"", "example.com/a", feedA}, [3]string{"https://example.com/a", "", feedA}, false},
		{"a link wins over a guid",
			[3]string{"https://example.com/a", "tag:x,2024:1", feedA}, [3]string{"", "tag:x,2024:1", feedA}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := StoryID(tt.a[0], tt.a[1], tt.a[2])
			b := StoryID(tt.b[0], tt.b[1], tt.b[2])
			if !idRe.MatchString(a) || !idRe.MatchString(b) {
				t.Fatalf("ids %q, %q do not match %s", a, b, idRe)
			}
			if (a == b) != tt.same {
				t.Fatalf("StoryID%q = %s, StoryID%q = %s; same = %v, want %v", tt.a, a, tt.b, b, a == b, tt.same)
			}
		})
	}
}

// TestStoryIDIsStable pins ids: a change here re-keys every story in every
// deployment and re-emits what consumers already have, so it must be a
// deliberate, announced schema change.
func TestStoryIDIsStable(t *testing.T) {
	pinned := []struct{ url, guid, feed, want string }{
		{"https://www.bbc.co.uk/news/world-europe-68478209", "", "", "s_4duurigxyjtpcdakpnt5xi"},
		{"", "12345", "https://forum.example.com/announcements.rss", "s_hfl5cllk335yhu627dkyf7"},
	}
	for _, p := range pinned {
		for range 3 {
			if got := StoryID(p.url, p.guid, p.feed); got != p.want {
				t.Fatalf("StoryID(%q, %q, %q) = %s, want %s", p.url, p.guid, p.feed, got, p.want)
			}
		}
	}
}

func TestStoryIDOfNothingIsEmpty(t *testing.T) {
	if got := StoryID("", "  ", "https://a.example/feed"); got != "" {
		t.Fatalf("StoryID with no url or guid = %q, want empty", got)
	}
}

func TestStoryIDsDoNotCollide(t *testing.T) {
	seen := make(map[string]string, 40000)
	for i := range 20000 {
		for _, k := range [][3]string{
			{"https://example.com/story/" + strconv.Itoa(i), "", ""},
			{"", strconv.Itoa(i), "https://feed.example/" + strconv.Itoa(i%7)},
		} {
			id := StoryID(k[0], k[1], k[2])
			key := k[0] + "|" + k[1] + "|" + k[2]
			if prev, ok := seen[id]; ok && prev != key {
				t.Fatalf("collision: %s for %q and %q", id, prev, key)
			}
			seen[id] = key
		}
	}
}
