package keywords

import (
	"testing"

	"github.com/wirestream/wirestream/pipeline/record"
)

// Two words a story uses only as one phrase joined by "of" or "and" — a
// work's title ("House of Cards", "War and Peace") or a set phrase ("war
// of words", "state of emergency") — are that phrase, not two keywords:
// "of" and "and" end a run, so the picker had split the title into
// "house" and "cards" (issue 15, round 41's leftover). Not two names
// joined by "and", nor a word the story also uses alone.
func TestAPhraseJoinedByOfOrAndIsKeptWhole(t *testing.T) {
	runKeywordCases(t, []keywordCase{
		{name: "a show's title", title: "Cable subscribers can now watch House of Cards without Netflix",
			want: []string{"house of cards"}, never: []string{"house", "cards"}},
		{name: "a title-case headline", title: "Cable Viewers Binge On House Of Cards",
			never: []string{"house", "cards"}},
		{name: "a piece of a longer phrase", title: "Creator of Flappy Bird pulls the game",
			never: []string{"creator of flappy"}},
		{name: "two things named apart", title: "Copper and oil slide as China data disappoints",
			never: []string{"copper and oil"}},
		{name: "a book's title", title: "This reading app gets you through War and Peace in an hour",
			want: []string{"war and peace"}, never: []string{"war", "peace"}},
		{name: "a set phrase", title: "Pop stars trade insults in a war of words on Twitter",
			want: []string{"war of words"}, never: []string{"war", "words"}},
		{name: "two names joined by and", title: "Russia and Ukraine sign gas deal",
			ents:  []record.Entity{{Name: "Russia", Kind: "location", InTitle: true}, {Name: "Ukraine", Kind: "location", InTitle: true}},
			never: []string{"russia and ukraine"}},
		{name: "a word the story uses alone too", title: "Leaders warn of war as war of words escalates",
			never: []string{"war of words"}},
	})
}
