package events

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/cespare/xxhash/v2"

	"github.com/wirestream/wirestream/internal/testkit/statetest"
	"github.com/wirestream/wirestream/pipeline/state"
)

// playStream hands c the steps, and batch the entries of every ten with
// the index of the step that ends them.
func playStream(c *Clusterer, steps []step, batch func(int, []state.Entry)) {
	for i, st := range steps {
		playStep(c, st)
		if i%10 == 9 || i == len(steps)-1 {
			batch(i, c.Changes())
		}
	}
}

func playStep(c *Clusterer, st step) {
	switch {
	case st.s != nil:
		c.Assign(st.s)
	case st.d != nil:
		c.AssignDuplicate(st.d)
	default:
		c.Expire(t0.Add(st.expire))
	}
}

// shuffled is a compacted log in another order: a restore must not
// depend on an event's image coming before its delta.
func shuffled(entries []state.Entry, r *rand.Rand) []state.Entry {
	out := slices.Clone(entries)
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

func countKind(entries []state.Entry, kind byte) (n, size int) {
	for _, e := range entries {
		if e.Key[0] == kind && e.Value != nil {
			n++
			size += len(e.Key) + len(e.Value)
		}
	}
	return n, size
}

// A restore from a log of delta entries holds exactly the live state —
// every entry appended, the last of each key (a compacted changelog), a
// compaction part done, the compacted entries in any order — over the
// pinned news stream (merges, revisions, republications, a quiet day's
// expiry, and under the tight bounds halvings, dropped centroid terms
// and events closed for capacity), checked every five batches by the
// snapshot's bytes against a twin fed the same stream (a snapshot of the
// writer itself would make its next entries whole).
func TestARestoreFromDeltasIsTheLiveState(t *testing.T) {
	for _, tc := range newsStreamConfigs() {
		t.Run(tc.name, func(t *testing.T) {
			c, twin := New(tc.cfg, nil), New(tc.cfg, nil)
			c.TrackChanges(true)
			twin.TrackChanges(true)
			twinSteps := newsStream(600)
			r := rand.New(rand.NewPCG(43, 7))
			var all []state.Entry
			batches, done := 0, 0
			playStream(c, newsStream(600), func(i int, es []state.Entry) {
				all = append(all, es...)
				batches++
				for ; done <= i; done++ { // the twin up to the same step
					playStep(twin, twinSteps[done])
				}
				twin.Changes()
				if batches%5 != 0 && done < len(twinSteps) {
					return
				}
				want := snapshotOf(t, twin)
				for _, lc := range []struct {
					name string
					log  []state.Entry
				}{
					{"every entry", all},
					{"compacted", compacted(all)},
					{"partly compacted", partlyCompacted(all, r)},
					{"compacted, shuffled", shuffled(compacted(all), r)},
				} {
					got := restoredFrom(t, tc.cfg, lc.log)
					statetest.SameEntries(t, fmt.Sprintf("batch %d, %s: snapshot", batches, lc.name), snapshotOf(t, got), want)
				}
			})
			deltas, _ := countKind(all, 'E')
			whole, _ := countKind(all, 'e')
			if deltas < 100 {
				t.Errorf("%d delta entries beside %d whole images: the stream hardly exercises deltas", deltas, whole)
			}
		})
	}
}

// A state log the clusterer wrote before delta entries (main at
// cd37b9fe: 200 stories of the tight news stream, compacted) restores
// to exactly its own images, and a clusterer restored from it goes on
// writing deltas against those images: the old log and the new entries
// after it restore to the live state.
func TestAnOldLogRestoresAndTakesDeltas(t *testing.T) {
	cfg := newsStreamConfigs()[1].cfg
	old := readLogFile(t, "testdata/news_stream_tight_cd37b9fe.log")
	c := restoredFrom(t, cfg, old)
	// its events and stories as the log holds them (its counts are aged
	// to the clock's halving epoch: halving_test.go)
	eventsOf := func(es []state.Entry) []state.Entry {
		es = slices.DeleteFunc(slices.Clone(es), func(e state.Entry) bool { return e.Key[0] != 'e' && e.Key[0] != 's' })
		slices.SortFunc(es, func(a, b state.Entry) int { return bytes.Compare(a.Key, b.Key) })
		return es
	}
	statetest.SameEntries(t, "the old log restored", eventsOf(snapshotOf(t, c)), eventsOf(old))

	// the live one goes on from a restore of its own (c's snapshot above
	// made its next entries whole)
	live := restoredFrom(t, cfg, old)
	var after []state.Entry
	playStream(live, newsStream(600)[200:], func(_ int, es []state.Entry) { after = append(after, es...) })
	if n, _ := countKind(after, 'E'); n == 0 {
		t.Fatal("no delta entry after the old log")
	}
	full := append(slices.Clone(old), after...)
	want := snapshotOf(t, live)
	for name, log := range map[string][]state.Entry{"every entry": full, "compacted": compacted(full)} {
		statetest.SameEntries(t, "the old log and the deltas after it, "+name, snapshotOf(t, restoredFrom(t, cfg, log)), want)
	}
}

// A delta written against an image the log no longer holds — the event's
// image was written anew after a snapshot, and the compacted log keeps
// the older delta before it — is stale, and left out whichever comes
// first: the restore holds the newer image.
func TestAStaleDeltaIsLeftOut(t *testing.T) {
	cfg := DefaultConfig()
	c := New(cfg, nil)
	c.TrackChanges(true)
	id := c.Assign(story("s1", "herald", 0, "ECB holds rates as inflation eases", "The European Central Bank kept its deposit rate.", "organization:ecb"))
	var all []state.Entry
	all = append(all, c.Changes()...)
	c.Current(id) // a revision handed out: the event's fixed fields change
	all = append(all, c.Changes()...)
	if n, _ := countKind(all, 'E'); n != 1 {
		t.Fatalf("%d delta entries after a revision, want 1", n)
	}
	snapshotOf(t, c) // the writer forgets its bases
	c.Current(id)
	es := c.Changes()
	if n, _ := countKind(es, 'E'); n != 0 {
		t.Fatalf("a delta right after a snapshot")
	}
	all = append(all, es...)
	want := snapshotOf(t, c)
	backward := compacted(all)
	slices.Reverse(backward)
	for _, log := range [][]state.Entry{compacted(all), backward} {
		statetest.SameEntries(t, "a stale delta beside a newer image", snapshotOf(t, restoredFrom(t, cfg, log)), want)
	}
}

// A delta cut into items copies what did not change: a revision handed
// out writes the fixed fields and copies the rest, and over the news
// stream the deltas are under half the images they stand for (foldRatio).
func TestADeltaCopiesWhatDidNotChange(t *testing.T) {
	c := New(DefaultConfig(), nil)
	c.TrackChanges(true)
	var deltaBytes, imageBytes int
	var last state.Entry
	playStream(c, newsStream(1200), func(_ int, es []state.Entry) {
		for _, e := range es {
			if e.Key[0] == 'E' && e.Value != nil {
				d, err := readDelta(e.Value)
				if err != nil {
					t.Fatal(err)
				}
				deltaBytes, imageBytes = deltaBytes+len(e.Value), imageBytes+d.size
			}
			if e.Key[0] == 'e' && e.Value != nil {
				last = e
			}
		}
	})
	if imageBytes == 0 || deltaBytes*foldRatio > imageBytes {
		t.Errorf("deltas of %d B for images of %d B", deltaBytes, imageBytes)
	}
	id := string(last.Key[1:])
	c.Changes()
	c.Current(id)
	for _, e := range c.Changes() {
		if e.Key[0] == 'E' && len(e.Value) > 150 {
			t.Errorf("a revision's delta is %d B of an image of %d", len(e.Value), len(last.Value))
		}
	}
}

// The diff copies the runs an image shares with its base whatever moved
// between them: an item inserted, dropped, changed, a ring shifted.
func TestADeltaRebuildsItsImage(t *testing.T) {
	items := func(s string) ([]byte, []int32) {
		var img []byte
		var marks []int32
		for _, w := range strings.Fields(s) {
			img = append(img, w...)
			marks = append(marks, int32(len(img)))
		}
		return img, marks
	}
	for _, tc := range []struct{ base, img string }{
		{"a b c d", "a b c d"},
		{"a b c d", "a x b c d"},
		{"a b c d", "a c d"},
		{"a b c d", "a B c d"},
		{"m1 m2 m3 m4 m5", "m2 m3 m4 m5 m6"},
		{"h a b c d e f g h i j k", "H a b2 c d e f g h i j k l"},
		{"", "a b"},
		{"a b", ""},
		{"a a a a", "a a b a"},
	} {
		bi, bm := items(tc.base)
		ci, cm := items(tc.img)
		base := &logBase{img: bi, marks: bm}
		base.hash = xxhash.Sum64(bi)
		v := appendDelta(nil, base, ci, cm)
		d, err := readDelta(v)
		if err != nil {
			t.Fatalf("%q → %q: %v", tc.base, tc.img, err)
		}
		got, err := d.apply(bi, bm)
		if err != nil || !bytes.Equal(got, ci) {
			t.Errorf("%q → %q: applied %q, %v", tc.base, tc.img, got, err)
		}
	}
}
