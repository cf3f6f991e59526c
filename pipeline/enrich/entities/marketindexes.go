package entities

import "github.com/wirestream/wirestream/pipeline/enrich/tokens"

// indexOnlyNames name a market index in news and no body a story
// labels: "FTSE" (the company is FTSE Russell), "DAX", "Stoxx".
var indexOnlyNames = set(`ftse dax stoxx kospi sensex topix djia`)

// indexMakerNames are bodies whose name their index carries: "S&P's
// record close", "Nasdaq falls", "Nikkei gains" are the index, "S&P cut
// Greece's rating", "on the Nasdaq", "the Nikkei reported" the agency,
// the exchange, the paper.
var indexMakerNames = set(`s&p nasdaq nikkei`)

// indexMoves are the words after an index's name that a market's level
// does, and a body does not: a close, a record, a move up or down.
var indexMoves = set(`record close closes closing high highs low lows rises rise rose falls fall fell gains gain gained drops drop dropped
slips slip slipped climbs climb climbed edges edged ends ended dips dipped tumbles tumbled jumps jumped rallies rallied down up aided lifted futures`)

// marketIndex: the run c, one word, names a market index, which the
// labels leave out with the publisher its name carries (set 5: "S&P 500,
// the Dow, Nasdaq Composite" are no bodies, "NYSE, Nasdaq" as exchanges
// are): a name only an index bears ("FTSE aided by bullish US markets"),
// or an index maker's before a market's move ("after S&P's record
// close"; issue 15, round 45, sets 31, 38 and 41).
func marketIndex(c []tokens.Token, next *tokens.Token) bool {
	if len(c) != 1 {
		return false
	}
	f := stripPossessive(c[0].Lower) // the token's own lower case: no copy for every one-word run
	if indexOnlyNames[f] {
		return true
	}
	return indexMakerNames[f] && next != nil && indexMoves[next.Lower]
}
