package spikes

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/wirestream/wirestream/pipeline/enrich/entities"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
)

// entityStory is a story from pub naming one entity, key, by name.
func entityStory(f *feed, pub, key, name string) *record.Story {
	s := f.story(pub)
	s.Entities = []record.Entity{{Key: key, Name: name, Kind: "person"}}
	return s
}

// A watched entity is watched whichever of its names a story uses: the
// enrichment names person:beyonce "Beyonce" in some stories and
// "Beyoncé" in others, and `watch: [Beyoncé]` watches it in both. Before,
// the baseline asked with its first story's name ("Beyonce": judged at
// the ordinary bars, no alert) and a full bucket with the story's own
// (so a story saying "Beyonce" was refused although the term was
// watched), each a different answer.
func TestAWatchedEntityIsWatchedWhicheverOfItsNamesAStoryUses(t *testing.T) {
	for _, first := range []string{"Beyonce", "Beyoncé"} {
		t.Run(first, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.MaxBucketTerms = 100
			cfg.Watch = []string{"Beyoncé"}
			f := newFeed(cfg)
			f.add(entityStory(f, "AP", "person:beyonce", first)) // its baseline's name
			f.steady(2, rand.New(rand.NewPCG(1, 2)))
			for i := range 120 { // a bucket full of counts it keeps
				term := fmt.Sprintf("term%03d", i)
				f.observe("AP", term)
				f.observe("BBC", term)
			}
			for i, pub := range []string{"Reuters", "AP", "DW"} {
				name := "Beyonce"
				if i == 1 {
					name = "Beyoncé"
				}
				f.add(entityStory(f, pub, "person:beyonce", name))
			}
			var got *record.Alert
			for _, a := range f.tick() {
				if a.Term == "person:beyonce" {
					got = a
				}
			}
			if got == nil || got.State != record.AlertFiring || !got.Watched || got.Stories != 3 {
				t.Errorf("alert %+v, want person:beyonce firing, watched, on its 3 stories", got)
			}
		})
	}
}

// A full bucket admits a term, keeps its count and judges it by the same
// answer: an entity whose names are not one spelling ("Xland", "Republic
// of Xland"), watched under the one its first story did not use, is
// asked by its baseline's name in all three. Before, a story using the
// watched name made the count one max_bucket_terms keeps while judge
// held the term unwatched.
func TestAFullBucketKeepsAndJudgesATermByOneAnswer(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxBucketTerms = 100
	cfg.MinStories = 3 // one story is less than half of it: only a watched count is kept
	cfg.Watch = []string{"Republic of Xland"}
	f := newFeed(cfg)
	f.add(entityStory(f, "AP", "place:xx", "Xland"))
	f.tick()
	f.add(entityStory(f, "AP", "place:xx", "Republic of Xland"))
	c := f.d.open[f.d.next].counts.get("place:xx")
	if ts := termOf(&f.d.terms, "place:xx"); c == nil || ts == nil || c.keep != ts.watched {
		t.Fatalf("count %+v kept, baseline %+v watched: want one answer", c, ts)
	}
}

// The spikes table's key count holds the evicted terms' last firings,
// each a 't' entry of the log like a baseline.
func TestTheSpikesKeyCountHoldsEvictedFirings(t *testing.T) {
	cfg := DefaultConfig()
	f, _ := firedThenEvicted(t, cfg)
	entries := 0
	if err := f.d.Snapshot(func(e state.Entry) error {
		if e.Key[0] == 't' {
			entries++
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if got := f.d.Count(state.Spikes); got != entries || len(f.d.evictedFired) == 0 {
		t.Errorf("Count is %d, want the %d term entries (%d of them evicted firings)", got, entries, len(f.d.evictedFired))
	}
}

// A restart with a lower max_terms trims the evicted firings to the new
// bound at once, as an eviction past it would, and tells the log.
func TestARestartWithALowerMaxTermsTrimsEvictedFirings(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxTerms = 16 * 100 // keeps 100
	var log []state.Entry
	for i := range 60 {
		log = append(log, state.Entry{Table: state.Spikes, Key: fmt.Appendf(nil, "tterm%02d", i), Value: appendEvictedFiring(nil, int64(i))})
	}
	lower := cfg
	lower.MaxTerms = 16 * 20 // keeps 20
	r := New(lower, nil)
	r.TrackChanges(true)
	for _, e := range log {
		if err := r.Load(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Restored(); err != nil {
		t.Fatal(err)
	}
	if len(r.evictedFired) > firedKeptFor(lower) {
		t.Errorf("%d evicted firings kept, want at most %d", len(r.evictedFired), firedKeptFor(lower))
	}
	if _, ok := r.evictedFired["term59"]; !ok {
		t.Error("want the latest firing kept")
	}
	tombs := 0
	for _, e := range r.Changes() {
		if e.Key[0] == 't' && e.Value == nil {
			tombs++
			if _, kept := r.evictedFired[string(e.Key[1:])]; kept {
				t.Errorf("tombstone for %s, which is kept", e.Key[1:])
			}
		}
	}
	if want := 60 - len(r.evictedFired); tombs != want || want == 0 {
		t.Errorf("%d tombstones, want one for each of the %d firings dropped", tombs, want)
	}
}

// A watched word that is a country's ISO code does not watch the
// country: place keys of countries are their codes, no spelling of a
// name, so `watch: [AI]` (artificial intelligence) made place:ai,
// Anguilla, a watched term judged at the watch bars.
func TestAWatchedWordDoesNotWatchTheCountryWhoseCodeItSpells(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Watch = []string{"AI"}
	f := newFeed(cfg)
	f.steady(2, rand.New(rand.NewPCG(3, 4)))
	for _, pub := range []string{"Reuters", "AP", "DW"} {
		s := f.story(pub)
		s.Entities = []record.Entity{{Key: "place:ai", Name: "Anguilla", Kind: "place"}}
		f.add(s)
	}
	for _, a := range f.tick() {
		if a.Term == "place:ai" {
			t.Errorf("alert %+v: Anguilla judged as watched by the word AI", a)
		}
	}
}

// gazetteerKeys is the enrichment's resolver of names to entity keys
// (enrich.Enricher.EntityKey), over the shipped gazetteer.
func gazetteerKeys(t *testing.T) func(string) (string, bool) {
	t.Helper()
	x, err := entities.New(entities.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return x.KeyOfName
}

// A name the gazetteer knows watches its entity by key, whatever name a
// story gives it, and is not searched as a word: `watch: [Britain]`
// watches place:gb, `[US]` place:us, and a story saying "us" or
// "Britain" without naming the entity counts no keyword of the list. A
// word it does not know stays literal, and a word that spells a
// country's code is still no country: `[AI]` counts the word, not
// Anguilla.
func TestAWatchedNameTheGazetteerKnowsWatchesItsEntityOnly(t *testing.T) {
	keyOf := gazetteerKeys(t)
	for _, tc := range []struct {
		watch, key, name string // the watch entry; the entity a story names
		watched, literal bool   // the entity watched; the entry counted as a word
	}{
		{"Britain", "place:gb", "United Kingdom", true, false},
		{"UK", "place:gb", "United Kingdom", true, false},
		{"US", "place:us", "United States", true, false},
		{"America", "place:us", "United States", true, false},
		{"Zelensky", "person:volodymyr_zelensky", "Volodymyr Zelensky", true, false},
		{"AI", "place:ai", "Anguilla", false, true},
		{"us", "place:us", "United States", false, true}, // an acronym names it only in capitals
		{"strike", "place:gb", "United Kingdom", false, true},
		// the word itself, when a name the gazetteer knows is not what is meant
		{"keyword:Amazon", "organization:amazon", "Amazon", false, true},
		{"Amazon", "organization:amazon", "Amazon", true, false},
	} {
		t.Run(tc.watch, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.Watch = []string{tc.watch}
			d := New(cfg, nil)
			d.ResolveWatchNames(keyOf)
			if got := d.watchedTerm(tc.key, tc.name); got != tc.watched {
				t.Errorf("%s (%q) watched: %v, want %v", tc.key, tc.name, got, tc.watched)
			}
			s := &record.Story{ID: "s1", Publisher: "AP", Published: t0,
				Title: "Told us: " + strings.TrimPrefix(tc.watch, "keyword:") + " strike spreads", Keywords: []string{"port"}}
			d.Observe(s)
			word := strings.TrimPrefix(tc.watch, "keyword:")
			counted := d.open[d.next].counts.get(termKey(word)) != nil
			if counted != tc.literal {
				t.Errorf("a story saying %q counted under %q: %v, want %v", word, termKey(word), counted, tc.literal)
			}
			if tc.literal && !d.watchedTerm(termKey(word), word) {
				t.Errorf("the word %q is not watched", word)
			}
		})
	}
}

// An entry written keyword:… needs its word: "keyword:" alone would
// watch nothing, silently.
func TestAKeywordEntryNeedsItsWord(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Watch = []string{"keyword:Amazon", "Keyword: port of Rotterdam"}
	if err := cfg.Validate(); err != nil {
		t.Errorf("valid keyword entries refused: %v", err)
	}
	cfg.Watch = []string{"keyword: "}
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "spikes.watch[0]") {
		t.Errorf("an empty keyword entry: %v, want it refused at spikes.watch[0]", err)
	}
}
