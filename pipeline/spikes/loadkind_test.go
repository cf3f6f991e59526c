package spikes

import (
	"strings"
	"testing"

	"github.com/wirestream/wirestream/pipeline/state"
)

// Round 37 refuses a baseline whose kind no count is made with (its kind
// is a byte now, not the string read). The refusal is the entry's alone:
// the error names the term and the kind; the baselines loaded before and
// after it are there; and the detector's memory is as before the entry,
// as state.UnreadableEntryError promises the log (a Kafka changelog skips
// the entry and hands its tombstone) — the term's evicted firing, loaded
// before, is not lost to the refused entry.
func TestABaselineOfAnUnknownKindIsRefusedAlone(t *testing.T) {
	baseline := func(key, kind string) state.Entry {
		w := New(DefaultConfig(), nil)
		w.terms.put(&termState{key: key, name: key, mean: 2, variance: 1, updated: 9})
		b := w.encodeTerm(key)
		// the kind is the second string after the flags: rewrite "" into kind
		i := 1 + 1 + len(key) // flags, the name's length byte and bytes
		if b[i] != 0 {
			t.Fatalf("encoding of %q: kind length %d, want 0", key, b[i])
		}
		b = append(append(append(append([]byte{}, b[:i]...), byte(len(kind))), kind...), b[i+1:]...)
		return state.Entry{Table: state.Spikes, Key: []byte("t" + key), Value: b}
	}
	d := New(DefaultConfig(), nil)
	for _, e := range []state.Entry{baseline("acme", "entity"), {Table: state.Spikes, Key: []byte("tquake"), Value: appendEvictedFiring(nil, 7)}} {
		if err := d.Load(e); err != nil {
			t.Fatal(err)
		}
	}
	err := d.Load(baseline("quake", "topic"))
	if err == nil || !strings.Contains(err.Error(), `"quake"`) || !strings.Contains(err.Error(), `"topic"`) {
		t.Fatalf("a baseline of kind topic: error %v, want one naming the term and the kind", err)
	}
	if err := d.Load(baseline("port", "keyword")); err != nil {
		t.Fatal(err)
	}
	if acme, port := termOf(&d.terms, "acme"), termOf(&d.terms, "port"); acme == nil || port == nil || acme.kind != entityKind || port.kind != keywordKind {
		t.Errorf("the baselines around the refused one: acme %+v, port %+v", acme, port)
	}
	if ts := termOf(&d.terms, "quake"); ts != nil {
		t.Errorf("the refused baseline was loaded: %+v", ts)
	}
	if at, ok := d.evictedFired["quake"]; !ok || at != 7 {
		t.Errorf("quake's evicted firing after its refused entry: %d, %v; want 7 as before the entry", at, ok)
	}
}
