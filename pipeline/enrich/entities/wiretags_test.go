package entities

import "testing"

// TestAWireTagGluedToAHeadlineIsATag (issue 15, round 31, set 36's
// uci-news:4926): a wire service's tag in capitals, glued to the
// headline by a hyphen, is read as a tag before a colon, so the
// headline's first name is whole. Not two names a hyphen joins, nor a
// span of years.
func TestAWireTagGluedToAHeadlineIsATag(t *testing.T) {
	for _, tt := range []struct {
		title        string
		want, absent []string
	}{
		{title: "HIGHLIGHTS-Bank of England's Carney, other policymakers speak in parliament", want: []string{"organization:bank_of_england", "person:carney"}, absent: []string{"place:england"}},
		{title: "US STOCKS-Wall Street edges lower after record; Boeing drags", want: []string{"place:wall_street", "organization:boeing"}, absent: []string{"place:stocks_wall_street"}},
		{title: "UPDATE 1-RBS might have to leave an independent Scotland", want: []string{"organization:royal_bank_of_scotland", "place:scotland"}},
		{title: "GLOBAL MARKETS-World stocks, copper and oil hit by weak China exports", want: []string{"place:cn"}, absent: []string{"organization:global_markets"}},
		{title: "RPT-Mt. Gox files for US bankruptcy protection", want: []string{"organization:mt_gox", "place:us"}, absent: []string{"organization:rpt"}},
		{title: "NATO-Russia council meets in Brussels", want: []string{"organization:nato"}},
		{title: "US-China talks resume in Beijing", want: []string{"place:us"}},
	} {
		checkKeys(t, newX(t).Extract(tt.title, "", "en"), tt.want, tt.absent)
	}
}

func TestWireTagHyphen(t *testing.T) {
	for s, want := range map[string]int{
		"UPDATE 3-Pizza chain Sbarro files":  8,
		"RPT-Mt. Gox files":                  3,
		"GLOBAL MARKETS-World stocks":        14,
		"2012-13 Jeep Grand Cherokee":        -1,
		"US-China talks":                     -1,
		"NATO-Russia council":                -1,
		"UK-born actor wins":                 -1,
		"Wal-Mart sales rise":                -1,
		"UPDATE 1- Central banks must":       -1,
		"ECB FOCUS-Stronger euro drowns out": 9,
	} {
		if got := wireTagHyphen(s); got != want {
			t.Errorf("wireTagHyphen(%q) = %d, want %d", s, got, want)
		}
	}
}
