package kafkastate

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/state"
)

// openStore opens partition 0 with o and restores it into a kvOwner
// through a state.Store, as the processor does.
func (f *fixture) openStore(o Options) (*state.Store, *kvOwner) {
	f.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	o.Log = testLog(f.t)
	l, err := Open(ctx, f.cn, f.topic, 0, o)
	if err != nil {
		f.t.Fatal(err)
	}
	ow := &kvOwner{m: map[string]string{}}
	st, err := state.Open(ctx, l, state.Options{}, ow)
	if err != nil {
		f.t.Fatal(err)
	}
	return st, ow
}

// fill appends n updates of 50 keys, with values of about 100 bytes,
// through a log that keeps no cache.
func (f *fixture) fill(n int) {
	f.t.Helper()
	l, _, _ := f.open(0, Options{})
	var kv []string
	for i := range n {
		kv = append(kv, fmt.Sprintf("k%03d", i%50), fmt.Sprintf("v%d-%s", i, strings.Repeat("x", 100)))
	}
	appendKV(f.t, l, state.Stories, kv...)
	l.Close()
}

func TestAColdRestoreOfALongChangelogIsSnapshottedAtOnce(t *testing.T) {
	for _, tc := range []struct {
		name     string
		updates  int
		snapshot bool
	}{
		{"a changelog longer than CacheMinBytes is snapshotted right after the restore", 400, true},
		{"a short changelog is not worth a snapshot", 10, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, 1)
			f.fill(tc.updates)
			dir := t.TempDir()
			o := Options{CacheDir: dir, NoSync: true, CacheMinBytes: 8 << 10}
			st, ow := f.openStore(o)
			st.WaitCompaction()
			if ow.loaded != tc.updates {
				t.Fatalf("the cold restore loaded %d entries, want %d", ow.loaded, tc.updates)
			}
			path := fmt.Sprintf("%s/%s-0.snap", dir, f.topic)
			_, err := os.Stat(path)
			if got := err == nil; got != tc.snapshot {
				t.Fatalf("snapshot written after the restore, before any append: %v, want %v (%v)", got, tc.snapshot, err)
			}
			// A crash now (no Close, so no snapshot at close): the successor
			// restores from the snapshot if there is one.
			st2, ow2 := f.openStore(o)
			defer st2.Close()
			last := fmt.Sprintf("k%03d", (tc.updates-1)%50)
			if len(ow2.m) != min(tc.updates, 50) || !strings.HasPrefix(ow2.m[last], fmt.Sprintf("v%d-", tc.updates-1)) {
				t.Fatalf("the successor restored %d keys, %s=%.10q", len(ow2.m), last, ow2.m[last])
			}
			if tc.snapshot && ow2.loaded > 60 {
				t.Errorf("the successor read %d entries: the snapshot of 50 keys was not used", ow2.loaded)
			}
			st.Close()
		})
	}
}

// countingChangelog counts the broker's offset requests a Log makes.
type countingChangelog struct {
	changelog
	bounds atomic.Int32
}

func (c *countingChangelog) Bounds(ctx context.Context, p int) (int64, int64, error) {
	c.bounds.Add(1)
	return c.changelog.Bounds(ctx, p)
}

func TestAWarmRestoreAsksForThePartitionsOffsetsOnce(t *testing.T) {
	f := newFixture(t, 1)
	dir := t.TempDir()
	o := Options{CacheDir: dir, NoSync: true, CacheMinBytes: 1}
	st, ow := f.openStore(o)
	for i := range 100 {
		ow.set(t, st, fmt.Sprintf("k%03d", i%50), fmt.Sprintf("v%d", i))
	}
	if err := st.Close(); err != nil { // writes the snapshot
		t.Fatal(err)
	}
	l2, _, _ := f.open(0, Options{}) // a tail after the snapshot
	appendKV(t, l2, state.Stories, "k000", "tail")
	l2.Close()

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	o.Log = testLog(t)
	l, err := Open(ctx, f.cn, f.topic, 0, o)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	c := &countingChangelog{changelog: l.t}
	l.t = c
	m := map[string]string{}
	n := 0
	err = l.Restore(ctx, func(e state.Entry) error {
		n++
		m[string(e.Key)] = string(e.Value)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(m) != 50 || m["k000"] != "tail" || n > 51 {
		t.Fatalf("restored %d keys from %d entries, k000=%q: want 50 from the snapshot and the tail", len(m), n, m["k000"])
	}
	if got := c.bounds.Load(); got != 1 {
		t.Errorf("the restore asked for the partition's offsets %d times, want once", got)
	}
}
