package entities

import (
	"github.com/wirestream/wirestream/pipeline/enrich/stopwords"
	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// servicePlate: an ordinary word in capitals ends a run right after a
// body's name in capitals ("HBO GO problems hit …", "CRASHES HBO GO";
// issue 15, round 32, set 37's uci-news:3014, 3077): the body's service
// or edition written as the brand writes it, as "HBO Go" is, and no body
// of its own; its capitals are the brand's style, not an acronym's.
func servicePlate(body, w tokens.Token) bool {
	if !body.AllCaps() || !w.AllCaps() || w.Break || w.SentStart {
		return false
	}
	f := foldTok(w)
	return commonWord(f) || stopwords.IsAny(f)
}
