package events

import (
	"encoding/hex"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/textorder"
	"github.com/wirestream/wirestream/pipeline/record"
)

var (
	econTopic  = record.Topic{Code: "medtop:04000000", Name: "economy, business and finance", Score: 0.7}
	guessTopic = record.Topic{Code: "medtop:08000000", Name: "human interest", Score: 0.05}
	polTopic   = record.Topic{Code: "medtop:11000000", Name: "politics", Score: 0.6}
)

// fedStories are three stories of one event: the first says economy, the
// second's headline alone is a guess, the third says politics clearly.
func fedStories() []*record.Story {
	a := story("fed-1", "Reuters", 0, "Fed's Powell signals patience on interest rate cuts", "The Federal Reserve chair said the central bank is in no hurry to lower interest rates.", "person:jerome_powell", "organization:federal_reserve")
	a.Topics = []record.Topic{econTopic}
	b := story("cnbc-1", "CNBC", 10*time.Minute, "Powell says Fed in no rush to cut interest rates", "Federal Reserve chair Jerome Powell said rates can stay put.", "person:jerome_powell")
	b.Topics = []record.Topic{guessTopic}
	c := story("ap-1", "AP", 20*time.Minute, "Powell tells Congress Fed in no rush on interest rate cuts", "Federal Reserve chair Jerome Powell said the central bank will wait on rates.", "person:jerome_powell")
	c.Topics = []record.Topic{polTopic}
	return []*record.Story{a, b, c}
}

// A story whose own topic is a guess is published with the topic its
// event's earlier stories name; one with a topic of its own evidence
// keeps it; and the event counts each story's own topic, never one it
// took from the event.
func TestAGuessJoiningAnEventTakesItsEarlierStoriesTopic(t *testing.T) {
	c := New(DefaultConfig(), nil)
	ss := fedStories()
	var id string
	for _, s := range ss {
		id = c.Assign(s)
	}
	for _, s := range ss {
		if s.EventID != id {
			t.Fatalf("story %s is in %s, want the one event %s", s.ID, s.EventID, id)
		}
	}
	want := []record.Topic{{Code: econTopic.Code, Name: econTopic.Name, Score: 1}}
	if !reflect.DeepEqual(ss[1].Topics, want) {
		t.Errorf("the guess joining an economy event is published with %v, want %v", ss[1].Topics, want)
	}
	if !reflect.DeepEqual(ss[2].Topics, []record.Topic{polTopic}) {
		t.Errorf("a story of its own clear topic is published with %v, want its own", ss[2].Topics)
	}
	ev := c.Current(id)
	if got, wantTopics := ev.Topics, []string{"economy, business and finance", "human interest", "politics"}; !reflect.DeepEqual(got, wantTopics) {
		t.Errorf("the event's topics are %v, want each story's own counted once: %v", got, wantTopics)
	}
}

// A story that founds an event has no earlier stories to follow, and
// KeepOwnTopics (for evaluation) leaves every story its own topics.
func TestAStoryKeepsItsOwnTopicsWithNoEarlierStoryOrWhenAskedTo(t *testing.T) {
	ss := fedStories()
	ss[0].Topics = []record.Topic{guessTopic}
	c := New(DefaultConfig(), nil)
	c.Assign(ss[0])
	if !reflect.DeepEqual(ss[0].Topics, []record.Topic{guessTopic}) {
		t.Errorf("the founding story is published with %v, want its own guess", ss[0].Topics)
	}
	ss = fedStories()
	c = New(DefaultConfig(), nil)
	c.KeepOwnTopics(true)
	for _, s := range ss {
		c.Assign(s)
	}
	if !reflect.DeepEqual(ss[1].Topics, []record.Topic{guessTopic}) {
		t.Errorf("with KeepOwnTopics the guess is published with %v, want its own", ss[1].Topics)
	}
}

// A revision reads its topics against its event as its first version
// did: a guess again takes the event's topic rather than flipping back.
// Its event's counts hold its first version's own topics (one story of
// the event's), so the majority is taken over all of them.
func TestARevisedGuessKeepsFollowingItsEvent(t *testing.T) {
	c := New(DefaultConfig(), nil)
	ss := fedStories()
	ss[2].Topics = []record.Topic{econTopic}
	c.Assign(ss[0])
	c.Assign(ss[2])
	c.Assign(ss[1])
	rev := *ss[1]
	rev.Version = 2
	rev.EventID = ""
	rev.Topics = []record.Topic{guessTopic}
	c.Assign(&rev)
	if rev.Topics[0].Code != econTopic.Code {
		t.Errorf("the revised guess is published with %v, want the event's economy", rev.Topics)
	}
}

// A processor that restores the events from the state log publishes a
// story with the topic the live one does: the counts a guess follows
// (the event's own topics and its stories) are part of the event's
// logged state. Pins restore-safety of topics taken from the event.
func TestARestoredClustererPublishesTheTopicTheLiveOneDoes(t *testing.T) {
	live := New(DefaultConfig(), nil)
	live.TrackChanges(true)
	ss := fedStories()
	live.Assign(ss[0])
	log := live.Changes()

	restored := New(DefaultConfig(), nil)
	for _, e := range log {
		if err := restored.Load(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := restored.Restored(); err != nil {
		t.Fatal(err)
	}
	a, b := fedStories()[1], fedStories()[1]
	live.Assign(a)
	restored.Assign(b)
	want := []record.Topic{{Code: econTopic.Code, Name: econTopic.Name, Score: 1}}
	if !reflect.DeepEqual(a.Topics, want) {
		t.Fatalf("live: the guess is published with %v, want %v", a.Topics, want)
	}
	if a.EventID != b.EventID || !reflect.DeepEqual(a.Topics, b.Topics) {
		t.Errorf("restored: the guess is in %s with %v; live: in %s with %v", b.EventID, b.Topics, a.EventID, a.Topics)
	}
}

// A revision of the only story of its event has no earlier story to
// follow, as its first version had none: the event's counts are that
// first version's own topics alone, which are no other story's evidence.
// (It took them, at score 1, as if a second story had named them.)
func TestARevisionOfItsEventsOnlyStoryKeepsItsOwnTopics(t *testing.T) {
	c := New(DefaultConfig(), nil)
	s := fedStories()[0]
	s.Topics = []record.Topic{{Code: polTopic.Code, Name: polTopic.Name, Score: 0.05}} // a lone weak cue
	c.Assign(s)
	rev := *s
	rev.Version = 2
	rev.EventID = ""
	rev.Topics = []record.Topic{guessTopic}
	c.Assign(&rev)
	if rev.EventID != s.EventID {
		t.Fatalf("the revision is in %s, want its first version's %s", rev.EventID, s.EventID)
	}
	if !reflect.DeepEqual(rev.Topics, []record.Topic{guessTopic}) {
		t.Errorf("the revision of its event's only story is published with %v, want its own %v", rev.Topics, []record.Topic{guessTopic})
	}
}

// Guesses never lead guesses: a guess joining an event follows only the
// earlier stories whose own topics were evidence. Every guess names the
// fallback topic (human interest), so counted with the others two
// guesses outvoted the one story that said economy.
func TestAGuessFollowsOnlyTheStoriesWhoseOwnTopicsWereEvidence(t *testing.T) {
	c := New(DefaultConfig(), nil)
	ss := fedStories()
	ss[2].Topics = []record.Topic{guessTopic}
	extra := story("bbc-1", "BBC", 30*time.Minute, "Powell says Fed will wait on interest rate cuts", "Federal Reserve chair Jerome Powell said the central bank is in no rush on rates.", "person:jerome_powell")
	extra.Topics = []record.Topic{guessTopic}
	for _, s := range append(ss, extra) {
		c.Assign(s)
	}
	if ss[0].EventID != extra.EventID || ss[2].EventID != extra.EventID {
		t.Fatalf("the stories are in %s, %s, %s, %s: want one event", ss[0].EventID, ss[1].EventID, ss[2].EventID, extra.EventID)
	}
	want := []record.Topic{{Code: econTopic.Code, Name: econTopic.Name, Score: 1}}
	for _, s := range []*record.Story{ss[1], ss[2], extra} {
		if !reflect.DeepEqual(s.Topics, want) {
			t.Errorf("guess %s is published with %v, want the one evidenced story's %v", s.ID, s.Topics, want)
		}
	}
	ev := c.Current(extra.EventID)
	if got, wantTopics := ev.Topics, []string{"human interest", "economy, business and finance"}; !reflect.DeepEqual(got, wantTopics) {
		t.Errorf("the event's topics are %v, want every story's own counted, guesses too: %v", got, wantTopics)
	}
}

// The event's state round-trips through its encoding: the evidence tally
// and the count of evidenced stories included (format version 2).
func TestAnEventsEvidenceTallyRoundTripsThroughTheStateEncoding(t *testing.T) {
	c := New(DefaultConfig(), nil)
	var id string
	for _, s := range fedStories() {
		id = c.Assign(s)
	}
	live := c.events[id]
	if live.evidenced != 2 || len(live.evidence) != 2 || len(live.topics) != 3 {
		t.Fatalf("live: %d evidenced stories, evidence %v, topics %v; want 2, economy and politics, and three topics", live.evidenced, live.evidence, live.topics)
	}
	var ids []textorder.Keyed[int32]
	b := encodeEvent(nil, live, &ids, c.terms)
	if b[0] != 2 {
		t.Fatalf("format version %d, want 2", b[0])
	}
	got, err := decodeEvent(id, b, newDict())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.evidence, live.evidence) || got.evidenced != live.evidenced || !reflect.DeepEqual(got.topics, live.topics) {
		t.Errorf("decoded evidence %v of %d stories, topics %v; live %v of %d, %v", got.evidence, got.evidenced, got.topics, live.evidence, live.evidenced, live.topics)
	}
}

// An event written by format version 1 (before guesses were told apart:
// testdata/event-v1-fed.hex, fedStories' event as main ef31c33 encoded
// it) still decodes: its every-story counts stand in for the evidence,
// so a guess joining it follows what it followed before the upgrade.
func TestAnEventOfFormatVersion1DecodesWithItsCountsAsEvidence(t *testing.T) {
	raw, err := os.ReadFile("testdata/event-v1-fed.hex")
	if err != nil {
		t.Fatal(err)
	}
	b, err := hex.DecodeString(strings.TrimSpace(string(raw)))
	if err != nil {
		t.Fatal(err)
	}
	if b[0] != 1 {
		t.Fatalf("the fixture is format version %d, want 1", b[0])
	}
	d1 := newDict()
	ev, err := decodeEvent("e_6b35274d8e78912d", b, d1)
	if err != nil {
		t.Fatal(err)
	}
	wantTopics := counts{{"economy, business and finance", 1}, {"human interest", 1}, {"politics", 1}}
	if !reflect.DeepEqual(ev.topics, wantTopics) || ev.stories != 3 || !reflect.DeepEqual(ev.langs, []string{"en"}) {
		t.Fatalf("decoded topics %v, %d stories, languages %v; want %v, 3, [en]", ev.topics, ev.stories, ev.langs, wantTopics)
	}
	if !reflect.DeepEqual(ev.evidence, ev.topics) || ev.evidenced != 3 {
		t.Errorf("evidence %v of %d stories, want the every-story counts %v of 3", ev.evidence, ev.evidenced, ev.topics)
	}
	// written again, it is version 2 and reads back the same
	var ids []textorder.Keyed[int32]
	ev2, err := decodeEvent(ev.id, encodeEvent(nil, ev, &ids, d1), newDict())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(ev2.evidence, ev.evidence) || ev2.evidenced != 3 || ev2.title != ev.title || !reflect.DeepEqual(ev2.members, ev.members) {
		t.Errorf("re-encoded: evidence %v of %d, title %q, members %v", ev2.evidence, ev2.evidenced, ev2.title, ev2.members)
	}
}
