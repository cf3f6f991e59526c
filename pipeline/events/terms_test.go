package events

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
)

// checkTerms recounts who holds each term id — the document frequencies,
// the live events' centroids and title vectors, the non-empty lists of
// the inverted index — and holds the dictionary's counts to it: an id
// counted too low would be freed and numbered anew while in use, one
// counted too high would never be freed.
func checkTerms(t *testing.T, c *Clusterer) {
	t.Helper()
	d := c.terms
	d.sweep() // between stories nothing is in flight: what nothing holds goes
	want := make([]int32, d.span())
	for id, n := range c.df.df {
		if n > 0 {
			want[id]++
		}
	}
	for _, ev := range c.events {
		for _, id := range ev.cent.ids {
			want[id]++
		}
		for _, x := range ev.titleVec {
			want[x.id]++
		}
	}
	for id := range c.postings {
		list := c.postingsOf(termID(id))
		if len(list) > 0 {
			want[id]++
		}
	}
	size := 0
	for id := range want {
		got := d.refs[id]
		switch {
		case got == -1 && want[id] == 0:
			continue // free
		case got != want[id]:
			var in []string
			if c.df.get(termID(id)) > 0 {
				in = append(in, "df")
			}
			for _, ev := range c.events {
				if _, ok := ev.cent.find(termID(id)); ok {
					in = append(in, "centroid "+ev.id)
				}
				for _, x := range ev.titleVec {
					if x.id == termID(id) {
						in = append(in, "title "+ev.id)
					}
				}
			}
			if len(c.postingsOf(termID(id))) > 0 {
				in = append(in, "postings")
			}
			t.Fatalf("term %d %q: counted %d holders, held by %d: %v", id, d.terms[id], got, want[id], in)
		default:
			if got, ok := d.lookup(d.terms[id]); !ok || got != termID(id) {
				t.Fatalf("term %d %q: its text maps to %d (%v)", id, d.terms[id], got, ok)
			}
		}
		size++
	}
	if d.ids.n != size || d.len() != size {
		t.Fatalf("%d ids in use, %d texts mapped, len %d", size, d.ids.n, d.len())
	}
	dfSize := 0
	for _, n := range c.df.df {
		if n > 0 {
			dfSize++
		}
	}
	if dfSize != c.df.size {
		t.Fatalf("document frequencies: %d terms, size says %d", dfSize, c.df.size)
	}
}

// wordyStory is a story on topic k of a stream whose vocabulary keeps
// turning over: its words, entities and keywords are mostly the topic's,
// some shared by all, some new, so document frequencies are halved,
// centroids drop terms and terms come back under new ids.
func wordyStory(rng *rand.Rand, i, k int, at time.Time) *record.Story {
	word := func() string {
		switch rng.IntN(10) {
		case 0:
			return fmt.Sprintf("common%d", rng.IntN(30))
		case 1:
			return fmt.Sprintf("rare%d", i*7+rng.IntN(7))
		default:
			return fmt.Sprintf("t%dw%d", k, rng.IntN(25))
		}
	}
	s := &record.Story{ID: fmt.Sprintf("s%d", i), Publisher: fmt.Sprintf("p%d", rng.IntN(9)), FirstSeen: at, Language: "en"}
	for range 6 {
		s.Title += word() + " "
	}
	for range 40 {
		s.Body += word() + " "
	}
	for range 3 {
		s.Entities = append(s.Entities, record.Entity{Key: "person:" + word(), Name: "N", Kind: "person", InTitle: rng.IntN(2) == 0})
		s.Keywords = append(s.Keywords, word())
	}
	return s
}

// restoredFromSnapshot returns a clusterer of cfg restored from c's
// snapshot.
func restoredFromSnapshot(t *testing.T, c *Clusterer, cfg Config) *Clusterer {
	t.Helper()
	r := New(cfg, nil)
	if err := c.Snapshot(func(e state.Entry) error { return r.Load(e) }); err != nil {
		t.Fatal(err)
	}
	if err := r.Restored(); err != nil {
		t.Fatal(err)
	}
	return r
}

// tightConfig makes every bound bite within a few hundred stories.
func tightConfig() Config {
	cfg := DefaultConfig()
	cfg.MaxVocabulary = 1000
	cfg.CentroidTerms = 12
	cfg.StoryTerms = 10
	cfg.MaxPostings = 3
	cfg.MaxEvents = 40
	cfg.Expiry, cfg.Window, cfg.HalfLife = 3*time.Hour, 6*time.Hour, 2*time.Hour
	return cfg
}

func TestTermIDsAreCountedByWhatHoldsThem(t *testing.T) {
	c := churn(t, 3000, func(c *Clusterer) { checkTerms(t, c) })
	// the stream named some 20,000 rare words: ids were freed and reused
	if c.terms.span() > 3*c.cfg.MaxVocabulary {
		t.Fatalf("%d term ids handed out, %d in use, for a vocabulary bound of %d", c.terms.span(), c.terms.len(), c.cfg.MaxVocabulary)
	}

	// a restore numbers the terms afresh and counts the same holders
	r := restoredFromSnapshot(t, c, tightConfig())
	checkTerms(t, r)
	t.Logf("%d term ids handed out, %d in use, %d after the restore", c.terms.span(), c.terms.len(), r.terms.len())
}

// churn runs n stories (and some republications) of the wordy stream
// through a clusterer with every bound tight, taking its changes and
// expiring as a live run does, and calls check after each story.
func churn(t *testing.T, n int, check func(*Clusterer)) *Clusterer {
	t.Helper()
	rng := rand.New(rand.NewPCG(3, 4))
	c := New(tightConfig(), nil)
	c.TrackChanges(true)
	at := t0
	for i := range n {
		at = at.Add(time.Duration(rng.IntN(180)) * time.Second)
		c.AddStory(wordyStory(rng, i, rng.IntN(60), at))
		if i%5 == 0 {
			c.AddDuplicate(&record.Duplicate{ID: fmt.Sprintf("d%d", i), DuplicateOf: fmt.Sprintf("s%d", rng.IntN(i+1)), Publisher: "dup", Published: at})
		}
		if i%10 == 9 {
			c.Changes()
			c.Expire(at)
		}
		check(c)
	}
	return c
}

// checkCentroids holds every live centroid to its bound and to terms that
// weigh something: a term a story's add both took and dropped again used
// to come back at weight 0 when it was indexed.
func checkCentroids(t *testing.T, c *Clusterer) {
	t.Helper()
	for _, ev := range c.events {
		if ev.cent.len() > c.cfg.CentroidTerms {
			t.Fatalf("event %s: centroid of %d terms, bound %d", ev.id, ev.cent.len(), c.cfg.CentroidTerms)
		}
		if len(ev.cent.w) != len(ev.cent.ids) || len(ev.cent.seq) != len(ev.cent.ids) {
			t.Fatalf("event %s: centroid of %d ids, %d weights, %d entry numbers", ev.id, len(ev.cent.ids), len(ev.cent.w), len(ev.cent.seq))
		}
		for j, id := range ev.cent.ids {
			if j > 0 && ev.cent.ids[j-1] >= id {
				t.Fatalf("event %s: centroid ids not strictly ascending: %v", ev.id, ev.cent.ids)
			}
			if ev.cent.w[j] == 0 {
				t.Fatalf("event %s: term %q at weight 0", ev.id, c.terms.term(id))
			}
		}
	}
}

// checkPostings holds every inverted-index entry to be current: its event
// alive and its centroid holding the term under that entry. A stale entry
// keeps its term's id alive until some story happens to query the term.
func checkPostings(t *testing.T, c *Clusterer) {
	t.Helper()
	for id := range c.postings {
		list := c.postingsOf(termID(id))
		for _, p := range list {
			if !p.ev.alive {
				t.Fatalf("term %q lists closed event %s", c.terms.term(termID(id)), p.ev.id)
			}
			if j, ok := p.ev.cent.find(termID(id)); !ok || p.ev.cent.seq[j] != p.seq {
				t.Fatalf("term %q lists event %s under entry %d; its centroid holds it: %v", c.terms.term(termID(id)), p.ev.id, p.seq, ok)
			}
		}
	}
}

func TestCentroidsHoldAtMostTheirBoundAndNoZeroWeight(t *testing.T) {
	churn(t, 1500, func(c *Clusterer) { checkCentroids(t, c) })
}

func TestPostingsListOnlyCurrentEntries(t *testing.T) {
	c := churn(t, 1500, func(c *Clusterer) { checkPostings(t, c) })
	// what the index holds is what the centroids hold, so a restore, which
	// rebuilds the index from the centroids, numbers as many terms
	r := restoredFromSnapshot(t, c, tightConfig())
	c.terms.sweep()
	if c.terms.len() != r.terms.len() {
		t.Fatalf("%d term ids in use, %d after a restore", c.terms.len(), r.terms.len())
	}
}

func TestRestoreDropsZeroWeightCentroidTerms(t *testing.T) {
	c := New(tightConfig(), nil)
	c.AddStory(&record.Story{ID: "a", Title: "harbour strike closes port", Body: "dock workers strike at the harbour", FirstSeen: t0, Language: "en"})
	c.AddStory(&record.Story{ID: "b", Title: "harbour strike enters second day", Body: "the port strike goes on", FirstSeen: t0.Add(time.Minute), Language: "en"})
	if len(c.events) != 1 {
		t.Fatalf("%d events, want 1", len(c.events))
	}
	// a log written before centroids dropped them: an entry at weight 0
	for _, ev := range c.events {
		id := c.terms.intern("zeroweight")
		c.terms.acquire(id)
		j, _ := ev.cent.find(id)
		ev.cent.ids = slices.Insert(ev.cent.ids, j, id)
		ev.cent.w = slices.Insert(ev.cent.w, j, 0)
		ev.cent.seq = slices.Insert(ev.cent.seq, j, c.postSeq)
		ev.cent.rank = slices.Insert(ev.cent.rank, j, noRank)
		c.postSeq++
	}
	r := restoredFromSnapshot(t, c, tightConfig())
	checkCentroids(t, r)
	checkTerms(t, r)
	if _, ok := r.terms.lookup("zeroweight"); ok {
		t.Fatal("the zero-weight term still has an id after the restore")
	}
	for _, ev := range r.events {
		if n := ev.cent.len(); n == 0 {
			t.Fatalf("event %s restored with an empty centroid", ev.id)
		}
	}
}

// A rewind resets the clusterer and then loads the log; a log with nothing
// for the clusterer calls no Restored, so Reset itself must leave the
// active-events gauge true, and the fresh dictionary must serve again.
func TestResetForgetsEverythingTheGaugeIncluded(t *testing.T) {
	m := NewMetrics(prometheus.NewRegistry())
	c := New(tightConfig(), m)
	rng := rand.New(rand.NewPCG(5, 6))
	for i := range 50 {
		c.AddStory(wordyStory(rng, i, 20, t0.Add(time.Duration(i)*time.Minute)))
	}
	if testutil.ToFloat64(m.active) == 0 {
		t.Fatal("no active event counted before the reset")
	}
	c.Reset()
	if n, g := c.Active(), testutil.ToFloat64(m.active); n != 0 || g != 0 {
		t.Fatalf("after Reset: %d active events, gauge %v; want 0 and 0", n, g)
	}
	if c.terms.len() != 0 {
		t.Fatalf("after Reset: %d term ids in use, want 0", c.terms.len())
	}
	c.AddStory(wordyStory(rng, 50, 20, t0))
	checkTerms(t, c)
}

// A centroid keeps more than CentroidTerms while headlines without a
// text join it, and is cut back to CentroidTerms when a story with a body
// does.
func TestHeadlinesLetACentroidKeepMoreTerms(t *testing.T) {
	cfg := DefaultConfig()
	cfg.CentroidTerms = 6
	c := New(cfg, nil)
	// every headline shares "quake greece" and brings four words of its own
	headline := func(i int) *record.Story {
		s := story(fmt.Sprintf("h%d", i), "p", time.Duration(i)*time.Minute,
			fmt.Sprintf("quake greece word%da word%db word%dc word%dd", i, i, i, i), "")
		s.URL = "https://news.example/" + s.ID
		return s
	}
	ev := c.AddStory(headline(0))
	for i := 1; i < 6; i++ {
		if got := c.AddStory(headline(i)); got.ID != ev.ID {
			t.Fatalf("headline %d went to %s, not %s", i, got.ID, ev.ID)
		}
	}
	live := c.events[ev.ID]
	if n := live.cent.len(); n <= cfg.CentroidTerms || n > c.maxCentroidTerms() {
		t.Fatalf("after headlines: centroid of %d terms, want (%d, %d]", n, cfg.CentroidTerms, c.maxCentroidTerms())
	}
	body := story("a", "p", time.Hour, "quake greece", "")
	body.Body = "The quake struck western Greece on Monday."
	if got := c.AddStory(body); got.ID != ev.ID {
		t.Fatalf("the article went to %s, not %s", got.ID, ev.ID)
	}
	if n := live.cent.len(); n != cfg.CentroidTerms {
		t.Fatalf("after an article: centroid of %d terms, want %d", n, cfg.CentroidTerms)
	}
}

// internBytes answers from its cache of recent texts only with the id the
// dictionary has for the text: over a vocabulary larger than the cache
// (texts share entries), with ids freed by sweep and numbered anew for
// other texts, every answer is the map's, and a text interned anew after
// its id was freed gets a live id.
func TestInternBytesIsTheDictionarysID(t *testing.T) {
	rng := rand.New(rand.NewPCG(29, 13))
	d := newDict()
	held := map[termID]int{}
	for step := range 200_000 {
		w := []byte(fmt.Sprintf("w%d", rng.IntN(3*recentSize)))
		id := d.internBytes(w)
		if got, ok := d.lookup(string(w)); !ok || got != id || d.term(id) != string(w) {
			t.Fatalf("step %d: internBytes(%q) = %d (text %q), the map has %d (%v)", step, w, id, d.term(id), got, ok)
		}
		if rng.IntN(2) == 0 {
			d.acquire(id)
			held[id]++
		}
		if rng.IntN(3) == 0 && len(held) > 0 {
			for h := range held { // release one held id
				d.release(h)
				if held[h]--; held[h] == 0 {
					delete(held, h)
				}
				break
			}
		}
		if step%97 == 0 {
			d.sweep()
		}
	}
}
