package entities

import "testing"

// TestASentencesOpeningNameListedBeforeAPersonIsAPerson: a name list
// opening a sentence or a headline ("Beyonce, Jennifer Garner support
// 'Ban Bossy' campaign", set 31's 4065 and 4181) lists people, and its
// first word, which the sentence's capital left bare, is one too when it
// is no ordinary word; the rule that lists a word after a person
// ("Michelle Obama, Rihanna") skipped a sentence's first word.
func TestASentencesOpeningNameListedBeforeAPersonIsAPerson(t *testing.T) {
	for _, tt := range []struct {
		title, body  string
		want, absent []string
	}{
		{title: "Tovalla, Jennifer Garner support girls' campaign", want: []string{"person:tovalla", "person:jennifer_garner"}},
		{title: "Tovalla and Jennifer Garner join the campaign", want: []string{"person:tovalla", "person:jennifer_garner"}},
		{title: "News", body: "Tovalla, Jennifer Garner and others backed the campaign on Monday.", want: []string{"person:tovalla"}},
		{title: "Later, Jennifer Garner said it would run", want: []string{"person:jennifer_garner"}, absent: []string{"person:later"}},
		{title: "Ukraine, John Kerry and the talks", want: []string{"place:ua"}, absent: []string{"person:ukraine"}},
	} {
		got := newX(t).Extract(tt.title, tt.body, "en")
		checkKeys(t, got, tt.want, tt.absent)
	}
}

// TestAFormerKinAfterAPossessiveNameSaysAPerson: "Clooney's ex-girlfriend
// weds" (set 31's 3658): a kin noun after a possessive name makes the name
// a person ("Tobias's grandmother"), and so does a former one: "ex-"
// before it changes whose kin nothing.
func TestAFormerKinAfterAPossessiveNameSaysAPerson(t *testing.T) {
	for _, tt := range []struct {
		title        string
		want, absent []string
	}{
		{title: "Pellucci's ex-girlfriend weds less than a year after split", want: []string{"person:pellucci"}},
		{title: "Pellucci's ex-wife speaks out", want: []string{"person:pellucci"}},
		{title: "Pellucci's girlfriend speaks out", want: []string{"person:pellucci"}},
		{title: "Quellmark's ex-chairman sued", absent: []string{"person:quellmark"}},
	} {
		got := newX(t).Extract(tt.title, "", "en")
		checkKeys(t, got, tt.want, tt.absent)
	}
}

// TestAnOrganizationsPossessiveBeforeOneNameInAHeadlineIsItsPerson:
// "Forex News: … - BoE's Carney" (set 31's 4909): a headline names a
// body's officer by the body's possessive and a surname; the surname,
// which no title vouches for, was left bare. Only the word right after
// the body's possessive: not one after a run whose possessive named
// nothing ("Jos. A. Bank Sold To Men's Wearhouse").
func TestAnOrganizationsPossessiveBeforeOneNameInAHeadlineIsItsPerson(t *testing.T) {
	for _, tt := range []struct {
		title        string
		want, absent []string
	}{
		{title: "UK economy not yet overheated - BoE's Pellucci", want: []string{"person:pellucci", "organization:bank_of_england"}},
		{title: "BoE's Pellucci: if sterling rises further, hike postponed", want: []string{"person:pellucci"}},
		{title: "ECB's Pellucci sees no deflation", want: []string{"person:pellucci"}},
		{title: "Apple's iPhone sales slow in China", absent: []string{"person:iphone"}},
		{title: "Apple's Watch goes on sale", absent: []string{"person:watch"}},
		{title: "BoE's MPC votes to hold rates", absent: []string{"person:mpc"}},
		{title: "Pellucci's Quorvane shines in debut", absent: []string{"person:quorvane"}},
		{title: "Jos. A. Bank Sold To Men's Wearhouse", absent: []string{"person:wearhouse"}},
		{title: "Forex: UK economy not yet overheated - Bank of England's Pellucci", want: []string{"person:pellucci"}},
	} {
		got := newX(t).Extract(tt.title, "", "en")
		checkKeys(t, got, tt.want, tt.absent)
	}
}

// TestTwoUnknownWordsOpeningATitleCaseHeadlineBeforeItsVerbAreAPerson:
// "Shailene Woodley Gets Advice From JLaw" (set 31's 6239), "Shailene
// Woodley's Legit The Only Celebrity …" (6258): a title-case headline
// opening with two words no dictionary, name list or gazetteer holds,
// then its verb in -s or a possessive, opens with a person, as a known
// given name does ("Stacy Keibler Marries …"). Not a known body or place
// first or whole ("Mt Gox Customers Hack …", uci 247), ordinary words,
// nor a plural written without its apostrophe ("Mens Wearhouse Nears
// Deal", uci 5338).
func TestTwoUnknownWordsOpeningATitleCaseHeadlineBeforeItsVerbAreAPerson(t *testing.T) {
	for _, tt := range []struct {
		title        string
		want, absent []string
	}{
		{title: "Tovalla Pellucci Gets Advice From Her Co-Star, And So Should You", want: []string{"person:tovalla_pellucci"}},
		{title: "Tovalla Pellucci's Legit The Only Star Without A Phone", want: []string{"person:tovalla_pellucci"}},
		{title: "Tovalla Pellucci Is Totally Ready For A Fourth Movie", want: []string{"person:tovalla_pellucci"}},
		{title: "Toyota Pellucci Gets Advice From Her Co-Star", absent: []string{"person:toyota_pellucci"}},
		{title: "Senate Bill Passes House After Long Debate", absent: []string{"person:senate_bill"}},
		{title: "Mt Gox Customers Hack Karpales' Account to Post Evidence of Alleged Fraud", want: []string{"organization:mt_gox"}, absent: []string{"person:mt_gox"}},
		{title: "Mens Norvane Nears Deal For Quellmark", absent: []string{"person:mens_norvane"}},
		{title: "Tovalla Pellucci Beach Opens For The Summer", absent: []string{"person:tovalla_pellucci", "person:tovalla_pellucci_beach"}},
	} {
		got := newX(t).Extract(tt.title, "", "en")
		checkKeys(t, got, tt.want, tt.absent)
	}
}

// TestAnOrdinaryGivenNameBeforeAnUnknownWordInATitleCaseHeadline: "Rose
// Byrne In 'Neighbors' Is Your SXSW Breakout" (set 31's 2913): a given
// name that is an ordinary word too ("Rose", "Hunter") names a person
// before a word no dictionary or gazetteer holds, as it does before a
// known surname; before an ordinary word it is no name ("Senate Bill
// Passes House", "Rose Bowl"), nor before a word the headline's run goes
// on from ("Early Titanfall Players", uci 1099; "Neil Young Annouces
// Launch", uci 3394) or a camel-case one ("Dream ComeTo Life", uci 3976).
func TestAnOrdinaryGivenNameBeforeAnUnknownWordInATitleCaseHeadline(t *testing.T) {
	for _, tt := range []struct {
		title        string
		want, absent []string
	}{
		{title: "Rose Pellucci In 'Neighbors' Is Your Festival Breakout", want: []string{"person:rose_pellucci"}},
		{title: "Fans Cheer As Hunter Pellucci's Band Returns To The Stage", want: []string{"person:hunter_pellucci"}},
		{title: "Senate Bill Passes House After Long Debate", absent: []string{"person:bill_passes"}},
		{title: "Oregon Wins The Rose Bowl In Pasadena", absent: []string{"person:rose_bowl"}},
		{title: "Origin May Ban Early Titanfall Players After All", absent: []string{"person:early_titanfall"}},
		{title: "Neil Young Annouces Launch of PonoMusic", absent: []string{"person:young_annouces"}},
		{title: "Anxietty Dream ComeTo Life: Miley Cyrus Forgets To Put On Clothes", absent: []string{"person:dream_cometo"}},
	} {
		got := newX(t).Extract(tt.title, "", "en")
		checkKeys(t, got, tt.want, tt.absent)
	}
}

// TestATitleBeforeAnOrdinaryWordInATitleCaseHeadlineNamesNoOne: "BoE's
// Mark Carney: 2015 General Election Won't Affect …" (set 31's 4922),
// "'Chef' Is A Return to Form For Jon Favreau" (3424): in a title-case
// headline a title's word ("General", "Chef") before an ordinary word
// alone is the headline's capitals, no person.
func TestATitleBeforeAnOrdinaryWordInATitleCaseHeadlineNamesNoOne(t *testing.T) {
	for _, tt := range []struct {
		title        string
		want, absent []string
	}{
		{title: "Pellucci: 2015 General Election Won't Affect UK Interest Rate Hike", absent: []string{"person:election"}},
		{title: "'Feast' Is A Return to Form For The Director", absent: []string{"person:return"}},
		{title: "'Chef' Is A Return to Form For Jon Favreau", want: []string{"person:jon_favreau"}, absent: []string{"person:return"}},
	} {
		got := newX(t).Extract(tt.title, "", "en")
		checkKeys(t, got, tt.want, tt.absent)
	}
}

// TestAPersonsNameEndsBeforeTheHeadlinesNouns: "Mark Carney
// Currency-Manipulation Scandal" (set 33's uci-news:4964) was one person
// of four words: a title-case headline capitalises the ordinary words
// after a name, and a given name opening four words made them all a
// name. The name ends before an ordinary word no name holds (not a
// surname that is a word too, "Neil Young"), after two words only; a name
// the gazetteer knows after the nouns is still read.
func TestAPersonsNameEndsBeforeTheHeadlinesNouns(t *testing.T) {
	for _, tt := range []struct {
		title        string
		want, absent []string
	}{
		{title: "Mark Ploverby Currency-Manipulation Scandal", want: []string{"person:mark_ploverby"}, absent: []string{"person:mark_ploverby_currency_manipulation_scandal"}},
		{title: "Mark Ploverby Pregnant: Rumors Fly", want: []string{"person:mark_ploverby"}, absent: []string{"person:mark_ploverby_pregnant"}},
		{title: "Mark Ploverby Scandal Grows", want: []string{"person:mark_ploverby"}, absent: []string{"person:mark_ploverby_scandal"}},
		{title: "Tovalla, Mark Ploverby Unite for Girls", want: []string{"person:tovalla", "person:mark_ploverby"}},
		{title: "Mark Ploverby Performs in Her Underwear", want: []string{"person:mark_ploverby"}},
		{title: "Katy Perry Wants Revenge on Miley Cyrus After Twitter Comments", want: []string{"organization:twitter"}},
		{title: "Lindsay Documentary Premiere Recap Episode 1", absent: []string{"person:lindsay_documentary", "person:recap_episode"}},
		{title: "Prince Harry Cressida Bonas Engagement Rumours", absent: []string{"person:harry_cressida_bonas", "person:harry_cressida"}},
		{title: "Mark Young Wins Award", want: []string{"person:mark_young"}},
	} {
		got := newX(t).Extract(tt.title, "", "en")
		checkKeys(t, got, tt.want, tt.absent)
	}
}

// TestAWordAndAPersonAfterASentencesStopWordListsAPerson: "Why Beyoncé
// And Victoria Beckham Want To Ban 'Bossy'" (set 33's uci-news:4074): a
// bare word "and" joins to a person is a person, after a sentence's
// opening stop word too ("Why", "After") as at its very start; in a
// title-case headline "And" is inside the run, so the word is read
// there. Not an ordinary word, a people's plural or a known body.
func TestAWordAndAPersonAfterASentencesStopWordListsAPerson(t *testing.T) {
	for _, tt := range []struct {
		title        string
		want, absent []string
	}{
		{title: "Why Tovalla And Victoria Beckham Want To Ban Things", want: []string{"person:tovalla", "person:victoria_beckham"}},
		{title: "Why Tovalla and Victoria Beckham want to ban things", want: []string{"person:tovalla", "person:victoria_beckham"}},
		{title: "Why Markets And Jennifer Garner Want Things", absent: []string{"person:markets"}},
		{title: "How Russians And Jennifer Garner Differ", absent: []string{"person:russians"}},
		{title: "Why Apple And Jennifer Garner Want Things", want: []string{"organization:apple"}, absent: []string{"person:apple"}},
	} {
		got := newX(t).Extract(tt.title, "", "en")
		checkKeys(t, got, tt.want, tt.absent)
	}
}
