package keywords

import "strings"

// maxOwned bounds the possessive pairs a story notes: an article's first
// ones are kept, as its joins are.
const maxOwned = 16

// possession is two words of the text with a possessive between them:
// "china" and "csi" of "China's CSI 300". The words are the terms' own
// strings: noting one allocates nothing.
type possession struct{ owner, owned string }

// ownedPair reports whether the phrase holds, as two of its words in a
// row, a pair the text wrote with a possessive between them ("china csi"
// of "China's CSI 300", "britain prince harry" of "Britain's Prince
// Harry") whose owner is a name the entity stage found — a one-word name
// or a word of a longer one. Such a phrase is the owner and its
// possession run together, not a thing a person names: the owner and what
// it owns are each a keyword. A possessive after a common word ("CEO's
// blog", "euro's rise") still makes a phrase, and so does a name whose
// words hold the possessive (the recognizer's "Men's Wearhouse" is a
// name's term, never tested here).
func ownedPair(phrase string, owned []possession, named, inName map[string]bool) bool {
	for _, p := range owned {
		if (named[p.owner] || inName[p.owner]) && holdsWords(phrase, p.owner, p.owned) {
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
