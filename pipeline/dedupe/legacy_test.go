package dedupe

import (
	"context"
	"encoding/binary"
	"slices"
	"testing"

	"github.com/wirestream/wirestream/pipeline/normalize"
	"github.com/wirestream/wirestream/pipeline/state"
)

// legacyEntries rewrites entries as a build before round 27 logged them: a
// story its URL's site published carries no mark (the packed id's idHome
// bit clear, 'r' for 'R') and has a home alias beside its other aliases,
// homeAlias(its URL) → its key, tombstoned with it. url gives a story
// key's canonical URL. (The alias then follows the story's entry, not the
// aliases' key order of a real batch or snapshot: a restore does not
// depend on the order of keys.)
func legacyEntries(t *testing.T, es []state.Entry, url func(story uint64) string) []state.Entry {
	t.Helper()
	var out []state.Entry
	for _, e := range es {
		if e.Table != state.Stories || len(e.Key) != 8 {
			out = append(out, e)
			continue
		}
		k := binary.LittleEndian.Uint64(e.Key)
		if e.Value == nil {
			out = append(out, e, state.Entry{Table: state.Aliases, Key: keyBytes(homeAlias(url(k)))})
			continue
		}
		s, err := decodeSeen(e.Value)
		if err != nil {
			t.Fatal(err)
		}
		if !s.home {
			out = append(out, e)
			continue
		}
		s.home = false
		out = append(out,
			state.Entry{Table: state.Stories, Key: e.Key, Value: encodeSeen(nil, s)},
			state.Entry{Table: state.Aliases, Key: keyBytes(homeAlias(url(k))), Value: keyBytes(k)})
	}
	return out
}

// entryLog is a Log that records what is appended and restores a list of
// entries in order, as a snapshot and the segments after it restore.
type entryLog struct{ appended, restore []state.Entry }

func (l *entryLog) Append(_ context.Context, es []state.Entry) error {
	for _, e := range es {
		l.appended = append(l.appended, state.Entry{Table: e.Table, Key: slices.Clone(e.Key), Value: slices.Clone(e.Value)})
	}
	return nil
}

func (l *entryLog) Restore(_ context.Context, fn func(state.Entry) error) error {
	for _, e := range l.restore {
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}

func (l *entryLog) Close() error { return nil }

// A state written before round 27 — a snapshot and the batches after it,
// its site's stories unmarked and each with a home alias — restores to a
// deduper that decides the rest of the stream as one run of this build:
// the home aliases still hold their URLs against other feeds' claims. And
// the test can tell: the same state without its home aliases decides
// otherwise.
func TestAStateLoggedWithHomeAliasesDecidesAsOneRunWould(t *testing.T) {
	const n, snapAt, stopAt = 1200, 600, 750
	gen := func(upTo int) *streamGen { // the stream, its first upTo items made
		g := newStreamGen(21)
		g.sites = true
		for i := 0; i < upTo; i++ {
			g.next(i)
		}
		return g
	}
	one, oneSt := newDeduper(t, nil)
	want := feedStream(t, one, oneSt, gen(0), 0, n, t0)

	g := gen(0)
	urls := map[uint64]string{}
	url := func(k uint64) string {
		for _, it := range g.made {
			urls[hkey(normalize.StoryID(it.url, it.guid, it.feed))] = it.url
		}
		u, ok := urls[k]
		if !ok {
			t.Fatalf("no story of key %x was made", k)
		}
		return u
	}
	l := &entryLog{}
	d, st := newDeduper(t, l)
	got := feedStream(t, d, st, g, 0, snapAt, t0)
	var snap []state.Entry
	if err := d.Snapshot(func(e state.Entry) error {
		snap = append(snap, state.Entry{Table: e.Table, Key: slices.Clone(e.Key), Value: slices.Clone(e.Value)})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	l.appended = nil
	got = append(got, feedStream(t, d, st, g, snapAt, stopAt-snapAt, t0)...)
	old := append(legacyEntries(t, snap, url), legacyEntries(t, l.appended, url)...)

	homes := map[string]bool{}
	for _, u := range urls {
		homes[string(keyBytes(homeAlias(u)))] = true
	}
	restoreRest := func(es []state.Entry) (*Deduper, []string) {
		d, st := newDeduper(t, &entryLog{restore: es})
		return d, feedStream(t, d, st, gen(stopAt), stopAt, n-stopAt, t0)
	}
	d2, rest := restoreRest(old)
	if got, mine := d2.Count(state.Aliases), d.Count(state.Aliases); got <= mine {
		t.Fatalf("the old state restored %d aliases, this build's %d: no home alias to read", got, mine)
	}
	for i, line := range append(got, rest...) {
		if line != want[i] {
			t.Fatalf("decision %d, the old state restored at %d: %q, one run decided %q", i, stopAt, line, want[i])
		}
	}

	// Without its home aliases the old state decides some claim otherwise:
	// what the test checks is there.
	var bare []state.Entry
	for _, e := range old {
		if !(e.Table == state.Aliases && homes[string(e.Key)]) {
			bare = append(bare, e)
		}
	}
	if _, lost := restoreRest(bare); slices.Equal(lost, rest) {
		t.Fatal("the old state without its home aliases decides the rest alike: the stream tests no claim")
	}
}

// A build before round 27 reads a packed id with the home mark as the
// same id (String reads its 110 bits, packed its flag bit): the mark
// costs it nothing but the mark.
func TestAPackedIDsHomeMarkLeavesItsIDAsItWas(t *testing.T) {
	id := normalize.StoryID("https://a.example/ecb", "", "")
	p, ok := packID(id)
	if !ok {
		t.Fatalf("%s does not pack", id)
	}
	marked := p
	marked[1] |= idHome
	if marked == p || !marked.packed() || marked.String() != id {
		t.Errorf("marked %x: packed %v, id %q; want %q", marked, marked.packed(), marked.String(), id)
	}
	b := encodeSeen(nil, seen{pid: p, home: true, version: 3})
	if got := (packedID{binary.LittleEndian.Uint64(b[1:]), binary.LittleEndian.Uint64(b[9:])}); got != marked {
		t.Errorf("logged id %x, want the packed id with its home mark %x", got, marked)
	}
	if s, err := decodeSeen(b); err != nil || !s.home || s.pid != p || s.version != 3 {
		t.Errorf("decoded %+v %v, want home, the id unmarked, version 3", s, err)
	}
}
