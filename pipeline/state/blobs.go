package state

import (
	"bytes"
	"slices"
	"sync"
)

// blobTable is a table of small opaque values the Store owns itself: the
// poller's per-feed state (a few thousand), the records written and not
// committed (a few per batch in flight).
type blobTable struct {
	table Table
	mu    sync.Mutex
	m     map[string][]byte
}

func newBlobTable(t Table) *blobTable { return &blobTable{table: t, m: map[string][]byte{}} }

func (f *blobTable) Tables() []Table { return []Table{f.table} }

func (f *blobTable) Load(e Entry) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if e.Value == nil {
		delete(f.m, string(e.Key))
	} else {
		f.m[string(e.Key)] = bytes.Clone(e.Value)
	}
	return nil
}

func (f *blobTable) Snapshot(emit func(Entry) error) error {
	f.mu.Lock()
	es := make([]Entry, 0, len(f.m))
	for k, v := range f.m {
		es = append(es, Entry{Table: f.table, Key: []byte(k), Value: v})
	}
	f.mu.Unlock()
	// key order: the same state snapshots to the same bytes
	slices.SortFunc(es, func(a, b Entry) int { return bytes.Compare(a.Key, b.Key) })
	for _, e := range es {
		if err := emit(e); err != nil {
			return err
		}
	}
	return nil
}

func (f *blobTable) Count(Table) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.m)
}

func (f *blobTable) get(key string) []byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	return bytes.Clone(f.m[key])
}

func (f *blobTable) put(key string, v []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.m[key] = v
}
