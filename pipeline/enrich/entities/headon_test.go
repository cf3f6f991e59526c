package entities

import "testing"

// TestHeadOnField: a council, committee, commission or panel and "on"
// go on with the body's field in ordinary words ("Council on Foreign
// Relations"), so the name is the body's whatever its first word reads
// as; a name after "on" is what the body met on, a date is when, and a
// conference "on" something is a gathering.
func TestHeadOnField(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "She sits on the board of the Chicago Council on Global Affairs.", want: []string{"organization:chicago_council_on_global_affairs"}, absent: []string{"place:chicago", "organization:chicago_council"}},
		{body: "The Council on Foreign Relations said the talks had stalled.", want: []string{"organization:council_on_foreign_relations"}},
		{body: "The Senate Committee on Foreign Relations met on Tuesday.", want: []string{"organization:senate_committee_on_foreign_relations"}, absent: []string{"organization:senate_committee"}},
		{body: "The Committee on Climate Change said the UK was behind.", want: []string{"organization:committee_on_climate_change", "place:gb"}},
		{body: "The Security Council on Syria met again.", want: []string{"place:sy"}, absent: []string{"organization:security_council_on_syria"}},
		{body: "The Security Council on Tuesday voted.", absent: []string{"organization:security_council_on_tuesday"}},
		{body: "Delegates at the UN Conference on Women in Beijing spoke.", absent: []string{"organization:un_conference_on_women"}},
	})
}
