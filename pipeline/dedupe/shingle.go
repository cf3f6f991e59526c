package dedupe

import (
	"crypto/sha256"
	"encoding/hex"
	"math/bits"
	"unicode"
	"unicode/utf8"
)

// Words splits fingerprint text into lowercase words: runs of letters and
// digits. Punctuation, quotes and dashes separate words, so typographic
// differences between outlets ("—" vs "-", curly vs straight quotes) do
// not change the fingerprint.
func Words(text string) []string {
	return appendWords(make([]string, 0, len(text)/6), text)
}

// appendWords appends the words of text to out (see Words).
func appendWords(out []string, text string) []string {
	start := -1
	for i := 0; i < len(text); {
		// ASCII by table (unicode.IsLetter and IsDigit say the same of it);
		// other runes decoded as range would, invalid bytes as RuneError
		var word bool
		size := 1
		if c := text[i]; c < utf8.RuneSelf {
			word = asciiWord[c]
		} else {
			var r rune
			r, size = utf8.DecodeRuneInString(text[i:])
			word = unicode.IsLetter(r) || unicode.IsDigit(r)
		}
		if word {
			if start < 0 {
				start = i
			}
		} else if start >= 0 {
			out = append(out, lowerASCII(text[start:i]))
			start = -1
		}
		i += size
	}
	if start >= 0 {
		out = append(out, lowerASCII(text[start:]))
	}
	return out
}

// asciiWord marks the ASCII letters and digits.
var asciiWord = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
	}
	return t
}()

// lowerASCII lowercases without allocating when the word is already lower
// case, which FingerprintText guarantees; it is a guard for other callers.
func lowerASCII(w string) string {
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= 'A' && c <= 'Z' || c >= utf8.RuneSelf {
			return toLower(w)
		}
	}
	return w
}

func toLower(w string) string {
	b := make([]rune, 0, len(w))
	for _, r := range w {
		b = append(b, unicode.ToLower(r))
	}
	return string(b)
}

// fnv64 is FNV-1a: fixed and seedless, so hashes persisted in the state
// store stay valid across restarts, machines and Go versions (maphash
// would not).
func fnv64(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// mix64 is the splitmix64 finaliser: it spreads FNV's weak low bits so
// every bit of a shingle hash is usable for SimHash and MinHash.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// Shingles returns the distinct hashes of every run of n consecutive words
// (fewer than n words yield one shingle of them all).
func Shingles(words []string, n int) []uint64 {
	if len(words) == 0 {
		return nil
	}
	wh := make([]uint64, len(words))
	for i, w := range words {
		wh[i] = fnv64(w)
	}
	if n > len(words) {
		n = len(words)
	}
	seen := make(map[uint64]struct{}, len(words))
	out := make([]uint64, 0, len(words))
	for i := 0; i+n <= len(wh); i++ {
		h := uint64(n)
		for _, x := range wh[i : i+n] {
			h = mix64(h*31 + x)
		}
		if _, dup := seen[h]; dup {
			continue
		}
		seen[h] = struct{}{}
		out = append(out, h)
	}
	return out
}

// shingleSet is Shingles' set built in reusable buffers (out, *wh for the
// word hashes, *seen for the set's table), in first-seen order. SimHash
// and MinHash read a set, not an order, so an open-addressing table on the
// hash's own bits (mix64 spread them) replaces Shingles' map of seen
// hashes, and sorting the shingles to drop repeats.
func shingleSet(out []uint64, wh, seen *[]uint64, words []string, n int) []uint64 {
	if len(words) == 0 {
		return out
	}
	h := (*wh)[:0]
	for _, w := range words {
		h = append(h, fnv64(w))
	}
	*wh = h
	n = min(n, len(words))
	// at most half full; slot value 0 is empty, so the hash 0 is tracked apart
	size := 1 << bits.Len(uint(2*(len(h)-n+1)))
	t := *seen
	if cap(t) < size {
		t = make([]uint64, size)
	}
	t = t[:size]
	mask := size - 1
	zero := false
	for i := 0; i+n <= len(h); i++ {
		x := uint64(n)
		for _, y := range h[i : i+n] {
			x = mix64(x*31 + y)
		}
		if x == 0 {
			if !zero {
				zero = true
				out = append(out, x)
			}
			continue
		}
		for j := int(x) & mask; ; j = (j + 1) & mask {
			if t[j] == x {
				break
			}
			if t[j] == 0 {
				t[j] = x
				out = append(out, x)
				break
			}
		}
	}
	clear(t) // empty for the next story
	*seen = t
	return out
}

// SimHash is Charikar's 64-bit SimHash of a shingle set, each shingle
// weighted 1. It is what Story.Fingerprint shows: a compact, stable
// summary consumers can compare by Hamming distance.
func SimHash(shingles []uint64) uint64 {
	// Bit b of the result is set when more than half the shingles have
	// bit b set. The 64 counts are kept bit-sliced: plane j holds bit j of
	// every count, and adding a shingle is a ripple-carry add of its bits
	// into the planes (two planes touched per shingle on average), where
	// counting bit by bit took 64 steps a shingle.
	var plane [64]uint64
	for _, h := range shingles {
		for j := 0; h != 0; j++ {
			plane[j], h = plane[j]^h, plane[j]&h
		}
	}
	var out uint64
	n := uint64(len(shingles))
	planes := plane[:bits.Len64(n)] // a count is at most n
	for b := 0; b < 64; b++ {
		var c uint64
		for j, p := range planes {
			c |= (p >> b & 1) << j
		}
		if 2*c > n {
			out |= 1 << b
		}
	}
	return out
}

// Hamming is the number of differing bits.
func Hamming(a, b uint64) int { return bits.OnesCount64(a ^ b) }

// minhashSeeds are the K hash functions h_i(x) = mix64(x ^ seed_i): a
// fixed table so signatures persist across restarts.
var minhashSeeds = func() []uint64 {
	s := make([]uint64, maxK)
	x := uint64(0x5eed_0f_d0d0_cafe)
	for i := range s {
		x += 0x9e3779b97f4a7c15
		s[i] = mix64(x)
	}
	return s
}()

const maxK = 256

// MinHash returns a k-value MinHash signature of a shingle set. Each value
// is the minimum of a 32-bit hash function over the set; the fraction of
// equal positions between two signatures estimates their Jaccard
// similarity.
func MinHash(shingles []uint64, k int) []uint32 {
	sig := make([]uint32, k)
	seeds := minhashSeeds[:k]
	// Function by function, four at a time: each minimum stays in a
	// register for the whole pass over the shingles (a 1,000-word story's
	// fit in L1), where shingle by shingle loaded and stored all k of them.
	i := 0
	for ; i+4 <= k; i += 4 {
		s0, s1, s2, s3 := seeds[i], seeds[i+1], seeds[i+2], seeds[i+3]
		m0, m1, m2, m3 := ^uint32(0), ^uint32(0), ^uint32(0), ^uint32(0)
		for _, h := range shingles {
			m0 = min(m0, minhashOf(h, s0))
			m1 = min(m1, minhashOf(h, s1))
			m2 = min(m2, minhashOf(h, s2))
			m3 = min(m3, minhashOf(h, s3))
		}
		sig[i], sig[i+1], sig[i+2], sig[i+3] = m0, m1, m2, m3
	}
	for ; i < k; i++ {
		m := ^uint32(0)
		for _, h := range shingles {
			m = min(m, minhashOf(h, seeds[i]))
		}
		sig[i] = m
	}
	return sig
}

// minhashOf is the MinHash function with the given seed: one multiply,
// since the shingle hash is already well mixed, so an odd-multiplier hash
// of (h ^ seed) is enough.
func minhashOf(h, seed uint64) uint32 {
	return uint32(((h ^ seed) * 0x9e3779b97f4a7c15) >> 32)
}

// Similarity estimates Jaccard similarity from two signatures.
func Similarity(a, b []uint32) float64 {
	if len(a) != len(b) || len(a) == 0 {
		return 0
	}
	eq := 0
	for i := range a {
		if a[i] == b[i] {
			eq++
		}
	}
	return float64(eq) / float64(len(a))
}

// BodyHash is the exact-duplicate key of the normalized text: the words
// joined by single spaces, hashed, so whitespace and punctuation
// differences do not matter.
func BodyHash(words []string) string {
	h, _ := bodyHash(nil, words)
	return string(h[:])
}

// bodyHex is a body hash as its 32 hex digits, held by value: the alias
// key is hashed from it (bodyAlias), so it needs no string of its own.
type bodyHex [32]byte

// bodyHash is BodyHash with the joined words built in buf (returned for
// reuse): one sha256 pass over the text rather than a Write per word and
// per space, whose bookkeeping cost more than the hashing of such short
// pieces.
func bodyHash(buf []byte, words []string) (bodyHex, []byte) {
	buf = buf[:0]
	for i, w := range words {
		if i > 0 {
			buf = append(buf, ' ')
		}
		buf = append(buf, w...)
	}
	sum := sha256.Sum256(buf)
	var h bodyHex
	hex.Encode(h[:], sum[:16])
	return h, buf
}

// Signature is the MinHash signature Check would index for text, or nil
// when the text is shorter than MinNearWords. For evaluation and tools.
func (c Config) Signature(text string) []uint32 {
	words := Words(text)
	if len(words) < c.MinNearWords {
		return nil
	}
	return MinHash(Shingles(words, c.ShingleWords), c.MinHashes)
}

// NearScore is what the near index computes for two full signatures: the
// similarity it estimates from their stored 8-bit values, and whether they
// share a band (whether the index would return one for the other).
func (c Config) NearScore(a, b []uint32) (sim float64, banded bool) {
	if len(a) != c.MinHashes || len(b) != c.MinHashes {
		return 0, false
	}
	x := newIndex(c.MinHashes, c.Bands)
	av, ac := make([]uint8, x.k), make([]uint8, x.bands*x.checks)
	bv, bc := make([]uint8, x.k), make([]uint8, x.bands*x.checks)
	x.encode(a, av, ac)
	x.encode(b, bv, bc)
	for band := 0; band < x.bands && !banded; band++ {
		r, k := band*x.rows, band*x.checks
		banded = string(av[r:r+x.rows]) == string(bv[r:r+x.rows]) && string(ac[k:k+x.checks]) == string(bc[k:k+x.checks])
	}
	return bbitEstimate(av, bv), banded
}

// NearAt is the least similarity (as NearScore estimates it) at which
// the near index takes a pair for a near-duplicate: Threshold at the grid
// full values read it on, so 16 equal values of 64 merge at 0.25 as they
// did before values were stored as 8 bits (nearCount).
func (c Config) NearAt() float64 {
	return nearAt(c.MinHashes, c.Threshold)
}

// Banded reports whether two full signatures share an LSH band exactly:
// the index before b-bit storage, for comparison.
func (c Config) Banded(a, b []uint32) bool {
	if len(a) != c.MinHashes || len(b) != c.MinHashes {
		return false
	}
	rows := c.MinHashes / c.Bands
	for i := 0; i < c.MinHashes; i += rows {
		eq := true
		for j := i; j < i+rows; j++ {
			if a[j] != b[j] {
				eq = false
				break
			}
		}
		if eq {
			return true
		}
	}
	return false
}
