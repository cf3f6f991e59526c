package events

import (
	"reflect"
	"testing"
	"time"

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
