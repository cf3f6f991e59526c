package entities

import "testing"

// TestSchoolFieldsRound14: a university the gazetteer knows and a
// professional school's field, "School" left out, name that school, the
// same one its full name does; the university alone stays the university.
func TestSchoolFieldsRound14(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "He had just finished his first year at Harvard Law and joined the firm.", want: []string{"organization:harvard_law_school"}, absent: []string{"organization:harvard"}},
		{body: "She went to Harvard Law School; at Harvard Law she met her husband.", want: []string{"organization:harvard_law_school"}, absent: []string{"organization:harvard"}},
		{body: "He studied economics at Harvard before the war.", want: []string{"organization:harvard"}},
	})
}

// TestModelMakersRound14: a word hyphened to a number after a name is a
// model's designation, and the name before it the maker, no person.
func TestModelMakersRound14(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "The air force sent two Varnov Va-76 transport planes to the area.", want: []string{"organization:varnov"}, absent: []string{"person:varnov_va"}},
		{body: "The fleet still flies Sukhoi Su-27 jets.", want: []string{"organization:sukhoi"}, absent: []string{"person:sukhoi_su"}},
		{body: "Anna Kowalska-Smith said the plan was sound.", want: []string{"person:anna_kowalska_smith"}},
		{body: "Install a camera app such as Camera FV-5 instead.", absent: []string{"organization:camera", "person:camera_fv"}},
	})
}

// TestGenericSchoolsRound16: a place before a generic "School" or
// "College" after "a", or before a common noun ("the Texas School
// shooting"), is a school in that place, or the place, not a body's name;
// a school named on its own keeps its name. Cases are review20's
// (ENTITIES 11), the last invented.
func TestGenericSchoolsRound16(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "He visited a London School on Tuesday.", want: []string{"place:london"}, absent: []string{"organization:london_school"}},
		{body: "Parents said the Texas School shooting shocked them.", absent: []string{"organization:texas_school"}},
		{body: "Protesters gathered outside the Russian Embassy in Vilnius.", want: []string{"organization:russian_embassy"}},
		{body: "She taught at Boston College for ten years.", absent: []string{"place:boston"}},
	})
}
