package keywords

import (
	"strings"

	"github.com/wirestream/wirestream/pipeline/enrich/entities"
	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// maxOwned bounds the possessive pairs a story notes: an article's first
// ones are kept, as its joins are.
const maxOwned = 16

// possession is two words of the text with a possessive between them:
// "china" and "csi" of "China's CSI 300". The words are the terms' own
// strings: noting one allocates nothing. byForm: the owner is a name by
// its written form (nameByForm), whether or not the entity stage found it.
type possession struct {
	owner, owned string
	byForm       bool
}

// nameByForm reports whether the possessive's owner, token t read as the
// word w, is a name by its form alone: capitalised, and an initialism or a
// word no dictionary holds ("S&P's", "ECB's", "Titanfall's", "Kellogg's"),
// but no initialism of ordinary words ("CEO's blog", "GDP's rise").
// The entity stage misses some of these (a game, a product, an index
// maker it reads as no body), and the picker ran them into what they own
// ("s&p record close"). Not a given name: alone before its possessive it
// names a shop or a feast more often than a person ("Dick's", "St.
// Patrick's Day"), and the people the recognizer reads are named already.
// A dictionary word's possessive is a common noun's or a name the words
// hold ("Mother's Day", "Domino's Pizza"): it pairs as before.
//
// Of names joined by a hyphen the possessive is the last one's, and so is
// the judgement: "Jos. A. Bank-Men's Wearhouse" holds the store's "Men's".
//
// shouted: the owner's text is written in capitals (entities.Shouted),
// where capitals make no initialism — "FARMER'S MARKET" is a farmer's as
// "Farmer's market" is — and only a word no dictionary holds is a name
// ("TITANFALL'S XBOX ONE").
func nameByForm(t tokens.Token, w string, shouted *shout) bool {
	last := w[strings.LastIndexByte(w, '-')+1:]
	return t.Capitalized() && (t.AllCaps() && !shouted.is() || !entities.IsDictionaryWord(last)) &&
		!entities.IsGivenName(last) && !entities.IsOrdinaryInitialism(w)
}

// shout answers, once a text, whether the text is shouted: asked only of
// a possessive's owner in capitals, so most texts never pay the scan.
type shout struct {
	toks        []tokens.Token
	known, caps bool
}

func (s *shout) is() bool {
	if !s.known {
		s.caps, s.known = entities.Shouted(s.toks), true
	}
	return s.caps
}

// ownedPair reports whether the phrase holds, as two of its words in a
// row, a pair the text wrote with a possessive between them ("china csi"
// of "China's CSI 300", "britain prince harry" of "Britain's Prince
// Harry") whose owner is a name the entity stage found — a one-word name
// or a word of a longer one — or a name by its form ("s&p record close":
// nameByForm). Such a phrase is the owner and its
// possession run together, not a thing a person names: the owner and what
// it owns are each a keyword. A possessive after a common word ("CEO's
// blog", "euro's rise") still makes a phrase, and so does a name whose
// words hold the possessive (the recognizer's "Men's Wearhouse" is a
// name's term, never tested here).
func ownedPair(phrase string, owned []possession, named, inName map[string]bool) bool {
	for _, p := range owned {
		if (p.byForm || named[p.owner] || inName[p.owner]) && holdsWords(phrase, p.owner, p.owned) {
			return true
		}
	}
	return false
}

// holdsWords reports whether the phrase has word a right before word b.
func holdsWords(phrase, a, b string) bool {
	for rest := phrase; ; {
		sp := strings.IndexByte(rest, ' ')
		if sp < 0 {
			return false
		}
		w, next := rest[:sp], rest[sp+1:]
		if w == a && strings.HasPrefix(next, b) && (len(next) == len(b) || next[len(b)] == ' ') {
			return true
		}
		rest = next
	}
}
