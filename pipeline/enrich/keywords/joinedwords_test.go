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

// A join is a phrase only where it is one (issue 15, round 42's sample of
// uci-news headlines, 14 of 35 joins wrong): not the head of a longer
// coordination ("Game Of Cat And ...", "a period of wet and warm
// weather"), not a word and a name written as one ("Walkthrough of iOS",
// "Launch of PonoMusic"), not an amount or a kind of the thing ("a LOT Of
// Money", "all kinds of tools", "Full of Baggage"), and "and" not inside a
// longer capitalised run ("Titanfall and Xbox One", "Trains and Grow Up").
func TestAJoinIsAPhraseOnlyWhereItStandsAlone(t *testing.T) {
	runKeywordCases(t, []keywordCase{
		{name: "a coordination goes on", title: "The Best Part Of The 'True Detective' Finale Was A 15-Minute Game Of Cat And ...",
			never: []string{"game of cat"}},
		{name: "a lower-case coordination goes on", title: "Genghis Khan rose to power thanks to a period of wet and warm WEATHER",
			never: []string{"period of wet"}},
		{name: "a name in mixed case", title: "Video Walkthrough of iOS 7.1 Visual Tweaks and Improvements",
			want: []string{"ios"}, never: []string{"walkthrough of ios"}},
		{name: "a name in mixed case after a title-case noun", title: "Neil Young Announces the Launch of PonoMusic",
			want: []string{"ponomusic"}, never: []string{"launch of ponomusic"}},
		{name: "an amount", title: "Colorado Has Made A LOT Of Money From Cannabis This Month",
			want: []string{"money"}, never: []string{"lot of money"}},
		{name: "a kind", title: "ECB member Noyer is 'very open to all kinds of tools'",
			never: []string{"kinds of tools"}},
		{name: "full of", title: "The First Episode of OWN's Lindsay Was Full of Baggage",
			want: []string{"baggage"}, never: []string{"full of baggage"}},
		{name: "and inside a longer name", title: "Microsoft places big bet on Titanfall and Xbox One",
			never: []string{"titanfall and xbox"}},
		{name: "and before a capitalised word", title: "#SXSW Forward: Austin, It's Time to Stop Playing with Trains and Grow Up",
			never: []string{"trains and grow"}},
		{name: "a set phrase still joins", title: "Libyan parliament ousts the prime minister in a vote of confidence",
			want: []string{"vote of confidence"}},
		{name: "a title still joins", title: "You Can Now Watch House of Cards Without Netflix Subscription",
			want: []string{"house of cards"}},
	})
}

// A noun that names a role toward a thing or what becomes of it ("owner
// of", "maker of", "future of", "purchase of") is no set phrase with its
// complement: the complement is what the story is about, often a name a
// title-case headline does not mark ("Owner Of Sprint", "Future of
// Bitcoin", "Purchase Of Titanfall"; issue 15, round 42's wrong joins).
// Nor is a capitalised word the dictionary does not hold, wherever it
// stands after "of": a name ("Shades Of Nixon").
func TestARoleOrFateOfANameIsNoJoin(t *testing.T) {
	runKeywordCases(t, []keywordCase{
		{name: "an owner in title case", title: "Owner Of Sprint: I Want To Buy T-Mobile And Start A Price War With Verizon And ...",
			want: []string{"sprint"}, never: []string{"owner of sprint"}},
		{name: "a future", title: "Imagining the Future of Bitcoin",
			want: []string{"bitcoin"}, never: []string{"future of bitcoin"}},
		{name: "a purchase", title: "Toys R Us Is Offering 50% Off A Game With Purchase Of Titanfall",
			want: []string{"titanfall"}, never: []string{"purchase of titanfall"}},
		{name: "a maker, written", title: "Investors Cool On Maker Of Candy Crush",
			never: []string{"maker of candy"}},
		{name: "the fate, written", title: "Leaders meet to decide the fate of Crimea",
			want: []string{"crimea"}, never: []string{"fate of crimea"}},
		{name: "a name no dictionary holds", title: "Record Keeping Has 'Shades Of Nixon', Say MPs",
			want: []string{"nixon"}, never: []string{"shades of nixon"}},
		{name: "a set phrase still joins", title: "Libyan parliament ousts the prime minister in a vote of confidence",
			want: []string{"vote of confidence"}},
	})
}

// The role or fate noun of such a refused join, used nowhere else in the
// story, is no keyword alone either: "owner", "maker" and "future" are
// what the story says of its name, no topic (a person picks "sprint", not
// "owner"). An event's noun ("sale", "takeover") is a topic and stays.
func TestARoleNounLeftOfARefusedJoinIsNoKeyword(t *testing.T) {
	runKeywordCases(t, []keywordCase{
		{name: "an owner", title: "Owner Of Sprint: I Want To Buy T-Mobile And Start A Price War With Verizon And ...",
			want: []string{"sprint"}, never: []string{"owner"}},
		{name: "a future", title: "Imagining the Future of Bitcoin",
			want: []string{"bitcoin"}, never: []string{"future"}},
		{name: "a maker, written", title: "Investors cool on the maker of Candy",
			want: []string{"candy"}, never: []string{"maker"}},
		{name: "an event's noun stays", title: "Shareholders Approve Sale Of Tesco",
			want: []string{"sale", "tesco"}},
		{name: "a role the story names again", title: "Imagining the Future of Bitcoin", body: "The future is digital, its backers say, and the future may come soon, though no one can say what the currency becomes.",
			want: []string{"future"}},
	})
}
