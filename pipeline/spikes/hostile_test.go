package spikes

import (
	"bytes"
	"fmt"
	"math"
	"testing"

	"github.com/wirestream/wirestream/pipeline/state"
)

// A baseline entry whose mean or variance no live detector holds (a
// damaged or foreign log's) is refused, and the term's baseline before it
// stays. Taken before round 40, a NaN mean or variance stayed NaN through
// every fold (x - NaN), so the term's z-score was NaN and it never fired
// again, and the NaN was written back to the log; an infinite mean
// silenced it as well. A live mean is an EWMA of counts (finite, never
// negative); a live variance is finite.
func TestLoadRefusesABaselineNoLiveDetectorHolds(t *testing.T) {
	good := &termState{key: "acme", name: "Acme", kind: entityKind, watched: true, mean: 1.5, variance: 0.25, updated: 9}
	for _, c := range []struct{ mean, variance float64 }{
		{math.NaN(), 0.25}, {math.Inf(1), 0.25}, {-1, 0.25}, {1.5, math.NaN()}, {1.5, math.Inf(1)},
	} {
		d := New(DefaultConfig(), nil)
		d.terms.put(&termState{key: "acme", name: "Acme", kind: entityKind, watched: true, mean: c.mean, variance: c.variance, updated: 9})
		bad := d.encodeTerm("acme")

		d = New(DefaultConfig(), nil)
		d.terms.put(good)
		before := d.encodeTerm("acme")
		if err := d.Load(state.Entry{Table: state.Spikes, Key: []byte("tacme"), Value: bad}); err == nil {
			t.Errorf("mean %v, variance %v: loaded", c.mean, c.variance)
		}
		if after := d.encodeTerm("acme"); !bytes.Equal(after, before) {
			t.Errorf("mean %v, variance %v: the baseline reads %x after the refused entry, want %x as before", c.mean, c.variance, after, before)
		}
	}
}

// A bucket's count entry with more sample stories or events than an
// alert carries (sample_stories; a live count stops taking them there) is
// restored with the first sample_stories of each: the log's thousands
// would ride along in the term's alert.
func TestARestoredCountKeepsAtMostSampleStories(t *testing.T) {
	ob := newOpenBucket()
	ob.pubs.id("p")
	c := ob.counts.add("acme", "Acme")
	l := &countLists{pubs: pubSet{ids: []uint32{0}}}
	for i := range 1000 {
		ob.stories = append(ob.stories, countStory{id: fmt.Sprintf("s%d", i), event: fmt.Sprintf("e%d", i)})
		l.addSample(uint32(i))
		l.stories = append(l.stories, uint32(i))
	}
	c.kind, c.stories, c.more = entityKind, 1000, l
	cfg := DefaultConfig()
	d := New(cfg, nil)
	if err := d.Load(state.Entry{Table: state.Spikes, Key: bucketKey('b', 5, "acme"), Value: encodeCount(ob, c)}); err != nil {
		t.Fatal(err)
	}
	rob := d.restore.counts[5]
	got := rob.counts.get("acme")
	if got == nil || got.more == nil {
		t.Fatal("the count was not restored")
	}
	samples, events := rob.samples(got), rob.events(got)
	if n, m := len(samples), len(events); n > cfg.SampleStories || m > cfg.SampleStories {
		t.Errorf("restored %d samples and %d events, an alert carries at most %d", n, m, cfg.SampleStories)
	}
	if len(samples) == 0 || samples[0] != "s0" || len(events) == 0 || events[0] != "e0" {
		t.Errorf("the first samples and events were not kept: %v %v", samples, events)
	}
	if n := len(rob.stories); n > 2*cfg.SampleStories {
		t.Errorf("the restored bucket lists %d stories for one count, want at most %d", n, 2*cfg.SampleStories)
	}
}
