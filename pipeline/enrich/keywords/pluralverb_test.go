package keywords

import "testing"

// TestAPlainVerbAfterAPluralIsNoKeyword: a verb's plain form after a
// plural subject, before a determiner, is the verb, no keyword nor a
// phrase's last word ("oems eat", "smartphones ignore").
func TestAPlainVerbAfterAPluralIsNoKeyword(t *testing.T) {
	runKeywordCases(t, []keywordCase{
		{name: "before a determiner", title: "Samsung profits slide as other OEMs eat its lunch", never: []string{"eat", "oems eat"}},
		{name: "before a possessive", title: "Parents distracted by smartphones ignore their kids", never: []string{"smartphones ignore", "ignore"}},
	})
}

// TestAPluralsCompoundIsKept: a noun after a plural noun, before a
// verb or a preposition, is the compound's ("arms race", "sales
// forecast"); so is a noun before "to" ("secures deal to buy": no "secures" alone).
func TestAPluralsCompoundIsKept(t *testing.T) {
	runKeywordCases(t, []keywordCase{
		{name: "before a verb", title: "Arms race fears grow as Gulf states buy jets", want: []string{"arms race"}},
		{name: "before a preposition", title: "Apple sales forecast for the iPhone disappoints investors", want: []string{"apple sales forecast"}},
		{name: "before to", title: "Men's Wearhouse secures deal to buy Jos A Bank", never: []string{"secures"}},
	})
}
