package spikes

import (
	"fmt"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/wirestream/wirestream/pipeline/state"
)

// A bucket's count table addresses its text by 32-bit offsets: past
// 4 GiB of one bucket's keys and names an offset would wrap and a count
// read another's key. The table refuses a term whose text would pass the
// limit (counted as bucket_full, as a term past max_bucket_terms), never
// wraps, and a restore refuses a count entry past it with an error.
// The limit is lowered to reach it without 4 GiB of keys.
func TestABucketsCountTextNeverWrapsPastItsLimit(t *testing.T) {
	defer func(was uint64) { maxCountText = was }(maxCountText)
	maxCountText = 1000
	f := newFeed(DefaultConfig())
	var keys []string
	for i := range 60 {
		k := fmt.Sprintf("keyword-%012d", i) // 20 bytes: 50 fit
		keys = append(keys, k)
		f.observe("AP", k)
	}
	if len(f.d.open) != 1 {
		t.Fatalf("%d open buckets, want 1", len(f.d.open))
	}
	var ob *openBucket
	for _, o := range f.d.open {
		ob = o
	}
	if n := ob.counts.len(); n != 50 {
		t.Errorf("%d counts, want the 50 whose text fits", n)
	}
	if n := testutil.ToFloat64(f.d.m.bucketFull); n != 10 {
		t.Errorf("bucket_full counted %v, want the 10 terms refused", n)
	}
	for i, k := range keys {
		c := ob.counts.get(k)
		if (c != nil) != (i < 50) {
			t.Fatalf("term %d %q: counted %v", i, k, c != nil)
		}
		if c != nil && (ob.counts.key(c) != k || ob.counts.name(c) != k) {
			t.Fatalf("term %q reads back as %q / %q", k, ob.counts.key(c), ob.counts.name(c))
		}
	}
	// a restore refuses a count whose text would not fit, and takes the
	// rest
	var snap []state.Entry
	if err := f.d.Snapshot(func(e state.Entry) error { snap = append(snap, cloneEntry(e)); return nil }); err != nil {
		t.Fatal(err)
	}
	d := New(DefaultConfig(), nil)
	for _, e := range snap {
		if err := d.Load(e); err != nil {
			t.Fatal(err)
		}
	}
	for _, e := range snap {
		if e.Key[0] == 'b' {
			key := append(append([]byte(nil), e.Key[:9]...), "one-key-too-many-for-it"...)
			err := d.Load(state.Entry{Table: state.Spikes, Key: key, Value: e.Value})
			if err == nil || !strings.Contains(err.Error(), "past its 1000 bytes") {
				t.Errorf("a count past the text limit: err %v", err)
			}
			break
		}
	}
	if err := d.Restored(); err != nil {
		t.Fatal(err)
	}
	for b, ob := range f.d.open {
		if got := d.open[b].counts.len(); got != ob.counts.len() {
			t.Errorf("restored %d counts, want %d", got, ob.counts.len())
		}
	}
	// appending past the limit without asking is a bug, not a wrap
	defer func() {
		if recover() == nil {
			t.Error("appendText past the limit did not panic")
		}
	}()
	ob.counts.add(strings.Repeat("x", 1000), "x")
}
