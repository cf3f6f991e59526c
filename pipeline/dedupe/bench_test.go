package dedupe

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/cputime"
	"github.com/wirestream/wirestream/pipeline/state"
)

// randomSig is the signature of a story sharing no shingles with others:
// independent MinHash values.
func randomSig(r *rand.Rand, k int) []uint32 {
	s := make([]uint32, k)
	for i := range s {
		s[i] = r.Uint32()
	}
	return s
}

// BenchmarkNearLookup measures one near-duplicate lookup against an index
// holding n remembered stories, and the index's heap per story.
func BenchmarkNearLookup(b *testing.B) {
	cfg := DefaultConfig()
	for _, n := range []int{10_000, 100_000, 1_000_000} {
		r := rand.New(rand.NewPCG(1, uint64(n)))
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		x := newIndex(cfg.MinHashes, cfg.Bands)
		for i := 0; i < n; i++ {
			x.add(uint64(i+1), int64(i), randomSig(r, cfg.MinHashes), false)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		perStory := float64(after.HeapAlloc-before.HeapAlloc) / float64(n)
		r = rand.New(rand.NewPCG(1, uint64(n))) // the same signatures again, to make copies of
		sigs := make([][]uint32, 0, 512)
		for i := 0; i < n && len(sigs) < cap(sigs); i++ {
			s := randomSig(r, cfg.MinHashes)
			if i%(n/cap(sigs)+1) == 0 {
				sigs = append(sigs, s)
			}
		}
		queries := make([][]uint32, 1024)
		for i := range queries {
			queries[i] = randomSig(r, cfg.MinHashes)
			if i%2 == 0 { // half are copies of a remembered story: 70 % of values kept
				q := append([]uint32(nil), sigs[i/2%len(sigs)]...)
				for j := range q {
					if r.Float64() < 0.3 {
						q[j] = r.Uint32()
					}
				}
				queries[i] = q
			}
		}
		b.Run(fmt.Sprintf("stories=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			hits := 0
			for i := 0; b.Loop(); i++ {
				if _, sim, ok := x.query(queries[i%len(queries)], 0, 0); ok && sim >= cfg.Threshold {
					hits++
				}
			}
			if hits == 0 {
				b.Fatal("no copy found")
			}
			b.ReportMetric(perStory, "heapB/story")
		})
		runtime.KeepAlive(x)
	}
}

// newsVocabulary returns 30,000 distinct words: a news-sized vocabulary,
// where a tiny one would make unrelated stories share shingles and
// measure the wrong thing.
func newsVocabulary() []string {
	vocab := make([]string, 30_000)
	for i := range vocab {
		vocab[i] = fmt.Sprintf("w%x", mix64(uint64(i))%1e9)
	}
	return vocab
}

// BenchmarkCheck measures a whole decision for a new 300-word story:
// sketch (shingles, SimHash, MinHash), exact lookups in a memory holding n
// stories, and the near lookup.
func BenchmarkCheck(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("stories=%d", n), func(b *testing.B) {
			d, st := newDeduper(b, nil)
			r := rand.New(rand.NewPCG(2, uint64(n)))
			vocab := newsVocabulary()
			text := func() string {
				w := make([]string, 300)
				for i := range w {
					w[i] = vocab[r.IntN(len(vocab))]
				}
				return fmt.Sprint(w)
			}
			for i := 0; i < n; i += 1000 {
				tx := d.Begin()
				for j := i; j < i+1000; j++ {
					s, txt := story(item{"https://f.example/rss", fmt.Sprintf("s_%d", j), fmt.Sprint(j), fmt.Sprintf("https://f.example/%d", j), "t", text()})
					if _, err := tx.Check(s, txt, t0); err != nil {
						b.Fatal(err)
					}
				}
				commit(b, tx, st)
			}
			texts := make([]string, 256)
			for i := range texts {
				texts[i] = text()
			}
			tx := d.Begin()
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				s, txt := story(item{"https://g.example/rss", fmt.Sprintf("q_%d", i), fmt.Sprint(i), fmt.Sprintf("https://g.example/%d", i), "t", texts[i%len(texts)]})
				if _, err := tx.Check(s, txt, t0.Add(time.Minute)); err != nil {
					b.Fatal(err)
				}
			}
			tx.Release()
		})
	}
}

// BenchmarkSnapshotAliases measures the alias table's part of a snapshot
// (snapshotAliases: one walk of the table in cell order since round 45;
// before, one walk per range of 256k aliases, each range sorted) at 1M
// aliases and at 3M (1M stories of three aliases each), beside one plain
// walk of the same table.
func BenchmarkSnapshotAliases(b *testing.B) {
	for _, aliases := range []int{1_000_000, 3_000_000} {
		d, err := New(DefaultConfig(), Bounds{SeenTTL: time.Hour, MaxEntries: 1 << 24}, nil)
		if err != nil {
			b.Fatal(err)
		}
		r := rand.New(rand.NewPCG(3, uint64(aliases)))
		stories := aliases / 3
		keys := make([]uint64, stories)
		for i := range keys {
			keys[i] = r.Uint64() | 1
			d.mem.put(keys[i], seen{pid: packedID{r.Uint64(), r.Uint64() | 1}, first: 1, last: 1})
		}
		for i := 0; i < aliases; i++ {
			d.mem.putAlias(r.Uint64()|1, keys[i%stories])
		}
		b.Run(fmt.Sprintf("aliases=%d/snapshot", aliases), func(b *testing.B) {
			cpu0 := cputime.Self() // CPU, not wall: the box is shared
			for b.Loop() {
				n := 0
				if err := d.snapshotAliases(func(state.Entry) error { n++; return nil }); err != nil || n != d.mem.aliases.len() {
					b.Fatalf("emitted %d of %d (%v)", n, d.mem.aliases.len(), err)
				}
			}
			b.ReportMetric((cputime.Self()-cpu0)*1e9/float64(b.N), "cpu-ns/op")
		})
		b.Run(fmt.Sprintf("aliases=%d/one-walk", aliases), func(b *testing.B) {
			for b.Loop() {
				n := 0
				for i, k := range d.mem.aliases.keys {
					if k != 0 {
						if d.mem.liveSlot(d.mem.aliases.vals[i]) {
							n++
						}
					}
				}
				if n != d.mem.aliases.len() {
					b.Fatalf("walked %d of %d", n, d.mem.aliases.len())
				}
			}
		})
	}
}

// BenchmarkNearLookupAlike is BenchmarkNearLookup over bodies built like
// the load harness's (cmd/loadtest/gen.go): sentences from a few templates
// naming one of 30 people, subjects, places and organisations, padded with
// words of a 300-word pool, so unrelated stories share whole sentences and
// a query meets hundreds of candidates, most of them in several bands.
func BenchmarkNearLookupAlike(b *testing.B) {
	d, _ := newDeduper(b, nil)
	cfg := d.cfg
	text := alikeText(rand.New(rand.NewPCG(3, 25_000)))
	const n = 25_000 // the stories a saturated harness run remembers
	x := newIndex(cfg.MinHashes, cfg.Bands)
	for i := 0; i < n; i++ {
		x.add(uint64(i+1), int64(i), d.sketch(text()).sig, false)
	}
	queries := make([][]uint32, 256)
	for i := range queries {
		queries[i] = d.sketch(text()).sig
	}
	// bucket_visits=0 is the default; 64 the bound dedupe.bucket_visits
	// can set.
	for _, visits := range []int{0, 64} {
		b.Run(fmt.Sprintf("bucket_visits=%d", visits), func(b *testing.B) {
			x.visits = visits
			b.ReportAllocs()
			cand := 0
			cpu0 := cputime.Self() // on a shared box CPU time moves less than wall time
			for i := 0; b.Loop(); i++ {
				x.query(queries[i%len(queries)], 0, 0)
				cand += len(x.cand)
			}
			b.ReportMetric((cputime.Self()-cpu0)*1e9/float64(b.N), "cpu-ns/query")
			b.ReportMetric(float64(cand)/float64(b.N), "cand/query")
		})
	}
}

// BenchmarkNearQueryInsertAlike is a new story's work in the near index:
// its query, then the insert of its signature, over BenchmarkNearLookupAlike's
// index and bodies. Every 256 stories the index drops them and rebuilds
// (not measured), so each batch starts from the same 25,000 stories.
func BenchmarkNearQueryInsertAlike(b *testing.B) {
	d, _ := newDeduper(b, nil)
	cfg := d.cfg
	text := alikeText(rand.New(rand.NewPCG(3, 25_000)))
	const n = 25_000
	x := newIndex(cfg.MinHashes, cfg.Bands)
	for i := 0; i < n; i++ {
		x.add(uint64(i+1), int64(i), d.sketch(text()).sig, false)
	}
	x.rebuild()
	stories := make([][]uint32, 1024)
	for i := range stories {
		stories[i] = d.sketch(text()).sig
	}
	const batch = 256
	b.ReportAllocs()
	cand, cpu, done := 0, 0.0, 0
	for b.Loop() {
		if done%batch == 0 && done > 0 {
			for k := n + done - batch; k < n+done; k++ {
				x.remove(uint64(k + 1))
			}
			x.rebuild()
		}
		cpu0 := cputime.Self()
		for j := 0; j < batch; j++ {
			sig := stories[(done+j)%len(stories)]
			key := uint64(n + done + j + 1)
			x.query(sig, 0, key)
			cand += len(x.cand)
			x.add(key, int64(n+done+j), sig, false)
		}
		cpu += cputime.Self() - cpu0
		done += batch
	}
	b.ReportMetric(cpu*1e9/float64(done), "cpu-ns/story")
	b.ReportMetric(float64(cand)/float64(done), "cand/query")
}

// alikeText returns a maker of bodies built like the load harness's
// (BenchmarkNearLookupAlike).
func alikeText(r *rand.Rand) func() string {
	word := func(prefix string, n int) []string {
		w := make([]string, n)
		for i := range w {
			w[i] = fmt.Sprintf("%s%x", prefix, mix64(uint64(i))%1e6)
		}
		return w
	}
	people, subjects, places, orgs, filler := word("p", 30), word("s", 30), word("l", 30), word("o", 30), word("f", 300)
	tpl := []string{
		"%[1]s said on monday that %[2]s would be decided in %[3]s",
		"speaking in %[3]s %[1]s said the decision on %[2]s would be reviewed by %[4]s",
		"%[4]s said it had approved %[2]s after weeks of negotiations",
		"the move follows a meeting between %[1]s and representatives of %[4]s in %[3]s",
		"analysts expect %[4]s to respond before the end of %[5]d",
		"about %[5]d 000 people protested in %[3]s against %[2]s",
		"%[1]s told reporters that %[2]s was necessary to protect jobs",
	}
	text := func() string {
		who, what, where, org := people[r.IntN(30)], subjects[r.IntN(30)], places[r.IntN(30)], orgs[r.IntN(30)]
		var sb strings.Builder
		for words := 0; words < 120; words = len(strings.Fields(sb.String())) {
			for range 2 + r.IntN(3) {
				fmt.Fprintf(&sb, tpl[r.IntN(len(tpl))]+" ", who, what, where, org, 2+r.IntN(90))
			}
			for range 8 + r.IntN(16) {
				sb.WriteString(filler[r.IntN(len(filler))] + " ")
			}
		}
		return sb.String()
	}
	return text
}

// BenchmarkSketch measures sketching one story's text (words, shingles,
// SimHash, MinHash, body hash): 120 and 1,000 words of a news-sized
// vocabulary.
func BenchmarkSketch(b *testing.B) {
	d, _ := newDeduper(b, nil)
	r := rand.New(rand.NewPCG(4, 4))
	for _, n := range []int{120, 1000} {
		w := make([]string, n)
		for i := range w {
			w[i] = fmt.Sprintf("w%x", mix64(uint64(r.IntN(30_000)))%1e9)
		}
		text := strings.Join(w, " ")
		b.Run(fmt.Sprintf("words=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			cpu0 := cputime.Self()
			for b.Loop() {
				d.sketch(text)
			}
			b.ReportMetric((cputime.Self()-cpu0)*1e9/float64(b.N), "cpu-ns/op")
		})
	}
}
