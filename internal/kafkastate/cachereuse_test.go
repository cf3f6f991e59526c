package kafkastate

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/wirestream/wirestream/pipeline/state"
)

// The Kafka log's cache writer (Rotate) copies what it is given, as every
// SnapshotWriter must (state.TestASnapshotWriterCopiesWhatTheCallerReuses
// holds the state package's writers): an owner reuses its key and value
// arrays once Write returns, so the cache must read back as written, not
// as the reused array ends. Both of Write's paths: entries gathered into a
// record, and one entry past a record's size written straight.
func TestTheCacheSnapshotWriterCopiesWhatTheCallerReuses(t *testing.T) {
	f := newFixture(t, 1)
	l, _, _ := f.open(0, Options{CacheDir: t.TempDir(), NoSync: true})
	appendKV(t, l, state.Stories, "a", "1")
	var want []state.Entry
	for i := range 2000 {
		want = append(want, state.Entry{Table: state.Stories, Key: fmt.Appendf(nil, "key-%08d", i), Value: bytes.Repeat([]byte{byte(i)}, 100)})
		if i == 1000 {
			want = append(want, state.Entry{Table: state.Stories, Key: []byte("big"), Value: bytes.Repeat([]byte{'b'}, 600<<10)})
		}
	}
	sw, err := l.Rotate()
	if err != nil {
		t.Fatal(err)
	}
	var reused []byte
	for _, e := range want {
		reused = append(append(reused[:0], e.Key...), e.Value...)
		if err := sw.Write(state.Entry{Table: e.Table, Key: reused[:len(e.Key)], Value: reused[len(e.Key):]}); err != nil {
			t.Fatal(err)
		}
		for i := range reused { // the caller's next entry overwrites the bytes
			reused[i] = 0xff
		}
	}
	if err := sw.Commit(); err != nil {
		t.Fatal(err)
	}
	r, err := state.OpenSnapshot(l.path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	i := 0
	if err := r.Entries(func(e state.Entry) error {
		if i >= len(want) || e.Table != want[i].Table || !bytes.Equal(e.Key, want[i].Key) || !bytes.Equal(e.Value, want[i].Value) {
			t.Fatalf("cache entry %d read back as %s %q (%d bytes)", i, e.Table, e.Key, len(e.Value))
		}
		i++
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if i != len(want) {
		t.Fatalf("%d cache entries read back, %d written", i, len(want))
	}
}
