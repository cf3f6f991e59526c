package topics

import (
	"reflect"
	"testing"

	"github.com/wirestream/wirestream/pipeline/record"
)

// A story's own topic gives way to its event's only when its own is a
// guess or weak and the event's earlier stories clearly name another:
// a guess follows more than half of one or more, a weak topic two
// thirds of three or more, and a topic of its own evidence never moves.
func TestFromEventAGuessOrWeakTopicFollowsItsEventsClearMajority(t *testing.T) {
	econ := Names["04000000"]
	guess := []record.Topic{{Code: Code(fallbackTopic), Name: Names[fallbackTopic], Score: fallbackScore}}
	weak := []record.Topic{{Code: Code("13000000"), Name: Names["13000000"], Score: 0.4}}
	clear := []record.Topic{{Code: Code("13000000"), Name: Names["13000000"], Score: 0.5}}
	took := func(share float64) []record.Topic {
		return []record.Topic{{Code: Code("04000000"), Name: econ, Score: share}}
	}
	for _, c := range []struct {
		name     string
		own      []record.Topic
		lead     string
		n, prior int
		want     []record.Topic
	}{
		{"a guess, one earlier story", guess, econ, 1, 1, took(1)},
		{"a guess, a majority of three", guess, econ, 2, 3, took(0.667)},
		{"a guess, half is no majority", guess, econ, 1, 2, guess},
		{"a guess in a new event", guess, "", 0, 0, guess},
		{"a weak topic, two thirds of three", weak, econ, 2, 3, took(0.667)},
		{"a weak topic, two of two is too few", weak, econ, 2, 2, weak},
		{"a weak topic, under two thirds", weak, econ, 3, 5, weak},
		{"a topic of one plain headline cue keeps it", clear, econ, 10, 10, clear},
		{"the event's topic is the story's own already", weak, Names["13000000"], 3, 3, weak},
		{"a name that is no topic", guess, "gossip", 3, 3, guess},
	} {
		if got := FromEvent(c.own, c.lead, c.n, c.prior); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: FromEvent(%v, %q, %d, %d) = %v, want %v", c.name, c.own, c.lead, c.n, c.prior, got, c.want)
		}
	}
}

// Every topic's name finds its id back: events count topics by name.
func TestFromEventReadsEveryTopicByItsName(t *testing.T) {
	for id, name := range Names {
		if byName[name] != id {
			t.Errorf("topic %s (%q) is found as %q", id, name, byName[name])
		}
	}
}
