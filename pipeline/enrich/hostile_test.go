package enrich

import (
	"bytes"
	"encoding/binary"
	"math"
	"testing"

	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
)

// Entries of the enricher's table that no live enricher writes — a
// damaged log, an older release's bug, another producer on the changelog
// — are refused whole: Load returns an error naming the entry (the Kafka
// log skips the record and loads its key's tombstone, the file log stops
// its restore) and leaves the enricher as it was. Before round 40 a 'W'
// whose scale was NaN made every term's weight NaN for good (and a prune
// over a full corpus never ended: no NaN count is below the bar), and a
// 'W' tombstone — what the Kafka log loads after skipping a record —
// set the scale to 0, from which the next story's counts became NaN.

func corpusGlobals(scale, docs float64, sincePrune uint64) []byte {
	return binary.AppendUvarint(state.AppendFloat(state.AppendFloat(nil, scale), docs), sincePrune)
}

// fewStoriesLearned is an enricher that has read a few stories, so that it holds
// terms, surnames and globals to keep.
func fewStoriesLearned(t *testing.T) *Enricher {
	t.Helper()
	e := newE(t)
	for _, body := range []string{"Prime Minister Keir Starmer met Emmanuel Macron in Paris on Monday.",
		"Starmer and Macron spoke of inflation.", "Keir Starmer said inflation would fall."} {
		e.Enrich(&record.Story{Title: body, Body: body}, "en")
	}
	return e
}

func entriesByKey(t *testing.T, e *Enricher) map[string][]byte {
	m := map[string][]byte{}
	for _, en := range snapshot(t, e) {
		m[string(en.Key)] = en.Value
	}
	return m
}

func TestLoadRefusesCorpusGlobalsNoLiveCorpusHolds(t *testing.T) {
	e := fewStoriesLearned(t)
	before := entriesByKey(t, e)
	for name, v := range map[string][]byte{
		"scale NaN":             corpusGlobals(math.NaN(), 3, 0),
		"scale 0":               corpusGlobals(0, 3, 0),
		"scale negative":        corpusGlobals(-1, 3, 0),
		"scale +Inf":            corpusGlobals(math.Inf(1), 3, 0),
		"scale above 1":         corpusGlobals(2, 3, 0),
		"scale denormal":        corpusGlobals(5e-324, 3, 0),
		"documents NaN":         corpusGlobals(0.5, math.NaN(), 0),
		"documents negative":    corpusGlobals(0.5, -1, 0),
		"documents +Inf":        corpusGlobals(0.5, math.Inf(1), 0),
		"since prune past int":  corpusGlobals(0.5, 3, 1<<63),
		"a tombstone":           nil,
		"cut after the scale":   state.AppendFloat(nil, 0.5),
		"a byte more than kept": append(corpusGlobals(0.5, 3, 1), 0),
	} {
		if err := e.Load(state.Entry{Table: state.Enrich, Key: []byte{'W'}, Value: v}); err == nil {
			t.Errorf("%s: loaded", name)
		}
		if after := entriesByKey(t, e); !bytes.Equal(after["W"], before["W"]) {
			t.Errorf("%s: globals %x after the refused entry, want %x as before", name, after["W"], before["W"])
		}
	}
	// Neither the refused entries nor the stories after them leave a count
	// no live corpus holds.
	e.Enrich(&record.Story{Title: "Inflation falls in Paris", Body: "Macron said inflation fell in Paris."}, "en")
	for k, v := range entriesByKey(t, e) {
		if k[0] != 'w' {
			continue
		}
		if f := math.Float64frombits(binary.LittleEndian.Uint64(v)); !(f >= 0) || math.IsInf(f, 0) {
			t.Errorf("term %q holds %v", k[1:], f)
		}
	}
}

func TestLoadRefusesATermCountNoLiveCorpusHolds(t *testing.T) {
	e := fewStoriesLearned(t)
	before := entriesByKey(t, e)
	key := ""
	for k := range before {
		if k[0] == 'w' {
			key = k
			break
		}
	}
	if key == "" {
		t.Fatal("no term learned")
	}
	for _, v := range [][]byte{state.AppendFloat(nil, math.NaN()), state.AppendFloat(nil, math.Inf(1)),
		state.AppendFloat(nil, math.Inf(-1)), state.AppendFloat(nil, -1), {1, 2, 3}, append(state.AppendFloat(nil, 2), 0)} {
		if err := e.Load(state.Entry{Table: state.Enrich, Key: []byte(key), Value: v}); err == nil {
			t.Errorf("term %q value %x: loaded", key[1:], v)
		}
		if after := entriesByKey(t, e); !bytes.Equal(after[key], before[key]) {
			t.Errorf("term %q value %x: holds %x after the refused entry, want %x as before", key[1:], v, after[key], before[key])
		}
	}
}

func TestARefusedCounterEntryKeepsTheCounter(t *testing.T) {
	e := fewStoriesLearned(t)
	before := entriesByKey(t, e)
	for name, v := range map[string][]byte{"a tombstone": nil, "a byte more": append(binary.AppendUvarint(nil, 7), 0)} {
		if err := e.Load(state.Entry{Table: state.Enrich, Key: []byte{'A'}, Value: v}); err == nil {
			t.Errorf("%s: loaded", name)
		}
		if after := entriesByKey(t, e); !bytes.Equal(after["A"], before["A"]) {
			t.Errorf("%s: counter %x after the refused entry, want %x as before", name, after["A"], before["A"])
		}
	}
}
