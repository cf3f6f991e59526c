package state

import (
	"context"
	"errors"
	"sync"
	"testing"
)

// commitEntriesWhileFirstAppends commits "a" and, while its append waits
// at l's gate, each of later (key → value size) from its own goroutine,
// once the one before it is queued: they share one group append. It
// returns each commit's error by key.
func commitEntriesWhileFirstAppends(t *testing.T, st *Store, o *mapOwner, l *gatedLog, later []Entry) map[string]error {
	t.Helper()
	var mu sync.Mutex
	errs := map[string]error{}
	var wg sync.WaitGroup
	commit := func(e Entry) {
		defer wg.Done()
		err := st.Commit(context.Background(), []Entry{e}, func() { o.Load(e) })
		mu.Lock()
		errs[string(e.Key)] = err
		mu.Unlock()
	}
	wg.Add(1 + len(later))
	go commit(Entry{Table: Stories, Key: []byte("a"), Value: []byte("va")})
	waitFor(t, func() bool { l.mu.Lock(); defer l.mu.Unlock(); return len(l.appends) == 1 })
	for i, e := range later {
		go commit(e)
		waitFor(t, func() bool { st.qmu.Lock(); defer st.qmu.Unlock(); return len(st.queued) == i+1 })
	}
	close(l.gate)
	wg.Wait()
	return errs
}

// storyOfSize is an entry of the mapOwner's table, of size bytes encoded.
func storyOfSize(key string, size int) Entry {
	e := entryOfSize(key, size)
	e.Table = Stories
	return e
}

// A commit too large for a record fails alone: the commits that queued
// beside it (another feed's batch, a feed's poll state) are appended and
// applied, and commits that fit a record each but not together all land.
// Before, the group's one append was refused as a whole and every member
// failed with errEntryTooLarge.
func TestACommitTooLargeForARecordFailsAloneInItsGroup(t *testing.T) {
	const limit = 1 << 20
	for name, tc := range map[string]struct {
		later  []Entry
		failed string // the key whose commit must fail, if any
	}{
		"one too large alone":     {[]Entry{storyOfSize("small1", 100), storyOfSize("big", limit), storyOfSize("small2", 100)}, "big"},
		"fit alone, not together": {[]Entry{storyOfSize("half1", limit/2+100), storyOfSize("half2", limit/2+100)}, ""},
	} {
		t.Run(name, func(t *testing.T) {
			lowerMaxRecord(t, limit)
			dir := t.TempDir()
			st, o, fl := openFileStore(t, dir, testConfig())
			l := &gatedLog{FileLog: fl, gate: make(chan struct{})}
			st.log = l
			errs := commitEntriesWhileFirstAppends(t, st, o, l, tc.later)
			want := map[string]bool{"a": true}
			for _, e := range tc.later {
				k := string(e.Key)
				if k == tc.failed {
					if !errors.Is(errs[k], errEntryTooLarge) {
						t.Errorf("commit %s = %v, want errEntryTooLarge", k, errs[k])
					}
					continue
				}
				want[k] = true
				if errs[k] != nil {
					t.Errorf("commit %s, which fits a record, failed: %v", k, errs[k])
				}
			}
			check := func(what string, m map[string]string) {
				t.Helper()
				for k := range want {
					if _, ok := m[k]; !ok {
						t.Errorf("%s lacks %s", what, k)
					}
				}
				if len(m) != len(want) {
					t.Errorf("%s holds %d keys, want %d", what, len(m), len(want))
				}
			}
			check("memory", o.snapshotMap())
			must(t, st.Close())
			st2, o2, _ := openFileStore(t, dir, testConfig())
			defer st2.Close()
			check("the log restored", o2.snapshotMap())
		})
	}
}
