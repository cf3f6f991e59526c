package events

import (
	"fmt"
	"maps"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// A floor restored from the log is the id's revision on the sink: what
// the clusterer publishes of the id after the restore — the state of an
// event that holds it, an end published again — never goes below it or
// repeats it, and an end the log's floor is of is published again, not
// skipped.
func TestARestoredFloorKeepsTheIDsRevisionsRising(t *testing.T) {
	ecb := func(id string, at time.Duration) *record.Story {
		s := story(id, "herald", at, "ECB holds rates as inflation eases", "The European Central Bank kept its deposit rate.", "organization:ecb")
		s.Published = t0.Add(at)
		return s
	}
	expiry := DefaultConfig().Expiry
	// open leaves the log holding id's event at its first revision, and
	// closed its end: the floor at the end's revision, no event.
	type run struct {
		open, closed changelog
		id           string
		end          *record.Event
	}
	start := func(t *testing.T) run {
		log := changelog{}
		c := New(DefaultConfig(), nil)
		c.TrackChanges(true)
		id := c.Assign(ecb("s_a", 0))
		c.Current(id)
		log.take(c)
		open := maps.Clone(log)
		ends := c.Expire(t0.Add(expiry + time.Hour))
		if len(ends) != 1 || ends[0].ID != id {
			t.Fatalf("Expire = %+v, want %s's end", ends, id)
		}
		log.take(c)
		if _, ok := log["r"+id]; !ok {
			t.Fatalf("the log holds no floor for %s after its end", id)
		}
		return run{open: open, closed: log, id: id, end: ends[0]}
	}

	t.Run("an end published again after a restore", func(t *testing.T) {
		r := start(t)
		c := r.closed.restore(t)
		out := c.Republish([]*record.Event{r.end})
		if len(out) != 1 || fmt.Sprintf("%+v", *out[0]) != fmt.Sprintf("%+v", *r.end) {
			t.Fatalf("Republish of the end the restored floor is of = %+v, want it again as it was", out)
		}
		lower := *r.end
		lower.Revision--
		if out := c.Republish([]*record.Event{&lower}); len(out) != 0 {
			t.Fatalf("Republish of an end below the restored floor = %+v, want nothing", out)
		}
	})

	t.Run("an id founded again after a restore", func(t *testing.T) {
		r := start(t)
		c := r.closed.restore(t)
		id := c.Assign(ecb("s_a", 3*expiry))
		if id != r.id {
			t.Fatalf("founded %s, want %s again", id, r.id)
		}
		if got := c.Current(id).Revision; got <= r.end.Revision {
			t.Fatalf("%s founded again at revision %d, not above its end's %d", id, got, r.end.Revision)
		}
	})

	// A commit the Kafka changelog kept in part (its produce batches are
	// acknowledged one by one) may hold the close's floor but not the
	// event's tombstone: the restore holds the event below its floor.
	t.Run("an event restored beside its own floor, from a close kept in part", func(t *testing.T) {
		r := start(t)
		partial := maps.Clone(r.open)
		partial["r"+r.id] = r.closed["r"+r.id]
		c := partial.restore(t)
		if id := c.Assign(ecb("s_b", time.Minute)); id != r.id {
			t.Fatalf("s_b joined %s, want %s", id, r.id)
		}
		if got := c.Current(r.id).Revision; got <= r.end.Revision {
			t.Fatalf("%s published at revision %d after the restore, not above the floor's %d: a record-id the sink holds with other content", r.id, got, r.end.Revision)
		}
		refused := &record.Event{ID: r.id, Revision: 1}
		if out := c.Republish([]*record.Event{refused}); len(out) != 1 || out[0].Revision <= r.end.Revision {
			t.Fatalf("Republish after the restore = %+v, want %s above revision %d", out, r.id, r.end.Revision)
		}
	})
}
