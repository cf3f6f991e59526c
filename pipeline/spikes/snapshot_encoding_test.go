package spikes

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/wirestream/wirestream/internal/cputime"
	"github.com/wirestream/wirestream/internal/testkit/statetest"
	"github.com/wirestream/wirestream/pipeline/state"
)

// oldSnapshot is Snapshot as it was before its entries shared arrays and
// its terms were sorted by textorder (main 0addd7f), in one hold of the
// lock: the encoding the new one must reproduce byte for byte.
func oldSnapshot(d *Detector) []state.Entry {
	d.mu.Lock()
	defer d.mu.Unlock()
	var es []state.Entry
	put := func(key, value []byte) {
		es = append(es, state.Entry{Table: state.Spikes, Key: key, Value: value})
	}
	// since round 35, with the record of the text search's words (watchsince.go)
	for _, k := range slices.Sorted(slices.Values(append(slices.Collect(maps.Keys(baselineMap(&d.terms))), d.textRecordKeys()...))) {
		if v := d.encodeTerm(k); v != nil {
			put(append([]byte{'t'}, k...), v)
		}
	}
	for _, bucket := range slices.Sorted(maps.Keys(d.open)) {
		ob := d.open[bucket]
		for _, k := range slices.Sorted(maps.Keys(maps.Collect(ob.counts.all()))) {
			put(bucketKey('b', bucket, k), encodeCount(ob, ob.counts.get(k)))
		}
		var list []byte
		for _, k := range d.log.openObs[bucket] {
			list = binary.LittleEndian.AppendUint64(list, k)
		}
		put(bucketKey('l', bucket, ""), list)
	}
	put([]byte{'a'}, binary.AppendUvarint(nil, d.seq))
	put([]byte{'g'}, d.encodeGlobal())
	seen := make([][2]int64, 0, len(d.seen))
	for k, b := range d.seen {
		seen = append(seen, [2]int64{int64(k), b})
	}
	slices.SortFunc(seen, func(a, b [2]int64) int { return cmp.Compare(uint64(a[0]), uint64(b[0])) })
	for _, s := range seen {
		put(key8('k', uint64(s[0])), binary.AppendVarint(nil, s[1]))
	}
	return es
}

// busy is a detector that has counted a few hours of stories naming
// thousands of terms — entities whose keys share their first eight bytes
// ("person:a…"), keywords of every length — with a bucket still open.
func busy(t testing.TB, stories int) *feed {
	t.Helper()
	f := newFeed(DefaultConfig())
	f.d.TrackChanges(true)
	r := rand.New(rand.NewPCG(5, 6))
	term := func() string {
		n := int(1 / (r.Float64() + 1e-4)) // Zipf-like: a few terms often
		if r.IntN(2) == 0 {
			n = r.IntN(20_000) // and many once
		}
		switch r.IntN(3) {
		case 0:
			return fmt.Sprintf("person:a%d", n)
		case 1:
			return fmt.Sprintf("org:%x", n*7919)
		}
		return fmt.Sprintf("w%d", n)
	}
	for i := range stories {
		terms := make([]string, 1+r.IntN(6))
		for j := range terms {
			terms[j] = term()
		}
		f.observe(wirePubs[r.IntN(len(wirePubs))], terms...)
		if i%500 == 499 && i < stories-300 {
			f.tick()
		}
	}
	f.d.Changes()
	return f
}

// The snapshot is the old encoding's entries, byte for byte (each copied
// as emit hands it out: the detector writes its arrays again once emit
// returns, state.Owner.Snapshot), in the detector's own order rather than
// the old one's key order (round 44); a detector restored from the old
// encoding snapshots to the same entries again, and one restored from the
// new snapshots to it in the same order: the rows and counts are added
// back in the file's order, so the file is a function of the state's
// history, restores included.
func TestSnapshotIsTheOldEncodingAndRestores(t *testing.T) {
	f := busy(t, 6000)
	want := oldSnapshot(f.d)
	var got []state.Entry
	if err := f.d.Snapshot(func(e state.Entry) error {
		got = append(got, cloneEntry(e))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	var kinds [256]int
	for _, e := range want {
		kinds[e.Key[0]]++
	}
	if kinds['t'] < 2000 || kinds['b'] < 100 || kinds['k'] < 1000 {
		t.Fatalf("too little state to test: %d terms, %d open counts, %d stories", kinds['t'], kinds['b'], kinds['k'])
	}
	statetest.SameEntrySet(t, "the snapshot against the old encoding", got, want)
	d := restoreFromLog(t, DefaultConfig(), want)
	var again []state.Entry
	if err := d.Snapshot(func(e state.Entry) error { again = append(again, cloneEntry(e)); return nil }); err != nil {
		t.Fatal(err)
	}
	statetest.SameEntrySet(t, "a detector restored from the old encoding, snapshotted", again, want)
	d = restoreFromLog(t, DefaultConfig(), got)
	again = again[:0]
	if err := d.Snapshot(func(e state.Entry) error { again = append(again, cloneEntry(e)); return nil }); err != nil {
		t.Fatal(err)
	}
	statetest.SameEntries(t, "a detector restored from its snapshot, snapshotted", again, got)
}

// BenchmarkSnapshotBusy is the detector's part of the state snapshot after
// hours of buckets: baselines of thousands of terms, counted stories, a
// bucket open. It reports CPU time, which a shared box moves less than
// wall time.
func BenchmarkSnapshotBusy(b *testing.B) {
	f := busy(b, 30000)
	b.ReportAllocs()
	cpu0 := cputime.Self() // on a shared box CPU time moves less than wall time
	for b.Loop() {
		if err := f.d.Snapshot(func(state.Entry) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((cputime.Self()-cpu0)*1e9/float64(b.N), "cpu-ns/op")
}
