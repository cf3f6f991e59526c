package state

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"
)

// gatedLog is a FileLog whose first Append waits for gate; it records the
// entries of each Append and fails them all once fail is set.
type gatedLog struct {
	*FileLog
	gate    chan struct{}
	mu      sync.Mutex
	appends [][]string
	fail    error
}

func (l *gatedLog) Append(ctx context.Context, es []Entry) error {
	l.mu.Lock()
	first := len(l.appends) == 0
	var keys []string
	for _, e := range es {
		keys = append(keys, string(e.Key))
	}
	l.appends = append(l.appends, keys)
	fail := l.fail
	l.mu.Unlock()
	if first {
		<-l.gate
	}
	if fail != nil {
		return fail
	}
	return l.FileLog.Append(ctx, es)
}

// commitWhileFirstAppends commits key "a" and, while its append waits,
// the keys of later (each with value "v"+key) as
// commitEntriesWhileFirstAppends does, returning each commit's error by key.
func commitWhileFirstAppends(t *testing.T, st *Store, o *mapOwner, l *gatedLog, later ...string) map[string]error {
	t.Helper()
	es := make([]Entry, len(later))
	for i, k := range later {
		es[i] = Entry{Table: Stories, Key: []byte(k), Value: []byte("v" + k)}
	}
	return commitEntriesWhileFirstAppends(t, st, o, l, es)
}

// waitFor polls cond, failing the test after a bound (no timing is asserted).
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached within 10 s")
		}
	}
}

func TestCommitsQueuedDuringAnAppendShareTheNextOneInArrivalOrder(t *testing.T) {
	dir := t.TempDir()
	st, o, fl := openFileStore(t, dir, testConfig())
	l := &gatedLog{FileLog: fl, gate: make(chan struct{})}
	st.log = l
	errs := commitWhileFirstAppends(t, st, o, l, "b", "c")
	for k, err := range errs {
		if err != nil {
			t.Errorf("commit %s: %v", k, err)
		}
	}
	if got := fmt.Sprint(l.appends); got != "[[a] [b c]]" {
		t.Fatalf("appends %s, want [[a] [b c]]: the commits that queued while the first appended share one append, in arrival order", got)
	}
	if m := o.snapshotMap(); len(m) != 3 {
		t.Fatalf("memory holds %v after the commits, want a, b and c", m)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	st2, o2, _ := openFileStore(t, dir, testConfig())
	defer st2.Close()
	if got := slices.Sorted(func(yield func(string) bool) {
		for k := range o2.snapshotMap() {
			if !yield(k) {
				return
			}
		}
	}); fmt.Sprint(got) != "[a b c]" {
		t.Fatalf("restored %v, want [a b c]", got)
	}
}

func TestAFailedGroupAppendFailsEveryCommitInItAndAppliesNone(t *testing.T) {
	st, o, fl := openFileStore(t, t.TempDir(), testConfig())
	defer st.Close()
	disk := errors.New("disk full")
	l := &gatedLog{FileLog: fl, gate: make(chan struct{}), fail: disk}
	st.log = l
	errs := commitWhileFirstAppends(t, st, o, l, "b", "c")
	for _, k := range []string{"a", "b", "c"} {
		if !errors.Is(errs[k], disk) {
			t.Errorf("commit %s returned %v, want the append's error", k, errs[k])
		}
	}
	if m := o.snapshotMap(); len(m) != 0 {
		t.Fatalf("memory holds %v after failed appends, want nothing applied", m)
	}
}

// Many commits at once, as the feed loops save: each returns once its
// group is appended, none is lost or left waiting for a lead that never
// comes, and the log holds every one.
func TestManyConcurrentCommitsAllCompleteAndAreRestored(t *testing.T) {
	dir := t.TempDir()
	st, o, _ := openFileStore(t, dir, testConfig())
	const n, each = 200, 5
	var wg sync.WaitGroup
	errs := make(chan error, n*each)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range each {
				e := Entry{Table: Stories, Key: fmt.Appendf(nil, "k%d-%d", i, j), Value: []byte("v")}
				errs <- st.Commit(context.Background(), []Entry{e}, func() { o.Load(e) })
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if m := o.snapshotMap(); len(m) != n*each {
		t.Fatalf("memory holds %d keys, want %d", len(m), n*each)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	st2, o2, _ := openFileStore(t, dir, testConfig())
	defer st2.Close()
	if m := o2.snapshotMap(); len(m) != n*each {
		t.Fatalf("restored %d keys, want %d", len(m), n*each)
	}
}
