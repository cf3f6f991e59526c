package entities

import "testing"

// TestATitleBeforeAHeadlinesVerbInSIsNoPerson: in a title-case headline a
// role's title before a lone ordinary verb in -s vouches for no one, even
// where the verb is a surname too ("Speaks"): "The Director Speaks" is a
// role speaking (round 35's review, rev35b, left it out).
func TestATitleBeforeAHeadlinesVerbInSIsNoPerson(t *testing.T) {
	checkTitles(t, []headlineCase{
		{title: "Exclusive Interview: The Director Speaks", absent: []string{"person:speaks"}},
		{title: "Watch: The President Resigns", absent: []string{"person:resigns"}},
	})
}

// TestAReviewHeadlineEndingInReviewNamesNoJournal: a title-case headline
// that is only a product's name and "Review" ("Samsung Galaxy Gear
// Review") is a review's tag as it is before a colon (reviewTag, round
// 34): the maker, not a journal named with "Review". A journal the
// gazetteer knows keeps its name.
func TestAReviewHeadlineEndingInReviewNamesNoJournal(t *testing.T) {
	checkTitles(t, []headlineCase{
		{title: "Samsung Galaxy Gear Review", want: []string{"organization:samsung"}, absent: []string{"organization:samsung_galaxy_gear_review"}},
		{title: "Harvard Business Review", want: []string{"organization:harvard_business_review"}},
	})
}

// TestASitesAddressWithAPathIsALink: a site's address is its body
// ("Salon.com reports"), but one a path follows ("Visit Example.com/News")
// is a link to a page, which names no body, and the path's words none.
func TestASitesAddressWithAPathIsALink(t *testing.T) {
	checkTitles(t, []headlineCase{
		{title: "Visit Example.com/News for the latest", absent: []string{"organization:examplecom", "organization:news"}},
		{title: "Salon.com reports a loss", want: []string{"organization:salon"}},
	})
}
