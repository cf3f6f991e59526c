package enrich

import (
	"testing"

	"github.com/wirestream/wirestream/pipeline/record"
)

// Changes gives no more entries than the corpus's and the surname map's
// bounds said before it, and gathers them in one slice of that size,
// never grown: over news streams through the default window and through
// the smallest (a prune every second story, terms dropped and learned
// again between two calls, the corpus rescaled and every term listed).
func TestChangesFillsOneSliceOfItsBound(t *testing.T) {
	for _, window := range []int{10, DefaultConfig().KeywordWindow} {
		cfg := DefaultConfig()
		cfg.KeywordWindow = window
		e, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		e.TrackChanges(true)
		batches := 0
		enrichNewsStream(e, 44, 1024, func([]*record.Story) {
			bound := e.keywords.ChangesBound() + e.entities.Aliases().ChangesBound() + 2
			got := e.Changes()
			if len(got) > bound || cap(got) != bound {
				t.Fatalf("window %d, batch %d: %d entries in a slice of capacity %d, bound %d", window, batches, len(got), cap(got), bound)
			}
			batches++
		})
	}
}
