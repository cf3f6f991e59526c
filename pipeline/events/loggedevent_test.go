package events

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/testkit/statetest"
	"github.com/wirestream/wirestream/pipeline/state"
)

// playStep applies one step of the news stream to c and returns what it
// decided: the story's or duplicate's event, or the events an expiry closed.
func playStep(c *Clusterer, st step) string {
	switch {
	case st.s != nil:
		s := *st.s
		return c.Assign(&s)
	case st.d != nil:
		d := *st.d
		return c.AssignDuplicate(&d)
	}
	var ids []string
	for _, ev := range c.Expire(t0.Add(st.expire)) {
		ids = append(ids, ev.ID)
	}
	return strings.Join(ids, ",")
}

// centroidTermAt is where the j-th term of ev's centroid is written in
// an event entry's value v, -1 if it is not: the term's text, weight and
// entry number as encodeEvent writes them.
func centroidTermAt(v []byte, ev *event, j int, d *dict) int {
	item := state.AppendString(nil, d.term(ev.cent.ids[j]))
	item = state.AppendFloat(item, ev.cent.w[j])
	item = binary.AppendUvarint(item, ev.cent.seq[j])
	return bytes.Index(v, item)
}

// A batch's entry for an event writes its centroid's terms in the order
// the centroid keeps them, not sorted by text (the sort was a third of
// encoding the event, for every event every batch touched), and decodes
// to the event the snapshot's entry gives: the same bytes once encoded
// as the snapshot encodes it.
func TestALoggedEventIsTheSnapshotsEventWithItsTermsUnsorted(t *testing.T) {
	c := New(DefaultConfig(), nil)
	c.TrackChanges(true)
	steps := newsStream(300)
	for _, st := range steps {
		playStep(c, st)
	}
	delta := c.Changes()
	snap := snapshotByKey(t, c)
	unsorted := 0
	for _, e := range delta {
		if e.Key[0] != 'e' || e.Value == nil {
			continue
		}
		id := string(e.Key[1:])
		ev := c.events[id]
		if ev == nil {
			t.Fatalf("entry for %s, which is not live", id)
		}
		last := -1
		for j := range ev.cent.ids {
			at := centroidTermAt(e.Value, ev, j, c.terms)
			if at < 0 {
				t.Fatalf("event %s: centroid term %q not in its entry", id, c.terms.term(ev.cent.ids[j]))
			}
			if at < last {
				t.Fatalf("event %s: centroid term %d (%q) written before the one before it: the terms are not in the centroid's order", id, j, c.terms.term(ev.cent.ids[j]))
			}
			last = at
		}
		if !bytes.Equal(e.Value, snap[string(e.Key)]) {
			unsorted++ // the order differs from the snapshot's text order
		}
		if !bytes.Equal(asSnapshotWrites(t, e), snap[string(e.Key)]) {
			t.Fatalf("event %s: the logged entry decodes to another event than the snapshot's", id)
		}
	}
	if unsorted == 0 {
		t.Fatal("no logged event's terms came in another order than the snapshot's: the stream does not tell the orders apart")
	}
}

// A clusterer restored from the log the news stream wrote — every entry
// as the file log appends them, or the last of each key as a compacted
// changelog keeps them, a snapshot with the entries after it — is the
// live clusterer: the same snapshot, and the same decisions for the rest
// of the stream, on both configurations the pinned stream runs (merges,
// revisions, a quiet day's expiry; under the tight bounds halvings, cut
// postings, dropped centroid terms and capacity closes).
func TestARestoreFromTheLoggedEventsIsTheLiveClusterer(t *testing.T) {
	steps := newsStream(1200)
	for _, tc := range newsStreamConfigs() {
		for _, cut := range []int{150, 700, 1000} {
			live := New(tc.cfg, nil)
			live.TrackChanges(true)
			var all, afterSnap []state.Entry
			var snap []state.Entry
			for i, st := range steps[:cut] {
				playStep(live, st)
				if i%10 == 9 {
					es := live.Changes()
					all = append(all, es...)
					afterSnap = append(afterSnap, es...)
				}
				if i == cut/2 {
					es := live.Changes()
					all = append(all, es...)
					snap, afterSnap = snapshotOf(t, live), nil
				}
			}
			live.Expire(time.Time{}) // hand out what closed: the log holds no pending final state
			es := live.Changes()
			all, afterSnap = append(all, es...), append(afterSnap, es...)
			want := snapshotOf(t, live)
			logs := []struct {
				name    string
				entries []state.Entry
			}{
				{"every entry", all},
				{"compacted", compacted(all)},
				{"a snapshot and the entries after it", append(append([]state.Entry(nil), snap...), afterSnap...)},
			}
			restored := make([]*Clusterer, len(logs))
			for i, log := range logs {
				what := fmt.Sprintf("%s, %d steps, %s", tc.name, cut, log.name)
				restored[i] = restoredFrom(t, tc.cfg, log.entries)
				sameDocFreqs(t, what, restored[i], live)
				statetest.SameEntries(t, what+": snapshot", snapshotOf(t, restored[i]), want)
			}
			for i, st := range steps[cut:min(cut+150, len(steps))] {
				w := playStep(live, st)
				for j, got := range restored {
					if g := playStep(got, st); g != w {
						t.Fatalf("%s, %d steps, %s: step %d went to %q, the live clusterer's to %q", tc.name, cut, logs[j].name, cut+i, g, w)
					}
				}
			}
			for j, got := range restored {
				statetest.SameEntries(t, fmt.Sprintf("%s, %d steps, %s: snapshot after 150 more steps", tc.name, cut, logs[j].name), snapshotOf(t, got), snapshotOf(t, live))
			}
		}
	}
}

// The state log that round 44's clusterer (main adbb7b5f, each event's
// centroid sorted by text in every entry) wrote for the first 200 steps
// of the news stream under the tight bounds, compacted: written once
// by that version (WRITE_ROUND44_LOG=1) and kept as it was.
const round44Log = "testdata/news_stream_tight_round44.log"

func TestWriteRound44Log(t *testing.T) {
	if os.Getenv("WRITE_ROUND44_LOG") == "" {
		t.Skip("writes the fixture only when asked")
	}
	cfg := newsStreamConfigs()[1].cfg
	c := New(cfg, nil)
	c.TrackChanges(true)
	var all []state.Entry
	for i, st := range newsStream(1200)[:200] {
		playStep(c, st)
		if i%10 == 9 {
			all = append(all, c.Changes()...)
		}
	}
	writeLogFile(t, round44Log, compacted(all))
}

// A log written before the centroid's terms went unsorted restores to
// the clusterer that wrote it, and one that goes on from it with today's
// entries restores to a clusterer that never stopped.
func TestARound44LogRestoresAndGoesOn(t *testing.T) {
	cfg := newsStreamConfigs()[1].cfg
	steps := newsStream(1200)
	old := readLogFile(t, round44Log)
	live := New(cfg, nil)
	live.TrackChanges(true)
	for i, st := range steps[:200] {
		playStep(live, st)
		if i%10 == 9 {
			live.Changes()
		}
	}
	live.Expire(time.Time{}) // hand out what closed: the log holds no pending final state
	upgraded := restoredFrom(t, cfg, old)
	sameDocFreqs(t, "round 44's log", upgraded, live)
	statetest.SameEntries(t, "round 44's log", snapshotOf(t, upgraded), snapshotOf(t, live))

	after := append([]state.Entry(nil), old...)
	for i, st := range steps[200:700] {
		if g, w := playStep(upgraded, st), playStep(live, st); g != w {
			t.Fatalf("after the upgrade, step %d went to %q, the live clusterer's to %q", 200+i, g, w)
		}
		if i%10 == 9 {
			after = append(after, upgraded.Changes()...)
			live.Changes()
		}
	}
	after = append(after, upgraded.Changes()...)
	live.Changes()
	for name, log := range map[string][]state.Entry{"every entry": after, "compacted": compacted(after)} {
		got := restoredFrom(t, cfg, log)
		sameDocFreqs(t, "after the upgrade, "+name, got, live)
		statetest.SameEntries(t, "after the upgrade, "+name, snapshotOf(t, got), snapshotOf(t, live))
	}
}
