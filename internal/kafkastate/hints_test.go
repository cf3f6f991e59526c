package kafkastate

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/kafkatable"
	"github.com/wirestream/wirestream/pipeline/state"
)

// emptyChangelog is a partition that holds nothing: Hints falls back to
// the file beside the local snapshot.
type emptyChangelog struct{}

func (emptyChangelog) Topic() string { return "t" }
func (emptyChangelog) Bounds(context.Context, int) (int64, int64, error) {
	return 0, 0, nil
}
func (emptyChangelog) RestoreWithin(context.Context, int, int64, int64, int64, func(kafkatable.Record) error) (int64, error) {
	return 0, nil
}
func (emptyChangelog) Close() error { return nil }

func TestSizeHintsOfAnEmptyChangelogLiveBesideTheLocalSnapshot(t *testing.T) {
	hint := []state.Entry{{Table: state.Stories, Key: []byte{}, Value: []byte{3, 0, 9, 3}}}
	l := &Log{t: emptyChangelog{}, path: filepath.Join(t.TempDir(), "topic-0.snap"), log: slog.New(slog.DiscardHandler), scanFirst: hintScanFirst}
	if got := l.Hints(context.Background()); got != nil {
		t.Fatalf("hints before any were saved: %v", got)
	}
	if err := l.SaveHints(hint); err != nil {
		t.Fatal(err)
	}
	got := l.Hints(context.Background())
	if len(got) != 1 || got[0].Table != state.Stories || len(got[0].Key) != 0 || string(got[0].Value) != string(hint[0].Value) {
		t.Fatalf("hints read back as %v, want %v", got, hint)
	}
	none := &Log{t: emptyChangelog{}, log: slog.New(slog.DiscardHandler), scanFirst: hintScanFirst} // no cache directory
	if err := none.SaveHints(hint); err != nil || none.Hints(context.Background()) != nil {
		t.Fatalf("a log without a cache directory or a restore kept hints (err %v)", err)
	}
}

// sizingOwner is a kvOwner with a size hint (its count), recording what a
// restore loads, in order.
type sizingOwner struct {
	*kvOwner
	order []string
}

func (o *sizingOwner) Load(e state.Entry) error {
	o.order = append(o.order, string(e.Key))
	if len(e.Key) == 0 {
		return nil
	}
	return o.kvOwner.Load(e)
}

func (o *sizingOwner) SizeHint() (state.Entry, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return state.Entry{Table: state.Stories, Key: []byte{}, Value: strconv.AppendInt(nil, int64(len(o.m)), 10)}, true
}

// openSizing opens partition 0 without a cache directory (a cold restore,
// as on a machine that never ran the partition) into a sizingOwner; the
// search for the hint starts with a window of scanFirst records.
func (f *fixture) openSizing(scanFirst int64) (*state.Store, *sizingOwner) {
	f.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	l, err := Open(ctx, f.cn, f.topic, 0, Options{Log: testLog(f.t)})
	if err != nil {
		f.t.Fatal(err)
	}
	l.scanFirst = scanFirst
	ow := &sizingOwner{kvOwner: &kvOwner{m: map[string]string{}}}
	st, err := state.Open(ctx, l, state.Options{}, ow)
	if err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(func() { st.Close() })
	return st, ow
}

func TestAColdRestoreReadsTheLatestSizeHintInTheChangelogFirst(t *testing.T) {
	f := newFixture(t, 1)
	// A changelog with no hint record yet: nothing to find, nothing lost.
	st, ow := f.openSizing(hintScanFirst)
	if len(ow.order) != 0 {
		t.Fatalf("an empty changelog loaded %q", ow.order)
	}
	for i := range 5 {
		ow.set(t, st, fmt.Sprintf("k%d", i), "v") // the second commit carries the first hint
	}
	if err := st.Close(); err != nil { // the last hint: 5 keys
		t.Fatal(err)
	}
	// Another writer appends after it, and an older hint record would say 1.
	l, _, _ := f.open(0, Options{})
	var kv []string
	for i := range 20 {
		kv = append(kv, fmt.Sprintf("later%02d", i), "x")
	}
	appendKV(t, l, state.Stories, kv...)
	l.Close()

	for _, scan := range []int64{hintScanFirst, 3} { // 3: the search widens its window four times
		t.Run(fmt.Sprintf("first window %d records", scan), func(t *testing.T) {
			_, ow := f.openSizing(scan)
			if len(ow.order) == 0 || ow.order[0] != "" {
				t.Fatalf("restore loaded %q; want the hint first", ow.order[:min(len(ow.order), 3)])
			}
			hint, _ := ow.SizeHint()
			if len(ow.m) != 25 {
				t.Fatalf("restored %d keys, want 25 (hint %s)", len(ow.m), hint.Value)
			}
			hints := 0
			for _, k := range ow.order {
				if k == "" {
					hints++
				}
			}
			if hints != 1 {
				t.Errorf("the owner got %d hints, want the latest only (hint records are the log's, not entries)", hints)
			}
		})
	}
	got := readHintRecord(t, f)
	if string(got) != "5" {
		t.Errorf("the changelog's latest hint says %q, want 5 (the count at close)", got)
	}
}

// readHintRecord returns the value of the latest hint record's only entry.
func readHintRecord(t *testing.T, f *fixture) []byte {
	t.Helper()
	l, _, _ := f.open(0, Options{})
	b, err := l.findHint(context.Background())
	if err != nil || b == nil {
		t.Fatalf("no hint record found (%v)", err)
	}
	es, err := state.DecodeHints(b)
	if err != nil || len(es) != 1 {
		t.Fatalf("hint record %x: %v, %v", b, es, err)
	}
	return es[0].Value
}

func TestADamagedHintRecordCostsNothingRestored(t *testing.T) {
	f := newFixture(t, 1)
	l, _, _ := f.open(0, Options{})
	appendKV(t, l, state.Stories, "a", "1")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := l.w.Write(ctx, kafkatable.Entry{Key: bytes.Clone(hintKey), Value: []byte("not hints")}); err != nil {
		t.Fatal(err)
	}
	appendKV(t, l, state.Stories, "b", "2")
	l.Close()
	_, ow := f.openSizing(hintScanFirst)
	if len(ow.m) != 2 || ow.m["a"] != "1" || ow.m["b"] != "2" {
		t.Fatalf("restored %v, want a=1 b=2", ow.m)
	}
	for _, k := range ow.order {
		if k == "" {
			t.Fatalf("a damaged hint reached the owner: loaded %q", ow.order)
		}
	}
}

// failingChangelog answers Bounds with err, or with the context's own
// error once it is done.
type failingChangelog struct {
	emptyChangelog
	err error
}

func (c failingChangelog) Bounds(ctx context.Context, _ int) (int64, int64, error) {
	if ctx.Err() != nil {
		return 0, 0, ctx.Err()
	}
	return 0, 0, c.err
}

// A restore given up because its caller stopped it (a standby joining
// ends the active's generation while it restores: an ordinary start of a
// pair) reads no hints and says nothing of it; a hint the broker failed
// to give is still a warning. Before, the first start of a processor pair
// logged "size hints not read … err: context canceled" at WARN.
func TestAHintSearchItsCallerStoppedIsNoWarning(t *testing.T) {
	for _, tc := range []struct {
		name     string
		err      error
		canceled bool
		wantWarn bool
	}{
		{name: "the caller stopped the restore", err: nil, canceled: true, wantWarn: false},
		{name: "the broker failed", err: fmt.Errorf("broker said no"), canceled: false, wantWarn: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var logged bytes.Buffer
			l := &Log{t: failingChangelog{err: tc.err}, log: slog.New(slog.NewTextHandler(&logged, nil)), scanFirst: hintScanFirst}
			ctx, cancel := context.WithCancel(context.Background())
			if tc.canceled {
				cancel()
			}
			defer cancel()
			if got := l.Hints(ctx); got != nil {
				t.Fatalf("hints from a failed search: %v", got)
			}
			if warned := bytes.Contains(logged.Bytes(), []byte("level=WARN")); warned != tc.wantWarn {
				t.Errorf("warned: %v, want %v; logged:\n%s", warned, tc.wantWarn, logged.String())
			}
		})
	}
}
