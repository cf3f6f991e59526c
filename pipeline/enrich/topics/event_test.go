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
		t1 := Tally{Lead: c.lead, Named: c.n, Of: c.prior}
		if got := FromEvent(c.own, t1, t1); !reflect.DeepEqual(got, c.want) {
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

// A guess follows the tally of the earlier stories whose own topics were
// evidence; a weak topic the tally of every earlier story. Each reads
// its own tally only, and a tally that names more stories than it
// counted (a state log written wrong) moves nothing.
func TestFromEventAGuessReadsTheEvidenceTallyAWeakTopicEveryStorys(t *testing.T) {
	econ, pol := Names["04000000"], Names["11000000"]
	guess := []record.Topic{{Code: Code(fallbackTopic), Name: Names[fallbackTopic], Score: fallbackScore}}
	weak := []record.Topic{{Code: Code("13000000"), Name: Names["13000000"], Score: 0.4}}
	took := func(id string, share float64) []record.Topic {
		return []record.Topic{{Code: Code(id), Name: Names[id], Score: share}}
	}
	// one story said economy; two guesses named the fallback: every
	// story's tally is led by the fallback, the evidence tally by economy
	evidence := Tally{Lead: econ, Named: 1, Of: 1}
	all := Tally{Lead: Names[fallbackTopic], Named: 2, Of: 3}
	if got := FromEvent(guess, evidence, all); !reflect.DeepEqual(got, took("04000000", 1)) {
		t.Errorf("a guess after one economy story and two guesses: %v, want economy at 1", got)
	}
	if got := FromEvent(guess, Tally{}, all); !reflect.DeepEqual(got, guess) {
		t.Errorf("a guess after guesses alone: %v, want its own", got)
	}
	// the weak topic reads every story's tally, not the evidence one
	if got := FromEvent(weak, Tally{Lead: pol, Named: 1, Of: 1}, Tally{Lead: econ, Named: 2, Of: 3}); !reflect.DeepEqual(got, took("04000000", 0.667)) {
		t.Errorf("a weak topic: %v, want economy at 0.667 from every story's tally", got)
	}
	if got := FromEvent(guess, Tally{Lead: econ, Named: 3, Of: 0}, all); !reflect.DeepEqual(got, guess) {
		t.Errorf("a tally naming 3 of 0 stories: %v, want the story's own", got)
	}
}
