package state

import (
	"bytes"
	"slices"
	"strings"
	"sync"
)

// blobTable is a table of small opaque values the Store owns itself: the
// poller's per-feed state (a few thousand), the records written and not
// committed (a few per batch in flight).
//
// A value may be held as its bytes (m) or as the function that gives
// them again (later, putLater): a feed's loop keeps its state decoded
// anyway, so holding its encoding too cost 2.7 KB a feed (27 MB of live
// heap at 10,000 feeds, round 34) for the snapshots alone. A key is in
// at most one of the two maps.
type blobTable struct {
	table Table
	mu    sync.Mutex
	m     map[string][]byte
	later map[string]func() ([]byte, error)
}

func newBlobTable(t Table) *blobTable {
	return &blobTable{table: t, m: map[string][]byte{}, later: map[string]func() ([]byte, error){}}
}

func (f *blobTable) Tables() []Table { return []Table{f.table} }

func (f *blobTable) Load(e Entry) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.later, string(e.Key))
	if e.Value == nil {
		delete(f.m, string(e.Key))
	} else {
		f.m[string(e.Key)] = bytes.Clone(e.Value)
	}
	return nil
}

// Snapshot emits every value in key order, encoding the ones held as a
// function outside the lock.
func (f *blobTable) Snapshot(emit func(Entry) error) error {
	type kept struct {
		key   string
		value []byte
		again func() ([]byte, error)
	}
	f.mu.Lock()
	ks := make([]kept, 0, len(f.m)+len(f.later))
	for k, v := range f.m {
		ks = append(ks, kept{key: k, value: v})
	}
	for k, again := range f.later {
		ks = append(ks, kept{key: k, again: again})
	}
	f.mu.Unlock()
	// key order: the same state snapshots to the same bytes
	slices.SortFunc(ks, func(a, b kept) int { return strings.Compare(a.key, b.key) })
	for _, k := range ks {
		v := k.value
		if k.again != nil {
			var err error
			if v, err = k.again(); err != nil {
				return err
			}
		}
		if err := emit(Entry{Table: f.table, Key: []byte(k.key), Value: v}); err != nil {
			return err
		}
	}
	return nil
}

func (f *blobTable) Count(Table) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.m) + len(f.later)
}

func (f *blobTable) get(key string) ([]byte, error) {
	f.mu.Lock()
	again := f.later[key]
	v := bytes.Clone(f.m[key])
	f.mu.Unlock()
	if again != nil {
		return again()
	}
	return v, nil
}

func (f *blobTable) put(key string, v []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.later, key)
	f.m[key] = v
}

// putLater holds key's value as again, which gives its bytes when they
// are read.
func (f *blobTable) putLater(key string, again func() ([]byte, error)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.m, key)
	f.later[key] = again
}
