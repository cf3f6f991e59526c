package topics

import "github.com/wirestream/wirestream/pipeline/record"

// weakTopic is the score below which a story's own top topic is weak:
// less than one plain headline cue alone gives (2 / (2 + 2)), so split
// or light evidence.
const weakTopic = 0.5

// byName finds a top-level topic's id by its name, as events count them.
var byName = func() map[string]string {
	m := make(map[string]string, len(Names))
	for id, name := range Names {
		m[name] = id
	}
	return m
}()

// Tally is what an event's earlier stories say of its topics: Lead the
// topic most of them name, Named how many of them name it (each story
// counts a topic once, whichever of its 1–3 it is), Of how many stories
// were counted.
type Tally struct {
	Lead      string
	Named, Of int
}

// FromEvent returns the topics a story is published with once it joined
// an event: its own (ts), unless they are a guess or weak and the
// stories the event held before it clearly name one topic. A headline
// alone is often ambiguous ("Apple's new deal", "Smartphones making
// parents ignore their kids"); the event it joins seldom is.
//
//   - a guess (Guess: no evidence, or a lone weak cue) takes evidence's
//     lead when more than half of one or more earlier stories name it —
//     counting only the earlier stories whose own topics were no guess:
//     a guess is no evidence, so guesses never lead guesses (the
//     fallback topic every guess names would outvote the one story that
//     said something);
//   - a weak topic (score < 0.5) takes all's lead — every earlier
//     story's own topics — when two thirds of three or more name it;
//   - a story with a topic of its own evidence keeps it: the event
//     never outvotes what the text says clearly.
//
// The topic taken is the lead alone, its score the share of the counted
// stories that name it. Only stories seen before this one count: the
// caller passes the event's tallies before it adds the story's own.
func FromEvent(ts []record.Topic, evidence, all Tally) []record.Topic {
	if len(ts) == 0 {
		return ts
	}
	var t Tally
	switch {
	case Guess(ts):
		if t = evidence; 2*t.Named <= t.Of {
			return ts
		}
	case ts[0].Score < weakTopic:
		if t = all; t.Of < 3 || 3*t.Named < 2*t.Of {
			return ts
		}
	default:
		return ts
	}
	id, ok := byName[t.Lead]
	if !ok || t.Named <= 0 || t.Named > t.Of || Code(id) == ts[0].Code {
		return ts
	}
	return []record.Topic{{Code: Code(id), Name: t.Lead, Score: round3(float64(t.Named) / float64(t.Of))}}
}
