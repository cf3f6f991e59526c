package entities

import "testing"

// TestFirstNamesOfKin covers kinBefore, kinAfter and ageAfter (issue 15,
// round 12): news names children by their first name alone, and the
// kin noun before or after it, or an age after it, says a person; an
// ordinary word after a comma, a thousands separator and a bracketed
// kin noun do not.
func TestFirstNamesOfKin(t *testing.T) {
	for _, tt := range []struct {
		body         string
		want, absent []string
	}{
		{body: "She went back to work after having her second child, Tamsin.", want: []string{"person:tamsin"}},
		{body: "The couple have two daughters: Tamsin, 16, and Odile, 13.", want: []string{"person:tamsin", "person:odile"}},
		{body: "She is Tamsin and Odile's mom.", want: []string{"person:tamsin", "person:odile"}},
		{body: "Her granddaughter Odile said hello.", want: []string{"person:odile"}},
		{body: "Healthier food reaches our children, Let's Eat! is focused on that.", absent: []string{"person:let"}},
		{body: "Prior to the Lottery, 1,000 combinations are assigned.", absent: []string{"person:lottery"}},
	} {
		got := newX(t).Extract("News", tt.body, "en")
		checkKeys(t, got, tt.want, tt.absent)
	}
}

// After a plural kin noun or a comma, the name must end where an
// apposition or a list does: otherwise it is a clause's subject (review,
// round 12).
func TestKinBeforeAClauseIsNoPerson(t *testing.T) {
	for _, tt := range []struct {
		body         string
		want, absent []string
	}{
		{body: "Among children, Omicron spread fast in the winter.", absent: []string{"person:omicron"}},
		{body: "The school told the parents Ofqual had changed the grades.", absent: []string{"person:ofqual"}},
		{body: "Their children Tamsin and Odile were there.", want: []string{"person:tamsin"}},
		{body: "Her son, Tamsin, said nothing.", want: []string{"person:tamsin"}},
		{body: "She went back to work after her second child, Tamsin.\n\n\"Every day was hard,\" she said.", want: []string{"person:tamsin"}},
	} {
		got := newX(t).Extract("News", tt.body, "en")
		checkKeys(t, got, tt.want, tt.absent)
	}
}
