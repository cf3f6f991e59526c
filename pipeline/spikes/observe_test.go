package spikes

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/cputime"
	"github.com/wirestream/wirestream/pipeline/record"
)

// BenchmarkObserveDay counts a day of headline-like stories (4 entities and
// 8 keywords each, from a skewed vocabulary, 40 publishers, a fingerprint)
// and closes their buckets: the spike detector's share of `process`.
func BenchmarkObserveDay(b *testing.B) {
	r := rand.New(rand.NewPCG(7, 7))
	term := func(n int) int { return int(float64(n) * r.Float64() * r.Float64()) } // more small than large
	stories := make([]*record.Story, 5000)
	for i := range stories {
		s := &record.Story{ID: fmt.Sprintf("st_%08x", i), Publisher: fmt.Sprintf("Publisher %d", r.IntN(40)),
			Fingerprint: fmt.Sprintf("%016x", r.Uint64()), EventID: fmt.Sprintf("ev_%d", r.IntN(800)),
			FirstSeen: t0.Add(time.Duration(i) * 24 * time.Hour / time.Duration(len(stories)))}
		for range 4 {
			k := term(3000)
			s.Entities = append(s.Entities, record.Entity{Key: fmt.Sprintf("person:name-%d", k), Name: fmt.Sprintf("Name %d", k), Kind: "person"})
		}
		for range 8 {
			s.Keywords = append(s.Keywords, fmt.Sprintf("keyword %d", term(6000)))
		}
		stories[i] = s
	}
	end := t0.Add(25 * time.Hour)
	b.ReportAllocs()
	cpu0 := cputime.Self()
	for b.Loop() {
		d := New(DefaultConfig(), nil)
		for _, s := range stories {
			d.Observe(s)
			d.Advance(s.FirstSeen)
		}
		d.Advance(end)
	}
	b.ReportMetric((cputime.Self()-cpu0)*1e9/float64(b.N*len(stories)), "cpu-ns/story")
}

// pubSet counts distinct publishers as a set does, across the switch
// from its slice to its bitset (few publishers of many, and most of
// them), and lists them sorted by name.
func TestPubSetIsASet(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 9))
	for range 400 {
		var p pubSet
		var pubs publishers
		want := map[string]struct{}{}
		spread := 1 + r.IntN(1+r.IntN(40*minBitset))
		for range r.IntN(8 * minBitset) {
			pub := fmt.Sprint("p", r.IntN(spread))
			p.add(pubs.id(pub))
			want[pub] = struct{}{}
			if p.len() != len(want) {
				t.Fatalf("len %d, want %d", p.len(), len(want))
			}
		}
		if got := p.sorted(pubs.names); !slices.Equal(got, slices.Sorted(maps.Keys(want))) {
			t.Fatalf("sorted %q, want the keys of %v", got, want)
		}
	}
}

func TestFingerprintKeyIsSeenKeyOfItsString(t *testing.T) {
	for _, fp := range []string{"", "9f3a2c1e00b1d4e7", strings.Repeat("ab", 40)} {
		if fingerprintKey(fp) != seenKey("fp:"+fp) {
			t.Errorf("fingerprintKey(%q) differs", fp)
		}
	}
}
