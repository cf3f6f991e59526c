package entities

import (
	"encoding/binary"
	"testing"

	"github.com/wirestream/wirestream/pipeline/state"
)

// A surname's entry whose total or name count does not fit an int (a
// damaged or foreign log's) is refused, not read as a negative count: a
// negative total made any name seen twice dominant (Resolve compares a
// count with dominance × total), so "Smith" resolved to whichever of two
// equally seen Smiths came first. The entry loaded before it stays.
func TestLoadRefusesCountsPastInt(t *testing.T) {
	entry := func(total, count uint64) []byte {
		b := binary.AppendUvarint(nil, 7) // last
		b = binary.AppendUvarint(b, total)
		b = binary.AppendUvarint(b, 2)
		b = binary.AppendUvarint(state.AppendString(state.AppendString(b, "person:anna smith"), "Anna Smith"), count)
		return binary.AppendUvarint(state.AppendString(state.AppendString(b, "person:john smith"), "John Smith"), 2)
	}
	a := NewAliasMap(100)
	if err := a.Load("smith", entry(4, 2)); err != nil {
		t.Fatal(err)
	}
	for name, v := range map[string][]byte{"total past int": entry(1<<63, 2), "count past int": entry(4, 1<<63)} {
		if err := a.Load("smith", v); err == nil {
			t.Errorf("%s: loaded", name)
		}
		if key, _, ok := a.Resolve("smith"); ok {
			t.Errorf("%s: smith resolves to %s; neither of two Smiths seen twice in four dominates", name, key)
		}
		if s := a.m["smith"]; s == nil || s.total != 4 {
			t.Errorf("%s: the entry loaded before is not kept: %+v", name, s)
		}
	}
}
