package entities

import "testing"

// TestADemonymAndACapitalisedOwnerInASentenceCaseHeadlineIsABrand (issue
// 15, round 32's brief; round 31's uci-news:4639): "American Eagle's
// forecast" names a brand, not the United States. A title after the
// demonym is the country's ("Chinese Premier's visit"), and the demonym
// alone still names its country.
func TestADemonymAndACapitalisedOwnerInASentenceCaseHeadlineIsABrand(t *testing.T) {
	for _, tt := range []struct {
		title        string
		want, absent []string
	}{
		{title: "American Eagle's sales fall", want: []string{"organization:american_eagle"}, absent: []string{"place:us"}},
		{title: "UPDATE 2-American Eagle's forecast disappoints", want: []string{"organization:american_eagle"}, absent: []string{"place:us"}},
		{title: "American Apparel's chief ousted", want: []string{"organization:american_apparel"}, absent: []string{"place:us"}},
		{title: "Chinese Premier's visit to Berlin", want: []string{"place:cn", "place:berlin"}},
		{title: "American shares fall on weak data", want: []string{"place:us"}},
	} {
		checkKeys(t, newX(t).Extract(tt.title, "", "en"), tt.want, tt.absent)
	}
}
