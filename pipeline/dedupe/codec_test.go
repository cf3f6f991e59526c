package dedupe

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/normalize"
	"github.com/wirestream/wirestream/pipeline/state"
)

// streamGen makes a stream of items like a day of news: new stories,
// revisions, wire copies under other URLs, the same URL in a second feed.
type streamGen struct {
	r      *rand.Rand
	vocab  []string
	made   []item
	boiler string // ends every new story's text when set: template text
	// sites: every new story comes from its URL's site's feed, and the
	// same URL through another feed comes with other text (a claim that
	// only the site's home mark makes a copy).
	sites bool
}

func newStreamGen(seed uint64) *streamGen {
	g := &streamGen{r: rand.New(rand.NewPCG(seed, seed))}
	for i := 0; i < 5000; i++ {
		g.vocab = append(g.vocab, fmt.Sprintf("w%x", mix64(uint64(i))%1e7))
	}
	return g
}

func (g *streamGen) text(words int) string {
	w := make([]string, words)
	for i := range w {
		w[i] = g.vocab[g.r.IntN(len(g.vocab))]
	}
	if g.boiler != "" {
		w = append(w, g.boiler)
	}
	return strings.Join(w, " ")
}

func (g *streamGen) next(i int) item {
	feed := fmt.Sprintf("https://f%d.example/rss", g.r.IntN(20))
	if len(g.made) > 10 {
		old := g.made[g.r.IntN(len(g.made))]
		switch g.r.IntN(6) {
		case 0: // a revision
			old.title += " (updated)"
			return old
		case 1: // a wire copy, edited
			return item{feed, "", fmt.Sprintf("c-%d", i), fmt.Sprintf("https://copy%d.example/%d", i%7, i), "copy", edit(old.text)}
		case 2: // the same URL through another feed
			old.feed, old.guid = feed, fmt.Sprintf("x-%d", i)
			if g.sites {
				old.text = g.text(60)
			}
			return old
		}
	}
	site := g.r.IntN(50)
	url := fmt.Sprintf("https://news%d.example/%d", site, i)
	if g.sites {
		feed = fmt.Sprintf("https://news%d.example/rss", site)
	}
	it := item{feed, "", fmt.Sprintf("g-%d", i), url, fmt.Sprintf("title %d", i), g.text(40 + g.r.IntN(80))}
	g.made = append(g.made, it)
	return it
}

// storyOf makes the item a story with the id normalize would give it.
func storyOf(it item) (*item, string) {
	it.id = normalize.StoryID(it.url, it.guid, it.feed)
	return &it, it.id
}

// feedStream runs n items of the stream through d in batches of 10,
// committing each, and returns the decisions as text.
func feedStream(t testing.TB, d *Deduper, st *state.Store, g *streamGen, from, n int, at time.Time) []string {
	t.Helper()
	var out []string
	tx := d.Begin()
	for i := from; i < from+n; i++ {
		it, _ := storyOf(g.next(i))
		s, text := story(*it)
		dec, err := tx.Check(s, text, at.Add(time.Duration(i)*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		line := fmt.Sprintf("%s %s v%d", dec.Kind, s.ID, s.Version)
		if dec.Duplicate != nil {
			line += fmt.Sprintf(" of %s by %s %.3f", dec.Duplicate.DuplicateOf, dec.Duplicate.Method, dec.Duplicate.Similarity)
		}
		out = append(out, line)
		if i%10 == 9 {
			commit(t, tx, st)
			tx = d.Begin()
		}
	}
	commit(t, tx, st)
	return out
}

func fileDeduper(t *testing.T, dir string) (*Deduper, *state.Store) {
	t.Helper()
	cfg := state.DefaultConfig()
	cfg.NoSync = true
	l, err := state.OpenFile(dir, cfg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	d, st := newDeduper(t, l)
	t.Cleanup(func() { st.Close() })
	return d, st
}

// A restart in the middle of a stream must decide the rest of it exactly
// as a run without the restart: from the log alone, and from a snapshot
// that replaced most of it.
func TestARestartDecidesTheRestOfAStreamAsOneRunWould(t *testing.T) {
	for _, tc := range []struct{ compact, sites bool }{{false, false}, {true, false}, {false, true}, {true, true}} {
		compact := tc.compact
		gen := func() *streamGen { g := newStreamGen(9); g.sites = tc.sites; return g }
		t.Run(fmt.Sprintf("compacted=%v,sites=%v", compact, tc.sites), func(t *testing.T) {
			one, oneSt := newDeduper(t, nil)
			want := feedStream(t, one, oneSt, gen(), 0, 1200, t0)

			dir := t.TempDir()
			g := gen()
			d, st := fileDeduper(t, dir)
			got := feedStream(t, d, st, g, 0, 700, t0)
			if compact {
				if err := st.Compact(); err != nil {
					t.Fatal(err)
				}
				got = append(got, feedStream(t, d, st, g, 700, 100, t0)...)
			}
			st.Close()
			d2, st2 := fileDeduper(t, dir)
			a, b, c := d.Remembered()
			a2, b2, c2 := d2.Remembered()
			if a != a2 || b != b2 || c != c2 {
				t.Fatalf("restored %d stories, %d copies, %d signatures; had %d, %d, %d", a2, b2, c2, a, b, c)
			}
			from := len(got)
			got = append(got, feedStream(t, d2, st2, g, from, 1200-from, t0)...)
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("decision %d after the restart at %d: %q, one run decided %q", i, from, got[i], want[i])
				}
			}
		})
	}
}

// A snapshot is written while batches keep committing: what it misses is
// in the log after it, so a restore still equals memory.
func TestASnapshotWrittenWhileBatchesCommitRestoresExactly(t *testing.T) {
	dir := t.TempDir()
	g := newStreamGen(11)
	d, st := fileDeduper(t, dir)
	feedStream(t, d, st, g, 0, 2000, t0)
	var wg sync.WaitGroup
	wg.Go(func() { feedStream(t, d, st, g, 2000, 1500, t0) })
	for i := 0; i < 3; i++ {
		if err := st.Compact(); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
	want := snapshotOf(t, d)
	st.Close()
	d2, _ := fileDeduper(t, dir)
	if got := snapshotOf(t, d2); got != want {
		t.Fatalf("restored memory differs from the memory written:\n%.400s\nwant\n%.400s", got, want)
	}
}

func snapshotOf(t *testing.T, d *Deduper) string {
	t.Helper()
	lines := map[string]bool{}
	err := d.Snapshot(func(e state.Entry) error {
		lines[fmt.Sprintf("%s %x %x", e.Table, e.Key, e.Value)] = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for l := range lines {
		out = append(out, l)
	}
	slices.Sort(out)
	return strings.Join(out, "\n")
}

func TestPruneForgetsTheOldestAndTheirAliasesAndSignatures(t *testing.T) {
	d, err := New(DefaultConfig(), Bounds{SeenTTL: 48 * time.Hour, MaxEntries: 4}, nil)
	if err != nil {
		t.Fatal(err)
	}
	st, err := state.Open(context.Background(), nil, state.Options{}, d)
	if err != nil {
		t.Fatal(err)
	}
	g := newStreamGen(5)
	add := func(at time.Time, ids ...string) {
		tx := d.Begin()
		for _, id := range ids {
			s, text := story(item{"https://a.example/rss", id, "guid-" + id, "https://a.example/" + id, id, g.text(60)})
			if dec, _ := tx.Check(s, text, at); dec.Kind != KindNew {
				t.Fatalf("%s: %v", id, dec.Kind)
			}
		}
		commit(t, tx, st)
	}
	add(t0, "old")
	add(t0.Add(20*time.Hour), "a")
	add(t0.Add(21*time.Hour), "b")
	add(t0.Add(40*time.Hour), "c", "d")
	add(t0.Add(50*time.Hour), "e") // story time: the clock the TTL runs on
	tombs, ps, ok := d.Prune()
	if !ok || ps.Stories != 1 || ps.Evicted != 1 {
		t.Fatalf("pruned %+v, want 1 expired and 1 evicted", ps)
	}
	// old: past the TTL; a: evicted (least recently seen); b..e kept. The
	// window (72h) keeps b..e's signatures; old's and a's go with them.
	if ps.Aliases != 6 || ps.Fingerprints != 0 {
		t.Errorf("pruned %+v, want the 6 aliases (guid, url, body) of old and a", ps)
	}
	if len(tombs) != 2+2+6 {
		t.Errorf("%d tombstones, want 10 (2 stories, 2 signatures, 6 aliases)", len(tombs))
	}
	for id, want := range map[string]bool{"old": false, "a": false, "b": true, "c": true, "d": true, "e": true} {
		d.mu.Lock()
		_, ok := d.get(id)
		_, aok := d.alias(urlAlias("https://a.example/" + id))
		has := d.idx.has(hkey(id))
		d.mu.Unlock()
		if ok != want || aok != want || has != want {
			t.Errorf("%s: story %v, alias %v, signature %v; want %v", id, ok, aok, has, want)
		}
	}
}

// The sizes entry only reserves room: one that comes after the stories
// (a changelog keeps no order of keys) or that undercounts, or a damaged
// one, must leave what is restored as it was.
func TestASizesHintThatIsLateOrWrongChangesNothingRestored(t *testing.T) {
	one, oneSt := newDeduper(t, nil)
	feedStream(t, one, oneSt, newStreamGen(5), 0, 300, t0)
	var entries []state.Entry
	if err := one.Snapshot(func(e state.Entry) error { entries = append(entries, copied(e)); return nil }); err != nil {
		t.Fatal(err)
	}
	want := snapshotOf(t, one)
	hints := []struct {
		name  string
		value []byte
	}{
		{"a hint that undercounts", []byte{1, 0, 1, 1}},
		{"a hint that asks for the machine", []byte{0xff, 0xff, 0xff, 0xff, 0x0f, 0, 0, 0}},
		{"a deleted hint", nil},
	}
	for _, h := range hints {
		t.Run(h.name, func(t *testing.T) {
			d, err := New(DefaultConfig(), BoundsOf(state.DefaultConfig()), nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range entries[1:] {
				if err := d.Load(e); err != nil {
					t.Fatal(err)
				}
			}
			_ = d.Load(state.Entry{Table: state.Stories, Key: []byte{}, Value: h.value})
			if err := d.Load(entries[0]); err != nil { // the true hint, late
				t.Fatal(err)
			}
			if err := d.Restored(); err != nil {
				t.Fatal(err)
			}
			if got := snapshotOf(t, d); got != want {
				t.Fatalf("restored memory differs:\n%.400s\nwant\n%.400s", got, want)
			}
		})
	}
}

// Entries past the snapshot's size hint (the log after the snapshot) grow
// the arrays by append; the restore must end with no spare capacity and
// no sparse table, and remember exactly what was written.
func TestARestorePastItsSizeHintEndsWithoutSpareMemory(t *testing.T) {
	one, oneSt := newDeduper(t, nil)
	feedStream(t, one, oneSt, newStreamGen(13), 0, 3000, t0)
	var entries []state.Entry
	if err := one.Snapshot(func(e state.Entry) error { entries = append(entries, copied(e)); return nil }); err != nil {
		t.Fatal(err)
	}
	want := snapshotOf(t, one)
	d, err := New(DefaultConfig(), BoundsOf(state.DefaultConfig()), nil)
	if err != nil {
		t.Fatal(err)
	}
	// A hint a tenth of the truth: nine tenths arrive "after the snapshot".
	stories, copies, aliases, sigs := one.mem.live[0], one.mem.live[1], one.mem.aliases.len(), one.idx.Len()
	hint := binary.AppendUvarint(nil, uint64(stories/10))
	hint = binary.AppendUvarint(hint, uint64(copies/10))
	hint = binary.AppendUvarint(hint, uint64(aliases/10))
	hint = binary.AppendUvarint(hint, uint64(sigs/10))
	if err := d.Load(state.Entry{Table: state.Stories, Key: []byte{}, Value: hint}); err != nil {
		t.Fatal(err)
	}
	for _, e := range entries[1:] {
		if err := d.Load(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.Restored(); err != nil {
		t.Fatal(err)
	}
	if got := snapshotOf(t, d); got != want {
		t.Fatalf("restored memory differs:\n%.400s\nwant\n%.400s", got, want)
	}
	spare := func(name string, l, c int) {
		if c-l > c/32 {
			t.Errorf("%s: %d of %d capacity spare after the restore", name, c-l, c)
		}
	}
	spare("stories", d.mem.stories.len(), d.mem.stories.allocated())
	spare("copies", len(d.mem.copies), cap(d.mem.copies))
	spare("index keys", d.idx.keys.len(), d.idx.keys.allocated())
	spare("index values", d.idx.vals.len(), d.idx.vals.allocated())
	spare("index checks", d.idx.chk.len(), d.idx.chk.allocated())
	for name, m := range map[string]struct{ n, cells int }{
		"aliases": {d.mem.aliases.len(), len(d.mem.aliases.keys)},
		"stories": {d.mem.storyIdx.len(), len(d.mem.storyIdx.cells)},
		"index":   {d.idx.byKey.len(), len(d.idx.byKey.cells)},
	} {
		if m.cells > minCells && m.n*sparseDen < m.cells*sparseNum {
			t.Errorf("%s table %d of %d cells full after the restore", name, m.n, m.cells)
		}
	}
}

// The same stream decided twice writes the same log and snapshots to the
// same entries in the same order: the alias table's cells, which a
// snapshot walks in order, follow seeds that are a function of the
// table's size and the process's secret (sizeSeed), not drawn at random
// at each resize.
func TestTheSameStreamGivesTheSameLogAndSnapshotBytes(t *testing.T) {
	var logs, snaps [2][]byte
	for i := range 2 {
		log := &textLog{}
		d, st := newDeduper(t, log)
		feedStream(t, d, st, newStreamGen(5), 0, 1500, t0)
		var snap []byte
		err := d.Snapshot(func(e state.Entry) error {
			snap = fmt.Appendf(snap, "%s %x %x\n", e.Table, e.Key, e.Value)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := st.Close(); err != nil {
			t.Fatal(err)
		}
		logs[i], snaps[i] = log.b, snap
	}
	if !bytes.Equal(logs[0], logs[1]) {
		t.Error("two runs over the same stream wrote state logs with different bytes")
	}
	if !bytes.Equal(snaps[0], snaps[1]) {
		t.Error("two runs over the same stream snapshot to different entries or order")
	}
	if n := bytes.Count(snaps[0], []byte("aliases ")); n < 1000 {
		t.Fatalf("%d aliases: too few to tell two layouts apart", n)
	}
}

// The aliases a stream makes are pinned: the same stories give the same
// alias entries in another process, on another machine, in a later build.
// Their order follows the process's secret seed (sizeSeed) and is not
// pinned, so the digest is taken over the entries sorted. It moves only
// with a change to which aliases a stream makes or how they are keyed; say
// why in the commit that moves it.
func TestTheAliasesOfAStreamArePinned(t *testing.T) {
	d, st := newDeduper(t, nil)
	feedStream(t, d, st, newStreamGen(5), 0, 1500, t0)
	var entries []string
	if err := d.snapshotAliases(func(e state.Entry) error {
		entries = append(entries, string(e.Key)+"\x00"+string(e.Value))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	slices.Sort(entries)
	h := sha256.New()
	for _, e := range entries {
		h.Write([]byte(e))
	}
	const want = "35aa356cc0ae991be27d62c9c0ccb5c288c20dc96c898239bc5617d98a1d5f87"
	if got := hex.EncodeToString(h.Sum(nil)); got != want {
		t.Errorf("%d aliases snapshot to sha256 %s (sorted), pinned %s", len(entries), got, want)
	}
}

// textLog is a Log that keeps what was appended as text, in order.
type textLog struct{ b []byte }

func (l *textLog) Append(_ context.Context, es []state.Entry) error {
	for _, e := range es {
		l.b = fmt.Appendf(l.b, "%s %x %x\n", e.Table, e.Key, e.Value)
	}
	l.b = append(l.b, "--\n"...)
	return nil
}

func (l *textLog) Restore(context.Context, func(state.Entry) error) error { return nil }
func (l *textLog) Close() error                                           { return nil }

// The window's clock survives a restart: when the latest stories moved it
// without leaving a signature (a copy caught by its body), a restart must
// not fall back to the newest signature's time, or an edited copy of a
// story the window has left would be caught again after it.
func TestARestartKeepsTheWindowClockTheLatestStoriesMoved(t *testing.T) {
	win := DefaultConfig().Window
	orig := item{"https://a.example/rss", "s_a1", "a-1", "https://a.example/ecb", "ECB", wire}
	steps := []struct {
		it  item
		pub time.Time
	}{
		{orig, t0},
		// the same text from another outlet, past the window: a copy (by
		// its body), which moves the clock and is not signed
		{item{"https://b.example/rss", "s_b1", "b-1", "https://b.example/ecb", "ECB again", wire}, t0.Add(win + time.Hour)},
		// an edited copy, published late: the original has left the window
		{item{"https://c.example/rss", "s_c1", "c-1", "https://c.example/y", "Rates on hold", edit(wire)}, t0.Add(time.Hour)},
	}
	run := func(restartAfter int, compact bool) []string {
		dir := t.TempDir()
		d, st := fileDeduper(t, dir)
		var out []string
		for i, sp := range steps {
			if i == restartAfter {
				if compact {
					if err := st.Compact(); err != nil {
						t.Fatal(err)
					}
				}
				if err := st.Close(); err != nil {
					t.Fatal(err)
				}
				d, st = fileDeduper(t, dir)
			}
			s, text := story(sp.it)
			s.Published = sp.pub
			tx := d.Begin()
			dec, err := tx.Check(s, text, t0.Add(time.Duration(i)*time.Minute))
			if err != nil {
				t.Fatal(err)
			}
			commit(t, tx, st)
			out = append(out, dec.Kind.String())
		}
		return out
	}
	want := run(-1, false)
	if fmt.Sprint(want) != "[new duplicate new]" {
		t.Fatalf("one run decided %v: the case tests nothing", want)
	}
	for _, compact := range []bool{false, true} {
		if got := run(2, compact); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("with a restart before the late copy (from a snapshot: %v): %v; one run decided %v", compact, got, want)
		}
	}
}

// restoreSizes is what a restore may reserve and grow: the arrays'
// capacities and the key tables' cells.
type restoreSizes struct{ stories, keys, vals, aliasCells, aliasResizes, storyCells, keyCells int }

func restoreSizesOf(d *Deduper) restoreSizes {
	return restoreSizes{d.mem.stories.cap(), d.idx.keys.cap(), d.idx.vals.cap(), len(d.mem.aliases.keys), d.mem.aliases.resizes,
		len(d.mem.storyIdx.cells), len(d.idx.byKey.cells)}
}

// restoreSized restores one's snapshot into a new deduper bounded by b,
// one's size hint first, as the store hands them over, and returns it with
// its sizes after the hint (reserved) and after the restore (got).
func restoreSized(t *testing.T, one *Deduper, b Bounds) (d *Deduper, reserved, got restoreSizes) {
	t.Helper()
	var entries []state.Entry
	if err := one.Snapshot(func(e state.Entry) error { entries = append(entries, copied(e)); return nil }); err != nil {
		t.Fatal(err)
	}
	hint, _ := one.SizeHint()
	d, err := New(DefaultConfig(), b, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Load(hint); err != nil {
		t.Fatal(err)
	}
	reserved = restoreSizesOf(d)
	for _, e := range entries {
		if err := d.Load(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.Restored(); err != nil {
		t.Fatal(err)
	}
	return d, reserved, restoreSizesOf(d)
}

// A hint that holds the truth (the store's, saved beside the log) sizes
// every array and table once: the restore neither grows nor remakes any.
func TestAnExactSizesHintSizesTheRestoreOnce(t *testing.T) {
	one, oneSt := newDeduper(t, nil)
	feedStream(t, one, oneSt, newStreamGen(17), 0, 3000, t0)
	d, reserved, got := restoreSized(t, one, BoundsOf(state.DefaultConfig()))
	if got != reserved {
		t.Fatalf("the restore resized its memory: %+v after, %+v reserved", got, reserved)
	}
	if got, want := snapshotOf(t, d), snapshotOf(t, one); got != want {
		t.Fatalf("restored memory differs:\n%.400s\nwant\n%.400s", got, want)
	}
}

// The store's hint may hold more than max_entries: stories admitted
// between two prunes lift its peak above it, and each story keeps several
// aliases. A true hint of such a window must still size the restore once
// (it was cut at max_entries, and a 1M-story restore of a snapshot and a
// tail grew its alias table by half four times over).
func TestASizesHintAboveMaxEntriesSizesTheRestoreOnce(t *testing.T) {
	one, oneSt := newDeduper(t, nil)
	feedStream(t, one, oneSt, newStreamGen(19), 0, 3000, t0)
	c := one.counts()
	stories := c[0] + c[1]
	if c[2] <= stories*11/10 {
		t.Fatalf("%d aliases for %d stories: the case tests nothing", c[2], stories)
	}
	b := BoundsOf(state.DefaultConfig())
	b.MaxEntries = stories * 24 / 25 // the peak holds a prune interval's stories more
	d, reserved, got := restoreSized(t, one, b)
	// Fit may trim what the reserve rounded up; nothing may grow.
	tables := func(z restoreSizes) restoreSizes { z.stories, z.keys, z.vals = 0, 0, 0; return z }
	if got.stories > reserved.stories || got.keys > reserved.keys || got.vals > reserved.vals || tables(got) != tables(reserved) {
		t.Fatalf("the restore grew its memory: %+v after, %+v reserved", got, reserved)
	}
	if got, want := snapshotOf(t, d), snapshotOf(t, one); got != want {
		t.Fatalf("restored memory differs:\n%.400s\nwant\n%.400s", got, want)
	}
	// A hint past any true one (a damaged entry) is still bounded.
	big, err := New(DefaultConfig(), b, nil)
	if err != nil {
		t.Fatal(err)
	}
	huge := []byte{0xff, 0xff, 0xff, 0xff, 0x0f, 0, 0xff, 0xff, 0xff, 0xff, 0x0f, 0xff, 0xff, 0xff, 0xff, 0x0f}
	if err := big.Load(state.Entry{Table: state.Stories, Key: []byte{}, Value: huge}); err != nil {
		t.Fatal(err)
	}
	if got, most := big.mem.stories.cap(), 2*b.MaxEntries; got > most+most/8 {
		t.Errorf("a damaged hint reserved %d stories, want at most ≈ %d", got, most)
	}
	if got, most := len(big.mem.aliases.keys), reservedSize(2*loggedAliases*b.MaxEntries); got > most {
		t.Errorf("a damaged hint reserved %d alias cells, want at most %d", got, most)
	}
	if got, most := big.idx.keys.cap(), 2*b.MaxEntries; got > most+most/8 {
		t.Errorf("a damaged hint reserved %d signature slots, want at most ≈ %d", got, most)
	}
}

// Re-polls of an undated feed move the window clock to their check time,
// but a batch of unchanged stories writes nothing to the log for it: the
// clock waits for a batch that logs something, or for an hour's lead.
func TestRepolledUndatedStoriesLogNothing(t *testing.T) {
	d, st := fileDeduper(t, t.TempDir())
	it := item{"https://a.example/rss", "s_a1", "a-1", "https://a.example/ecb", "ECB", wire}
	for i, at := range []time.Time{t0, t0.Add(time.Minute), t0.Add(2 * time.Minute)} {
		s, text := story(it)
		s.Published = time.Time{}
		tx := d.Begin()
		dec, err := tx.Check(s, text, at)
		if err != nil {
			t.Fatal(err)
		}
		es := tx.Entries()
		if i > 0 {
			if dec.Kind.String() != "unchanged" {
				t.Fatalf("poll %d decided %v, want unchanged: the case tests nothing", i+1, dec.Kind)
			}
			if len(es) != 0 {
				t.Errorf("poll %d of an unchanged undated story logs %d entries (%v), want none", i+1, len(es), es)
			}
		}
		commit(t, tx, st)
	}
}

// The store's hint is the most the deduper held at once since its last
// snapshot, not what it holds at the end: a restore replays the
// signatures the window expired later too, and holds them until their
// tombstones come, so a hint of the end's counts would grow the arrays on
// the way. With the peak, the replay never grows them.
func TestTheStoresSizeHintCoversTheMostHeldSinceTheSnapshot(t *testing.T) {
	dir := t.TempDir()
	d, st := fileDeduper(t, dir)
	g := newStreamGen(23)
	feedStream(t, d, st, g, 0, 2000, t0)
	feedStream(t, d, st, g, 2000, 200, t0.Add(100*time.Hour)) // past the window: 2,000 signatures expire
	peakSigs := d.idx.Len()
	if err := st.Update(context.Background(), func() []state.Entry {
		tombs, _, ok := d.Prune()
		if !ok {
			t.Fatal("prune refused")
		}
		return tombs
	}); err != nil {
		t.Fatal(err)
	}
	if end := d.idx.Len(); end*4 > peakSigs {
		t.Fatalf("%d signatures after the prune of %d: the case tests nothing", end, peakSigs)
	}
	if err := st.Close(); err != nil { // saves the hints
		t.Fatal(err)
	}

	cfg := state.DefaultConfig()
	cfg.NoSync = true
	l, err := state.OpenFile(dir, cfg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	r, err := New(DefaultConfig(), BoundsOf(state.DefaultConfig()), nil)
	if err != nil {
		t.Fatal(err)
	}
	hints := l.Hints(context.Background())
	if len(hints) != 1 {
		t.Fatalf("hints %v, want the deduper's one", hints)
	}
	if err := r.Load(hints[0]); err != nil {
		t.Fatal(err)
	}
	type caps struct{ stories, keys, vals, keyCells int }
	now := func() caps {
		return caps{r.mem.stories.cap(), r.idx.keys.cap(), r.idx.vals.cap(), len(r.idx.byKey.cells)}
	}
	reserved := now()
	if reserved.keys < peakSigs {
		t.Fatalf("the hint reserved %d signature slots; the log held %d at once", reserved.keys, peakSigs)
	}
	if err := l.Restore(context.Background(), r.Load); err != nil {
		t.Fatal(err)
	}
	if got := now(); got != reserved {
		t.Fatalf("the replay resized its memory: %+v after, %+v reserved", got, reserved)
	}
	if err := r.Restored(); err != nil {
		t.Fatal(err)
	}
	if got, want := snapshotOf(t, r), snapshotOf(t, d); got != want {
		t.Fatalf("restored memory differs:\n%.400s\nwant\n%.400s", got, want)
	}

	// A snapshot starts the count again from what it holds.
	if err := r.Snapshot(func(state.Entry) error { return nil }); err != nil {
		t.Fatal(err)
	}
	h, _ := r.SizeHint()
	dec := state.Decoder{B: h.Value}
	_, _, _, sigs := dec.Uvarint(), dec.Uvarint(), dec.Uvarint(), dec.Uvarint()
	if int(sigs) != r.idx.Len() {
		t.Errorf("after a snapshot the hint says %d signatures, want the %d held", sigs, r.idx.Len())
	}
}

// Several batches committed with CommitAll log what committing each in
// turn logs, in one append: the same entries in the same order, and the
// window's clock only where a batch moves it past what is logged, so a
// batch of older stories after a newer one does not log the clock back.
func TestCommitAllLogsWhatCommittingEachInTurnLogs(t *testing.T) {
	steps := []struct {
		it  item
		pub time.Time
	}{
		{item{"https://a.example/rss", "s_a1", "a-1", "https://a.example/ecb", "ECB", wire}, t0.Add(2 * time.Hour)},
		{item{"https://b.example/rss", "s_b1", "b-1", "https://b.example/flood", "Floods", other}, t0}, // older: no clock entry
		{item{"https://c.example/rss", "s_c1", "c-1", "https://c.example/ecb", "ECB, edited", edit(wire)}, t0.Add(3 * time.Hour)},
	}
	run := func(together bool) (string, int) {
		log := &textLog{}
		d, st := newDeduper(t, log)
		var txns []*Txn
		for i, sp := range steps {
			s, text := story(sp.it)
			s.Published = sp.pub
			tx := d.Begin()
			if _, err := tx.Check(s, text, t0.Add(time.Duration(i)*time.Minute)); err != nil {
				t.Fatal(err)
			}
			if !together {
				commit(t, tx, st)
			}
			txns = append(txns, tx)
		}
		if together {
			if err := CommitAll(context.Background(), st, txns); err != nil {
				t.Fatal(err)
			}
		}
		n, _, _ := d.Remembered()
		return string(log.b), n
	}
	each, nEach := run(false)
	all, nAll := run(true)
	if nEach != nAll || nAll == 0 {
		t.Errorf("%d stories remembered after CommitAll, %d after committing in turn", nAll, nEach)
	}
	if strings.Count(each, "fingerprints  ") < 2 {
		t.Fatalf("committing in turn logged the clock fewer than twice, so the case tests nothing:\n%s", each)
	}
	if strings.Count(each, "--\n") != len(steps) || strings.Count(all, "--\n") != 1 {
		t.Fatalf("appends: %d in turn, %d together; want %d and 1", strings.Count(each, "--\n"), strings.Count(all, "--\n"), len(steps))
	}
	if got, want := strings.ReplaceAll(all, "--\n", ""), strings.ReplaceAll(each, "--\n", ""); got != want {
		t.Errorf("CommitAll logged\n%s\ncommitting in turn logged\n%s", got, want)
	}
}

// A batch's entries are encoded into one buffer: the same bytes each
// entry's own encoding gives, each slice capped at its end (an append to
// one entry never writes over the next), and a handful of allocations
// for the batch instead of a few per entry.
func TestABatchsEntriesShareOneBuffer(t *testing.T) {
	d, _ := newDeduper(t, nil)
	tx := d.Begin()
	defer tx.Release()
	const n = 50
	g := newStreamGen(7)
	for i := range n {
		s, text := story(item{"https://a.example/rss", fmt.Sprintf("s_%d", i), fmt.Sprint(i), fmt.Sprintf("https://a.example/%d", i),
			fmt.Sprintf("title %d", i), g.text(120)})
		if _, err := tx.Check(s, text, t0); err != nil {
			t.Fatal(err)
		}
	}
	es := tx.Entries()
	var stories, aliases, fps int
	for i, e := range es {
		if cap(e.Key) != len(e.Key) || cap(e.Value) != len(e.Value) {
			t.Fatalf("entry %d: key %d/%d, value %d/%d (len/cap): an append would write over the next", i, len(e.Key), cap(e.Key), len(e.Value), cap(e.Value))
		}
		if len(e.Key) != 8 {
			continue // the clock
		}
		k := binary.LittleEndian.Uint64(e.Key)
		var want []byte
		switch e.Table {
		case state.Stories:
			stories++
			want = encodeSeen(nil, tx.stories[k])
		case state.Aliases:
			aliases++
			want = keyBytes(hkey(tx.aliases[k]))
		case state.Fingerprints:
			fps++
			s, ok := d.idx.byKey.get(k)
			if !ok {
				t.Fatalf("entry %d: no signature under %x", i, k)
			}
			want = d.idx.encodeSlot(nil, s)
		}
		if !bytes.Equal(e.Value, want) {
			t.Fatalf("entry %d (%s): %x, want %x", i, e.Table, e.Value, want)
		}
	}
	if stories != n || aliases < n || fps != n {
		t.Fatalf("%d stories, %d aliases, %d signatures logged for %d new stories: the case tests nothing", stories, aliases, fps, n)
	}
	if testing.Short() {
		return
	}
	// The sorted keys of the two maps, the entries, the buffer, the ends.
	if allocs := testing.AllocsPerRun(20, func() { tx.Entries() }); allocs > 6 {
		t.Errorf("Entries of %d new stories allocates %.0f times, want at most 6", n, allocs)
	}
}

// Snapshot appends a chunk's keys and values to one array that its
// entries slice (the same array reused from chunk to chunk): every entry
// must be its key's own encoding when it is handed out — a story's as
// encodeSeen writes what memory holds, its id spelt out or packed — as a
// writer copying it reads it.
func TestSnapshotEntriesStayEachKeysOwnEncoding(t *testing.T) {
	one, oneSt := newDeduper(t, nil)
	feedStream(t, one, oneSt, newStreamGen(27), 0, 9000, t0)
	var entries []state.Entry
	if err := one.Snapshot(func(e state.Entry) error { entries = append(entries, copied(e)); return nil }); err != nil {
		t.Fatal(err)
	}
	d, err := New(DefaultConfig(), BoundsOf(state.DefaultConfig()), nil)
	if err != nil {
		t.Fatal(err)
	}
	odd := seen{id: "an id normalize never makes", feed: 7, content: 9, first: t0.UnixNano(), last: t0.Unix(), version: 3}
	if _, packs := packID(odd.id); packs {
		t.Fatal("the odd id packs")
	}
	for _, e := range append(entries, state.Entry{Table: state.Stories, Key: keyBytes(42), Value: encodeSeen(nil, odd)}) {
		if err := d.Load(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.Restored(); err != nil {
		t.Fatal(err)
	}
	var kept []state.Entry
	if err := d.Snapshot(func(e state.Entry) error { kept = append(kept, copied(e)); return nil }); err != nil {
		t.Fatal(err)
	}
	want := snapshotOf(t, d) // formatted as they are handed out
	got := map[string]bool{}
	stories := 0
	for _, e := range kept {
		got[fmt.Sprintf("%s %x %x", e.Table, e.Key, e.Value)] = true
		if e.Table != state.Stories || len(e.Key) != 8 {
			continue
		}
		stories++
		d.mu.Lock()
		s, ok := d.mem.get(binary.LittleEndian.Uint64(e.Key))
		d.mu.Unlock()
		if !ok {
			t.Fatalf("story %x snapshot but not in memory", e.Key)
		}
		if w := encodeSeen(nil, s); !bytes.Equal(e.Value, w) {
			t.Fatalf("story %x: snapshot %x, its own encoding %x", e.Key, e.Value, w)
		}
	}
	if stories <= snapshotChunk {
		t.Fatalf("%d stories: not more than one chunk", stories)
	}
	if !got[fmt.Sprintf("%s %x %x", state.Stories, keyBytes(42), encodeSeen(nil, odd))] {
		t.Error("the story whose id does not pack is missing or changed")
	}
	lines := make([]string, 0, len(got))
	for l := range got {
		lines = append(lines, l)
	}
	slices.Sort(lines)
	if s := strings.Join(lines, "\n"); s != want {
		t.Fatalf("the kept entries differ from the snapshot's as handed out:\n%.300s\nwant\n%.300s", s, want)
	}
}

// A resize while a snapshot walks the alias table moves every alias; the
// walk starts over in the new table and passes over what it emitted from
// the old one. Every alias there at the start is emitted exactly once,
// however many resizes the aliases put meanwhile (between chunks, as a
// running pipeline's batches would) cause.
func TestAnAliasSnapshotThroughResizesEmitsEachAliasOnce(t *testing.T) {
	d, err := New(DefaultConfig(), Bounds{SeenTTL: time.Hour, MaxEntries: 1 << 20}, nil)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(11, 11))
	const stories = 20_000
	keys := make([]uint64, stories)
	for i := range keys {
		keys[i] = r.Uint64() | 1
		d.mem.put(keys[i], seen{pid: packedID{r.Uint64(), r.Uint64() | 1}, first: 1, last: 1})
	}
	before := map[uint64]uint64{}
	for i := 0; i < 3*stories; i++ {
		k := r.Uint64() | 1
		d.mem.putAlias(k, keys[i%stories])
		before[k] = keys[i%stories]
	}
	resizes := d.mem.aliases.resizes
	got := map[uint64]int{}
	emitted, added := 0, 0
	err = d.snapshotAliases(func(e state.Entry) error {
		k := binary.LittleEndian.Uint64(e.Key)
		got[k]++
		// A batch's new aliases, outside the walk's hold of the lock,
		// until the table has doubled: fewer than the walk emits, or it
		// would never reach the table's end.
		if emitted++; emitted%1000 == 0 && added < 3*stories {
			d.mu.Lock()
			for j := 0; j < 1000; j++ {
				d.mem.putAlias(r.Uint64()|1, keys[j])
			}
			added += 1000
			d.mu.Unlock()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if d.mem.aliases.resizes-resizes < 2 {
		t.Fatalf("%d resizes during the snapshot: the test wants several", d.mem.aliases.resizes-resizes)
	}
	for k, story := range before {
		if got[k] != 1 {
			t.Fatalf("alias %x (story %x) emitted %d times, want once", k, story, got[k])
		}
	}
	for k, n := range got {
		if n != 1 {
			t.Fatalf("alias %x emitted %d times", k, n)
		}
	}
	t.Logf("%d aliases before, %d emitted, %d resizes during the walk", len(before), emitted, d.mem.aliases.resizes-resizes)
}
