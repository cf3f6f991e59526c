package feed

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// A state saved before the seen-item state was held as numbers (keys and
// content hashes as 16-character hex, a rejected entry's reason as its
// value) restores: its items are known, revised, rotated or gone as they
// were, its rejected entries are not reported again, and it is saved
// again as it was read.
func TestASavedSeenStateRestoresAndSavesAsItWas(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	kept := record.Item{GUID: "a", Title: "Kept", Link: "https://x.example/a"}
	revised := record.Item{GUID: "b", Title: "Revised", Link: "https://x.example/b"}
	rotated := record.Item{GUID: "c", Title: "Rotated", Link: "https://x.example/c"}
	back := record.Item{GUID: "d", Title: "Back", Link: "https://x.example/d"}
	rejectedKey := shortHash(RejectInvalid, `{"bad":1}`)
	// The state as main's code wrote it: shortHash's hex strings.
	old := `{"v":1,"etag":"\"e\"",` +
		`"seen":{"` + shortHash(identity(&kept)) + `":"` + shortHash(kept.Title, kept.Link, "", "", "") + `",` +
		`"` + shortHash(identity(&revised)) + `":"` + shortHash("Old title", revised.Link, "", "", "") + `",` +
		`"` + shortHash(identity(&rotated)) + `":"` + shortHash(rotated.Title, rotated.Link, "", "", "") + `",` +
		`"` + rejectedKey + `":"invalid"},` +
		`"memo":{"` + shortHash(identity(&rotated)) + `":{"l":` + jsonNumber(hash64(rotated.Link)) + `,"f":1700000000}},` +
		`"gone":[["` + shortHash(identity(&back)) + `","` + shortHash(back.Title, back.Link, "", "", "") + `"]],` +
		`"next_poll":"2027-01-15T08:00:00Z","last_attempt":"2027-01-15T08:00:00Z"}`
	st, err := decodeState([]byte(old))
	if err != nil {
		t.Fatal(err)
	}
	again, err := st.encode()
	if err != nil {
		t.Fatal(err)
	}
	var was, is map[string]json.RawMessage
	if err := json.Unmarshal([]byte(old), &was); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(again, &is); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"seen", "memo", "gone"} {
		if !sameJSON(t, was[f], is[f]) {
			t.Errorf("%q saved again as %s, want %s", f, is[f], was[f])
		}
	}

	l := &loop{}
	newGUID := rotated
	newGUID.GUID = "c2"
	doc := Document{Items: []record.Item{kept, revised, newGUID, back, {GUID: "e", Title: "New", Link: "https://x.example/e"}},
		Rejected: []Rejected{{Reason: RejectInvalid, Key: rejectedKey}}}
	d := l.diff(&st, doc, true, false, now)
	if d.fresh != 1 || d.changed != 1 || d.rotated != 1 || len(d.rejected) != 0 || len(d.items) != 2 {
		t.Errorf("restored state: fresh %d changed %d rotated %d, %d rejected reported, %d items delivered; want 1 1 1 0 2",
			d.fresh, d.changed, d.rotated, len(d.rejected), len(d.items))
	}
	if m, _ := d.memo.get(itemKey(&newGUID)); m.Link != hash64(rotated.Link) {
		t.Errorf("the rotated item's memo %+v", m)
	}
}

func jsonNumber(n uint64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// sameJSON compares two JSON documents as values (map order aside).
func sameJSON(t *testing.T, a, b []byte) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &y); err != nil {
		t.Fatal(err)
	}
	xs, _ := json.Marshal(x)
	ys, _ := json.Marshal(y)
	return bytes.Equal(xs, ys)
}

// Review (rev33e): every reason the code has written round-trips exactly,
// in Seen and in Gone; keys the code never wrote (uppercase, short, long,
// not hex, empty) restore without an error, keep their entries, and are
// saved the same way from the second save on.
func TestOddSeenStateKeysAreKeptNotDropped(t *testing.T) {
	key := shortHash("k")
	old := `{"v":1,"seen":{"` + key + `":"repeated","` + shortHash("k2") + `":"over_max_items","` + shortHash("k3") + `":"invalid",` +
		`"ABCDEF0123456789":"` + key + `","abc":"x","":"","0123456789abcdef0123":"zz","zzzzzzzzzzzzzzzz":"` + key + `"},` +
		`"gone":[["` + shortHash("g") + `","repeated"],["short","odd"]],"next_poll":"2027-01-15T08:00:00Z","last_attempt":"2027-01-15T08:00:00Z"}`
	st, err := decodeState([]byte(old))
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Seen) != 8 || len(st.Gone) != 2 {
		t.Fatalf("restored %d seen, %d gone; want 8 and 2", len(st.Seen), len(st.Gone))
	}
	for k, want := range map[string]string{key: "repeated", shortHash("k2"): "over_max_items", shortHash("k3"): "invalid"} {
		v, _ := st.Seen.get(parseHash(k))
		if got := formatValue(v); got != want {
			t.Errorf("seen %s saved again as %q, want %q", k, got, want)
		}
	}
	if got := formatValue(st.Gone[0][1]); got != "repeated" {
		t.Errorf("gone reason saved again as %q", got)
	}
	first, _ := st.encode()
	st2, err := decodeState(first)
	if err != nil {
		t.Fatal(err)
	}
	second, _ := st2.encode()
	if !sameJSON(t, first, second) {
		t.Errorf("odd keys are not stable: saved %s, then %s", first, second)
	}
}
