package entities

import (
	"strings"
	"testing"

	"github.com/wirestream/wirestream/pipeline/state"
)

// A release before round 36 reads every full name the name memory's log
// holds under a word as a person (its resolve added the alias map's answer
// as a person, whatever the key). Round 36 taught the map bodies by their
// first word ("Sbarro"), in the same entries, so rolling back to such a
// release keyed a bare "Sbarro" as a person named "Sbarro" with the key
// "organization:sbarro". The log must keep an entry that holds a body
// where such a release never looks (no folded word: bodyEntryPrefix), and
// a release that knows the form must read it back as before.
func TestAnOlderReleaseReadsNoBodyFromTheNameMemorysLog(t *testing.T) {
	x := newX(t)
	x.Aliases().TrackChanges(true)
	readEarlierHeadlines(x,
		"Sbarro files for bankruptcy", "Sbarro files for bankruptcy again",
		"Miley Cyrus performs in Las Vegas", "Miley Cyrus cancels a concert",
	)
	logged := map[string][]byte{} // the log after compaction: last record wins
	x.Aliases().Changes(func(k string, v []byte) { logged[k] = v })
	snap := map[string][]byte{}
	if _, err := x.Aliases().Each(func(k string, v []byte) error { snap[k] = v; return nil }); err != nil {
		t.Fatal(err)
	}
	for what, entries := range map[string]map[string][]byte{"changes": logged, "snapshot": snap} {
		for k, v := range entries {
			if v == nil || strings.Contains(k, " ") {
				continue // a word of no lookup an older release makes
			}
			for _, key := range olderReleaseReading(t, v) {
				if kindOfKey(key) != Person {
					t.Errorf("%s: the entry under %q holds %q, which an older release reads as a person", what, k, key)
				}
			}
		}
	}
	for what, entries := range map[string]map[string][]byte{"changes": logged, "snapshot": snap} {
		y := newX(t)
		for k, v := range entries {
			if v == nil {
				continue
			}
			if err := y.Aliases().Load(k, v); err != nil {
				t.Fatalf("%s: load %q: %v", what, k, err)
			}
		}
		checkKeys(t, y.Extract("Sbarro goes bankrupt for second time", "", "en"), []string{"organization:sbarro"}, []string{"person:sbarro"})
		checkKeys(t, y.Extract("Miley's 'wardrobe disaster'", "", "en"), []string{"person:miley_cyrus"}, nil)
	}
}

// A log round 36 wrote holds bodies under plain words. A release that
// restores it reads them as before, and the next changes it writes move
// such an entry to the body's form and drop the plain word's record, so
// that a later rollback finds no body there either.
func TestARound36NameMemoryLogIsMovedToTheBodysFormOnItsFirstChanges(t *testing.T) {
	old := &surname{last: 3, total: 2, names: []fullName{{key: "organization:sbarro", name: "Sbarro", count: 2}}}
	x := newX(t)
	x.Aliases().TrackChanges(true)
	if err := x.Aliases().Load("sbarro", old.encode()); err != nil {
		t.Fatal(err)
	}
	x.Aliases().Restored()
	checkKeys(t, x.Extract("Sbarro goes bankrupt for second time", "", "en"), []string{"organization:sbarro"}, nil)
	got := map[string][]byte{}
	x.Aliases().Changes(func(k string, v []byte) { got[k] = v })
	if v, ok := got["sbarro"]; !ok || v != nil {
		t.Errorf("changes after a round 36 log: plain word's record %v (present %v), want a tombstone", v, ok)
	}
	if v := got[bodyEntryPrefix+"sbarro"]; v == nil {
		t.Errorf("changes after a round 36 log: no record under the body's form; got %v", got)
	}
}

// olderReleaseReading decodes an entry as every release does and returns
// its full names' keys.
func olderReleaseReading(t *testing.T, v []byte) []string {
	t.Helper()
	d := state.Decoder{B: v}
	d.Uvarint()
	d.Uvarint()
	var keys []string
	for range d.Count() {
		key, _ := d.String(), d.String()
		d.Uvarint()
		keys = append(keys, key)
	}
	if err := d.End(); err != nil {
		t.Fatal(err)
	}
	return keys
}

// A rollback and a roll forward leave both forms of one word in the log:
// the body's record the later release wrote, then the plain word's an
// older release wrote. The later record wins, and the next changes drop
// the other one, so that one form stays.
func TestBothFormsOfAWordInTheLogLeaveTheLaterOne(t *testing.T) {
	body := &surname{last: 3, total: 2, names: []fullName{{key: "organization:sbarro", name: "Sbarro", count: 2}}}
	plain := &surname{last: 5, total: 2, names: []fullName{{key: "person:ann_sbarro", name: "Ann Sbarro", count: 2}}}
	x := newX(t)
	x.Aliases().TrackChanges(true)
	if err := x.Aliases().Load(bodyEntryPrefix+"sbarro", body.encode()); err != nil {
		t.Fatal(err)
	}
	if err := x.Aliases().Load("sbarro", plain.encode()); err != nil {
		t.Fatal(err)
	}
	x.Aliases().Restored()
	if key, _, ok := x.Aliases().Resolve("sbarro"); !ok || key != "person:ann_sbarro" {
		t.Errorf("Resolve(sbarro) = %q %v, want the later record's person:ann_sbarro", key, ok)
	}
	got := map[string][]byte{}
	x.Aliases().Changes(func(k string, v []byte) { got[k] = v })
	if v, ok := got[bodyEntryPrefix+"sbarro"]; !ok || v != nil {
		t.Errorf("changes: body form's record %v (present %v), want a tombstone", v, ok)
	}
	if got["sbarro"] == nil {
		t.Errorf("changes: no record under the plain word; got %v", got)
	}
}

// An entry the log holds under the plain word (people only) that is
// forgotten and then made again, holding a body, within one batch moves
// to the body's form: the batch's changes must drop the plain word's
// record, or the log keeps a forgotten entry that no later change
// tombstones (until a restore rewrites it) and that a rollback reads back
// (round 37 review).
func TestAPlainEntryForgottenAndMadeAgainAsABodyInOneBatchLeavesNoPlainRecord(t *testing.T) {
	a := NewAliasMap(10)
	a.TrackChanges(true)
	a.Observe("sbarro", "person:ann_sbarro", "Ann Sbarro")
	logged := map[string][]byte{}
	a.Changes(func(k string, v []byte) { logged[k] = v })
	if logged["sbarro"] == nil {
		t.Fatalf("first changes: no plain record; got %v", logged)
	}
	for i := range 10 { // fill the map: "sbarro", the least recent, is forgotten
		a.Observe(string(rune('a'+i))+"word", "person:x", "X")
	}
	if _, _, ok := a.Resolve("sbarro"); ok {
		t.Fatal("sbarro not evicted; the test needs it forgotten")
	}
	a.Observe("sbarro", "organization:sbarro", "Sbarro")
	a.Changes(func(k string, v []byte) {
		if v == nil {
			delete(logged, k)
		} else {
			logged[k] = v
		}
	})
	if v, ok := logged["sbarro"]; ok {
		t.Errorf("the log keeps the forgotten plain record %v beside %v", olderReleaseReading(t, v), logged)
	}
	if logged[bodyEntryPrefix+"sbarro"] == nil {
		t.Errorf("no record under the body's form; got %v", logged)
	}
}

// After a rollback and a roll forward the log may hold a word's body
// record, then the plain record the older release wrote, then that
// release's tombstone of the plain record (it forgot the entry). The log
// then holds the body record alone, and a restore must read it, as a
// restore after compaction does — not the forgotten plain entry (round 37
// review).
func TestATombstoneOfTheLaterFormLeavesTheEarlierFormsRecord(t *testing.T) {
	body := &surname{last: 3, total: 2, names: []fullName{{key: "organization:sbarro", name: "Sbarro", count: 2}}}
	plain := &surname{last: 5, total: 2, names: []fullName{{key: "person:ann_sbarro", name: "Ann Sbarro", count: 2}}}
	restore := func(records ...[2]any) *AliasMap {
		a := NewAliasMap(10)
		a.TrackChanges(true)
		for _, r := range records {
			v, _ := r[1].([]byte)
			if err := a.Load(r[0].(string), v); err != nil {
				t.Fatal(err)
			}
		}
		a.Restored()
		return a
	}
	whole := restore([2]any{bodyEntryPrefix + "sbarro", body.encode()}, [2]any{"sbarro", plain.encode()}, [2]any{"sbarro", nil})
	compacted := restore([2]any{bodyEntryPrefix + "sbarro", body.encode()})
	for what, a := range map[string]*AliasMap{"whole log": whole, "compacted log": compacted} {
		if key, _, ok := a.Resolve("sbarro"); !ok || key != "organization:sbarro" {
			t.Errorf("%s: Resolve(sbarro) = %q %v, want the body record's organization:sbarro", what, key, ok)
		}
		got := map[string][]byte{}
		a.Changes(func(k string, v []byte) { got[k] = v })
		if v, ok := got["sbarro"]; ok && v != nil {
			t.Errorf("%s: changes rewrite the forgotten plain entry %v", what, olderReleaseReading(t, v))
		}
	}
}

// Restored drops the records Load kept aside, but an entry the log held in both forms stays
// marked so until the next Changes writes it. A Load after Restored (no path makes one today: a
// store restores into a fresh map, Rewind resets it first) read the kept-aside record of such
// an entry and dereferenced nil (the last read of round 37). It must not panic, and the entry
// stays, in the form of the record the tombstone left.
func TestALoadAfterRestoredOfAnEntryLoggedInBothFormsDoesNotPanic(t *testing.T) {
	body := &surname{last: 3, total: 2, names: []fullName{{key: "organization:sbarro", name: "Sbarro", count: 2}}}
	for _, tombstoned := range []string{"sbarro", bodyEntryPrefix + "sbarro"} {
		x := newX(t)
		x.Aliases().TrackChanges(true)
		for _, k := range []string{bodyEntryPrefix + "sbarro", "sbarro"} { // body's form, then round 36's plain record
			if err := x.Aliases().Load(k, body.encode()); err != nil {
				t.Fatal(err)
			}
		}
		x.Aliases().Restored()
		if err := x.Aliases().Load(tombstoned, nil); err != nil {
			t.Fatalf("tombstone of %q after Restored: %v", tombstoned, err)
		}
		checkKeys(t, x.Extract("Sbarro goes bankrupt for second time", "", "en"), []string{"organization:sbarro"}, nil)
	}
}
