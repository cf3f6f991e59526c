package dedupe

import (
	"encoding/hex"
	"fmt"
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
		var body bodyHex // a body hash is always 32 hex digits
		hex.Encode(body[:], []byte(a + "0123456789abcdef")[:16])
		for _, c := range []struct {
			name      string
			got, want uint64
		}{
			{"guid", guidAlias(a, b), hkey("g\x00" + a + "\x00" + b)},
			{"global guid", globalGUIDAlias(a), hkey("G\x00" + a)},
			{"url", urlAlias(a), hkey("u\x00" + a)},
			{"body", bodyAlias(&body), hkey("b\x00" + string(body[:]))},
			{"copy", copyKey(a, b), hkey("d\x00" + a + "\x00" + b)},
		} {
			if c.got != c.want {
				t.Fatalf("%s alias of %q, %q: %x, want %x", c.name, a, b, c.got, c.want)
			}
		}
	}
	long := strings.Repeat("https://example.com/a/long/path/", 40)
	var body bodyHex
	if allocs := testing.AllocsPerRun(100, func() {
		_ = guidAlias(long, long) + urlAlias(long) + bodyAlias(&body) + globalGUIDAlias(long) + copyKey(long, long)
	}); allocs != 0 {
		t.Errorf("alias keys allocate %.0f times, want none", allocs)
	}
}

// packIDBitwise is packID as it was written first, bit by bit: the
// reference the shifting version must match.
func packIDBitwise(id string) (p packedID, ok bool) {
	if len(id) != 24 || id[0] != 's' || id[1] != '_' {
		return p, false
	}
	var bits [2]uint64
	for i := 0; i < 22; i++ {
		v := b32val[id[2+i]]
		if v == 0xff {
			return p, false
		}
		for b := 0; b < 5; b++ {
			if v&(0x10>>b) != 0 {
				pos := 5*i + b
				bits[pos/64] |= 1 << (63 - pos%64)
			}
		}
	}
	bits[1] |= 1
	return packedID(bits), true
}

// Packed ids are stored in the log: packID must give the bits the
// bitwise version gave, for every id, and refuse what it refused.
func TestPackIDMatchesTheBitwisePacking(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	const alphabet = "abcdefghijklmnopqrstuvwxyz234567"
	for n := range 200_000 {
		b := []byte("s_")
		for range 22 {
			b = append(b, alphabet[r.IntN(len(alphabet))])
		}
		switch n % 10 {
		case 7:
			b[2+r.IntN(22)] = byte(r.IntN(256)) // mostly outside the alphabet
		case 8:
			b = b[:r.IntN(len(b))]
		case 9:
			b[r.IntN(2)] = 'x'
		}
		id := string(b)
		got, gok := packID(id)
		want, wok := packIDBitwise(id)
		if got != want || gok != wok {
			t.Fatalf("packID(%q) = %x, %v; want %x, %v", id, got, gok, want, wok)
		}
		if gok && got.String() != id {
			t.Fatalf("packID(%q) unpacks to %q", id, got.String())
		}
		// A remembered story keeps no key but its packed id's (storyRec),
		// with or without the log's home mark in the spare bits.
		if withHome := (packedID{got[0], got[1] | idHome}); gok && (got.key() != hkey(id) || withHome.key() != hkey(id)) {
			t.Fatalf("packID(%q).key() = %x, %x with the home bit; want hkey %x", id, got.key(), withHome.key(), hkey(id))
		}
	}
	for _, id := range []string{"s_aaaaaaaaaaaaaaaaaaaaaa", "s_7777777777777777777777"} {
		got, _ := packID(id)
		want, _ := packIDBitwise(id)
		if got != want {
			t.Fatalf("packID(%q) = %x, want %x", id, got, want)
		}
	}
}

func BenchmarkPackID(b *testing.B) {
	ids := []string{"s_rgvbphxaytxwdx5pgzzrll", "s_apc2b675z4tdzo27q35vsw", "s_aaaaaaaaaaaaaaaaaaaaaa", "s_7777777777777777777777"}
	for _, c := range []struct {
		name string
		f    func(string) (packedID, bool)
	}{{"shifts", packID}, {"bitwise", packIDBitwise}} {
		b.Run(c.name, func(b *testing.B) {
			var sink packedID
			for i := 0; b.Loop(); i++ {
				p, _ := c.f(ids[i%len(ids)])
				sink[0] ^= p[0]
			}
			_ = sink
		})
	}
}

// A record's fingerprint is its SimHash as fmt's %016x wrote it: the
// same 16 digits for every value, leading zeros included.
func TestFingerprintIsTheSimHashInSixteenHexDigits(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for n := range 100_000 {
		h := r.Uint64() >> (n % 64) // short values too, to check the padding
		if got, want := fingerprint(h), fmt.Sprintf("%016x", h); got != want {
			t.Fatalf("fingerprint(%d) = %s, want %s", h, got, want)
		}
	}
	for _, h := range []uint64{0, 1, 1<<64 - 1} {
		if got, want := fingerprint(h), fmt.Sprintf("%016x", h); got != want {
			t.Fatalf("fingerprint(%d) = %s, want %s", h, got, want)
		}
	}
}

// BenchmarkPackedIDKey measures spelling a packed id's key: what a probe
// of the story table pays since storyRec keeps no key.
func BenchmarkPackedIDKey(b *testing.B) {
	p, _ := packID("s_abcdefghijklmnopqrstuv")
	var sum uint64
	for b.Loop() {
		sum += p.key()
		p[0]++
	}
	if sum == 0 {
		b.Fatal("no key")
	}
}
