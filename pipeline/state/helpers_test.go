package state

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
)

// mapOwner is the simplest Owner: one table as a map, what the stages do
// with compact structures.
type mapOwner struct {
	table Table
	mu    sync.Mutex
	m     map[string]string
}

func newMapOwner(t Table) *mapOwner { return &mapOwner{table: t, m: map[string]string{}} }

func (o *mapOwner) Tables() []Table { return []Table{o.table} }

func (o *mapOwner) Load(e Entry) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if e.Value == nil {
		delete(o.m, string(e.Key))
	} else {
		o.m[string(e.Key)] = string(e.Value)
	}
	return nil
}

func (o *mapOwner) Snapshot(emit func(Entry) error) error {
	o.mu.Lock()
	keys := slices.Sorted(maps.Keys(o.m))
	o.mu.Unlock()
	for _, k := range keys {
		o.mu.Lock()
		v, ok := o.m[k]
		o.mu.Unlock()
		if !ok {
			continue
		}
		if err := emit(Entry{Table: o.table, Key: []byte(k), Value: []byte(v)}); err != nil {
			return err
		}
	}
	return nil
}

func (o *mapOwner) Count(Table) int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.m)
}

// set commits key=value (value "" deletes) through st, as a stage does.
func (o *mapOwner) set(t testing.TB, st *Store, kv ...string) {
	t.Helper()
	var es []Entry
	for i := 0; i < len(kv); i += 2 {
		e := Entry{Table: o.table, Key: []byte(kv[i])}
		if kv[i+1] != "" {
			e.Value = []byte(kv[i+1])
		}
		es = append(es, e)
	}
	err := st.Commit(context.Background(), es, func() {
		for _, e := range es {
			o.Load(e)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
}

func (o *mapOwner) snapshotMap() map[string]string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return maps.Clone(o.m)
}

func testConfig() Config {
	c := DefaultConfig()
	c.NoSync = true
	return c
}

// openFileStore opens the file log in dir and restores a fresh mapOwner
// of table Stories from it.
func openFileStore(t testing.TB, dir string, cfg Config) (*Store, *mapOwner, *FileLog) {
	t.Helper()
	l, err := OpenFile(dir, cfg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	o := newMapOwner(Stories)
	st, err := Open(context.Background(), l, Options{}, o)
	if err != nil {
		l.Close()
		t.Fatal(err)
	}
	return st, o, l
}

// restoredFrom opens the file log in dir again and returns what it
// restores (collect's lines, joined by spaces), closing it after.
func restoredFrom(t testing.TB, dir string) string {
	t.Helper()
	l, err := OpenFile(dir, testConfig(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return strings.Join(collect(t, l), " ")
}

func collect(t testing.TB, l Log) []string {
	t.Helper()
	var out []string
	err := l.Restore(context.Background(), func(e Entry) error {
		v := "<nil>"
		if e.Value != nil {
			v = string(bytes.Clone(e.Value))
		}
		out = append(out, fmt.Sprintf("%s:%s=%s", e.Table, e.Key, v))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
