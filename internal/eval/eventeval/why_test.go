package eventeval

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/config"

	"github.com/wirestream/wirestream/pipeline/events"
	"github.com/wirestream/wirestream/pipeline/record"
)

// Each way a story can miss its story's event has one cause, checked in
// the order the clusterer decides: does the event exist, is it the one
// joined, is it reachable at all, and how far under the threshold.
func TestCauseSaysWhyAStoryMissedItsEvent(t *testing.T) {
	live := events.Reach{Live: true, InWindow: true, Candidate: true, Shared: 2, Queried: 1, Cosine: 0.3, Score: 0.3}
	with := func(f func(*events.Reach)) events.Reach { r := live; f(&r); return r }
	founded := &events.Decision{Threshold: 0.2, Founded: true, BestScore: 0.1, Best: "e_other"}
	joinedOther := &events.Decision{Threshold: 0.2, BestScore: 0.5, Best: "e_other"}
	for _, c := range []struct {
		d     *events.Decision
		r     events.Reach
		known bool
		want  string
	}{
		{founded, events.Reach{}, false, whyNotYet},
		{founded, events.Reach{}, true, whyClosed},
		{&events.Decision{Threshold: 0.2, BestScore: 0.3, Best: "e_t"}, live, true, whyJoined},
		{founded, with(func(r *events.Reach) { r.InWindow = false }), true, whyWindow},
		{founded, with(func(r *events.Reach) { r.Shared, r.Queried, r.Candidate = 0, 0, false }), true, whyNoTerm},
		{founded, with(func(r *events.Reach) { r.Queried, r.Candidate = 0, false }), true, whyNotQueried},
		{founded, with(func(r *events.Reach) { r.Candidate = false }), true, whyNotListed},
		{founded, with(func(r *events.Reach) { r.Score = 0.05 }), true, whyFar},
		{founded, with(func(r *events.Reach) { r.Score = 0.15 }), true, whyNear},
		{joinedOther, live, true, whyOutscored},
	} {
		if got := cause(c.d, c.r, "e_t", c.known); got != c.want {
			t.Errorf("cause(%+v, %+v, known %v) = %q, want %q", c.d, c.r, c.known, got, c.want)
		}
	}
}

// A story's event is the emitted event holding most of its documents.
func TestStoryEventsTakeTheLargestPart(t *testing.T) {
	docs := make([]doc, 6)
	for i, l := range []string{"boe", "boe", "boe", "oil", "oil", "miley"} {
		docs[i] = doc{item: record.Item{}, label: l}
	}
	got := storyEvents([]string{"e2", "e1", "e1", "e3", "e4", "e5"}, docs)
	want := map[string]string{"boe": "e1", "oil": "e3", "miley": "e5"}
	for l, ev := range want {
		if got[l] != ev {
			t.Errorf("story %s: event %s, want %s (all: %v)", l, got[l], ev, got)
		}
	}
}

// End to end through the pipeline: three quake headlines make their
// story's event; a fourth labelled with them shares no word with it and
// founds its own, which a fifth joins: both miss their story's event for
// want of a shared term, both in an event of their own story, a fragment
// of two.
func TestExplainSplitsThroughThePipeline(t *testing.T) {
	docs := quakeWithFootball()
	a, err := replay(context.Background(), docs, config.Default(), nil)
	if err != nil {
		t.Fatal(err)
	}
	causes, founders, _, err := explainSplits(context.Background(), docs, config.Default(), a.emitted, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []Cause{{Why: whyNoTerm, Docs: 2, Founded: 1, Sibling: 2, Fragment: 2, Sample: docs[3].item.Title}}
	if !slices.Equal(causes, want) {
		t.Errorf("causes = %+v, want %+v (emitted %v)", causes, want, a.emitted)
	}
	// The football headline founded an event while the quake event, its
	// story's, was open: one founder, sharing nothing with the quake
	// event, its time a minute past that event's last story. The fifth
	// joined the football event: not a founder.
	if len(founders) != 1 {
		t.Fatalf("founders = %+v, want the fourth headline alone", founders)
	}
	f := founders[0]
	if f.Title != docs[3].item.Title || f.BestIsGold || f.GoldSize != 3 || f.Gold != 0 {
		t.Errorf("founder = %+v, want %q against the 3-story quake event, score 0", f, docs[3].item.Title)
	}
	if e := f.GoldShared; e.Entities+e.Keywords+e.Words != 0 || e.Outside != time.Minute {
		t.Errorf("shared with the quake event = %+v, want nothing, a minute after its span", e)
	}
	// The evidence count: the first quake headline founded with no open
	// event of its story (a new story); the football headline is the one
	// founder, and only time and a stem connect it to the quake event
	// ("striker" to "strike": the stem rule's kind of false friend, right
	// here only by the label) — no word, no name, and under half the
	// threshold, so no rule joins it.
	probe := newEvidenceProbe()
	if _, _, _, err := explainSplits(context.Background(), docs, config.Default(), a.emitted, probe); err != nil {
		t.Fatal(err)
	}
	tl := probe.tally
	if tl.Founders != 1 || tl.New != 1 {
		t.Fatalf("evidence tally %+v, want one founder and one new story", tl)
	}
	for k := range nKinds {
		want := 0
		if k == kindNear30 || k == kindMorph {
			want = 1
		}
		if tl.Right[k] != want || tl.Unique[k] != want || tl.Wrong[k] != 0 || tl.RightNear[k] != 0 || tl.RuleRight[k]+tl.RuleWrong[k] != 0 {
			t.Errorf("%s: right %d (alone %d), wrong %d, ≥ 0.5T right %d, rule %d/%d; want right and alone %d, nothing else",
				kindNames[k], tl.Right[k], tl.Unique[k], tl.Wrong[k], tl.RightNear[k], tl.RuleRight[k], tl.RuleWrong[k], want)
		}
	}
}

// quakeWithFootball is five headlines a minute apart, all labelled
// "quake": three on a quake, then two on football that share no word
// with them.
func quakeWithFootball() []doc {
	start := time.Date(2014, 3, 10, 9, 0, 0, 0, time.UTC)
	var docs []doc
	for i, title := range []string{
		"Earthquake strikes western Greece",
		"Strong earthquake strikes western Greece",
		"Western Greece earthquake damages buildings",
		"Football club signs striker from rival club",
		"Rival club loses striker to football club",
	} {
		at := start.Add(time.Duration(i) * time.Minute)
		feed := record.FeedRef{URL: fmt.Sprintf("https://p%d.example/feed", i)}
		docs = append(docs, doc{label: "quake", ts: at, item: record.Item{
			Feed: feed, FeedLanguage: "en", Publisher: fmt.Sprint("p", i),
			Link: fmt.Sprintf("https://p%d.example/%d", i, i), Title: title,
			PublishedRaw: at.Format(time.RFC3339), PublishedParsed: &at, FetchedAt: at,
		}})
	}
	return docs
}

// The bands the founders' report counts in: scores in units of the
// threshold, evidence by its strongest kind, time by distance from the
// event's span.
func TestFounderBands(t *testing.T) {
	for x, want := range map[float64]string{-1: "none", 0: "<0.5T", 0.49: "<0.5T", 0.5: "0.5-0.8T", 0.8: "0.8-1T", 0.99: "0.8-1T"} {
		if got := scoreBand(x); got != want {
			t.Errorf("scoreBand(%v) = %s, want %s", x, got, want)
		}
	}
	for e, want := range map[events.Evidence]string{{}: "nothing", {Words: 1}: "1word", {Words: 3}: "2+words", {Keywords: 1, Words: 1}: "keyword", {Entities: 1, Keywords: 1}: "entity"} {
		if got := evidenceBand(e); got != want {
			t.Errorf("evidenceBand(%+v) = %s, want %s", e, got, want)
		}
	}
	for d, want := range map[time.Duration]string{0: "inside", time.Minute: "<=1m", time.Hour: "<=1h", 2 * time.Hour: ">1h"} {
		if got := timeBand(d); got != want {
			t.Errorf("timeBand(%v) = %s, want %s", d, got, want)
		}
	}
}

// The near founders' report: the share of a founder's vector its best
// candidate held, in bands, each as right (the candidate was its story's
// event) over all, for every near founder, those scored 0.8–1T, and
// those sharing two words or a name.
func TestNearFoundersByCoverage(t *testing.T) {
	for x, want := range map[float64]string{0: "<0.2", 0.19: "<0.2", 0.2: "0.2-0.3", 0.35: "0.3-0.4", 0.45: "0.4-0.5", 0.5: ">=0.5", 1: ">=0.5"} {
		if got := coverBand(x); got != want {
			t.Errorf("coverBand(%v) = %s, want %s", x, got, want)
		}
	}
	ns := []NearFounder{
		{Best: 0.9, Right: true, Shared: events.Evidence{Words: 2, Covered: 0.6}},
		{Best: 0.6, Right: false, Shared: events.Evidence{Words: 1, Covered: 0.6}},
		{Best: 0.6, Right: false, Shared: events.Evidence{Entities: 1, Covered: 0.1}},
	}
	want := " 3 documents, right/all by share: <0.2 0/1, 0.2-0.3 0/0, 0.3-0.4 0/0, 0.4-0.5 0/0, >=0.5 1/2;" +
		" scored 0.8-1T: <0.2 0/0, 0.2-0.3 0/0, 0.3-0.4 0/0, 0.4-0.5 0/0, >=0.5 1/1;" +
		" sharing ≥ 2 words or a name: <0.2 0/1, 0.2-0.3 0/0, 0.3-0.4 0/0, 0.4-0.5 0/0, >=0.5 1/1"
	if got := nearLine(ns); got != want {
		t.Errorf("nearLine =\n%q, want\n%q", got, want)
	}
}
