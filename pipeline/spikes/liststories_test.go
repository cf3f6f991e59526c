package spikes

import (
	"encoding/binary"
	"fmt"
	"slices"
	"testing"

	"github.com/wirestream/wirestream/pipeline/state"
)

// A count's lists name its stories by number among the bucket's
// (countLists.stories): when max_bucket_terms drops counts of one story
// and the bucket's stories are numbered anew (keepNamedStories), a count
// of several stories must still name the same samples and events, and the
// stories only dropped counts named must go.
func TestAListsStoriesSurviveMakeRoomsRenumbering(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxBucketTerms = 100
	d := New(cfg, nil)
	var wantSamples, wantEvents []string
	n := 0
	obs := func(id, event string, keys ...string) {
		o := &observation{seq: uint64(n), bucket: 1, id: id, pub: fmt.Sprintf("p%d", n%3), eventID: event}
		n++
		for _, k := range keys {
			o.terms = append(o.terms, obsTerm{key: k, name: k, keyword: true})
		}
		d.apply(o)
	}
	for i := range 20 { // stories before quake's, dropped by the flood: quake's get lower numbers
		obs(fmt.Sprintf("b%d", i), "", fmt.Sprintf("before%d", i))
	}
	for i := range 7 { // "quake": 7 stories in 4 events; the first 5 are its samples, its 4 events each once
		id, ev := fmt.Sprintf("q%d", i), fmt.Sprintf("e%d", i%4)
		if i%2 == 0 {
			ev = "" // a story of no event
		}
		obs(id, ev, "quake", fmt.Sprintf("single-q%d", i))
		if len(wantSamples) < cfg.SampleStories {
			wantSamples = append(wantSamples, id)
		}
		if ev != "" && !slices.Contains(wantEvents, ev) {
			wantEvents = append(wantEvents, ev)
		}
	}
	for i := range 3 * cfg.MaxBucketTerms { // a flood of one-story terms: makeRoom drops and renumbers several times
		obs(fmt.Sprintf("f%d", i), fmt.Sprintf("ef%d", i), fmt.Sprintf("flood%d", i))
	}
	ob := d.open[1]
	c := ob.counts.get("quake")
	if ob.counts.get("before0") != nil || c == nil || c.more.stories[0] == 20 {
		t.Fatalf("the flood did not renumber the bucket's stories")
	}
	if c == nil || c.stories != 7 {
		t.Fatalf("quake's count: %+v", c)
	}
	if got := ob.samples(c); !slices.Equal(got, wantSamples) {
		t.Errorf("samples after the flood %v, want %v", got, wantSamples)
	}
	if got := ob.events(c); !slices.Equal(got, []string{"e1", "e3"}) {
		t.Errorf("events after the flood %v, want [e1 e3]", got)
	}
	if got := ob.eventStories(c); !slices.Equal(got, []string{"q1", "q3"}) {
		t.Errorf("the events' stories after the flood %v, want [q1 q3]", got)
	}
	if n := len(ob.stories); n > 2*cfg.MaxBucketTerms {
		t.Errorf("the bucket lists %d stories for %d counts", n, ob.counts.len())
	}
	for _, c := range ob.counts.all() {
		var one [1]uint32
		for _, r := range append(ob.sampleRefs(c, &one), ob.eventRefs(c, &one)...) {
			if int(r) >= len(ob.stories) {
				t.Fatalf("a count names story %d of %d", r, len(ob.stories))
			}
		}
	}
}

// oldCountEntry is a count's entry as main before round 42 spelt it
// (appendCount over string lists): name, kind, stories, then publishers,
// samples and events each as AppendStrings spells a list.
func oldCountEntry(name, kind string, stories int, pubs, samples, events []string) []byte {
	b := state.AppendString(state.AppendString(nil, name), kind)
	b = binary.AppendUvarint(b, uint64(stories))
	b = state.AppendStrings(b, pubs)
	b = state.AppendStrings(b, samples)
	return state.AppendStrings(b, events)
}

// A state log written before the lists held numbers restores: its counts'
// samples and events are the entry's, the count is written back byte for
// byte, a story named by two counts' entries is listed once in the
// bucket, and a story counted after the restore adds to the restored
// lists as a live count's.
func TestAnOldCountEntryRestoresAndIsWrittenAlike(t *testing.T) {
	cfg := DefaultConfig()
	entries := map[string][]byte{
		"quake": oldCountEntry("Quake", "keyword", 3, []string{"AP", "Reuters"}, []string{"s1", "s2", "s3"}, []string{"e1", "e2"}),
		"tokyo": oldCountEntry("Tokyo", "entity", 2, []string{"AP"}, []string{"s1", "s2"}, []string{"e1"}),
		"alone": oldCountEntry("alone", "keyword", 1, []string{"AFP"}, []string{"s9"}, nil),
	}
	d := New(cfg, nil)
	for k, v := range entries {
		if err := d.Load(state.Entry{Table: state.Spikes, Key: bucketKey('b', 0, k), Value: v}); err != nil {
			t.Fatal(err)
		}
	}
	ob := d.restore.counts[0]
	for k, v := range entries {
		c := ob.counts.get(k)
		if c == nil {
			t.Fatalf("%q not restored", k)
		}
		if got := encodeCount(ob, c); string(got) != string(v) {
			t.Errorf("%q written back as %x, the old log held %x", k, got, v)
		}
	}
	if n := len(ob.stories); n != 6 { // s1 s2 s3 s9, e1 e2
		t.Errorf("the restored bucket lists %d stories, want 6 (each once)", n)
	}
	c := ob.counts.get("quake")
	d.open[0] = ob
	d.apply(&observation{bucket: 0, id: "s4", pub: "AFP", eventID: "e3", terms: []obsTerm{{key: "quake", name: "Quake", keyword: true}}})
	d.apply(&observation{bucket: 0, id: "s5", pub: "AFP", eventID: "e1", terms: []obsTerm{{key: "quake", name: "Quake", keyword: true}}})
	if got := ob.samples(c); !slices.Equal(got, []string{"s1", "s2", "s3", "s4", "s5"}) {
		t.Errorf("samples %v", got)
	}
	if got := ob.events(c); !slices.Equal(got, []string{"e1", "e2", "e3"}) {
		t.Errorf("events %v", got)
	}
	if got := ob.eventStories(c); !slices.Equal(got, []string{"", "", "s4"}) {
		t.Errorf("the events' stories %v, want the restored ones unnamed", got)
	}
	want := oldCountEntry("Quake", "keyword", 5, []string{"AFP", "AP", "Reuters"}, []string{"s1", "s2", "s3", "s4", "s5"}, []string{"e1", "e2", "e3"})
	if got := encodeCount(ob, c); string(got) != string(want) {
		t.Errorf("after two stories written as %x, want %x", got, want)
	}
}
