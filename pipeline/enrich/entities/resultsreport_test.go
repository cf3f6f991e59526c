package entities

import "testing"

// TestWhatReportsItsResultsIsACompany (issue 15, round 47): "American
// Eagle sees fall in revenue, profit" (set 43's uci-news:4659) read as
// the United States, its demonym's country; a one-word name no list
// knows before the same report read as nothing. A results verb in lower
// case and a results noun within four words after it make the subject
// the company: a word no list knows, or a demonym and one capitalised
// word. Not a known name (its reading stands), not an ordinary word, not
// a demonym's title ("Chinese Premier"), and not a verb without its
// noun ("sees rise in exports").
func TestWhatReportsItsResultsIsACompany(t *testing.T) {
	for _, tt := range []struct {
		title        string
		want, absent []string
	}{
		{title: "American Eagle sees fall in revenue, profit", want: []string{"organization:american_eagle"}, absent: []string{"place:us"}},
		{title: "Quellmark sees rise in revenue", want: []string{"organization:quellmark"}},
		{title: "Quellmark posts record fourth-quarter profit", want: []string{"organization:quellmark"}},
		{title: "Quellmark reports wider loss", want: []string{"organization:quellmark"}},
		{title: "American Airlines posts record profit", want: []string{"organization:american_airlines"}},
		{title: "Apple sees fall in iPhone sales", want: []string{"organization:apple"}},
		{title: "Chinese Premier sees rise in revenue", want: []string{"place:cn"}, absent: []string{"organization:chinese_premier"}},
		{title: "Quellmark sees rise in exports", absent: []string{"organization:quellmark"}},
		{title: "Retailer posts loss", absent: []string{"organization:retailer"}},
		{title: "Quellmark posts photo, sales soar", absent: []string{"organization:quellmark"}},
	} {
		checkKeys(t, newX(t).Extract(tt.title, "", "en"), tt.want, tt.absent)
	}
}
