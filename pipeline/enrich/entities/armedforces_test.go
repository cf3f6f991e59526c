package entities

import "testing"

// TestLowerCaseNavyAndAirForce: a country's navy or air force named in
// lower case after the country or its adjective is that body, an
// organization of its own ("the US navy", "the Malaysian air force"), as a
// government's lower-case ministry is; a navy or air force with no country
// before it names none, and a colour's "navy" is no body.
func TestLowerCaseNavyAndAirForce(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "The US navy contradicted the claim on Tuesday.", want: []string{"organization:us_navy"}},
		{body: "Where was the Malaysian air force in all this, he asked.", want: []string{"organization:malaysian_air_force"}},
		{body: "An Australian navy supply ship is on the scene.", want: []string{"organization:australian_navy"}},
		{body: "Both Australian and Chinese air force crews reported debris.", want: []string{"organization:chinese_air_force"}},
		{body: "He served in the navy for ten years before the air force took him.", absent: []string{"organization:navy", "organization:air_force"}},
		{body: "Officers in French navy-blue uniforms stood guard.", absent: []string{"organization:french_navy"}},
		{body: "China's navy sent two ships, and the Chinese navy said more would follow.", want: []string{"organization:chinese_navy"}, absent: []string{"organization:china_navy", "organization:china's_navy"}},
	})
}

// TestLowerCaseEmbassy: a country's embassy or consulate named in lower
// case after the country's adjective or name is an organization, as a
// capitalised one is ("US Embassy"); "the embassy" alone names none.
func TestLowerCaseEmbassy(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "Relatives marched to the Malaysian embassy in Beijing.", want: []string{"organization:malaysian_embassy", "place:beijing"}},
		{body: "A crowd gathered outside the French consulate on Monday.", want: []string{"organization:french_consulate"}},
		{body: "Protesters urged them not to go to the embassy.", absent: []string{"organization:embassy"}},
	})
}
