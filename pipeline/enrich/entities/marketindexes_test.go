package entities

import "testing"

// TestAMarketIndexIsNoBody (issue 15, round 45): "Wall Street opens lower
// after S&P's record close" (set 38's uci-news:150, set 31's 143),
// "Today's Stock market DJIA …, Nasdaq, S&P 500" (set 38's 128), "FTSE
// aided by bullish US markets" (set 41's 4850): the labels leave market
// indexes out, and the publisher an index's name carries with them (set
// 5's note: "S&P 500, the Dow, Nasdaq Composite"), where the exchange and
// the rating agency are bodies ("on the Nasdaq", "S&P cut Greece's
// rating"). An index maker's name before the index's number or a
// market's move is the index; FTSE, DAX or Stoxx alone is always one.
func TestAMarketIndexIsNoBody(t *testing.T) {
	for _, tt := range []struct {
		title, body  string
		want, absent []string
	}{
		{title: "Wall Street opens lower after S&P's record close", want: []string{"place:wall_street"}, absent: []string{"organization:sp"}},
		{title: "Stocks climb as S&P 500 hits new high", absent: []string{"organization:sp"}},
		{title: "FTSE aided by bullish US markets", want: []string{"place:us"}, absent: []string{"organization:ftse"}},
		{title: "FTSE 100 closes higher", absent: []string{"organization:ftse", "organization:ftse_100"}},
		{title: "Nasdaq Composite falls 2%", absent: []string{"organization:nasdaq"}},
		{title: "S&P cuts Greece's rating to junk", want: []string{"organization:sp"}},
		{title: "Story", body: "The shares trade on the Nasdaq and on NYSE Amex.", want: []string{"organization:nasdaq"}},
	} {
		checkKeys(t, newX(t).Extract(tt.title, tt.body, "en"), tt.want, tt.absent)
	}
}
