package enrich

import (
	"bytes"
	"math"
	"testing"

	"github.com/wirestream/wirestream/pipeline/enrich/keywords"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
)

// FuzzLoad restores an arbitrary entry of the enricher's table, as a
// damaged or foreign state log would hold: Load refuses it or applies it
// and never panics, a story is still enriched within its bounds whatever
// the keyword corpus or the surname map now say, and an entry Load
// accepts survives the enricher's own snapshot (snapshot, reset, load the
// snapshot: the same snapshot).
func FuzzLoad(f *testing.F) {
	e := newE(f)
	// The entries of an enricher that has read two stories: every kind.
	for _, body := range []string{"Prime Minister Keir Starmer met Emmanuel Macron in Paris on Monday.", "Starmer and Macron spoke of inflation."} {
		e.Enrich(&record.Story{Title: body, Body: body}, "en")
	}
	if err := e.Snapshot(func(en state.Entry) error { f.Add(en.Key[0], string(en.Key[1:]), bytes.Clone(en.Value)); return nil }); err != nil {
		f.Fatal(err)
	}
	f.Add(byte('W'), "", state.AppendFloat(state.AppendFloat(nil, -1), 0))
	f.Add(byte('W'), "", corpusGlobals(math.NaN(), 3, 0))
	f.Add(byte('w'), "inflation", state.AppendFloat(nil, math.Inf(1)))
	f.Fuzz(func(t *testing.T, kind byte, key string, value []byte) {
		e.Reset()
		if e.Load(state.Entry{Table: state.Enrich, Key: append([]byte{kind}, key...), Value: value}) != nil {
			return
		}
		s := &record.Story{Title: "Prime Minister Keir Starmer said inflation would fall", Body: "Starmer told parliament in London that inflation would fall this year."}
		e.Enrich(s, "en")
		if len(s.Keywords) > DefaultConfig().MaxKeywords || len(s.Topics) < 1 || len(s.Topics) > 3 {
			t.Fatalf("after loading %q %q %x: %d keywords, %d topics", kind, key, value, len(s.Keywords), len(s.Topics))
		}
		e.Reset()
		_ = e.Load(state.Entry{Table: state.Enrich, Key: append([]byte{kind}, key...), Value: value})
		first := snapshot(t, e)
		for _, en := range first {
			// no entry it took leaves a count or global no live corpus holds
			d := state.Decoder{B: en.Value}
			switch en.Key[0] {
			case 'w':
				if err := keywords.CheckStored(d.Float()); err != nil {
					t.Fatalf("after loading %q %q %x: term %q: %v", kind, key, value, en.Key[1:], err)
				}
			case 'W':
				g := keywords.CorpusGlobals{Scale: d.Float(), Docs: d.Float(), SincePrune: int(d.Uvarint())}
				if err := g.Check(); err != nil {
					t.Fatalf("after loading %q %q %x: corpus globals: %v", kind, key, value, err)
				}
			}
		}
		e.Reset()
		for _, en := range first {
			if err := e.Load(en); err != nil {
				t.Fatalf("the enricher's own snapshot entry %q does not load: %v", en.Key, err)
			}
		}
		again := snapshot(t, e)
		if len(again) != len(first) {
			t.Fatalf("snapshot of %d entries reloads as %d", len(first), len(again))
		}
		for i := range first {
			if !bytes.Equal(first[i].Key, again[i].Key) || !bytes.Equal(first[i].Value, again[i].Value) {
				t.Fatalf("entry %q %x reloads as %q %x", first[i].Key, first[i].Value, again[i].Key, again[i].Value)
			}
		}
	})
}

func snapshot(t *testing.T, e *Enricher) []state.Entry {
	var out []state.Entry
	if err := e.Snapshot(func(en state.Entry) error { out = append(out, copied(en)); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}
