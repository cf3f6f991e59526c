package dedupe

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/testkit"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
)

var t0 = time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)

const wire = `The European Central Bank left interest rates unchanged on Thursday, saying inflation in the euro area
was easing more slowly than it had expected and that it would keep borrowing costs high for as long as needed.
Policymakers voted to hold the deposit rate at four percent for a fifth straight meeting, in line with forecasts
from economists polled before the decision. The bank's president told reporters in Frankfurt that wage growth
remained strong and that services prices were still rising at a pace the governing council found uncomfortable.`

const other = `Heavy rain flooded parts of southern Brazil for a third day as rivers burst their banks and thousands of
families left their homes, the state civil defence agency said. Rescue teams used boats and helicopters to reach
people stranded on rooftops in towns along the Taquari valley, where the water rose faster than during last
year's floods. The governor asked the federal government for emergency funds and troops to help clear roads.`

type item struct {
	feed, id, guid, url, title, text string
}

func story(it item) (*record.Story, string) {
	s := &record.Story{
		Type: record.TypeStory, ID: it.id, Feed: record.FeedRef{URL: it.feed}, GUID: it.guid,
		URL: it.url, CanonicalURL: it.url, Title: it.title, Body: it.text,
	}
	s.ContentHash = it.title + "|" + BodyHash(Words(it.text)) // stands in for normalize's sha256
	return s, strings.ToLower(it.text)
}

// newDeduper returns a deduper restored from log (nil: none) and the store
// its batches commit to.
func newDeduper(t testing.TB, log state.Log) (*Deduper, *state.Store) {
	t.Helper()
	return newDeduperUnder(t, DefaultConfig(), log)
}

// newDeduperUnder is newDeduper under cfg.
func newDeduperUnder(t testing.TB, cfg Config, log state.Log) (*Deduper, *state.Store) {
	t.Helper()
	d, err := New(cfg, BoundsOf(state.DefaultConfig()), nil)
	if err != nil {
		t.Fatal(err)
	}
	st, err := state.Open(context.Background(), log, state.Options{}, d)
	if err != nil {
		t.Fatal(err)
	}
	return d, st
}

// openOnFileLog is newDeduperUnder restored from the file log in dir,
// its store closed at the test's end: a restart is a second call on the
// same dir.
func openOnFileLog(t testing.TB, dir string, cfg Config) (*Deduper, *state.Store) {
	t.Helper()
	l, err := state.OpenFile(dir, state.DefaultConfig(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	d, st := newDeduperUnder(t, cfg, l)
	t.Cleanup(func() { st.Close() })
	return d, st
}

func commit(t testing.TB, tx *Txn, st *state.Store) {
	t.Helper()
	if err := tx.Commit(context.Background(), st); err != nil {
		t.Fatal(err)
	}
}

// edit makes a republication: new dateline words and a few words changed.
func edit(text string) string {
	w := strings.Fields(text)
	for i := 7; i < len(w); i += 17 {
		w[i] = "indeed"
	}
	return "FRANKFURT (Reuters) " + strings.Join(w, " ") + " Reporting by staff."
}

func TestExactDedupeAndRevisions(t *testing.T) {
	first := item{feed: "https://a.example/rss", id: "s_a1", guid: "a-1", url: "https://a.example/ecb", title: "ECB holds rates", text: wire}
	tests := []struct {
		name       string
		later      item
		wantKind   Kind
		wantMethod string
		wantID     string
		wantVer    int
	}{
		{"the same item polled again is unchanged", first, KindUnchanged, "", "s_a1", 0},
		{"a corrected headline is a revision, version 2", item{first.feed, "s_a1", "a-1", first.url, "ECB holds rates steady", wire}, KindRevision, "", "s_a1", 2},
		{"an updated body is a revision", item{first.feed, "s_a1", "a-1", first.url, first.title, wire + " Markets barely moved."}, KindRevision, "", "s_a1", 2},
		{"the same GUID under a new link in the same feed is the same story, revised", item{first.feed, "s_a9", "a-1", "https://a.example/ecb-steady", "ECB holds steady", wire}, KindRevision, "", "s_a1", 2},
		{"the same canonical URL in another feed is a url duplicate", item{"https://b.example/feed", "s_a1", "b-7", first.url, "ECB decision", wire}, KindDuplicate, MethodURL, "s_a1", 0},
		{"another URL with the same body is a body duplicate", item{"https://b.example/feed", "s_b1", "b-1", "https://b.example/x", "Rates on hold", wire}, KindDuplicate, MethodBody, "s_b1", 0},
		{"an edited republication is a near duplicate", item{"https://c.example/feed", "s_c1", "c-1", "https://c.example/y", "Rates on hold again", edit(wire)}, KindDuplicate, MethodNear, "s_c1", 0},
		{"a different story is new", item{"https://c.example/feed", "s_c2", "c-2", "https://c.example/z", "Floods in Brazil", other}, KindNew, "", "s_c2", 1},
		{"the same GUID in another feed is not a duplicate by itself", item{"https://d.example/feed", "s_d1", "a-1", "https://d.example/q", "Floods", other}, KindNew, "", "s_d1", 1},
		{"a global GUID (URN) in another feed is a guid duplicate", item{"https://d.example/feed", "s_d2", "urn:uuid:3f1c", "https://d.example/r", "x", "short text"}, KindDuplicate, MethodGUID, "s_d2", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, st := newDeduper(t, nil)
			tx := d.Begin()
			f := first
			if tc.wantMethod == MethodGUID {
				f.guid, f.text = "urn:uuid:3f1c", "short text"
			}
			s, text := story(f)
			if dec, err := tx.Check(s, text, t0); err != nil || dec.Kind != KindNew {
				t.Fatalf("first sighting: %v %v", dec.Kind, err)
			}
			commit(t, tx, st)
			tx = d.Begin()
			s2, text2 := story(tc.later)
			dec, err := tx.Check(s2, text2, t0.Add(time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			if dec.Kind != tc.wantKind {
				t.Fatalf("kind = %v, want %v", dec.Kind, tc.wantKind)
			}
			if s2.ID != tc.wantID {
				t.Errorf("id = %s, want %s", s2.ID, tc.wantID)
			}
			if len(s2.Fingerprint) != 16 {
				t.Errorf("fingerprint %q is not 16 hex digits", s2.Fingerprint)
			}
			switch tc.wantKind {
			case KindDuplicate:
				if dec.Duplicate.Method != tc.wantMethod || dec.Duplicate.DuplicateOf != "s_a1" {
					t.Errorf("duplicate = %s of %s, want %s of s_a1", dec.Duplicate.Method, dec.Duplicate.DuplicateOf, tc.wantMethod)
				}
				if tc.wantMethod == MethodNear && (dec.Duplicate.Similarity < 0.3 || dec.Duplicate.Similarity >= 1) {
					t.Errorf("near similarity %.2f out of (0.3, 1)", dec.Duplicate.Similarity)
				}
			case KindRevision, KindNew:
				if s2.Version != tc.wantVer {
					t.Errorf("version = %d, want %d", s2.Version, tc.wantVer)
				}
				if tc.wantKind == KindRevision && !s2.FirstSeen.Equal(t0) {
					t.Errorf("revision first seen %s, want the original's %s", s2.FirstSeen, t0)
				}
			}
			commit(t, tx, st)
			// Seen again as it is, the second sighting publishes nothing.
			tx = d.Begin()
			s3, text3 := story(tc.later)
			if dec, _ := tx.Check(s3, text3, t0.Add(2*time.Hour)); dec.Kind != KindUnchanged {
				t.Errorf("third sighting kind = %v, want unchanged", dec.Kind)
			}
		})
	}
}

func TestPendingStoryCatchesItsCopyInTheNextBatch(t *testing.T) {
	d, st := newDeduper(t, nil)
	b1 := d.Begin()
	s, text := story(item{"https://a.example/rss", "s_a1", "a-1", "https://a.example/ecb", "ECB", wire})
	if dec, _ := b1.Check(s, text, t0); dec.Kind != KindNew {
		t.Fatalf("first: %v", dec.Kind)
	}
	// b1 is in flight: nothing remembered yet.
	if n, _, _ := d.Remembered(); n != 0 {
		t.Fatal("pending story remembered before its batch was acknowledged")
	}
	b2 := d.Begin()
	c, ctext := story(item{"https://c.example/feed", "s_c1", "c-1", "https://c.example/y", "Rates on hold", edit(wire)})
	dec, _ := b2.Check(c, ctext, t0.Add(time.Minute))
	if dec.Kind != KindDuplicate || dec.Duplicate.DuplicateOf != "s_a1" {
		t.Fatalf("copy in the next batch: %v, want a duplicate of the pending story", dec.Kind)
	}
	commit(t, b1, st)
	if n, _, _ := d.Remembered(); n != 1 {
		t.Fatal("acknowledged story not remembered")
	}
}

func TestReleasedStoryIsDecidedAgain(t *testing.T) {
	d, _ := newDeduper(t, nil)
	b1 := d.Begin()
	s, text := story(item{"https://a.example/rss", "s_a1", "a-1", "https://a.example/ecb", "ECB", wire})
	b1.Check(s, text, t0)
	b1.Release() // the sink failed
	if n, _, sigs := d.Remembered(); n != 0 || sigs != 0 {
		t.Fatal("released story remembered")
	}
	b2 := d.Begin()
	c, ctext := story(item{"https://c.example/feed", "s_c1", "c-1", "https://c.example/y", "Rates", edit(wire)})
	if dec, _ := b2.Check(c, ctext, t0); dec.Kind != KindNew {
		t.Fatalf("copy after release: %v, want new (the original was never published)", dec.Kind)
	}
	s, text = story(item{"https://a.example/rss", "s_a1", "a-1", "https://a.example/ecb", "ECB", wire})
	if dec, _ := b2.Check(s, text, t0); dec.Kind != KindDuplicate {
		t.Fatalf("replayed original: %v, want duplicate of the story published meanwhile", dec.Kind)
	}
}

func TestTheMemoryIsRestoredFromTheStateLog(t *testing.T) {
	dir := t.TempDir()
	open := func() (*Deduper, *state.Store) { return openOnFileLog(t, dir, DefaultConfig()) }
	d, st := open()
	tx := d.Begin()
	s, text := story(item{"https://a.example/rss", "s_a1", "a-1", "https://a.example/ecb", "ECB", wire})
	tx.Check(s, text, t0)
	commit(t, tx, st)
	tx = d.Begin()
	rev, rtext := story(item{"https://a.example/rss", "s_a1", "a-1", "https://a.example/ecb", "ECB holds rates", wire})
	if dec, _ := tx.Check(rev, rtext, t0.Add(time.Minute)); dec.Kind != KindRevision {
		t.Fatalf("revision: %v", dec.Kind)
	}
	commit(t, tx, st)
	st.Close()

	d2, st2 := open() // a restart
	tx = d2.Begin()
	same, stext := story(item{"https://a.example/rss", "s_a1", "a-1", "https://a.example/ecb", "ECB holds rates", wire})
	if dec, _ := tx.Check(same, stext, t0.Add(time.Hour)); dec.Kind != KindUnchanged {
		t.Fatalf("the revised story after restart: %v, want unchanged", dec.Kind)
	}
	moved, mtext := story(item{"https://a.example/rss", "s_a9", "a-1", "https://a.example/ecb-2", "ECB", wire + " More."})
	if dec, _ := tx.Check(moved, mtext, t0.Add(time.Hour)); dec.Kind != KindRevision || moved.ID != "s_a1" || moved.Version != 3 || !moved.FirstSeen.Equal(t0) {
		t.Fatalf("same GUID under a new link after restart: %v id %s v%d first %s, want a revision of s_a1, v3, first seen %s",
			dec.Kind, moved.ID, moved.Version, moved.FirstSeen, t0)
	}
	c, ctext := story(item{"https://c.example/feed", "s_c1", "c-1", "https://c.example/y", "Rates", edit(wire)})
	if dec, _ := tx.Check(c, ctext, t0.Add(time.Hour)); dec.Kind != KindDuplicate || dec.Duplicate.Method != MethodNear || dec.Duplicate.DuplicateOf != "s_a1" {
		t.Fatalf("after restart: %v, want a near duplicate of s_a1", dec.Kind)
	}
	tx.Release()
	// A story past the window (in story time) does not meet the original,
	// and moves the window's clock, so the next prune forgets it.
	tx = d2.Begin()
	c, ctext = story(item{"https://e.example/feed", "s_e1", "e-1", "https://e.example/y", "Rates", edit(wire)})
	if dec, _ := tx.Check(c, ctext, t0.Add(73*time.Hour)); dec.Kind != KindNew {
		t.Fatalf("after the window: %v, want new", dec.Kind)
	}
	commit(t, tx, st2)
	tombs, ps, ok := d2.Prune()
	if !ok || ps.Fingerprints != 1 || len(tombs) != 1 {
		t.Fatalf("prune past the window: %+v, %d tombstones", ps, len(tombs))
	}
}

func TestConfigValidateNamesTheKey(t *testing.T) {
	tests := []testkit.ConfigCase[Config]{
		{"a negative window", func(c *Config) { c.Window = -time.Hour }, "dedupe.window: must be > 0, got -1h0m0s"},
		{"bands that do not divide minhashes", func(c *Config) { c.Bands = 5 }, "dedupe.bands"},
		{"a threshold above one", func(c *Config) { c.Threshold = 1.5 }, "dedupe.threshold"},
		{"negative bucket visits", func(c *Config) { c.BucketVisits = -1 }, "dedupe.bucket_visits: must be >= 0 (0: no bound), got -1"},
	}
	testkit.CheckValidate(t, DefaultConfig, tests)
	if err := DefaultConfig().Validate(); err != nil {
		t.Fatal(err)
	}
}

// Every copy is reported under an id of its own, never its original's: a
// record whose id equals its duplicate_of reads as a story copying itself.
func TestEveryCopyHasItsOwnID(t *testing.T) {
	first := item{feed: "https://a.example/rss", id: "s_a1", guid: "a-1", url: "https://a.example/ecb", title: "ECB holds rates", text: wire}
	copies := []struct {
		name string
		copy item
	}{
		{"the same canonical URL under another GUID in the same feed", item{first.feed, "s_a1", "a-1-amp", first.url + "?utm_source=rss", first.title, wire}},
		{"the same canonical URL in another feed", item{"https://b.example/feed", "s_a1", "b-7", first.url, "ECB decision", wire}},
		{"the same canonical URL in another feed without a GUID", item{"https://c.example/feed", "s_a1", "", first.url, "ECB decision", wire}},
	}
	d, st := newDeduper(t, nil)
	tx := d.Begin()
	s, text := story(first)
	if dec, err := tx.Check(s, text, t0); err != nil || dec.Kind != KindNew {
		t.Fatalf("first sighting: %v %v", dec.Kind, err)
	}
	commit(t, tx, st)
	ids := map[string]string{}
	for _, c := range copies {
		t.Run(c.name, func(t *testing.T) {
			tx := d.Begin()
			s, text := story(c.copy)
			dec, err := tx.Check(s, text, t0.Add(time.Minute))
			if err != nil || dec.Kind != KindDuplicate {
				t.Fatalf("copy decided %v (err %v), want a duplicate record", dec.Kind, err)
			}
			dup := dec.Duplicate
			if dup.ID == dup.DuplicateOf || !strings.HasPrefix(dup.ID, "c_") || len(dup.ID) != 24 {
				t.Errorf("duplicate id %q of %q, want an id of its own (c_ and 22 characters)", dup.ID, dup.DuplicateOf)
			}
			if dup.DuplicateOf != "s_a1" || dup.Method != MethodURL || dup.GUID != c.copy.guid {
				t.Errorf("duplicate = %s of %s with guid %q, want url of s_a1 with guid %q", dup.Method, dup.DuplicateOf, dup.GUID, c.copy.guid)
			}
			if other, ok := ids[dup.ID]; ok {
				t.Errorf("id %s already given to the copy %q", dup.ID, other)
			}
			ids[dup.ID] = c.name
			commit(t, tx, st)
			// The same copy read again publishes nothing more.
			tx = d.Begin()
			s, text = story(c.copy)
			if dec, err := tx.Check(s, text, t0.Add(2*time.Minute)); err != nil || dec.Kind != KindUnchanged {
				t.Errorf("the copy read again: %v %v, want unchanged", dec.Kind, err)
			}
			tx.Release()
		})
	}
	// The original itself, read again, is still the original.
	tx = d.Begin()
	s, text = story(first)
	if dec, err := tx.Check(s, text, t0.Add(3*time.Minute)); err != nil || dec.Kind != KindUnchanged {
		t.Errorf("the original read again: %v %v, want unchanged", dec.Kind, err)
	}
	tx.Release()
}

// The sketch builds its shingles as a set in reused buffers; it must be
// Shingles' set, and the signatures those of Shingles' set.
func TestShingleSetGivesShinglesSignatures(t *testing.T) {
	var out, wh, seen []uint64
	texts := []string{"", "one", "two words", "a b a b a b a b the cat sat on the mat and the cat sat on the hat",
		strings.Repeat("rates rise as inflation cools ", 40)}
	r := rand.New(rand.NewPCG(12, 3))
	for range 300 { // random texts of 1..600 words over small vocabularies, so shingles repeat
		w := make([]string, 1+r.IntN(600))
		for i := range w {
			w[i] = fmt.Sprint(r.IntN(2 + r.IntN(40)))
		}
		texts = append(texts, strings.Join(w, " "))
	}
	for _, text := range texts {
		words := Words(text)
		for _, n := range []int{1, 3, 5} {
			want := Shingles(words, n)
			out = shingleSet(out[:0], &wh, &seen, words, n)
			if !slices.Equal(slices.Sorted(slices.Values(out)), slices.Sorted(slices.Values(want))) {
				t.Fatalf("%q, n=%d: shingle set of %d is not Shingles' %d", text, n, len(out), len(want))
			}
			if SimHash(out) != SimHash(want) || !slices.Equal(MinHash(out, 64), MinHash(want, 64)) {
				t.Fatalf("%q, n=%d: other signatures than Shingles'", text, n)
			}
		}
	}
	if slices.ContainsFunc(seen, func(x uint64) bool { return x != 0 }) {
		t.Fatal("shingleSet left its table dirty")
	}
}

// MinHash computes function by function, four at a time; it must give
// what the plain shingle-by-shingle loop gives, for every k (remainders
// of four included) and sets with the hash 0 and repeats.
func TestMinHashMatchesReference(t *testing.T) {
	ref := func(shingles []uint64, k int) []uint32 {
		sig := make([]uint32, k)
		for i := range sig {
			sig[i] = ^uint32(0)
		}
		for _, h := range shingles {
			for i := 0; i < k; i++ {
				if v := uint32(((h ^ minhashSeeds[i]) * 0x9e3779b97f4a7c15) >> 32); v < sig[i] {
					sig[i] = v
				}
			}
		}
		return sig
	}
	r := rand.New(rand.NewPCG(5, 8))
	for _, k := range []int{8, 9, 10, 11, 63, 64, 65, 128, maxK} {
		for _, n := range []int{0, 1, 2, 7, 300} {
			sh := make([]uint64, n)
			for i := range sh {
				sh[i] = mix64(r.Uint64())
			}
			if n > 2 {
				sh[1], sh[2] = 0, sh[0]
			}
			if got, want := MinHash(sh, k), ref(sh, k); !slices.Equal(got, want) {
				t.Fatalf("k=%d, %d shingles: %v, want %v", k, n, got, want)
			}
		}
	}
}

// TestTheNearWindowRunsOnStoryTime: whether a republication is within
// the window depends on the stories' published times, not on when they
// are checked, so `process` replaying an archive in seconds decides as
// the live run did over days.
func TestTheNearWindowRunsOnStoryTime(t *testing.T) {
	tests := []struct {
		name               string
		origPub, copyPub   time.Time
		origSeen, copySeen time.Time
		want               Kind
	}{
		{"a replay: published four days apart, checked a second apart", t0, t0.Add(96 * time.Hour), t0, t0.Add(time.Second), KindNew},
		{"a replay: published a day apart, checked a second apart", t0, t0.Add(24 * time.Hour), t0, t0.Add(time.Second), KindDuplicate},
		{"a late reader: published a day apart, checked four days apart", t0, t0.Add(24 * time.Hour), t0, t0.Add(96 * time.Hour), KindDuplicate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, st := newDeduper(t, nil)
			tx := d.Begin()
			s, text := story(item{"https://a.example/rss", "s_a1", "a-1", "https://a.example/ecb", "ECB", wire})
			s.Published = tt.origPub
			if dec, _ := tx.Check(s, text, tt.origSeen); dec.Kind != KindNew {
				t.Fatalf("original: %v", dec.Kind)
			}
			commit(t, tx, st)
			// The window's clock is the stories': a prune, whenever it runs
			// on the wall clock, forgets no signature.
			if _, ps, _ := d.Prune(); ps.Fingerprints != 0 {
				t.Fatalf("a prune forgot %d signatures", ps.Fingerprints)
			}
			tx = d.Begin()
			c, ctext := story(item{"https://c.example/feed", "s_c1", "c-1", "https://c.example/y", "Rates on hold", edit(wire)})
			c.Published = tt.copyPub
			if dec, _ := tx.Check(c, ctext, tt.copySeen); dec.Kind != tt.want {
				t.Fatalf("copy: %v, want %v", dec.Kind, tt.want)
			}
		})
	}
}

// TestRetentionRunsOnStoryTime: state.seen_ttl counts story time, as the
// window does, and decisions ignore what expired whether or not a prune
// swept it — so a replay of an archive in a second, never pruned,
// remembers and forgets the same stories as the live run that lived
// through it and pruned after every batch.
func TestRetentionRunsOnStoryTime(t *testing.T) {
	day := 24 * time.Hour
	g := newStreamGen(3)
	texts := map[string]string{}
	for _, id := range []string{"a", "b", "c", "e"} {
		texts[id] = g.text(60)
	}
	steps := []struct {
		id  string
		pub time.Time
	}{
		{"a", t0},               // new
		{"b", t0.Add(3 * day)},  // new; the clock at 3 days
		{"a", t0},               // unchanged, and touched: last seen at 3 days
		{"c", t0.Add(9 * day)},  // new; a week before is 2 days: a stays (touched), b stays
		{"a", t0},               // unchanged, touched at 9 days
		{"e", t0.Add(11 * day)}, // new; a week before is 4 days: b, last seen at 3, is forgotten
		{"b", t0.Add(3 * day)},  // new again, as after a week unseen
		{"a", t0},               // unchanged
	}
	run := func(live bool) []string {
		d, st := newDeduper(t, nil) // seen_ttl: the default week
		var out []string
		for _, sp := range steps {
			s, text := story(item{"https://a.example/rss", "s_" + sp.id, "g-" + sp.id, "https://a.example/" + sp.id, sp.id, texts[sp.id]})
			s.Published = sp.pub
			now := t0.Add(30 * day) // a replay: read long after, all at once
			if live {
				now = sp.pub.Add(time.Minute)
			}
			tx := d.Begin()
			dec, err := tx.Check(s, text, now)
			if err != nil {
				t.Fatal(err)
			}
			commit(t, tx, st)
			if live {
				if _, _, ok := d.Prune(); !ok {
					t.Fatal("prune refused")
				}
			}
			out = append(out, sp.id+" "+dec.Kind.String())
		}
		return out
	}
	want := "[a new b new a unchanged c new a unchanged e new b new a unchanged]"
	for _, live := range []bool{true, false} {
		if got := fmt.Sprint(run(live)); got != want {
			t.Errorf("live %v decided %s, want %s", live, got, want)
		}
	}
}

// CommitAll handed a Txn that is finished already fails and forgets the
// others it was handed, as on a failed append: none keeps its stories in
// the overlay, where a later batch would find them though nothing
// committed them.
func TestCommitAllWithAFinishedTxnForgetsTheOthers(t *testing.T) {
	d, st := newDeduper(t, nil)
	a, textA := story(item{"https://a.example/rss", "s_a1", "a-1", "https://a.example/ecb", "ECB holds rates", wire})
	b, textB := story(item{"https://b.example/rss", "s_b1", "b-1", "https://b.example/flood", "Floods", other})
	done := d.Begin()
	if _, err := done.Check(a, textA, t0); err != nil {
		t.Fatal(err)
	}
	commit(t, done, st)
	pending := d.Begin()
	if dec, err := pending.Check(b, textB, t0); err != nil || dec.Kind != KindNew {
		t.Fatalf("first sighting of b: %v %v", dec.Kind, err)
	}
	err := CommitAll(context.Background(), st, []*Txn{done, pending})
	if err == nil || !strings.Contains(err.Error(), "finished batch") {
		t.Fatalf("CommitAll with a committed Txn returned %v, want the finished-batch error", err)
	}
	if _, err := pending.Check(b, textB, t0); err == nil {
		t.Error("the pending Txn still checks stories after CommitAll failed: it was not released")
	}
	again, textAgain := story(item{"https://b.example/rss", "s_b1", "b-1", "https://b.example/flood", "Floods", other})
	if dec, err := d.Begin().Check(again, textAgain, t0.Add(time.Minute)); err != nil || dec.Kind != KindNew {
		t.Errorf("b checked again after the failed CommitAll: %v %v, want new: the released Txn's decision is gone", dec.Kind, err)
	}
}

// simHashPerBit is SimHash as first written: a ±1 vote per shingle and bit.
func simHashPerBit(shingles []uint64) uint64 {
	var v [64]int64
	for _, h := range shingles {
		for b := 0; b < 64; b++ {
			v[b] += int64((h>>b)&1)*2 - 1
		}
	}
	var out uint64
	for b := 0; b < 64; b++ {
		if v[b] > 0 {
			out |= 1 << b
		}
	}
	return out
}

func TestSimHashCountsBitSlicedAsVotingBitByBit(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	for _, n := range []int{0, 1, 2, 3, 63, 64, 65, 130, 1000, 70_000} {
		for range 20 {
			sh := make([]uint64, n)
			for i := range sh {
				switch r.IntN(3) {
				case 0:
					sh[i] = r.Uint64()
				case 1: // few bits: carries stop early
					sh[i] = 1 << r.IntN(64)
				default: // many equal bits: ties and long carries
					sh[i] = ^uint64(0) << r.IntN(64)
				}
			}
			if got, want := SimHash(sh), simHashPerBit(sh); got != want {
				t.Fatalf("n=%d: SimHash %016x, bit by bit %016x", n, got, want)
			}
		}
	}
}

// A copy its publisher corrects is decided afresh and published as a
// duplicate record again; a consumer collapses repeats on the record-id
// header, so the corrected copy's record-id must differ from the first's,
// while the same copy decided again (a batch retried) keeps its record-id.
// Found by a consumer of the demo's topics: the wire's corrected earthquake
// headline, a copy of another outlet's story, came under the record-id of
// its first headline and was dropped as a repeat.
func TestCorrectedCopyHasANewRecordID(t *testing.T) {
	orig := item{feed: "https://a.example/rss", id: "s_a1", guid: "a-1", url: "https://a.example/ecb", title: "ECB holds rates", text: wire}
	cp := item{feed: "https://b.example/rss", id: "s_b1", guid: "b-1", url: "https://b.example/ecb", title: "ECB holds rates at 4%", text: edit(wire)}
	fixed := cp
	fixed.title = "CORRECTED: ECB holds rates at 4.5%"
	d, st := newDeduper(t, nil)
	decide := func(it item, at time.Time, keep bool) *record.Duplicate {
		t.Helper()
		tx := d.Begin()
		s, text := story(it)
		dec, err := tx.Check(s, text, at)
		if err != nil {
			t.Fatal(err)
		}
		if keep {
			commit(t, tx, st)
		} else {
			tx.Release()
		}
		return dec.Duplicate
	}
	decide(orig, t0, true)
	first := decide(cp, t0.Add(time.Minute), false)
	if first == nil {
		t.Fatal("the copy is no duplicate")
	}
	again := decide(cp, t0.Add(2*time.Minute), true)
	if again == nil || again.RecordID() != first.RecordID() {
		t.Fatalf("the same copy decided again: record-id %v, want %q as the first time", again, first.RecordID())
	}
	corrected := decide(fixed, t0.Add(3*time.Minute), true)
	if corrected == nil || corrected.DuplicateOf != first.DuplicateOf || corrected.ID != first.ID {
		t.Fatalf("the corrected copy = %+v, want a duplicate record of %s under id %s", corrected, first.DuplicateOf, first.ID)
	}
	if corrected.RecordID() == first.RecordID() {
		t.Errorf("the corrected copy has the record-id of its first text, %q: a consumer dedupes it away", corrected.RecordID())
	}
	if !strings.HasPrefix(corrected.RecordID(), corrected.ID+">"+corrected.DuplicateOf) {
		t.Errorf("record-id %q does not start with the copy's id, > and its original's", corrected.RecordID())
	}
}
