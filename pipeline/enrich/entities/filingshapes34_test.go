package entities

import "testing"

// TestAFilingWrittenWithoutFor (issue 15, round 34): round 26's filing
// ("Sbarro files for bankruptcy": what files is a company, a sentence's
// first word too) in the other ways headlines write it — the filing's
// noun right after the verb ("files Chapter 11", "files Ch. 11
// bankruptcy"), "Ch." and its number for Chapter ("again files for Ch.
// 11 reorganization", set 36's uci-news:520), and a return to or an entry
// into it ("returns to Chapter 11", "enters bankruptcy"). "Files" before
// anything else, or "returns to" before no filing, says nothing.
func TestAFilingWrittenWithoutFor(t *testing.T) {
	checkTitles(t, []headlineCase{
		{title: "Sbarro again files for Ch. 11 reorganization", want: []string{"organization:sbarro"}},
		{title: "Quellmark files Chapter 11 in Delaware", want: []string{"organization:quellmark"}},
		{title: "Quellmark files Ch. 11 bankruptcy for second time", want: []string{"organization:quellmark"}},
		{title: "Quellmark returns to Chapter 11 with prepack", want: []string{"organization:quellmark"}},
		{title: "Quellmark enters bankruptcy protection", want: []string{"organization:quellmark"}},
		{title: "Quellmark Returns To Chapter 11", want: []string{"organization:quellmark"}},
		{title: "Pellucci files appeal in Rome", absent: []string{"organization:pellucci"}},
		{title: "Pellucci returns to Rome", absent: []string{"organization:pellucci"}},
		{title: "Pellucci enters the race", absent: []string{"organization:pellucci"}},
	})
}
