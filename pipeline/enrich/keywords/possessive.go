package keywords

import "strings"

// maxOwned bounds the possessive pairs a story notes: an article's first
// ones are kept, as its joins are.
const maxOwned = 16

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
func ownedPair(phrase string, owned []string, named, inName map[string]bool) bool {
	for _, p := range owned {
		i := strings.Index(phrase, p)
		if i < 0 || i > 0 && phrase[i-1] != ' ' || i+len(p) < len(phrase) && phrase[i+len(p)] != ' ' {
			continue
		}
		owner := p[:strings.IndexByte(p, ' ')]
		if named[owner] || inName[owner] {
			return true
		}
	}
	return false
}
