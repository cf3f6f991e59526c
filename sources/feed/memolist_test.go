package feed

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// A state saved before memos were packed (64-bit dates, written as
// encoding/json writes a map of memo structs) restores with every date as
// it was — those 4 bytes hold and those they do not (past 2106, negative,
// as a state written by hand may carry) — and saves again byte for byte.
func TestAMemoStateSavedWithWideDatesRestoresAsItWas(t *testing.T) {
	cases := []struct {
		name string
		memo string // the state's "memo" object, as main wrote it
		want map[uint64]memo
		wide bool
	}{
		{"packed", `{"0000000000000001":{"l":7,"t":8,"f":1765000000,"u":1764000000},"00000000000000ff":{"f":4294967295}}`,
			map[uint64]memo{1: {Link: 7, Text: 8, First: 1765000000, Updated: 1764000000}, 0xff: {First: math.MaxUint32}}, false},
		{"updated past 2106", `{"0000000000000001":{"f":1765000000,"u":4294967296},"0000000000000002":{"l":3,"f":1765000000,"u":32503680000}}`,
			map[uint64]memo{1: {First: 1765000000, Updated: math.MaxUint32 + 1}, 2: {Link: 3, First: 1765000000, Updated: 32503680000}}, true},
		{"negative dates", `{"0000000000000001":{},"0000000000000002":{"u":-5},"0000000000000003":{"f":-1}}`,
			map[uint64]memo{1: {}, 2: {Updated: -5}, 3: {First: -1}}, true},
		{"empty", `{}`, map[uint64]memo{}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data := fmt.Sprintf(`{"v":%d,"memo":%s,"next_poll":"2026-12-06T00:00:00Z","last_attempt":"2026-12-06T00:00:00Z"}`, stateVersion, c.memo)
			st, err := decodeState([]byte(data))
			if err != nil {
				t.Fatal(err)
			}
			if st.Memo.len() != len(c.want) || (st.Memo.wide != nil) != c.wide {
				t.Fatalf("restored %d memos (wide %v), want %d (wide %v)", st.Memo.len(), st.Memo.wide != nil, len(c.want), c.wide)
			}
			for k, w := range c.want {
				if m, ok := st.Memo.get(k); !ok || m != w {
					t.Errorf("memo of %x: %+v, %v; want %+v", k, m, ok, w)
				}
			}
			fast, err := st.encode()
			if err != nil {
				t.Fatal(err)
			}
			slow, err := encodeWithJSON(st)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(fast, slow) {
				t.Fatalf("encode differs from encoding/json:\n%s\n%s", fast, slow)
			}
			if len(c.want) > 0 && !bytes.Contains(fast, []byte(`"memo":`+c.memo)) {
				t.Errorf("saved again unlike before:\n%s\nwant memo %s", fast, c.memo)
			}
			if len(c.want) == 0 && bytes.Contains(fast, []byte(`"memo"`)) {
				t.Errorf("an empty memo list is saved: %s", fast)
			}
		})
	}
}

// memoList reads as the sorted []memoEntry it holds: len, at, get (keys
// held and not), entries, same, clone and the merge of a push, over random
// lists packed and wide.
func TestMemoListReadsAsTheSliceItHolds(t *testing.T) {
	r := rand.New(rand.NewPCG(41, 7))
	date := func() int64 {
		switch r.IntN(8) {
		case 0:
			return 0
		case 1:
			return -r.Int64N(1 << 40)
		case 2:
			return math.MaxUint32 + r.Int64N(1<<40)
		case 3:
			return math.MaxUint32 - r.Int64N(2)
		default:
			return 1_700_000_000 + r.Int64N(1<<28)
		}
	}
	list := func(n int, wideOK bool) []memoEntry {
		m := map[uint64]memo{}
		for range n {
			e := memo{Link: r.Uint64(), Text: r.Uint64(), First: 1_765_000_000, Updated: 1_764_000_000}
			if wideOK {
				e.First, e.Updated = date(), date()
			}
			m[r.Uint64N(1000)] = e
		}
		out := make([]memoEntry, 0, len(m))
		for k, v := range m {
			out = append(out, memoEntry{k, v})
		}
		slices.SortFunc(out, func(a, b memoEntry) int { return cmpU(a.Key, b.Key) })
		return out
	}
	var packed, wide int
	for round := range 2000 {
		ref := list(r.IntN(100), round%2 == 0)
		m := memoListFrom(ref)
		if m.wide != nil {
			wide++
		} else {
			packed++
		}
		if m.len() != len(ref) || !slices.Equal(m.entries(), ref) {
			t.Fatalf("round %d: holds %v, want %v", round, m.entries(), ref)
		}
		for i, e := range ref {
			if m.at(i) != e {
				t.Fatalf("round %d: at(%d) = %+v, want %+v", round, i, m.at(i), e)
			}
		}
		for k := range uint64(1000) {
			i, found := slices.BinarySearchFunc(ref, k, func(e memoEntry, k uint64) int { return cmpU(e.Key, k) })
			var want memo
			if found {
				want = ref[i].memo
			}
			if got, ok := m.get(k); ok != found || got != want {
				t.Fatalf("round %d: get(%d) = %+v, %v; want %+v, %v", round, k, got, ok, want, found)
			}
		}
		c := m.clone()
		if !m.same(c) || !c.same(m) || (c.len() > 0 && c.wide == nil && &c.packed[0] == &m.packed[0]) {
			t.Fatalf("round %d: a clone is not the same list in slices of its own", round)
		}
		if other := memoListFrom(list(r.IntN(100), round%3 == 0)); m.same(other) != slices.Equal(ref, other.entries()) {
			t.Fatalf("round %d: same says %v of %v and %v", round, m.same(other), ref, other.entries())
		}
		pushed := list(r.IntN(20), round%4 == 0)
		_, merged := mergeSeen(nil, nil, m, memoListFrom(pushed), 1000)
		want := mergeSorted(ref, pushed, func(e memoEntry) uint64 { return e.Key })
		if !slices.Equal(merged.entries(), want) {
			t.Fatalf("round %d: merged %v, want %v", round, merged.entries(), want)
		}
	}
	if packed < 300 || wide < 300 {
		t.Fatalf("%d packed and %d wide lists: the test reaches too few of one", packed, wide)
	}
	if !memoListFrom(nil).isNil() || memoListFrom([]memoEntry{}).isNil() || memoListFrom(nil).same(memoListFrom([]memoEntry{})) {
		t.Error("nil and empty lists are not told apart")
	}
}
