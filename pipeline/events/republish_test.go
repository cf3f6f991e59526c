package events

import (
	"fmt"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// Republish answers the records of failed writes from a memory that kept
// what their batches decided: the state now of an event it holds, an end
// it handed out again as it was, and nothing where the id went on past.
func TestRepublishAnswersFromMemoryThatKeptTheFailedDecisions(t *testing.T) {
	ecb := func(id string, at time.Duration) *record.Story {
		s := story(id, "herald", at, "ECB holds rates as inflation eases", "The European Central Bank kept its deposit rate.", "organization:ecb")
		s.Published = t0.Add(at)
		return s
	}
	t.Run("an event memory holds is published in its state now, at a new revision", func(t *testing.T) {
		c := New(DefaultConfig(), nil)
		id := c.Assign(ecb("s_a", 0))
		refused := c.Current(id)
		out := c.Republish([]*record.Event{refused})
		if len(out) != 1 || out[0].ID != id || out[0].Expired || out[0].Revision != refused.Revision+1 {
			t.Fatalf("Republish = %+v, want %s live at revision %d", out, id, refused.Revision+1)
		}
	})
	t.Run("an event memory closed is closed again by the same record", func(t *testing.T) {
		c := New(DefaultConfig(), nil)
		id := c.Assign(ecb("s_a", 0))
		c.Current(id)
		closed := c.Expire(t0.Add(DefaultConfig().Expiry + time.Hour))
		if len(closed) != 1 || closed[0].ID != id {
			t.Fatalf("Expire = %+v, want %s's close", closed, id)
		}
		out := c.Republish(closed)
		if len(out) != 1 || out[0] == closed[0] || fmt.Sprintf("%+v", *out[0]) != fmt.Sprintf("%+v", *closed[0]) {
			t.Fatalf("Republish = %+v, want a copy of %+v", out, closed[0])
		}
		stale := *closed[0]
		stale.Expired = false // a live record of the id, superseded by its close
		if out := c.Republish([]*record.Event{&stale}); len(out) != 0 {
			t.Errorf("Republish of a live record of a closed event = %+v, want nothing", out)
		}
		lower := *closed[0]
		lower.Revision-- // the id closed higher since
		if out := c.Republish([]*record.Event{&lower}); len(out) != 0 {
			t.Errorf("Republish of an end below the id's floor = %+v, want nothing", out)
		}
	})
}
