package entities

import "testing"

// review24 finding 1: a lower-case "for" after a known body, or before
// one, joins a second name ("left the Conservative Party for UKIP"), not
// the body's field; an unknown body's field stays whole.
func TestReview24ForAfterAKnownBody(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "Douglas Carswell left the Conservative Party for UKIP in 2014.", want: []string{"organization:conservative_party", "organization:ukip"}, absent: []string{"organization:conservative_party_for_ukip"}},
		{body: "Bale left the Premier League for Real Madrid.", want: []string{"organization:premier_league", "organization:real_madrid"}, absent: []string{"organization:premier_league_for_real_madrid"}},
		{body: "He left the World Bank for Harvard.", want: []string{"organization:world_bank", "organization:harvard"}, absent: []string{"organization:world_bank_for_harvard"}},
		{body: "The Campaign for Real Ale said pubs were closing.", want: []string{"organization:campaign_for_real_ale"}},
		{body: "The Trust for Public Land bought the site.", want: []string{"organization:trust_for_public_land"}},
		{body: "The Office for National Statistics said prices rose.", want: []string{"organization:office_for_national_statistics"}},
		{body: "Ronaldo left the Premier League for Spain.", want: []string{"organization:premier_league", "place:es"}},
		{body: "The Alliance for Europe met in Brussels.", want: []string{"organization:alliance_for_europe"}},
	})
}
