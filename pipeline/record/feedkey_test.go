package record

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// Each spelling an earlier release keyed a feed's feed_status record by, for each kind of
// secret, and none for a URL without one; a listed feed's own key is not among them.
func TestLegacyFeedKeysSpellEveryEarlierKeyOfAFeedWithASecret(t *testing.T) {
	for _, c := range []struct {
		url  string
		want []string
	}{
		{"https://h.example/rss", nil},
		{"https://h.example/rss?token=xxxxx", nil},
		{"https://h.example/rss?token=S", []string{"https://h.example/rss?token=S", "https://h.example/rss?token=xxxxx"}},
		{"https://u:S@h.example/rss", []string{"https://u:S@h.example/rss", "https://u:xxxxx@h.example/rss"}},
		{"https://S@h.example/rss", []string{"https://S@h.example/rss", "https://xxxxx@h.example/rss"}},
		{"https://S:@h.example/rss", []string{"https://S:@h.example/rss", "https://S:xxxxx@h.example/rss", "https://xxxxx@h.example/rss"}},
	} {
		got := LegacyFeedKeys(c.url)
		want := slices.Sorted(slices.Values(c.want))
		if !slices.Equal(got, want) {
			t.Errorf("LegacyFeedKeys(%s) = %q, want %q", c.url, got, want)
		}
	}
	if got := LegacyFeedKeys("https://h.example/rss?token=S", "https://h.example/rss?token=xxxxx"); !slices.Equal(got, []string{"https://h.example/rss?token=S"}) {
		t.Errorf("with the feed ?token=xxxxx listed: %q, want its key left out", got)
	}
}

// BenchmarkLegacyFeedKeys: a start's spelling of the legacy keys of 10,000 feeds, a tenth of
// them with a token.
func BenchmarkLegacyFeedKeys(b *testing.B) {
	urls := make([]string, 10_000)
	for i := range urls {
		urls[i] = fmt.Sprintf("https://site%d.example/rss", i)
		if i%10 == 0 {
			urls[i] += "?lang=en&token=" + strings.Repeat("k", 32)
		}
	}
	for b.Loop() {
		LegacyFeedKeys(urls...)
	}
}

// KeyURL gives back the URL of a key without an account, the space FeedKey adds to a
// hash-ending URL taken off, and leaves an account's key as it is.
func TestKeyURLIsTheURLAPlainKeyNames(t *testing.T) {
	hashEnding := "https://example.org/rss " + strings.Repeat("0f", 16)
	for _, u := range []string{"https://example.org/rss", hashEnding, hashEnding + " "} {
		if got := KeyURL(FeedKey(u)); got != u {
			t.Errorf("KeyURL(FeedKey(%q)) = %q", u, got)
		}
	}
	account := FeedKey("https://paid.example/rss?token=S3CRET")
	if got := KeyURL(account); got != account {
		t.Errorf("KeyURL of an account's key %q = %q, want the key", account, got)
	}
}
