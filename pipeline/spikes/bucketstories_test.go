package spikes

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// Round 37 moved a count of one story's story (its id and event) into
// its bucket's list of stories, by number. max_bucket_terms drops those
// counts in a flood of terms never seen again, but the list kept every
// story, so a flood's bucket grew by a story's id and event for each
// story however many counts the cap dropped (round 36 freed them with
// the counts). The list holds only the stories the bucket's counts still
// name, and the kept counts name theirs as before: the watched term's
// alert still shows its first story.
func TestTheBucketCapAlsoBoundsTheStoriesItsCountsName(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxBucketTerms = 200
	cfg.Watch = []string{"port strike"}
	f := newFeed(cfg)
	f.steady(2, rand.New(rand.NewPCG(1, 2)))
	var watchedStory string
	for i := range 5000 {
		terms := []string{fmt.Sprintf("flood%06d", 2*i), fmt.Sprintf("flood%06d", 2*i+1)}
		if i == 3000 {
			terms = append(terms, "port strike") // watched: its count of one story is kept past the cap
		}
		s := f.story(wirePubs[i%len(wirePubs)], terms...)
		if i == 3000 {
			watchedStory = s.ID
		}
		f.add(s)
	}
	if len(f.d.open) != 1 {
		t.Fatalf("%d open buckets, want the flood's one", len(f.d.open))
	}
	for _, ob := range f.d.open {
		if n := len(ob.stories); n > 2*cfg.MaxBucketTerms {
			t.Errorf("the bucket remembers %d stories for %d counts (cap %d)", n, ob.counts.len(), cfg.MaxBucketTerms)
		}
		for _, c := range ob.counts.all() {
			if c.more == nil && c.stories == 1 && int(c.one) >= len(ob.stories) {
				t.Fatalf("a count names story %d of %d", c.one, len(ob.stories))
			}
		}
		c := ob.counts.get("port strike")
		if c == nil || c.stories != 1 {
			t.Fatalf("the watched term's count: %+v, want its one story", c)
		}
		if s := ob.samples(c); len(s) != 1 || s[0] != watchedStory {
			t.Errorf("the watched term's samples %v, want its story %s", s, watchedStory)
		}
	}
}

// A story whose first term is kept past the cap (watched) is numbered
// among the bucket's stories before a later term of it makes makeRoom
// number them anew: the story must stay in the list once, its counts
// naming that one entry, not be added a second time for the later term.
func TestAStoryNumberedBeforeMakeRoomIsListedOnce(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxBucketTerms = 100
	cfg.Watch = []string{"port strike"}
	d := New(cfg, nil)
	for i := range cfg.MaxBucketTerms {
		d.apply(&observation{bucket: 1, id: fmt.Sprintf("s%d", i), pub: "AP", terms: []obsTerm{{key: fmt.Sprintf("flood%d", i), name: fmt.Sprintf("flood%d", i), keyword: true}}})
	}
	d.apply(&observation{bucket: 1, id: "x", pub: "AP", eventID: "e_x", terms: []obsTerm{
		{key: "port strike", name: "port strike", keyword: true}, // watched: kept, and numbered first
		{key: "new", name: "new", keyword: true},                 // past the cap: makeRoom renumbers
	}})
	ob := d.open[1]
	listed := 0
	for _, s := range ob.stories {
		listed += boolInt(s.id == "x")
	}
	if listed != 1 {
		t.Errorf("the story is listed %d times among the bucket's %d stories, want once", listed, len(ob.stories))
	}
	for _, k := range []string{"port strike", "new"} {
		c := ob.counts.get(k)
		if c == nil || c.stories != 1 || ob.samples(c)[0] != "x" || ob.events(c)[0] != "e_x" {
			t.Fatalf("the count of %q: %+v", k, c)
		}
	}
}
