package entities

import "testing"

// TestARound34ProductNounIsNoVerbOrAPlayersName (review of round 34):
// "support", "system", "device" and "player" are a product's nouns right
// after a camel-case name or after one lower-case word that describes it
// ("adds CarPlay support", "PonoPlayer music device"), but a verb ("to
// support"), a pronoun ("said its support") or a verb in -s ("signs
// player") between them leaves the company a company.
func TestARound34ProductNounIsNoVerbOrAPlayersName(t *testing.T) {
	checkTitles(t, []headlineCase{
		{title: "VoltaWerk to support rival bid for Quellmark", want: []string{"organization:voltawerk"}},
		{title: "VoltaWerk said its support for the deal was firm", want: []string{"organization:voltawerk"}},
		{title: "VoltaWerk signs player from Ajax", want: []string{"organization:voltawerk"}},
		{title: "Neil Young to sell $399 PonoPlayer music device", absent: []string{"organization:ponoplayer"}},
		{title: "Apple releases iOS 7.1 with CarPlay support, UI changes", absent: []string{"organization:carplay"}},
	})
}

// TestFeaturingACompanysPeopleLeavesItACompany (review of round 34): a
// release "featuring" a camel-case name calls it what the release brings
// where the name ends the clause ("iOS 7.1 featuring CarPlay"); an event
// featuring a company's people ("featuring VoltaWerk founders") keeps the
// company.
func TestFeaturingACompanysPeopleLeavesItACompany(t *testing.T) {
	checkTitles(t, []headlineCase{
		{title: "Charity gala featuring VoltaWerk founders raises $2m", want: []string{"organization:voltawerk"}},
		{title: "Apple releases iOS 7.1 featuring CarPlay", absent: []string{"organization:carplay"}},
	})
}
