package entities

import "testing"

// TestASiteUnderACountrysDomainIsABody (issue 15, round 46): a site's
// address under a country's second-level domain ("TheMusic.com.au",
// "Quellmark.co.uk") names the site as "Salon.com" does, a headline's
// first word too; it read as nothing there. Not a dotted abbreviation
// ("U.S.A.") nor ".co" without a country's code after it.
func TestASiteUnderACountrysDomainIsABody(t *testing.T) {
	for _, tt := range []struct {
		title        string
		want, absent []string
	}{
		{title: "TheMusic.com.au Is Headed To SXSW Again", want: []string{"organization:themusiccomau"}},
		{title: "Quellmark.co.uk is headed to SXSW", want: []string{"organization:quellmarkcouk"}},
		{title: "Quellmark.org.nz Names New Editor", want: []string{"organization:quellmarkorgnz"}},
		{title: "Quellmark.co Names New Editor", absent: []string{"organization:quellmarkco"}},
	} {
		checkKeys(t, newX(t).Extract(tt.title, "", "en"), tt.want, tt.absent)
	}
}
