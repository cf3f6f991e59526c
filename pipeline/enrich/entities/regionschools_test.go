package entities

import "testing"

// A region's adjective before a place and a school's own noun is part of
// the school's name when it opens the sentence too ("Central Queensland
// University announced" was Queensland University, a body that does not
// exist); a sentence-opening adjective before anything else still goes.
func TestARegionsSchoolKeepsItsRegionOpeningASentence(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "Central Queensland University announced job cuts.", want: []string{"organization:central_queensland_university"}, absent: []string{"organization:queensland_university"}},
		{body: "Northern Illinois University said classes were cancelled.", want: []string{"organization:northern_illinois_university"}, absent: []string{"organization:illinois_university"}},
		{body: "Central Queensland University (CQU) cut jobs. CQU said 200 staff would go.", want: []string{"organization:central_queensland_university"}, absent: []string{"organization:cqu"}},
		{body: "Staff at Central Queensland University were told on Monday.", want: []string{"organization:central_queensland_university"}},
		{body: "South Korea said the talks were over.", want: []string{"place:kr"}},
	})
}
