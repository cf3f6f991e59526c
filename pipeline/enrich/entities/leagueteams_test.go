package entities

import "testing"

// TestLeagueFranchises: the four North American major leagues'
// franchises (majors.tsv) are known by their full names, and by a
// nickname no other body or common plural shares; a shared nickname
// ("Spurs": Tottenham too) is no alias. The first two cases are from
// wikiref220's NBA.draft.2 (a development set), the third a UCI dev
// headline.
func TestLeagueFranchises(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "In 1956, the Celtics used a territorial pick to select Tom Heinsohn from Holy Cross in nearby Worcester, Mass. He went on to average 18.6 points and 8.8 rebounds, helping the Celtics to eight NBA championships in his nine-year career.",
			want: []string{"organization:boston_celtics", "person:tom_heinsohn"}},
		{body: "The next season, led by their rookie guard, the Lakers became NBA champions for the second time since moving to Los Angeles. Oh yes, and the New Orleans Jazz became the Utah Jazz.",
			want: []string{"organization:utah_jazz", "organization:los_angeles_lakers"}, absent: []string{"place:utah"}},
		{body: "The Spurs fans sang through the second half at White Hart Lane.", absent: []string{"organization:san_antonio_spurs"}},
	})
	got := newX(t).Extract("Here's your chance to play Titanfall with Seahawks star Richard Sherman", "", "en")
	checkKeys(t, got, []string{"organization:seattle_seahawks", "person:richard_sherman"}, nil)
}
