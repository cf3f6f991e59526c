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

// FromEvent returns the topics a story is published with once it joined
// an event: its own (ts), unless they are a guess or weak and the
// stories the event held before it clearly name one topic. A headline
// alone is often ambiguous ("Apple's new deal", "Smartphones making
// parents ignore their kids"); the event it joins seldom is. lead is
// the topic most of those earlier stories name, named by n of the prior
// stories (each story counts a topic once, whichever of its 1–3 it is).
//
//   - a guess (Guess: no evidence, or a lone weak cue) takes lead when
//     more than half of one or more earlier stories name it;
//   - a weak topic (score < 0.5) takes lead when two thirds of three or
//     more earlier stories name it;
//   - a story with a topic of its own evidence keeps it: the event
//     never outvotes what the text says clearly.
//
// The topic taken is lead alone, its score the share of the earlier
// stories that name it. Only stories seen before this one count: the
// caller passes the event's counts before it adds the story's own.
func FromEvent(ts []record.Topic, lead string, n, prior int) []record.Topic {
	if len(ts) == 0 || prior == 0 || n == 0 {
		return ts
	}
	id, ok := byName[lead]
	if !ok || Code(id) == ts[0].Code {
		return ts
	}
	switch {
	case Guess(ts) && 2*n > prior:
	case ts[0].Score < weakTopic && prior >= 3 && 3*n >= 2*prior:
	default:
		return ts
	}
	return []record.Topic{{Code: Code(id), Name: lead, Score: round3(float64(n) / float64(prior))}}
}
