package entities

import "testing"

// A car's make whose name is an ordinary word or a surname ("Jeep",
// "Dodge", which the brand list reads only where its capitals are a
// choice) is the maker where the sentence is about cars — a recall, a
// plant, a vehicle's noun, sales — and it opens its run or follows a
// place ("Ohio Jeep Plant") or another make: the make is the
// organization and the capitalised words after it are its model, no
// person ("Dodge SUVs", "Jeep Grand Cherokee" were people; round 40's
// ent40 left it, sets 38, 40, 41, 42 and 43 miss it). Without a car's
// word around it, or after a given name, or before a venue's word, the
// word reads as before.
func TestACarMakeBeforeItsModelOrPlantIsTheMaker(t *testing.T) {
	checkTitles(t, []headlineCase{
		{title: "Chrysler will recall 25000 Jeep and Dodge SUVs for brakes", want: []string{"organization:jeep", "organization:dodge"}, absent: []string{"person:dodge_suvs"}},
		{title: "Chrysler Recalls More Than 25000 Jeep Grand Cherokees and Dodge Durangos", want: []string{"organization:jeep", "organization:dodge"}},
		{title: "Ohio Jeep Plant To Hire 1000 Part-Time Workers", want: []string{"organization:jeep", "place:ohio"}},
		{title: "Toledo Jeep plant hiring part-time workers", want: []string{"organization:jeep"}},
		{title: "Dodge Dart Sales Down 33 Percent this Year", want: []string{"organization:dodge"}},
		{title: "25000 Jeep Grand Cherokee, Dodge Durango SUVs recalled over brake feel", want: []string{"organization:jeep", "organization:dodge"}, absent: []string{"person:jeep_grand_cherokee", "person:dodge_durango_suvs"}},
		{title: "GM recalls Buick Lacrosse and Chevy Malibu sedans", want: []string{"organization:buick"}, absent: []string{"person:buick_lacrosse", "place:malibu"}},
		// no car's word: the words read as before
		{title: "Jeep Swenson wins the title", absent: []string{"organization:jeep"}},
		{title: "Rob Ford attends plant opening", want: []string{"person:rob_ford"}},
		{title: "Lincoln Park residents fight plant closure", absent: []string{"organization:lincoln"}},
		{title: "Dodge City sales tax vote passes", absent: []string{"organization:dodge"}},
	})
}
