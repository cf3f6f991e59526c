package dedupe

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// The log holds alias keys as the hkeys of the joined strings ("u\x00" +
// URL): hashing the parts as they are read must give the same keys, or a
// restored state would no longer find its aliases.
func TestAliasKeysHashTheJoinedStrings(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	word := func() string {
		// Lengths across xxhash's 32-byte stripes and its 1/4/8-byte tails.
		b := make([]byte, r.IntN(200))
		for i := range b {
			b[i] = byte(r.IntN(256))
		}
		return string(b)
	}
	for range 20_000 {
		a, b := word(), word()
		for _, c := range []struct {
			name      string
			got, want uint64
		}{
			{"guid", guidAlias(a, b), hkey("g\x00" + a + "\x00" + b)},
			{"global guid", globalGUIDAlias(a), hkey("G\x00" + a)},
			{"url", urlAlias(a), hkey("u\x00" + a)},
			{"body", bodyAlias(a), hkey("b\x00" + a)},
		} {
			if c.got != c.want {
				t.Fatalf("%s alias of %q, %q: %x, want %x", c.name, a, b, c.got, c.want)
			}
		}
	}
	long := strings.Repeat("https://example.com/a/long/path/", 40)
	if allocs := testing.AllocsPerRun(100, func() {
		_ = guidAlias(long, long) + urlAlias(long) + bodyAlias(long) + globalGUIDAlias(long)
	}); allocs != 0 {
		t.Errorf("alias keys allocate %.0f times, want none", allocs)
	}
}
