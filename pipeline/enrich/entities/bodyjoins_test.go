package entities

import "testing"

// TestHeadedBodyGoesOnAfterAnd: a body headed "Institute of", "Department
// of" keeps the field "and" adds to its name; a second body or a name
// after "and" is listed, not joined.
func TestHeadedBodyGoesOnAfterAnd(t *testing.T) {
	body := "Paul Dempsey, director of the Institute of Air and Space Law at McGill University, said the rules were unclear. " +
		"The Ministry of Defence and Home Office issued a joint statement, and the University of Leeds and Google signed a deal."
	checkKeys(t, newX(t).Extract("Liability", body, "en"),
		[]string{"organization:institute_of_air_and_space_law", "organization:university_of_leeds", "organization:google", "person:paul_dempsey"},
		[]string{"organization:institute_of_air", "organization:university_of_leeds_and_google"})
}

// TestPluralPossessiveInsideABody: "Pilots' Association" goes on after the
// apostrophe when a headed body's name ends in an organization's word;
// a plural possessive before an ordinary noun, and a singular one, end
// the name.
func TestPluralPossessiveInsideABody(t *testing.T) {
	body := "The International Federation of Airline Pilots' Association called for real-time tracking. " +
		"The National Union of Teachers' Conference Hall was closed, and the Council of Europe's report was published on Monday."
	checkKeys(t, newX(t).Extract("Tracking", body, "en"),
		[]string{"organization:international_federation_of_airline_pilots_association", "organization:council_of_europe"},
		[]string{"organization:international_federation_of_airline_pilots", "organization:council_of_europe_s_report"})
}
