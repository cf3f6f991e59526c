package entities

import "testing"

// TestGivenMonthRound14: "Jan" before a name's word is a given name, not
// the month the run's opening would drop; the month stays a month before a
// day's number, after its abbreviation's dot and before a weekday.
func TestGivenMonthRound14(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "Interior Minister Jan Varek announced the new measures on Thursday.", want: []string{"person:jan_varek"}, absent: []string{"person:varek"}},
		{body: "Jan Kowalczyk said the deal was off.", want: []string{"person:jan_kowalczyk"}},
		{body: "The talks, which began on Jan 5, ended with Kowalczyk's exit.", absent: []string{"person:jan_kowalczyk"}},
		{body: "Sales rose in Jan. Kowalczyk said so.", absent: []string{"person:jan_kowalczyk"}},
	})
}
