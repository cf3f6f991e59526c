package entities

import "testing"

// TestAWeakBodyReadInARunYieldsToNoLearnedPerson (review of round 34): a
// weak body written in its own form that a title-case headline's run
// yields ("Sprint Wants to Buy T-Mobile") is a company by its form; an
// earlier stories' misread person whose surname it is ("Sprint/T-Mobile
// merger" read as a person, uci-news:5430 and 5478) must not take it over — on
// uci-news dev it turned 8 T-Mobile headlines into person:sprint_t_mobile.
func TestAWeakBodyReadInARunYieldsToNoLearnedPerson(t *testing.T) {
	x := newX(t)
	x.Extract("Son: 'Price war' after Sprint/T-Mobile merger would benefit consumers, networks", "", "en")
	x.Extract("SoftBank's Son: We can start a 'massive price war' following a Sprint/T-Mobile deal", "", "en")
	checkKeys(t, x.Extract("Sprint Wants to Buy T-Mobile", "", "en"), []string{"organization:t_mobile"}, []string{"person:sprint_t_mobile"})
}
