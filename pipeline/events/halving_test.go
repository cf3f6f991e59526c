package events

import (
	"bufio"
	"context"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/testkit/statetest"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
)

// halvingStream runs stories [from, to) of the wordy stream (terms_test.go)
// through c, whose vocabulary bound of 1,000 terms makes the document
// frequencies halve every few dozen stories, in batches of 10 stories
// (with republications and an expiry, as churn does), handing batch the
// Changes of each. The stream is the same for the same story numbers.
// It returns how many times the table halved.
func halvingStream(c *Clusterer, from, to int, batch func([]state.Entry)) (halvings int) {
	for i := from; i < to; i++ {
		rng := rand.New(rand.NewPCG(uint64(i), 35))
		at := t0.Add(time.Duration(i) * 90 * time.Second)
		n := c.df.n
		c.AddStory(wordyStory(rng, i, rng.IntN(60), at))
		if c.df.n < n {
			halvings++
		}
		if i%5 == 0 {
			c.AddDuplicate(&record.Duplicate{ID: fmt.Sprintf("d%d", i), DuplicateOf: fmt.Sprintf("s%d", rng.IntN(i+1)), Publisher: "dup", Published: at})
		}
		if i%10 == 9 {
			batch(c.Changes())
			c.Expire(at)
		}
	}
	return halvings
}

// writeLogFile writes entries one a line: the key in hex, then the value
// in hex or "-" for a tombstone.
func writeLogFile(t *testing.T, path string, entries []state.Entry) {
	t.Helper()
	var b strings.Builder
	for _, e := range entries {
		v := "-"
		if e.Value != nil {
			v = hex.EncodeToString(e.Value)
		}
		fmt.Fprintf(&b, "%x %s\n", e.Key, v)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// readLogFile reads what writeLogFile wrote.
func readLogFile(t *testing.T, path string) []state.Entry {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []state.Entry
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		k, v, _ := strings.Cut(sc.Text(), " ")
		e := state.Entry{Table: state.Events}
		if e.Key, err = hex.DecodeString(k); err != nil {
			t.Fatal(err)
		}
		if v != "-" {
			if e.Value, err = hex.DecodeString(v); err != nil {
				t.Fatal(err)
			}
		}
		out = append(out, e)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// compacted is entries as a compacted changelog keeps them: the last
// entry of each key, tombstones gone, in the order those were appended.
func compacted(entries []state.Entry) []state.Entry {
	last := map[string]int{}
	for i, e := range entries {
		last[string(e.Key)] = i
	}
	var out []state.Entry
	for i, e := range entries {
		if last[string(e.Key)] == i && e.Value != nil {
			out = append(out, e)
		}
	}
	return out
}

// The state log that round 34's clusterer wrote for the first 400
// stories of the halving stream, compacted: written once by the previous
// version (WRITE_ROUND34_STATE=1 on main 1458e600) and kept as it was.
const round34State = "testdata/halving_stream_round34.log"

func TestWriteRound34State(t *testing.T) {
	if os.Getenv("WRITE_ROUND34_STATE") == "" {
		t.Skip("writes the fixture only when asked")
	}
	c := New(tightConfig(), nil)
	c.TrackChanges(true)
	var all []state.Entry
	halvingStream(c, 0, 400, func(es []state.Entry) { all = append(all, es...) })
	writeLogFile(t, round34State, compacted(all))
}

// restoredFrom is a clusterer of cfg loaded from entries, in their order,
// as a restart loads one from its log.
func restoredFrom(t *testing.T, cfg Config, entries []state.Entry) *Clusterer {
	t.Helper()
	r := New(cfg, nil)
	r.TrackChanges(true)
	for _, e := range entries {
		if err := r.Load(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Restored(); err != nil {
		t.Fatal(err)
	}
	return r
}

// snapshotOf is c's snapshot, every entry copied, in key order: a
// restored event lists its stories in key order, the live one in the
// order they joined.
func snapshotOf(t *testing.T, c *Clusterer) []state.Entry {
	t.Helper()
	var out []state.Entry
	if err := c.Snapshot(func(e state.Entry) error {
		out = append(out, state.Entry{Table: e.Table, Key: slices.Clone(e.Key), Value: slices.Clone(e.Value)})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(out, func(a, b state.Entry) int { return strings.Compare(string(a.Key), string(b.Key)) })
	return out
}

// docFreqs is c's document-frequency table by term text, with the
// document count under "".
func docFreqs(c *Clusterer) map[string]float64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	m := map[string]float64{"": c.df.n}
	for t, n := range c.df.df {
		if n > 0 {
			m[c.terms.term(termID(t))] = n
		}
	}
	return m
}

func sameDocFreqs(t *testing.T, what string, got, want *Clusterer) {
	t.Helper()
	g, w := docFreqs(got), docFreqs(want)
	for k, n := range w {
		if g[k] != n {
			t.Fatalf("%s: term %q counts %v, want %v (%d terms, want %d)", what, k, g[k], n, len(g), len(w))
		}
	}
	for k, n := range g {
		if _, ok := w[k]; !ok {
			t.Fatalf("%s: term %q counts %v, and the live table does not have it (%d terms, want %d)", what, k, n, len(g), len(w))
		}
	}
}

// partlyCompacted is entries as a compaction that has not finished may
// leave them: each entry a later one of its key replaces dropped or kept
// by chance, a tombstone dropped only once nothing before it of its key
// is left (Kafka's cleaner keeps a key's last entry, and a tombstone
// until it has removed what it deletes).
func partlyCompacted(entries []state.Entry, r *rand.Rand) []state.Entry {
	last := map[string]int{}
	for i, e := range entries {
		last[string(e.Key)] = i
	}
	left := map[string]bool{} // an earlier entry of the key is kept
	var out []state.Entry
	for i, e := range entries {
		k := string(e.Key)
		switch {
		case last[k] != i && r.IntN(2) == 0:
			continue
		case e.Value == nil && !left[k] && r.IntN(2) == 0:
			continue
		}
		left[k] = true
		out = append(out, e)
	}
	return out
}

// A restore after halvings gives the live clusterer's state, whatever
// the log kept of it: every entry appended (the file log before it
// compacts), the last entry of each key (a compacted changelog), or a
// compaction part done. Checked after every batch of a stream whose
// vocabulary halves a few dozen times, by the snapshot's bytes.
func TestARestoreAfterHalvingsIsTheLiveState(t *testing.T) {
	cfg := tightConfig()
	c := New(cfg, nil)
	c.TrackChanges(true)
	var all []state.Entry
	r := rand.New(rand.NewPCG(35, 12))
	batches := 0
	halvings := halvingStream(c, 0, 700, func(es []state.Entry) {
		all = append(all, es...)
		batches++
		want := snapshotOf(t, c)
		for _, tc := range []struct {
			name string
			log  []state.Entry
		}{
			{"every entry", all},
			{"compacted", compacted(all)},
			{"partly compacted", partlyCompacted(all, r)},
		} {
			got := restoredFrom(t, cfg, tc.log)
			sameDocFreqs(t, fmt.Sprintf("batch %d, %s", batches, tc.name), got, c)
			statetest.SameEntries(t, fmt.Sprintf("batch %d, %s: snapshot", batches, tc.name), snapshotOf(t, got), want)
		}
	})
	if halvings < 10 {
		t.Fatalf("the stream halved the table %d times: too few to tell", halvings)
	}
}

// A halving is one entry in the state log, not one for every term whose
// count it halved: a batch of one story that makes the table halve
// writes the counts of that story's terms and no other.
func TestAHalvingWritesTheCountsOfTheBatchsTermsOnly(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxVocabulary = 1000
	c := New(cfg, nil)
	c.TrackChanges(true)
	at := t0
	for i := 0; ; i++ {
		// 20 words of a pool of 300, which outlive the halving, and 20 new ones
		var words []string
		for j := range 20 {
			words = append(words, fmt.Sprintf("pool%c%c", 'a'+(i*20+j)%300/26, 'a'+(i*20+j)%300%26), fmt.Sprintf("new%c%c%c", 'a'+i/26/26%26, 'a'+i/26%26, 'a'+i%26)+fmt.Sprintf("x%c", 'a'+j))
		}
		at = at.Add(time.Minute)
		n := c.df.n
		c.Assign(&record.Story{ID: fmt.Sprintf("s%d", i), Title: strings.Join(words[:6], " "), Body: strings.Join(words, " "), Language: "en", Publisher: "p", FirstSeen: at})
		es := c.Changes()
		if c.df.n >= n {
			continue
		}
		values := 0
		for _, e := range es {
			if e.Key[0] == 'd' && e.Value != nil {
				values++
			}
		}
		if left := c.df.size; values > 60 || left < 200 {
			t.Fatalf("the batch of the halving wrote %d counts, %d terms left in the table", values, left)
		}
		return
	}
}

// The state log that round 34 wrote restores to the table the live
// clusterer has, and a log that goes on from it after the upgrade, its
// table halving again, restores to the table of one that never stopped.
func TestRound34StateRestoresAndGoesOn(t *testing.T) {
	cfg := tightConfig()
	cfg.oneWordBar = 1 // the decisions of the version that wrote the log
	old := readLogFile(t, round34State)
	live := New(cfg, nil)
	live.TrackChanges(true)
	if halvingStream(live, 0, 400, func([]state.Entry) {}) < 5 {
		t.Fatal("the stream halved the table too few times to tell")
	}
	upgraded := restoredFrom(t, cfg, old)
	sameDocFreqs(t, "round 34's state", upgraded, live)
	if !slices.EqualFunc(eventEntries(snapshotOf(t, upgraded)), eventEntries(snapshotOf(t, live)), sameEntry) {
		t.Fatal("round 34's state restores other events than the live clusterer has")
	}

	after := slices.Clone(old)
	if halvingStream(upgraded, 400, 700, func(es []state.Entry) { after = append(after, es...) }) < 5 {
		t.Fatal("the stream halved the table too few times after the upgrade")
	}
	halvingStream(live, 400, 700, func([]state.Entry) {})
	for name, log := range map[string][]state.Entry{"every entry": after, "compacted": compacted(after)} {
		got := restoredFrom(t, cfg, log)
		sameDocFreqs(t, "after the upgrade, "+name, got, live)
		statetest.SameEntries(t, "after the upgrade, "+name, snapshotOf(t, got), snapshotOf(t, upgraded))
	}
}

// eventEntries are the entries of es that are not document frequencies
// or the clock (whose bytes tell the halvings since the upgrade).
func eventEntries(es []state.Entry) []state.Entry {
	return slices.DeleteFunc(slices.Clone(es), func(e state.Entry) bool { return e.Key[0] == 'd' || e.Key[0] == 'c' })
}

func sameEntry(a, b state.Entry) bool {
	return a.Table == b.Table && string(a.Key) == string(b.Key) && string(a.Value) == string(b.Value)
}

// The terms a halving forgets still have their counts in the log: their
// tombstones follow in the next batches, a bounded number a batch, so
// a compacted changelog keeps no key for a term the table forgot.
func TestForgottenTermsAreTombstonedAFewThousandABatch(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxVocabulary = 20_000
	c := New(cfg, nil)
	c.TrackChanges(true)
	var all []state.Entry
	at := t0
	halved := -1
	for i := 0; halved < 0 || i < halved+20; i++ {
		var words []string
		for j := range 20 {
			words = append(words, fmt.Sprintf("pool%c%c", 'a'+(i*20+j)%300/26, 'a'+(i*20+j)%300%26), fmt.Sprintf("new%c%c%c%c", 'a'+i/26/26/26%26, 'a'+i/26/26%26, 'a'+i/26%26, 'a'+i%26)+fmt.Sprintf("x%c", 'a'+j))
		}
		at = at.Add(time.Minute)
		n := c.df.n
		c.Assign(&record.Story{ID: fmt.Sprintf("s%d", i), Title: strings.Join(words[:6], " "), Body: strings.Join(words, " "), Language: "en", Publisher: "p", FirstSeen: at})
		if c.df.n < n {
			if halved >= 0 {
				t.Fatal("a second halving: the stream adds too many terms to tell")
			}
			halved = i
		}
		es := c.Changes()
		all = append(all, es...)
		tombstones := 0
		for _, e := range es {
			if e.Key[0] == 'd' && e.Value == nil {
				tombstones++
			}
		}
		// (and the story's own new terms, which the halving forgets at once)
		if tombstones > forgetPerBatch+20 {
			t.Fatalf("story %d's batch wrote %d tombstones of terms", i, tombstones)
		}
	}
	var logged []string
	for _, e := range compacted(all) {
		if e.Key[0] == 'd' {
			logged = append(logged, string(e.Key[1:]))
		}
	}
	var live []string
	for k := range docFreqs(c) {
		if k != "" {
			live = append(live, k)
		}
	}
	slices.Sort(logged)
	slices.Sort(live)
	if !slices.Equal(logged, live) {
		t.Fatalf("the compacted log counts %d terms, the table %d", len(logged), len(live))
	}
}

// The file log restores the live table across halvings, before and after
// it compacts: a snapshot holds each count at the epoch it was taken, and
// the halvings after it move the epoch of the entries appended on top.
func TestTheFileLogRestoresTheTableAcrossHalvingsAndACompaction(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	dir := t.TempDir()
	cfg := state.DefaultConfig()
	cfg.NoSync = true
	open := func() (*state.Store, *Clusterer) {
		t.Helper()
		fl, err := state.OpenFile(dir, cfg, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		c := New(tightConfig(), nil)
		st, err := state.Open(ctx, fl, state.Options{}, c)
		if err != nil {
			t.Fatal(err)
		}
		return st, c
	}
	commit := func(st *state.Store) func([]state.Entry) {
		return func(es []state.Entry) {
			if err := st.Commit(ctx, es, nil); err != nil {
				t.Fatal(err)
			}
		}
	}
	st, live := open()
	halvings := halvingStream(live, 0, 300, commit(st))
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	st, got := open()
	sameDocFreqs(t, "the file log", got, live)
	statetest.SameEntries(t, "the file log", snapshotOf(t, got), snapshotOf(t, live))
	if err := st.Compact(); err != nil {
		t.Fatal(err)
	}
	halvings += halvingStream(got, 300, 600, commit(st))
	halvingStream(live, 300, 600, func([]state.Entry) {})
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	if halvings < 10 {
		t.Fatalf("%d halvings: too few to tell", halvings)
	}
	st, again := open()
	defer st.Close()
	sameDocFreqs(t, "the compacted file log and what followed", again, live)
	statetest.SameEntries(t, "the compacted file log and what followed", snapshotOf(t, again), snapshotOf(t, live))
}

// A batch cut short after some of its counts but before its clock entry
// (the clock entry is the batch's last) leaves counts of an epoch the
// log's clock has not reached. The restore takes them as they are; the
// restored clusterer goes on, halves, and its log must still restore to
// its table: a count of the later epoch that no story touched since
// would otherwise read as already halved by the halving that came after.
func TestACountOfALaterEpochThanTheClockRestoresAfterTheNextHalving(t *testing.T) {
	cfg := tightConfig()
	c := New(cfg, nil)
	c.TrackChanges(true)
	var log []state.Entry
	cut := false
	next := 0
	for i := 0; !cut && i < 70; i++ {
		before := c.df.epoch
		halvingStream(c, i*10, i*10+10, func(es []state.Entry) {
			if c.df.epoch > before {
				if last := es[len(es)-1]; last.Key[0] != 'c' {
					t.Fatalf("the batch's last entry is %q, want the clock", last.Key)
				}
				es, cut = es[:len(es)-1], true
			}
			log = append(log, es...)
		})
		next = i*10 + 10
	}
	if !cut {
		t.Fatal("the stream never halved")
	}
	r := restoredFrom(t, cfg, log)
	halvings := 0
	for i := next; halvings < 3 && i < next+400; i += 10 {
		halvings += halvingStream(r, i, i+10, func(es []state.Entry) {
			log = append(log, es...)
			sameDocFreqs(t, fmt.Sprintf("after story %d, every entry", i+10), restoredFrom(t, cfg, log), r)
			sameDocFreqs(t, fmt.Sprintf("after story %d, compacted", i+10), restoredFrom(t, cfg, compacted(log)), r)
		})
	}
	if halvings < 3 {
		t.Fatalf("the restored clusterer halved %d times: too few to tell", halvings)
	}
}

// The clock's epoch is its last field: bytes after it are a damaged or
// foreign entry, refused as a count's are, not read past (before round 35
// bytes after the document count were ignored; now they would be the
// epoch every count is aged to).
func TestAClockWithBytesAfterItsEpochIsRefused(t *testing.T) {
	c := New(tightConfig(), nil)
	c.TrackChanges(true)
	var clock state.Entry
	halvingStream(c, 0, 60, func(es []state.Entry) { clock = es[len(es)-1] })
	if clock.Key[0] != 'c' || c.df.epoch == 0 {
		t.Fatalf("the last entry is %q at epoch %d, want a clock after a halving", clock.Key, c.df.epoch)
	}
	r := New(tightConfig(), nil)
	if err := r.Load(state.Entry{Table: state.Events, Key: clock.Key, Value: clock.Value}); err != nil {
		t.Fatalf("the clock as written: %v", err)
	}
	bad := append(slices.Clone(clock.Value), 7)
	if err := r.Load(state.Entry{Table: state.Events, Key: clock.Key, Value: bad}); err == nil {
		t.Fatal("a clock with a byte after its epoch was taken")
	}
}

// A snapshot taken while forgotten terms wait for their tombstones (a
// halving within a batch, before its Changes) holds the live table only;
// the log after it, those tombstones among its entries, restores on top
// of it to the live table, batch after batch.
func TestASnapshotTakenMidDrainRestoresWithTheLogAfterIt(t *testing.T) {
	cfg := tightConfig()
	c := New(cfg, nil)
	c.TrackChanges(true)
	var snap []state.Entry
	next := 0
	for i := 0; snap == nil && i < 700; i++ {
		halvingStream(c, i, i+1, func([]state.Entry) {}) // the log before the snapshot is not needed
		next = i + 1
		if c.df.forgot.n > 0 {
			snap = snapshotOf(t, c) // within a batch: its Changes come after
		}
	}
	if snap == nil {
		t.Fatal("no halving forgot a term")
	}
	log := slices.Clone(snap)
	halvingStream(c, next, next+200, func(es []state.Entry) {
		log = append(log, es...)
		sameDocFreqs(t, fmt.Sprintf("%d entries after the snapshot", len(log)-len(snap)), restoredFrom(t, cfg, log), c)
	})
	if c.df.forgot.n != 0 {
		t.Fatalf("%d tombstones still queued: the drain was not crossed", c.df.forgot.n)
	}
}
