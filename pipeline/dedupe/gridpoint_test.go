package dedupe

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// gridPair searches edits of wire for a copy whose full MinHash values
// agree with the original's at exactly want of cfg.MinHashes positions, whose stored
// 8-bit values agree at the same positions only (no chance collision of
// unequal values) and which shares a band with it: a pair the near index
// finds and scores at a grid point of full values.
func gridPair(t *testing.T, cfg Config, want int) (string, string) {
	t.Helper()
	orig := strings.ToLower(wire)
	a := cfg.Signature(orig)
	words := strings.Fields(orig)
	r := rand.New(rand.NewPCG(39, 12))
	for try := 0; try < 20000; try++ {
		w := append([]string(nil), words...)
		q := 0.25 + 0.3*r.Float64()
		for i := range w {
			if r.Float64() < q {
				w[i] = fmt.Sprintf("x%d", r.IntN(1e6))
			}
		}
		text := strings.Join(w, " ")
		b := cfg.Signature(text)
		full, low := 0, 0
		for i := range a {
			if a[i] == b[i] {
				full++
			}
			if uint8(a[i]) == uint8(b[i]) {
				low++
			}
		}
		if full != want || low != want {
			continue
		}
		if _, banded := cfg.NearScore(a, b); banded {
			return orig, text
		}
	}
	t.Fatalf("no edit of the wire text agrees at exactly %d of %d values", want, cfg.MinHashes)
	return "", ""
}

// TestAPairAtTheThresholdsGridPointMergesAsWithFullValues: 16 equal
// values of 64 is Jaccard 0.25, the default threshold, and full values
// merged such a pair. Stored as 8 bits, the chance-corrected estimate of
// the same 16 reads 0.247, and the index used to need 17: every copy at
// exactly 16 was missed (BENCHMARKS.md, round 39 "dedcfg39"). The
// decision is full values' at their grid: 16 merges, 15 does not.
func TestAPairAtTheThresholdsGridPointMergesAsWithFullValues(t *testing.T) {
	for _, sig := range []struct{ k, bands, at int }{
		{64, 32, 16}, // the default
		{48, 24, 12}, // the default for part of round 40
	} {
		cfg := DefaultConfig()
		cfg.MinHashes, cfg.Bands = sig.k, sig.bands
		for _, tt := range []struct {
			equal int
			want  Kind
		}{
			{sig.at, KindDuplicate},
			{sig.at - 1, KindNew},
		} {
			t.Run(fmt.Sprintf("%d of %d equal", tt.equal, sig.k), func(t *testing.T) {
				orig, text := gridPair(t, cfg, tt.equal)
				d, st := newDeduperUnder(t, cfg, nil)
				tx := d.Begin()
				s, _ := story(item{"https://a.example/rss", "s_a1", "a-1", "https://a.example/ecb", "ECB", orig})
				if dec, _ := tx.Check(s, orig, t0); dec.Kind != KindNew {
					t.Fatalf("original: %v", dec.Kind)
				}
				commit(t, tx, st)
				tx = d.Begin()
				c, _ := story(item{"https://c.example/feed", "s_c1", "c-1", "https://c.example/y", "Rates", text})
				dec, _ := tx.Check(c, text, t0.Add(time.Minute))
				if dec.Kind != tt.want {
					t.Fatalf("copy at %d of %d equal values: %v, want %v", tt.equal, sig.k, dec.Kind, tt.want)
				}
				if tt.want == KindDuplicate && (dec.Duplicate == nil || dec.Duplicate.Method != MethodNear || dec.Duplicate.DuplicateOf != "s_a1") {
					t.Fatalf("copy at %d of %d: %+v, want a near copy of s_a1", tt.equal, sig.k, dec.Duplicate)
				}
			})
		}
	}
}

// TestTheNearCountIsFullValuesGridPoint: at every exact grid point c/k
// of a signature of up to 128 values the count is c itself (the chance
// matches expected stay under one half), never c+1 as the estimate read
// directly gave; between grid points it is the next one up; at 256 values
// the quarter of a match chance adds makes 64 of 256 read 63.
func TestTheNearCountIsFullValuesGridPoint(t *testing.T) {
	for k := 8; k <= 128; k++ {
		for c := 1; c <= k; c++ {
			if got := nearCount(k, float64(c)/float64(k)); got != c {
				t.Fatalf("k %d, threshold %d/%d: count %d, want %d", k, c, k, got, c)
			}
		}
	}
	for _, tt := range []struct {
		k    int
		th   float64
		want int
	}{
		{64, 0.25, 16}, {64, 0.26, 17}, {64, 0.3, 20}, {64, 1, 64}, {48, 0.25, 12}, {32, 0.25, 8},
		{20, 0.35, 7}, {64, 0.01, 1}, {256, 0.25, 65}, {256, 1, 256},
	} {
		if got := nearCount(tt.k, tt.th); got != tt.want {
			t.Errorf("nearCount(%d, %g) = %d, want %d", tt.k, tt.th, got, tt.want)
		}
		at := nearAt(tt.k, tt.th)
		if estimateOfCount(tt.want, tt.k) < at || tt.want > 1 && estimateOfCount(tt.want-1, tt.k) >= at {
			t.Errorf("nearAt(%d, %g) = %g does not part %d equal values from %d", tt.k, tt.th, at, tt.want, tt.want-1)
		}
	}
}
