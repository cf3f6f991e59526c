package entities

import "testing"

// TestAReviewsTagBeforeAHeadlinesColonIsNoBody (issue 15, round 34): a
// headline that opens with what it reviews, "Review" and a colon ("SXSW
// Film Review: 'Neighbors'", "True Detective Season Finale Review: …",
// sets 37 and 38) tags a review; "Review", which ends a journal's name
// ("Harvard Business Review"), makes no body of the words before it
// there. A journal the gazetteer knows keeps its reading, and a name
// before the tag keeps its own ("Tom Hanks Movie Review: …").
func TestAReviewsTagBeforeAHeadlinesColonIsNoBody(t *testing.T) {
	checkTitles(t, []headlineCase{
		{title: "SXSW Film Review: 'Neighbors'", absent: []string{"organization:sxsw_film_review"}},
		{title: "True Detective Season Finale Review: “Form And Void” (Season 1, Episode 8)", absent: []string{"organization:true_detective_season_finale_review"}},
		{title: "Harvard Business Review: Why managers fail", want: []string{"organization:harvard_business_review"}},
	})
}
