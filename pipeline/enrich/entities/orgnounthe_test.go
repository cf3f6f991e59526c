package entities

import "testing"

// TestAnOrganizationsNounBeforeTheAndAName (issue 15, round 27): a kind
// of body and "the" before a name say the name is that body's ("rock
// group the Eagles of Death Metal", set 12's ParisAttacks2015 (20), read
// as nothing), as the noun does right before it ("rock group Eagles of
// Death Metal").
func TestAnOrganizationsNounBeforeTheAndAName(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "It came 30 minutes after rock group the Eagles of Death Metal had begun their performance.", want: []string{"organization:eagles_of_death_metal"}},
		{body: "The rumour first ran in the tabloid the Morning Clarion on Monday.", want: []string{"organization:morning_clarion"}},
		{body: "It came after the group the United States had named.", want: []string{"place:us"}},
	})
}

// TestABandMembersRoleNamesTheBand (issue 15, round 27): a band member's
// role before "for" or "of" makes the name after it the band ("The
// drummer for Eagles of Death Metal", set 26's ParisAttacks2015 (21),
// read as nothing; "the guitarist of Quellmark Sound" was a person), as
// a spokesman's does a company.
func TestABandMembersRoleNamesTheBand(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "The drummer for Eagles of Death Metal, Julian Dorio, has said that he is fine.", want: []string{"organization:eagles_of_death_metal", "person:julian_dorio"}},
		{body: "The guitarist of Quellmark Sound said so.", want: []string{"organization:quellmark_sound"}, absent: []string{"person:quellmark_sound"}},
	})
}
