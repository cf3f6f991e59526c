package spikes

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/cespare/xxhash/v2"
)

// missCost is, over keys the table does not hold, the mean cells a miss
// probes and the mean row keys it reads (an equal tag).
func missCost(tb *baselines, misses []string) (cells, reads float64) {
	mask := len(tb.index) - 1
	tagMask := ^uint32(1<<tb.rowBits - 1)
	for _, k := range misses {
		h := xxhash.Sum64String(k)
		tag := tb.tagOf(h)
		for i := int(h) & mask; ; i = (i + 1) & mask {
			cells++
			c := tb.index[i]
			if c == 0 {
				break
			}
			if c&tagMask == tag {
				reads++
			}
		}
	}
	return cells / float64(len(misses)), reads / float64(len(misses))
}

// The baselines' index at 7/8 with removes (a run shifted back, no
// tombstone) and evictions, churned far past its size: a miss probes as
// many cells as in a table filled once to the same rows, and still reads
// almost no row's key — the tags stay right through growths and
// reindexes, and churn does not lengthen the runs.
func TestAMissInAChurnedSevenEighthsIndexStaysAsShortAsInAFreshOne(t *testing.T) {
	const cells = 1 << 12
	const rows = cells * 7 / 8 // the fullest the index gets before it doubles
	rng := rand.New(rand.NewPCG(39, 1))
	tb := newBaselines()
	held := map[string]bool{}
	next := 0
	add := func() {
		k := fmt.Sprintf("term-%08d", next)
		next++
		tb.put(&termState{key: k, name: k, mean: rng.Float64()})
		held[k] = true
	}
	for len(held) < rows {
		add()
	}
	if len(tb.index) != cells {
		t.Fatalf("%d cells for %d rows, want %d", len(tb.index), rows, cells)
	}
	for step := range 12 * rows { // churn: each key removed and another added
		if step%(4*rows) == 4*rows-1 {
			cut := 0.1
			tb.dropWhere(func(n int) bool { return tb.rows[n].mean < cut })
			clear(held)
			for n := range tb.rows {
				held[tb.key(n)] = true
			}
		}
		for k := range held {
			tb.remove(k)
			delete(held, k)
			break
		}
		for len(held) < rows {
			add()
		}
	}
	if len(tb.index) != cells || tb.len() != rows {
		t.Fatalf("%d cells, %d rows after the churn", len(tb.index), tb.len())
	}
	misses := make([]string, 20000)
	for i := range misses {
		misses[i] = fmt.Sprintf("absent-%d", i)
	}
	churnCells, churnReads := missCost(&tb, misses)
	fresh := newBaselines()
	for n := range tb.rows {
		k := tb.key(n)
		fresh.put(&termState{key: k, name: k})
	}
	freshCells, freshReads := missCost(&fresh, misses)
	t.Logf("a miss at %d/%d: churned %.1f cells %.4f key reads, fresh %.1f cells %.4f key reads", rows, cells, churnCells, churnReads, freshCells, freshReads)
	if churnCells > 1.2*freshCells {
		t.Errorf("a miss probes %.1f cells after churn, %.1f in a fresh table", churnCells, freshCells)
	}
	if churnReads > 0.05 {
		t.Errorf("a miss reads %.3f row keys after churn: tags wrong", churnReads)
	}
	for k := range held {
		if !tb.has(k) {
			t.Fatalf("%q held and not found", k)
		}
	}
}
