package state

import (
	"context"
	"testing"
)

// trackingOwner is a rewindOwner that remembers whether the store asked it
// to record its changes.
type trackingOwner struct {
	rewindOwner
	tracking *bool
}

func (o trackingOwner) TrackChanges(on bool) { *o.tracking = on }

// A store in memory only keeps a copy of what was committed, so that a
// failed batch can be taken back, and asks the trackers for their
// changes to fill it; with NoMemoryRewind (`process`, which ends at its
// first failed batch) it keeps none, cannot rewind, and the trackers
// record nothing.
func TestAMemoryStoreWithoutMemoryRewindKeepsNoCopyAndRecordsNoChanges(t *testing.T) {
	for _, c := range []struct {
		name     string
		o        Options
		rewinds  bool
		tracking bool
	}{
		{"by default", Options{}, true, true},
		{"with NoMemoryRewind", Options{NoMemoryRewind: true}, false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			var tracking bool
			tr := trackingOwner{rewindOwner{trackerOwner{newMapOwner(Events)}}, &tracking}
			st, err := Open(context.Background(), nil, c.o, newMapOwner(Stories), tr)
			must(t, err)
			defer st.Close()
			tr.set(t, st, "event-1", "one story")
			if got := st.CanRewind(); got != c.rewinds {
				t.Errorf("CanRewind() = %v, want %v", got, c.rewinds)
			}
			if tracking != c.tracking {
				t.Errorf("the tracker records its changes: %v, want %v", tracking, c.tracking)
			}
			if kept := st.mem != nil && st.mem.at.len() > 0; kept != c.rewinds {
				t.Errorf("a copy of the committed entry kept: %v, want %v", kept, c.rewinds)
			}
		})
	}
}
