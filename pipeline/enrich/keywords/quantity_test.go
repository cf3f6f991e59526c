package keywords

import "testing"

// TestAHeadlineVerbBeforeAQuantityEndsItsPhrase: an -s word the
// dictionary inflects as a verb, before a quantity, is the headline's
// verb ("Chrysler Recalls 25,000 …", "Colorado reaps $2.1 million"); a
// plural before a year, a date or a span of time is a noun.
func TestAHeadlineVerbBeforeAQuantityEndsItsPhrase(t *testing.T) {
	runKeywordCases(t, []keywordCase{
		{name: "title case", title: "Chrysler Recalls 25,000 Jeep Grand Cherokee SUVs", never: []string{"recalls", "chrysler recalls"}},
		{name: "currency", title: "Colorado reaps $2.1 million from first month of pot sales", never: []string{"colorado reaps", "reaps"}},
		{name: "million", title: "Obamacare enrollment surpasses 4.2 million as deadline nears", never: []string{"obamacare enrollment surpasses", "enrollment surpasses"}},
	})
}

func TestAPluralBeforeADateOrASpanIsANoun(t *testing.T) {
	runKeywordCases(t, []keywordCase{
		{name: "date", title: "Video game news and rumors 3/10/14", want: []string{"rumors"}},
		{name: "span", title: "GM knew of faulty ignition switches 10 years before recall", want: []string{"faulty ignition switches"}},
	})
}
