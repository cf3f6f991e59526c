package entities

import "testing"

// TestADemonymAndACapitalisedOwnerInASentenceCaseHeadlineIsABrand (issue
// 15, round 32's brief; round 31's uci-news:4639): "American Eagle's
// forecast" names a brand, not the United States. A title after the
// demonym is the country's ("Chinese Premier's visit"), and the demonym
// alone still names its country, and a name the gazetteer knows whole
// ("European Union's", "British Columbia's") is that name.
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
		// A name the gazetteer knows whole keeps its entry (and its key).
		{title: "European Union's leaders meet", want: []string{"organization:eu"}, absent: []string{"organization:european_union"}},
		{title: "British Columbia's premier resigns", want: []string{"place:british_columbia"}, absent: []string{"organization:british_columbia"}},
		{title: "American Samoa's governor speaks", want: []string{"place:as"}, absent: []string{"organization:american_samoa"}},
	} {
		checkKeys(t, newX(t).Extract(tt.title, "", "en"), tt.want, tt.absent)
	}
}
