package record

import (
	"fmt"
	"testing"

	"github.com/wirestream/wirestream/internal/cputime"
)

// FeedKeys.Of answers a URL with a secret whose key it holds from its memo alone: no parse of
// the URL (RedactURL's, several allocations) before the look-up, none at all after it. A
// URL without a secret is its own key, told by a look at its text (RedactURL's no-parse path):
// nothing kept, nothing allocated. A URL whose key is not held yet is hashed once.
func TestFeedKeysOfAHeldKeyAllocatesNothing(t *testing.T) {
	var c FeedKeys
	secret, plain := "https://reader:S3CRET@h.example/members?api_key=K&lang=en", "https://h.example/rss?q=a"
	if got := c.Of(secret); got != FeedKey(secret) {
		t.Fatalf("Of(%s) = %q, want %q", RedactURL(secret), got, FeedKey(secret))
	}
	if n := testing.AllocsPerRun(100, func() { _ = c.Of(secret) }); n != 0 {
		t.Errorf("Of of a URL with a secret whose key is held: %v allocations, want 0", n)
	}
	if n := testing.AllocsPerRun(100, func() { _ = c.Of(plain) }); n != 0 {
		t.Errorf("Of of a URL without a secret: %v allocations, want 0", n)
	}
	if c.Len() != 1 {
		t.Errorf("the memo holds %d keys, want the one URL with a secret's", c.Len())
	}
}

// BenchmarkFeedKeysOf: Of of 100 URLs with a secret, every key held, and of 100 without;
// cpu-ns/op is the process's CPU time (not wall) over the loop.
func BenchmarkFeedKeysOf(b *testing.B) {
	for _, kind := range []string{"held", "plain"} {
		b.Run(kind, func(b *testing.B) {
			var c FeedKeys
			urls := make([]string, 100)
			for i := range urls {
				urls[i] = fmt.Sprintf("https://h.example/feed/%d?lang=en", i)
				if kind == "held" {
					urls[i] = fmt.Sprintf("https://reader:S3CRET@h.example/feed/%d?api_key=K&lang=en", i)
					c.Of(urls[i])
				}
			}
			b.ReportAllocs()
			cpu0, n := cputime.Self(), 0
			for ; b.Loop(); n++ {
				_ = c.Of(urls[n%len(urls)])
			}
			b.ReportMetric((cputime.Self()-cpu0)*1e9/float64(n), "cpu-ns/op")
		})
	}
}
