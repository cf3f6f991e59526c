package entities

import "github.com/wirestream/wirestream/pipeline/enrich/tokens"

// indexOnlyNames name a market index in news and no body a story
// labels: "FTSE" (the company is FTSE Russell), "DAX", "Stoxx".
var indexOnlyNames = set(`ftse dax stoxx kospi sensex topix djia`)

// marketIndex: the run c, one word, is a name only a market index bears
// ("FTSE aided by bullish US markets"; issue 15, round 45, set 41's
// uci-news:4850), which the labels leave out with the publisher its name
// carries (set 5: "S&P 500, the Dow, Nasdaq Composite" are no bodies,
// "NYSE, Nasdaq" as exchanges are). An index maker's name before a
// market's move ("after S&P's record close") is the index too, but read
// so it joined the keywords' phrase ("s&p record close" for "s&p" and
// "record close", keywords-unseen30's uci 142): left a body (round 45).
func marketIndex(c []tokens.Token) bool {
	return len(c) == 1 && indexOnlyNames[stripPossessive(c[0].Lower)] // the token's own lower case: no copy for every one-word run
}
