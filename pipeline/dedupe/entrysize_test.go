package dedupe

import (
	"testing"

	"github.com/wirestream/wirestream/pipeline/state"
)

// No entry of the deduper's grows with what it remembers: every alias is
// an entry of its own (an 8-byte key, its story's 8-byte key), and a
// snapshot's largest entry of each table is the same at 500 stories as
// at 5,000. A state-log record holds at most 256 MiB (round 33's big33
// refuses a larger snapshot entry, round 34's state34 a larger append), so
// an entry that gathered a table would one day stop the log's compaction.
// (Round 33's "aliases gathered 15.8 MB" at 1.1M stories is the alias
// snapshot's sort buffer, snapshotAliases's run, not an entry.)
func TestNoDedupeEntryGrowsWithTheStoriesItRemembers(t *testing.T) {
	d, st := newDeduper(t, nil)
	g := newStreamGen(34)
	largest := func() map[state.Table]int {
		out := map[state.Table]int{}
		aliases := 0
		if err := d.Snapshot(func(e state.Entry) error {
			out[e.Table] = max(out[e.Table], len(e.Key)+len(e.Value))
			if e.Table == state.Aliases {
				aliases++
				if len(e.Key) != 8 || len(e.Value) != 8 {
					t.Fatalf("an alias entry of %d+%d bytes, want 8+8", len(e.Key), len(e.Value))
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if aliases == 0 || aliases != d.Count(state.Aliases) {
			t.Fatalf("%d alias entries for %d aliases, want one each", aliases, d.Count(state.Aliases))
		}
		return out
	}
	feedStream(t, d, st, g, 0, 500, t0)
	small := largest()
	feedStream(t, d, st, g, 500, 4_500, t0)
	large := largest()
	t.Logf("largest entries: %v at 500 stories, %v at 5,000", small, large)
	for _, tb := range d.Tables() {
		if large[tb] > small[tb] {
			t.Errorf("the largest %s entry grew from %d to %d bytes with 10× the stories", tb, small[tb], large[tb])
		}
	}
}
