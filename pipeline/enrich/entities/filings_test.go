package entities

import (
	"testing"

	"github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// TestWhatFilesForBankruptcyIsACompany (issue 15, round 27): the name
// that files for bankruptcy, for Chapter 11 or for an IPO is a company's,
// where a headline's first word alone was no name at all ("Sbarro files
// for second bankruptcy in three years", set 31's uci-news:535). A person
// or a place the gazetteer knows is no company ("Detroit files for
// bankruptcy"); filing for divorce says nothing.
func TestWhatFilesForBankruptcyIsACompany(t *testing.T) {
	for _, tt := range []struct {
		title, body  string
		want, absent []string
	}{
		{title: "Sbarro files for second bankruptcy in three years", want: []string{"organization:sbarro"}},
		{title: "Sbarro Files For Chapter 11 Reorganization Again", want: []string{"organization:sbarro"}},
		{title: "News", body: "Quellmark has filed for bankruptcy protection, the court said.", want: []string{"organization:quellmark"}},
		{title: "News", body: "Vantrell Brothers filed for an IPO on Monday.", want: []string{"organization:vantrell_brothers"}},
		{title: "Detroit files for bankruptcy", absent: []string{"organization:detroit"}},
		{title: "News", body: "Kim Kardashian files for divorce from Kris Humphries.", want: []string{"person:kim_kardashian"}},
		{title: "News", body: "Quellmark files for divorce.", absent: []string{"organization:quellmark"}},
	} {
		checkKeys(t, newX(t).Extract(tt.title, tt.body, "en"), tt.want, tt.absent)
	}
}

// TestAFilersNameInATitleCaseHeadline: in a title-case headline the run
// spans the name, the filing and what follows; the name ends before the
// filing (and an adverb before it), the words of the filing name nothing,
// and a kind of firm around the name is no part of it.
func TestAFilersNameInATitleCaseHeadline(t *testing.T) {
	for _, tt := range []struct {
		title        string
		want, absent []string
	}{
		{title: "Sbarro Officially Files For Bankruptcy Protection", want: []string{"organization:sbarro"}, absent: []string{"organization:sbarro_officially"}},
		{title: "Pizza Chain Sbarro Files For Bankruptcy A Second Time", want: []string{"organization:sbarro"}, absent: []string{"organization:pizza_chain_sbarro"}},
		{title: "Sbarro Pizza Chain Files for Chapter 11 Bankruptcy", want: []string{"organization:sbarro"}, absent: []string{"organization:files_for_chapter"}},
		{title: "Mt. Gox Files For US Chapter 15 Bankruptcy", want: []string{"organization:mt_gox", "place:us"}},
		// The period of an abbreviation a wire's slug hides ("RPT-Mt.")
		// ends no sentence: "Gox" is no filer of its own.
		{title: "RPT-Mt. Gox files for US bankruptcy protection", absent: []string{"organization:gox"}},
	} {
		checkKeys(t, newX(t).Extract(tt.title, "", "en"), tt.want, tt.absent)
	}
}

// TestTheKindOfFirmBetweenAFilerAndItsFiling: "Sbarro pizza chain files
// for bankruptcy again" (set 33's uci-news:531): the kind of firm, in lower
// case after the name, stands between the filer and its filing; what files
// is still a company. An ordinary word that is no body's noun does not
// ("Quellmark pizza files").
func TestTheKindOfFirmBetweenAFilerAndItsFiling(t *testing.T) {
	for _, tt := range []struct {
		title        string
		want, absent []string
	}{
		{title: "Quellmark pizza chain files for bankruptcy again", want: []string{"organization:quellmark"}},
		{title: "Quellmark restaurant chain has filed for Chapter 11", want: []string{"organization:quellmark"}},
		{title: "Quellmark pizza files for bankruptcy", absent: []string{"organization:quellmark"}},
	} {
		got := newX(t).Extract(tt.title, "", "en")
		checkKeys(t, got, tt.want, tt.absent)
	}
}

// TestAFilingReadsThroughBrackets (issue 15, round 29): an aside in
// brackets inside a filing ("Sbarro Files For (Another) Bankruptcy
// Protection", set 34's uci-news:519) is still the filing, so the name
// before it is the filer; other punctuation still stops it.
func TestAFilingReadsThroughBrackets(t *testing.T) {
	checkKeys(t, newX(t).Extract("Sbarro Files For (Another) Bankruptcy Protection", "", "en"), []string{"organization:sbarro"}, nil)
	checkKeys(t, newX(t).Extract("Tovalla Files For (Second) Chapter 11", "", "en"), []string{"organization:tovalla"}, nil)
}

// TestSeekingBankruptcyProtectionIsAFiling (issue 15, round 30): "Sbarro
// again seeks to reorganize under bankruptcy protection" (set 35's
// uci-news:550) named nothing; what seeks bankruptcy or Chapter 11 within
// a few words is a company, as what files for it is. A name the gazetteer
// knows keeps its reading, and a seeker that is no name names nothing.
func TestSeekingBankruptcyProtectionIsAFiling(t *testing.T) {
	for _, tt := range []struct {
		text         string
		want, absent []string
	}{
		{text: "Sbarro again seeks to reorganize under bankruptcy protection", want: []string{"organization:sbarro"}},
		{text: "Quellmark seeks Chapter 11 protection", want: []string{"organization:quellmark"}},
		{text: "Bitcoin Exchange Mt. Gox Seeks US Bankruptcy Relief", want: []string{"organization:mt_gox", "place:us"}, absent: []string{"organization:bitcoin_exchange"}},
		{text: "Creditors seek bankruptcy protection for the firm", absent: []string{"organization:creditors"}},
	} {
		checkKeys(t, newX(t).Extract(tt.text, "", "en"), tt.want, tt.absent)
	}
}

// Every verb that opens a filing is one filingVerb knows, so the check
// filingAfter asks first (filingVerbWithin) passes every filing on to the
// rule: each of the sixteen verbs, in each of its shapes, still opens one
// after a name, with the firm's noun and "has" between them too.
func TestEveryFilingVerbPassesTheFirstCheck(t *testing.T) {
	for _, verb := range []string{"files", "filed", "file", "filing", "Files", "FILED"} {
		for _, after := range []string{" for bankruptcy", " Chapter 11"} {
			checkFilingAfter(t, "Quellmark "+verb+after+" today.")
			checkFilingAfter(t, "Quellmark pizza chain has "+verb+after+" today.")
		}
	}
	for _, verb := range []string{"seeks", "sought", "seek", "seeking"} {
		checkFilingAfter(t, "Quellmark "+verb+" bankruptcy protection.")
		checkFilingAfter(t, "Quellmark again "+verb+" bankruptcy protection.")
	}
	for _, verb := range []string{"enters", "entered", "enter", "entering"} {
		checkFilingAfter(t, "Quellmark "+verb+" bankruptcy protection.")
	}
	for _, verb := range []string{"returns", "returned", "return", "returning"} {
		checkFilingAfter(t, "Quellmark "+verb+" to Chapter 11.")
	}
}

// checkFilingAfter fails t unless a filing follows the text's first word.
func checkFilingAfter(t *testing.T, text string) {
	t.Helper()
	if !filingAfter(text, tokens.Split(text), 1) {
		t.Errorf("%q: no filing after its first word", text)
	}
}
