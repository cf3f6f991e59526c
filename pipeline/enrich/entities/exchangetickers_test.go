package entities

import "testing"

// TestATickerAfterItsExchangeNamesNoBody (issue 15, round 30): "Apple
// (NASDAQ:AAPL) iOS 7.1 update …" (set 35's uci-news:1740) named AAPL as a
// second company beside Apple; the code after an exchange and a colon is
// the company's ticker, no name of its own. The exchange is still read,
// and capitals after a colon that follows no exchange are read as ever.
func TestATickerAfterItsExchangeNamesNoBody(t *testing.T) {
	for _, tt := range []struct {
		text         string
		want, absent []string
	}{
		{text: "Apple (NASDAQ:AAPL) iOS 7.1 update for the iPhone", want: []string{"organization:apple"}, absent: []string{"organization:aapl"}},
		{text: "Shares of Quellmark (NYSE: QLMK) rose 4 percent on Monday.", absent: []string{"organization:qlmk"}},
		{text: "Economy: IMF cuts its forecast", want: []string{"organization:imf"}},
	} {
		checkKeys(t, newX(t).Extract(tt.text, "", "en"), tt.want, tt.absent)
	}
}
