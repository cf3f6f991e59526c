package entities

import "testing"

// TestListedGivenNamesRound15: a given name of the SSA's list that the hand
// list lacks, before a surname that is also an ordinary word, makes a
// person ("Desmond Hill"), where the run was dropped as ordinary words;
// not when that word is no surname ("Orion Nebula"), ends a building's
// name ("Thaddeus House") or the gazetteer claims the first word in any
// case ("Isis" is ISIS). Names that are ordinary words ("Will", "May",
// "Hope", "Chase") are no listed names: those runs are as before. Before a
// city's name the listed name makes a person as a hand-listed one does
// ("Desmond Dublin"), not before a country's adjective ("Siri British").
func TestListedGivenNamesRound15(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "In 1991, at age 17, Desmond Hill travelled from his home to visit an uncle.", want: []string{"person:desmond_hill"}},
		{body: "The commentator, Thaddeus Wolf, called the match for the network.", want: []string{"person:thaddeus_wolf"}},
		{body: "Critics were led by Marisol Gates and by the mayor.", want: []string{"person:marisol_gates"}},
		{body: "Dust clouds in the Orion Nebula destroy young planets.", absent: []string{"person:orion_nebula"}},
		{body: "They have been staying at Thaddeus House, the residence in the park.", absent: []string{"person:thaddeus_house"}},
		{body: "Analysts fear Isis Fighters on the border.", absent: []string{"person:isis_fighters"}},
		{body: "On Monday, Desmond Dublin scored twice.", want: []string{"person:desmond_dublin"}, absent: []string{"place:dublin"}},
		{body: "The update improved Siri British voice.", absent: []string{"person:siri_british"}},
		{body: "Fans gathered for May Day Parade and Will Power Week in Hope Street.", absent: []string{"person:may_day_parade", "person:will_power_week", "person:hope_street", "person:will_power"}},
	})
}

// TestListedGivenNameBeforeVenue: a listed given name before a venue's, a
// place's or a brand's nouns names that venue, place or brand, not a
// person (review17 #3). In a run of three or four words the middle words
// must be given names, initials or words no dictionary holds ("Square",
// "Blue", "Milk" are dictionary words); a venue or place noun at the end
// ("Hole", "Lamp", "Brands") refuses as "House" does. Persons of that
// shape stay persons ("Desmond Hill", "Marisol T. Gates").
func TestListedGivenNameBeforeVenue(t *testing.T) {
	checkCases(t, "", []keyCase{
		{body: "Yellen will speak at Jackson Hole next month.", absent: []string{"person:jackson_hole"}},
		{body: "The band played at Madison Square Garden.", absent: []string{"person:madison_square_garden"}},
		{body: "The report by Kelley Blue Book showed prices rose.", absent: []string{"person:kelley_blue_book"}},
		{body: "The band played at Tiffany Lamp on Friday.", absent: []string{"person:tiffany_lamp"}},
		{body: "The band played at Wendy Brands on Friday.", absent: []string{"person:wendy_brands"}},
		{body: "The band played at Harvey Milk Plaza on Friday.", absent: []string{"person:harvey_milk_plaza"}},
		{body: "In 1991, at age 17, Desmond Hill travelled from his home to visit an uncle.", want: []string{"person:desmond_hill"}},
		{body: "Critics were led by Marisol T. Gates and by the mayor.", want: []string{"person:marisol_gates"}},
	})
}

// TestIsisIsTheGroupRound17: British papers write the group's acronym as
// a word ("Isis", "Isil"), as they write "Nato" and "Fifa"; it is the
// group, one key with "ISIS" and "Islamic State", not a person speaking.
func TestIsisIsTheGroupRound17(t *testing.T) {
	checkCases(t, "Paris attacks", []keyCase{
		{body: "In its statement, Isis said there had been other attacks.", want: []string{"organization:islamic_state"}, absent: []string{"person:isis"}},
		{body: "The hunt goes on for the network behind the Isis attack. Isil has claimed it.", want: []string{"organization:islamic_state"}, absent: []string{"organization:isis", "person:isil"}},
	})
}
