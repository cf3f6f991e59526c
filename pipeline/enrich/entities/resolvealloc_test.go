package entities

import (
	"testing"

	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// Resolve orders a story's entities with a typed sort: sort.Slice's
// reflection-built swapper and escaping closure cost allocations at each
// of its two sorts (25 for this headline, 18 without). The order itself
// is pinned by the rest of the package's tests.
func TestResolveSortsWithoutReflection(t *testing.T) {
	if testing.Short() || raceOn {
		t.Skip("allocation count: the race detector's instrumentation moves values to the heap (20 here)")
	}
	x := newX(t)
	title := tokens.NewField("Keir Starmer meets Emmanuel Macron in Paris as Olaf Scholz calls Keir Starmer")
	body := tokens.NewField("")
	m := x.Recognize(title, body, "en")
	if got := x.Resolve(m); len(got) < 3 {
		t.Fatalf("%d entities (%v): the case sorts nothing", len(got), got)
	}
	base := testing.AllocsPerRun(50, func() { x.Resolve(m) })
	// The same work without the sort: one entity's mentions.
	one := x.Recognize(tokens.NewField("Keir Starmer"), body, "en")
	single := testing.AllocsPerRun(50, func() { x.Resolve(one) })
	t.Logf("Resolve: %.0f allocations with %d entities, %.0f with one", base, len(x.Resolve(m)), single)
	if base > 18 {
		t.Errorf("Resolve of a 4-entity headline allocates %.0f times, want at most 18", base)
	}
}
