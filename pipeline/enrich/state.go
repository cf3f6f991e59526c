package enrich

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/wirestream/wirestream/pipeline/enrich/keywords"
	"github.com/wirestream/wirestream/pipeline/state"
)

// What the enricher learns from the stream — the keyword corpus's
// document frequencies and the surname → full name map — in the state log
// (table enrich), so that after a restart a story gets the keywords and
// entity keys it would have got without one (and so joins the same
// event). Keys:
//
//	'w' term     → its stored document frequency (float64)
//	'W'          → the corpus's scale, documents and documents since its last prune
//	'a' surname  → its full names and counts (entities.AliasMap)
//	'a' "body " word → the same, for a word one of whose names is a body
//	'A'          → the surname map's observation counter

var (
	_ state.Owner    = (*Enricher)(nil)
	_ state.Restorer = (*Enricher)(nil)
)

// Tables is the enricher's table in the state log.
func (e *Enricher) Tables() []state.Table { return []state.Table{state.Enrich} }

// TrackChanges turns on (or off) the record of what changed for Changes.
func (e *Enricher) TrackChanges(on bool) {
	e.keywords.TrackChanges(on)
	e.entities.Aliases().TrackChanges(on)
}

// Reset forgets what the enricher learned (the keyword corpus, the
// surname map), so that a state.Store.Rewind loads it again from the log.
func (e *Enricher) Reset() {
	e.keywords.Reset()
	e.entities.Aliases().Reset()
}

func enrichEntry(kind byte, key string, value []byte) state.Entry {
	return state.Entry{Table: state.Enrich, Key: append([]byte{kind}, key...), Value: value}
}

// Changes returns the entries for what the enricher learned since the
// last call. The terms' keys and values share arrays of termChunk bytes
// (a batch's entries are kept together, so a full array is left to them
// and a new one begun): a batch changes dozens of terms a story, and two
// allocations each were ≈ 220 a story of the process's (BENCHMARKS.md,
// round 33, e2e33). The entries are gathered in one slice sized for them
// up front: grown from nothing, its copies were a fifth of Changes' CPU
// in the load harness (BENCHMARKS.md, round 44, enr44).
func (e *Enricher) Changes() []state.Entry {
	out := make([]state.Entry, 0, e.keywords.ChangesBound()+e.entities.Aliases().ChangesBound()+2)
	var a []byte
	g := e.keywords.Changes(func(t string, stored float64, ok bool) {
		var en state.Entry
		en, a = appendTermEntry(a, t, stored, ok)
		out = append(out, en)
	})
	tick := e.entities.Aliases().Changes(func(key string, v []byte) {
		out = append(out, enrichEntry('a', key, v))
	})
	return append(out, enrichEntry('W', "", encodeCorpus(g)), enrichEntry('A', "", binary.AppendUvarint(nil, tick)))
}

func encodeCorpus(g keywords.CorpusGlobals) []byte {
	b := state.AppendFloat(state.AppendFloat(nil, g.Scale), g.Docs)
	return binary.AppendUvarint(b, uint64(g.SincePrune))
}

// Load applies one restored entry. It decodes and checks the entry whole
// before it changes anything: an entry it refuses (an error naming the
// key) leaves the enricher as it was (state.UnreadableEntryError), so the
// Kafka log's skip — the record dropped, its key's tombstone loaded —
// cannot set the corpus's scale to 0 (round 40).
func (e *Enricher) Load(en state.Entry) error {
	if len(en.Key) == 0 {
		return errors.New("enrich: empty key")
	}
	d := state.Decoder{B: en.Value}
	switch k := string(en.Key[1:]); en.Key[0] {
	case 'w':
		if en.Value == nil {
			e.keywords.LoadTerm(k, 0, false)
			return nil
		}
		stored := d.Float()
		if err := d.End(); err != nil {
			return fmt.Errorf("enrich: term %q: %w", k, err)
		}
		if err := keywords.CheckStored(stored); err != nil {
			return fmt.Errorf("enrich: term %q: %w", k, err)
		}
		e.keywords.LoadTerm(k, stored, true)
	case 'W':
		g := keywords.CorpusGlobals{Scale: d.Float(), Docs: d.Float()}
		since := d.Uvarint()
		if err := d.End(); err != nil {
			return fmt.Errorf("enrich: corpus globals 'W': %w", err)
		}
		if since > math.MaxInt {
			return fmt.Errorf("enrich: corpus globals 'W': documents since the last prune %d, want at most %d", since, math.MaxInt)
		}
		g.SincePrune = int(since)
		if err := g.Check(); err != nil {
			return fmt.Errorf("enrich: corpus globals 'W': %w", err)
		}
		e.keywords.LoadGlobals(g)
	case 'a':
		if err := e.entities.Aliases().Load(k, en.Value); err != nil {
			return fmt.Errorf("enrich: %w", err)
		}
	case 'A':
		tick := d.Uvarint()
		if err := d.End(); err != nil {
			return fmt.Errorf("enrich: surname counter 'A': %w", err)
		}
		e.entities.Aliases().LoadTick(tick)
	default:
		return fmt.Errorf("enrich: unknown key kind %q", en.Key[0])
	}
	return nil
}

// Restored has the surname map mark the entries the log holds in another
// form than theirs (entities.AliasMap.Restored), so that the next Changes
// writes them in it.
func (e *Enricher) Restored() error {
	e.entities.Aliases().Restored()
	return nil
}

// Count is the number of terms in the keyword corpus.
func (e *Enricher) Count(state.Table) int {
	n, _ := e.keywords.Stats()
	return n
}

// appendTermEntry appends term t's key and (when held) its stored count
// to a, or to a fresh array of termChunk bytes when a has no room for
// both, and returns the entry over them, each capped so an append to one
// cannot write over the next; a term not held is a tombstone (a nil
// value). An array once full is never appended to again, so an entry
// handed out keeps valid bytes.
func appendTermEntry(a []byte, t string, stored float64, held bool) (state.Entry, []byte) {
	if n := 1 + len(t) + 8; cap(a)-len(a) < n {
		a = make([]byte, 0, max(termChunk, n))
	}
	start := len(a)
	a = append(append(a, 'w'), t...)
	k := len(a)
	en := state.Entry{Table: state.Enrich, Key: a[start:k:k]}
	if held {
		a = state.AppendFloat(a, stored)
		en.Value = a[k:len(a):len(a)]
	}
	return en, a
}

// termChunk is how many bytes of terms' keys and values Changes gathers
// in one array (appendTermEntry), and the size of the array Snapshot
// reuses.
const termChunk = 64 << 10

// Snapshot hands emit everything the enricher learned. Each entry's key
// and value are cut from one array, reused from entry to entry: emit
// copies what it keeps (state.Owner), so a snapshot allocates an array,
// not the corpus (a fresh 64 KiB array per ≈ 2,700 terms was ≈ 8 MB a
// compaction at the 10k-feed run's corpus, counted live when a collection
// was marking; BENCHMARKS.md, round 39).
func (e *Enricher) Snapshot(emit func(state.Entry) error) error {
	a := make([]byte, 0, termChunk)
	g, err := e.keywords.EachHeld(func(t string, stored float64) error {
		var en state.Entry
		en, a = appendTermEntry(a[:0], t, stored, true)
		return emit(en)
	})
	if err != nil {
		return err
	}
	tick, err := e.entities.Aliases().Each(func(surname string, v []byte) error {
		a = append(append(a[:0], 'a'), surname...)
		return emit(state.Entry{Table: state.Enrich, Key: a, Value: v})
	})
	if err != nil {
		return err
	}
	if err := emit(enrichEntry('W', "", encodeCorpus(g))); err != nil {
		return err
	}
	return emit(enrichEntry('A', "", binary.AppendUvarint(nil, tick)))
}
