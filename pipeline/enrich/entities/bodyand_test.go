package entities

import "testing"

// TestTheBodyAndGoesOnToItsSuffix: after "the" or a place's possessive,
// a run of words no list knows, "and", and a run ending in a body's suffix
// are one body's name ("Australia's Defence Imagery and Geospatial
// Organisation"), where it was cut at "and" into a fragment and a
// shorter body. A known name before "and" lists two ("the Netherlands
// and Space Agency staff"); a given name too; so does no determiner.
func TestTheBodyAndGoesOnToItsSuffix(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "Australia's Defence Imagery and Geospatial Organisation, which carried out the analysis, said so.", want: []string{"place:au", "organization:defence_imagery_and_geospatial_organisation"}, absent: []string{"organization:geospatial_organisation"}},
		{body: "Anond Snidvongs, of Thailand's Geo-Informatics and Space Technology Development Agency, told the BBC.", want: []string{"organization:geo_informatics_and_space_technology_development_agency"}, absent: []string{"organization:geo_informatics"}},
		{body: "Officials said the Defence Imagery and Geospatial Organisation had found debris.", want: []string{"organization:defence_imagery_and_geospatial_organisation"}},
		{body: "He thanked the Netherlands and Space Agency staff on Monday.", want: []string{"place:nl"}, absent: []string{"organization:netherlands_and_space_agency"}},
		{body: "He thanked the Kevin and Space Agency staff on Monday.", absent: []string{"organization:kevin_and_space_agency"}},
	})
}
