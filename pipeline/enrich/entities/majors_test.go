package entities

import "testing"

// TestMajorsNameBodiesWithoutACue: a company, a club, a publication or a
// university written with no cue around it is found by the curated list.
func TestMajorsNameBodiesWithoutACue(t *testing.T) {
	x := newX(t)
	checkKeys(t, x.Extract("Markets", "Shares in Siemens and Glencore fell, while Morgan Stanley advised Unilever on the sale, the Wall Street Journal reported.", "en"),
		[]string{"organization:siemens", "organization:glencore", "organization:morgan_stanley", "organization:unilever", "organization:wall_street_journal"}, nil)
	checkKeys(t, x.Extract("Football", "Crystal Palace held West Brom to a draw, and Aston Villa lost at home.", "en"),
		[]string{"organization:crystal_palace", "organization:west_bromwich_albion", "organization:aston_villa"}, []string{"place:crystal_palace"})
	checkKeys(t, x.Extract("Campus", "She studied at Yale before a fellowship with Amnesty International.", "en"),
		[]string{"organization:yale", "organization:amnesty_international"}, nil)
}

// TestOrdinaryMajorsNeedChosenCapitals: a body named with ordinary words
// ("Sprint", "Best Buy", "Target") is one where its capitals are the
// writer's choice, mid-sentence; a sentence's first word alone or a
// headline in title case says nothing, and lower case never does.
func TestOrdinaryMajorsNeedChosenCapitals(t *testing.T) {
	x := newX(t)
	checkKeys(t, x.Extract("Retail", "Shoppers queued at Target and Best Buy on Friday. Sprint cut its prices too.", "en"),
		[]string{"organization:target", "organization:best_buy"}, []string{"organization:sprint"})
	checkKeys(t, x.Extract("Cycling", "Sprint finishes decided the first three stages. Cavendish won a sprint finish; it was the best buy of the transfer window. Target practice resumed.", "en"),
		nil, []string{"organization:sprint", "organization:best_buy", "organization:target"})
	checkKeys(t, x.Extract("The Best Buy Phones Of The Year, And A Sprint Finish", "", "en"),
		nil, []string{"organization:best_buy", "organization:sprint"})
	// the first word of a sentence is the body the story names elsewhere
	checkKeys(t, x.Extract("Carriers", "The offer is only for customers of Sprint. Sprint said on Tuesday it would extend it.", "en"),
		[]string{"organization:sprint"}, nil)
	// and a name of several ordinary words, its later ones capitalised, is one at a sentence's start
	checkKeys(t, x.Extract("Retail", "Best Buy said sales fell.", "en"),
		[]string{"organization:best_buy"}, nil)
}

// TestOneWordMajorsYieldAndDoNotSplit: a one-word name of the list is weak
// as a brand's is: a person of the story with that surname keeps it, and
// it never splits a longer name ("Orange County", "Agent Orange").
func TestOneWordMajorsYieldAndDoNotSplit(t *testing.T) {
	x := newX(t)
	checkKeys(t, x.Extract("Fraud", "Allen Stanford was convicted in 2012. Stanford said he would appeal.", "en"),
		[]string{"person:allen_stanford"}, []string{"organization:stanford"})
	checkKeys(t, x.Extract("Local", "Officials in Orange County said veterans exposed to Agent Orange would be paid.", "en"),
		nil, []string{"organization:orange"})
}

// TestPersonOfBody: "<person> of <body>" is a person and the body they
// speak for, the body known or not; a given name or a title vouches for
// the person, and one word before "of" or a body's own words before it
// ("Christian Democratic Union of Germany") are left as they were.
func TestPersonOfBody(t *testing.T) {
	x := newX(t)
	checkKeys(t, x.Extract("Markets", "Mark Fielding of Capital Economics said growth would slow.", "en"),
		[]string{"person:mark_fielding", "organization:capital_economics"}, []string{"organization:mark_fielding_of_capital_economics"})
	checkKeys(t, x.Extract("Opinion", "Writing on Sunday, Jonathan Freedland of The Guardian argued the opposite.", "en"),
		[]string{"person:jonathan_freedland", "organization:the_guardian"}, nil)
	checkKeys(t, x.Extract("Interview", "Maria Bartiromo of Fox Business asked him twice.", "en"),
		[]string{"person:maria_bartiromo", "organization:fox_business"}, nil)
	checkKeys(t, x.Extract("Witness", "Chris Morrow of San Diego was staying nearby.", "en"),
		[]string{"person:chris_morrow", "place:san_diego"}, []string{"organization:san_diego"})
	checkKeys(t, x.Extract("Germany", "Leaders of the Christian Democratic Union of Germany met in Berlin.", "en"),
		nil, []string{"person:christian_democratic_union"})
	checkKeys(t, x.Extract("Royal", "The Duke of Edinburgh opened the hall.", "en"),
		nil, []string{"person:duke"})
}

// TestTownListedWithBodyIsItsClub: in a football story a town listed with
// a club, before or after it, is its club; outside football, and after a
// place, it stays a town.
func TestTownListedWithBodyIsItsClub(t *testing.T) {
	x := newX(t)
	checkKeys(t, x.Extract("Football", "The league fined Everton, Liverpool and Norwich City after the match. The striker scored in the final between Liverpool and Juventus. Fans in Leeds cheered the club.", "en"),
		[]string{"organization:liverpool", "organization:everton", "organization:juventus", "place:leeds"}, []string{"place:liverpool"})
	checkKeys(t, x.Extract("Economy", "Unemployment rose in Everton, Liverpool and Manchester, and fell in Chelsea.", "en"),
		[]string{"place:liverpool"}, []string{"organization:liverpool"})
}

// TestSentenceTheYieldsToTheWordAlone: a sentence's "The" vouches for
// nothing, so "The Atlantic" opening a sentence is the ocean, mid-sentence
// the magazine; a name whose words say a body ("Justice Department") is
// one in a title-case headline too.
func TestSentenceTheYieldsToTheWordAlone(t *testing.T) {
	x := newX(t)
	checkKeys(t, x.Extract("Climate", "The Atlantic is warming fast, she wrote in The Atlantic.", "en"),
		[]string{"place:atlantic", "organization:the_atlantic"}, nil)
	checkKeys(t, x.Extract("Climate", "The Atlantic is warming fast.", "en"),
		[]string{"place:atlantic"}, []string{"organization:the_atlantic"})
	checkKeys(t, x.Extract("Justice Department Opens Probe Into Recall", "", "en"),
		[]string{"organization:department_of_justice"}, nil)
}
