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
