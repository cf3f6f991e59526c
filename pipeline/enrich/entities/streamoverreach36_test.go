package entities

import "testing"

// TestAGivenNameThatIsAnOrdinaryWordIsNoPersonInAHeadline: the alias map
// learns a two-word name's given name ("Miley", "Oprah"); one that is an
// ordinary word too ("Mark" Carney, "Bill" Gates, "Grace" Kelly) is, in a
// headline, a bill or a mark far more often than the stream's person, so
// there it resolves to no one. In an article's text ("Bill was eagerly
// checking") it stays the person (review rev36b of round 36's a7537bf5).
func TestAGivenNameThatIsAnOrdinaryWordIsNoPersonInAHeadline(t *testing.T) {
	x := newX(t)
	readEarlierHeadlines(x,
		"Mark Carney warns on house prices", "Mark Carney says rates to stay low",
		"Bill Gates gives away billions", "Bill Gates steps down as chairman",
		"Grace Kelly film opens Cannes", "Grace Kelly biopic panned by critics",
		"Miley Cyrus performs in Las Vegas", "Miley Cyrus cancels a concert",
	)
	checkKeys(t, x.Extract("Dow Closes Above 17,000 Mark", "", "en"), nil, []string{"person:mark_carney"})
	checkKeys(t, x.Extract("House passes farm Bill", "", "en"), nil, []string{"person:bill_gates"})
	checkKeys(t, x.Extract("Bill would raise minimum wage", "", "en"), nil, []string{"person:bill_gates"})
	checkKeys(t, x.Extract("Grace period for insurance extended", "", "en"), nil, []string{"person:grace_kelly"})
	checkKeys(t, x.Extract("Miley's 'wardrobe disaster'", "", "en"), []string{"person:miley_cyrus"}, nil)
	checkKeys(t, x.Extract("Carney cuts forecast", "", "en"), []string{"person:mark_carney"}, nil)
	checkKeys(t, x.Extract("A foundation's year", "The foundation gave more. Bill was eagerly checking the figures.", "en"), []string{"person:bill_gates"}, nil)
}

// TestABodyLearnedByAPersonsNameIsNoPerson: the alias map learns a body by
// its first word ("Sbarro"); one whose first word is a person's name too
// ("Morgan" of Morgan Stanley: Piers Morgan, Morgan Freeman) made every
// Morgan the bank once the stream named it twice — "Piers Morgan leaves
// CNN" gained Morgan Stanley and "Morgan said" turned from a person into
// the bank. Such a word is not learned: those headlines read as a fresh
// recognizer reads them (review rev36b of round 36's a98e8dd1).
func TestABodyLearnedByAPersonsNameIsNoPerson(t *testing.T) {
	x := newX(t)
	readEarlierHeadlines(x,
		"Morgan Stanley profit beats estimates", "Morgan Stanley to cut 1,200 jobs",
		"Sbarro files for bankruptcy", "Sbarro files for bankruptcy again",
	)
	checkKeys(t, x.Extract("Piers Morgan leaves CNN", "", "en"), []string{"organization:cnn"}, []string{"organization:morgan_stanley"})
	checkKeys(t, x.Extract("Morgan said the talks had failed", "", "en"), []string{"person:morgan"}, []string{"organization:morgan_stanley"})
	checkKeys(t, x.Extract("Sbarro goes bankrupt for second time", "", "en"), []string{"organization:sbarro"}, nil)
}
