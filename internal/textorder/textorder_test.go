package textorder

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// The order must be exactly slices.Sort's: snapshots written with it are
// compared byte for byte with those written before it.
func TestSortIsByteOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	alphabet := []byte{0, 1, 'a', 'b', 'z', 0x7f, 0x80, 0xc3, 0xff}
	for round := 0; round < 200; round++ {
		ss := make([]string, 300)
		for i := range ss {
			b := make([]byte, r.IntN(13))
			for j := range b {
				b[j] = alphabet[r.IntN(len(alphabet))]
			}
			ss[i] = string(b)
		}
		// shared heads and keys that begin others
		ss = append(ss, "", "abcdefgh", "abcdefgh\x00", "abcdefghi", "abcdefg", "abcdefg\x00", "\x00")
		want := slices.Clone(ss)
		slices.Sort(want)
		got := slices.Clone(ss)
		Strings(got)
		if !slices.Equal(got, want) {
			t.Fatalf("round %d: order differs from slices.Sort:\n got %q\nwant %q", round, got, want)
		}
	}
}

func FuzzCompareIsStringCompare(f *testing.F) {
	f.Add("a", "a\x00")
	f.Add("abcdefgh", "abcdefghi")
	f.Fuzz(func(t *testing.T, a, b string) {
		want := 0
		switch {
		case a < b:
			want = -1
		case a > b:
			want = 1
		}
		if got := Compare(Make(a, 0), Make(b, 0)); got != want {
			t.Fatalf("Compare(%q, %q) = %d, want %d", a, b, got, want)
		}
	})
}
