package record

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestTruncate(t *testing.T) {
	for _, tt := range []struct {
		name, in, want string
		n              int
	}{
		{"text that fits is whole", "short", "short", 10},
		{"text of exactly n bytes is whole", "héllo", "héllo", 6},
		{"a cut never splits a two-byte character", "héllo", "h…[truncated: 1 of 6 bytes kept]", 2},
		{"a cut at a character boundary keeps it", "héllo", "hé…[truncated: 3 of 6 bytes kept]", 3},
		{"a cut inside a three-byte character backs off to before it", "ab€cd", "ab…[truncated: 2 of 7 bytes kept]", 4},
		{"a cut inside a four-byte character backs off to before it", "a😀b", "a…[truncated: 1 of 6 bytes kept]", 4},
		{"a cut in Cyrillic keeps whole letters", "Привет", "При…[truncated: 6 of 12 bytes kept]", 7},
		{"n zero keeps nothing but says so", "abc", "…[truncated: 0 of 3 bytes kept]", 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := Truncate(tt.in, tt.n)
			if got != tt.want {
				t.Errorf("Truncate(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
			}
			if !utf8.ValidString(got) {
				t.Errorf("Truncate(%q, %d) = %q is not valid UTF-8", tt.in, tt.n, got)
			}
		})
	}
}

func FuzzTruncate(f *testing.F) {
	f.Add("héllo wörld — 😀 Привет", 7)
	f.Fuzz(func(t *testing.T, s string, n int) {
		if n < 0 || !utf8.ValidString(s) {
			return
		}
		got := Truncate(s, n)
		if len(s) <= n {
			if got != s {
				t.Fatalf("Truncate(%q, %d) = %q, want it whole", s, n, got)
			}
			return
		}
		kept, _, ok := strings.Cut(got, "…[truncated: ")
		if !ok || !strings.HasPrefix(s, kept) || len(kept) > n || !utf8.ValidString(got) {
			t.Fatalf("Truncate(%q, %d) = %q", s, n, got)
		}
	})
}

func TestNewDeadLetterIDsDependOnStageAndSubjectOnly(t *testing.T) {
	at := time.Date(2026, 3, 14, 9, 0, 0, 0, time.FixedZone("CET", 3600))
	a := NewDeadLetter(StagePublish, "story:st_1@v1", "https://example.com/rss", errors.New("too large"), at)
	b := NewDeadLetter(StagePublish, "story:st_1@v1", "", errors.New("broker down"), at.Add(time.Hour))
	c := NewDeadLetter(StageNormalize, "story:st_1@v1", "", errors.New("too large"), at)
	if a.ID != b.ID {
		t.Errorf("the same failure met twice has ids %q and %q", a.ID, b.ID)
	}
	if a.ID == c.ID {
		t.Errorf("one subject at two stages shares the id %q", a.ID)
	}
	if !strings.HasPrefix(a.ID, "dl_") || len(a.ID) != 3+24 {
		t.Errorf("id %q, want dl_ and 24 hex digits", a.ID)
	}
	if a.Type != TypeDeadLetter || a.SchemaVersion != SchemaVersion || a.Stage != StagePublish ||
		a.Error != "too large" || a.FeedURL != "https://example.com/rss" || a.At.Location() != time.UTC || !a.At.Equal(at) {
		t.Errorf("dead letter %+v", a)
	}
	big := strings.Repeat("é", MaxDeadLetterPayload)
	if p := a.WithPayload([]byte(big)).Payload; len(p) > MaxDeadLetterPayload+64 || !utf8.ValidString(p) || !strings.Contains(p, "[truncated: ") {
		t.Errorf("payload of %d bytes, valid %v", len(p), utf8.ValidString(p))
	}
}

func TestPrefix(t *testing.T) {
	for _, tt := range []struct {
		name, in, want string
		n              int
	}{
		{"a string that fits is whole", "héllo", "héllo", 10},
		{"a cut inside é backs off to before it", "héllo", "h", 2},
		{"a cut after é keeps it", "héllo", "hé", 3},
		{"a cut inside an emoji drops all of it", "a😀b", "a", 3},
		{"a negative size keeps nothing", "abc", "", -1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := Prefix(tt.in, tt.n); got != tt.want {
				t.Errorf("Prefix(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
			}
		})
	}
}

// An item is often dead-lettered because it is huge: the copy a dead
// letter carries is cut to fit a message, and says where it was cut,
// while the caller's item is left as it was.
func TestWithItemKeepsTheDeadLetterSmall(t *testing.T) {
	mb := strings.Repeat("x", 1<<20)
	var many []string
	var media []Media
	for range 200 {
		many = append(many, mb[:10<<10])
		media = append(media, Media{URL: "https://i.example/" + mb[:10<<10], Title: mb[:10<<10]})
	}
	it := Item{Feed: FeedRef{URL: "https://f.example/rss", Title: mb}, Title: mb, GUID: mb, Link: mb, Description: mb, Content: mb,
		Authors: many, Categories: many, Media: media, PublishedRaw: mb, UpdatedRaw: mb, Publisher: mb, FeedLanguage: mb}
	dl := NewDeadLetter(StageNormalize, "s", "https://f.example/rss", errors.New("too big"), time.Now()).WithItem(it)
	data, err := json.Marshal(dl)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) > 3*MaxDeadLetterPayload/2 {
		t.Errorf("dead letter of %d bytes for a huge item, want it within 1.5 × %d", len(data), MaxDeadLetterPayload)
	}
	if !strings.Contains(dl.Item.Title, "[truncated: ") || len(dl.Item.Authors) != 20 || len(dl.Item.Media) != 10 {
		t.Errorf("the cut copy does not say it was cut: title %d bytes, %d authors, %d media", len(dl.Item.Title), len(dl.Item.Authors), len(dl.Item.Media))
	}
	if len(it.Title) != 1<<20 || len(it.Authors[0]) != 10<<10 || len(it.Media[0].Title) != 10<<10 {
		t.Error("WithItem changed the caller's item")
	}
	small := Item{Title: "t", Link: "https://f.example/a"}
	if got := NewDeadLetter(StageNormalize, "s", "", errors.New("x"), time.Now()).WithItem(small).Item; got.Title != "t" || got.Link != small.Link || got.Authors != nil {
		t.Errorf("a small item changed: %+v", got)
	}
}
