package entities

import "testing"

// TestAPStateAfterTown pins apStateAfterTown (issue 15, round 22): AP
// style's abbreviation of a state, with its dot, after a town and a comma
// names the state; the same letters elsewhere ("Ill." in no such place,
// "Mass" as a word) name none.
func TestAPStateAfterTown(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "She grew up in Madison, Wis., and moved to Chicago.", want: []string{"place:wisconsin", "place:madison", "place:chicago"}},
		{body: "He lives in Pasadena, Calif., with his wife.", want: []string{"place:california", "place:pasadena"}},
		{body: "He was born in Flint, Mich., in 1970.", want: []string{"place:michigan"}},
		{body: "Mass protests followed. He was Ill. Nobody came.", absent: []string{"place:massachusetts", "place:illinois"}},
	})
}

// TestAPWashAfterTownIsWashingtonState pins the "Wash." case of
// apStateAfterTown (read22c): the gazetteer has no "Washington state"
// entry, so the lookup the other abbreviations take named nothing; the
// state is named as "in Washington state" names it (lowerStateAfter).
func TestAPWashAfterTownIsWashingtonState(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "He moved to Seattle, Wash., last year.", want: []string{"place:washington_state", "place:seattle"}, absent: []string{"place:washington_dc"}},
	})
}

// TestEveryAPStateNamesAState pins apStates against the gazetteer
// (read22c): each abbreviation after a town names its state, so no entry
// is left naming nothing as "Wash." did.
func TestEveryAPStateNamesAState(t *testing.T) {
	x := newX(t)
	for abbr, state := range apStates {
		got := x.Extract("News", "Officials in Fairview, "+abbr+"., said the road was closed.", "en")
		found := false
		for _, e := range got {
			found = found || e.Kind == "place" && e.Name != "Fairview"
		}
		if !found {
			t.Errorf("%s. (%s) named no state: %v", abbr, state, got)
		}
	}
}
