package entities

import "testing"

// TestPossessivePlaceOwnsLowerCaseBody pins recognize's possessive branch
// of govBodyAfter (issue 15, round 22): a place's possessive before one or
// two lower-case words and a government head names the body, keyed
// without the possessive, and the place stays named; a portfolio's
// ministry is still the portfolio's ("Foreign Ministry"), and a company's
// possessive names no such body.
func TestPossessivePlaceOwnsLowerCaseBody(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "She worked in Chicago's water department for years.", want: []string{"organization:chicago_water_department", "place:chicago"}},
		{body: "Japan’s weather agency issued a warning.", want: []string{"organization:japan_weather_agency", "place:jp"}},
		{body: "China's foreign ministry said on Monday that talks would resume.", want: []string{"organization:foreign_ministry", "place:cn"}, absent: []string{"organization:china_foreign_ministry"}},
		{body: "Tesla's marketing department said the car was ready.", want: []string{"organization:tesla"}, absent: []string{"organization:tesla_marketing_department"}},
	})
}

// TestFederationAndAuthorityAreGovHeads pins govHeads' federation and
// authority (issue 15, round 22): a demonym or a country and lower-case
// words before either name a body, as before a ministry or an agency; no
// word between them names none.
func TestFederationAndAuthorityAreGovHeads(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "The French soccer federation said the match would go ahead.", want: []string{"organization:french_soccer_federation"}},
		{body: "The Australian maritime safety authority said the search resumed.", want: []string{"organization:australian_maritime_safety_authority"}},
		{body: "He praised the Russian federation on Monday.", absent: []string{"organization:russian_federation"}},
	})
}

// TestFrenchStreetConnectors pins "au" and "aux" among connectors (issue
// 15, round 22): a French street's name goes on through them, so the
// street is named whole, not cut at its article.
func TestFrenchStreetConnectors(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "The fourth attack came on Rue de la Fontaine au Roi, near a bar.", want: []string{"place:rue_de_la_fontaine_au_roi"}, absent: []string{"place:rue_de_la_fontaine"}},
		{body: "Hundreds gathered at the Place de la Republique on Sunday.", want: []string{"place:place_de_la_republique"}},
	})
}

// TestAuthorityAsPowerIsNoBody pins powerWords in govBodyAfter (read22c):
// "authority" after a word of power or its reach ("moral authority",
// "legal authority") is the power a place holds, not a body it has, so
// neither a place's possessive nor its demonym names an organization
// there; "the Australian maritime safety authority" still does.
func TestAuthorityAsPowerIsNoBody(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "Washington's moral authority has waned.", absent: []string{"organization:washington_moral_authority"}},
		{body: "Beijing's legal authority over the city was questioned.", want: []string{"place:beijing"}, absent: []string{"organization:beijing_legal_authority"}},
		{body: "Europe's moral authority was at stake.", want: []string{"place:europe"}, absent: []string{"organization:europe_moral_authority"}},
		{body: "The Australian maritime safety authority said the search resumed.", want: []string{"organization:australian_maritime_safety_authority"}},
	})
}
