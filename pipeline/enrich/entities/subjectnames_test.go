package entities

import "testing"

// TestAOneWordSubjectBeforeItsVerbIsANameToResolve: "Carney Faces Foreign
// Exchange Scandal", "Beyoncé Shows Who's Boss" (sets 31-32's uci-news:4992,
// 4191): a title-case headline's run that opens with one word no
// dictionary, name list or gazetteer holds and goes on into the
// headline's verb was read whole and named no one. The word is the
// verb's subject, a name that the capital alone does not tell apart (a
// person's surname, a company's name): it is left to coreference — the
// story's person or body so named, or a full name earlier stories gave
// the surname (the alias map) — as a sentence-case headline's opening
// word already was ("Carney looks to …").
func TestAOneWordSubjectBeforeItsVerbIsANameToResolve(t *testing.T) {
	x := newX(t)
	for i := 0; i < 2; i++ {
		x.Extract("Tovalla Quenby said rates would stay", "", "en") // the alias map learns the surname
	}
	for _, tt := range []struct {
		title        string
		want, absent []string
	}{
		{title: "Quenby Faces Foreign Exchange Scandal", want: []string{"person:tovalla_quenby"}},
		{title: "Quenby Would Solve Ukraine Crisis", want: []string{"person:tovalla_quenby", "place:ua"}},
		{title: "Quenby looks to maintain integrity", want: []string{"person:tovalla_quenby"}},
		{title: "Pellucci Faces Foreign Exchange Scandal", absent: []string{"person:pellucci", "person:pellucci_faces_foreign_exchange_scandal"}},
		{title: "Retail Sales Rise In March", absent: []string{"person:retail"}},
	} {
		checkKeys(t, x.Extract(tt.title, "", "en"), tt.want, tt.absent)
	}
}

// TestAGivenNameAsASentencesSubjectBeforeItsVerbIsAPerson: "Lindsay starts
// soft on OWN" (set 31's uci-news:2353), "Shakira Turns Out to be …": a
// sentence's capital leaves its first word bare, but a given name no
// dictionary holds, followed by the sentence's verb, is the person the
// story names by it (the story's full name if it has one), as a speech
// verb already said ("Lindsay says").
func TestAGivenNameAsASentencesSubjectBeforeItsVerbIsAPerson(t *testing.T) {
	for _, tt := range []struct {
		title, body  string
		want, absent []string
	}{
		{title: "Lindsay starts soft on OWN", want: []string{"person:lindsay"}},
		{title: "Shakira may return to the show", want: []string{"person:shakira"}},
		{title: "Kylie Turns Out to Be the Winner", want: []string{"person:kylie"}},
		{title: "Lindsay Lohan has a show", body: "Lindsay starts soft on the network.", want: []string{"person:lindsay_lohan"}, absent: []string{"person:lindsay"}},
		{title: "Sprint wants to buy T-Mobile", absent: []string{"person:sprint"}},
		{title: "Jordan says talks will go on", absent: []string{"person:jordan"}},
		{title: "Lindsay's show starts soft", absent: []string{"person:lindsay"}},
		{title: "Madison musicians descend on Austin's festival", absent: []string{"person:madison"}},
	} {
		checkKeys(t, newX(t).Extract(tt.title, tt.body, "en"), tt.want, tt.absent)
	}
}

// TestAGivenNameSubjectYieldsToACityAndAStorm (issue 15, round 33, rev33d's
// probes): givenNameSubject made "Victoria announces lockdown" and
// "Charlotte hosts convention" name a person, though the gazetteer knows
// both as cities (GeoNames', left out as given names), and "Irma heads
// toward Florida Keys", "Katrina batters New Orleans" a person, though
// the sentence speaks of a storm. A city's name is no person by this
// rule, and a storm's word in the sentence vetoes it.
func TestAGivenNameSubjectYieldsToACityAndAStorm(t *testing.T) {
	for _, tt := range []struct {
		title  string
		absent []string
	}{
		{title: "Victoria announces lockdown", absent: []string{"person:victoria"}},
		{title: "Charlotte hosts convention", absent: []string{"person:charlotte"}},
		{title: "Irma heads toward Florida Keys as hurricane grows", absent: []string{"person:irma"}},
		{title: "Katrina batters New Orleans", absent: []string{"person:katrina"}},
		{title: "Katrina lashes Gulf coast", absent: []string{"person:katrina"}},
		{title: "Irma makes landfall in Florida", absent: []string{"person:irma"}},
	} {
		checkKeys(t, newX(t).Extract(tt.title, "", "en"), nil, tt.absent)
	}
	// Still a person without a storm's word ("Lindsay starts soft on OWN").
	checkKeys(t, newX(t).Extract("Katrina heads to Cannes", "", "en"), []string{"person:katrina"}, nil)
}

// TestAKnownBodyOpeningWithABareNameIsReadWhole (issue 15, round 33,
// rev33d's "Johnson Controls Sells Unit"): the bare-word rule cut a
// title-case headline's run after its first word when that word is no
// dictionary word and the next an -s word, even where the gazetteer
// knows a longer name from that word ("Getty Images", "Carolina
// Panthers"): the body was lost, or its first word named a person.
func TestAKnownBodyOpeningWithABareNameIsReadWhole(t *testing.T) {
	for _, tt := range []struct {
		title        string
		want, absent []string
	}{
		{title: "Getty Images Sells Unit", want: []string{"organization:getty_images"}, absent: []string{"person:getty"}},
		{title: "Carolina Panthers Signs Guard", want: []string{"organization:carolina_panthers"}, absent: []string{"person:carolina"}},
		{title: "Charlotte Hornets Signs Guard", absent: []string{"person:charlotte"}}, // a person still: an ordinary-form body (majors.tsv)
		{title: "Richmond Tigers Sacks Coach", want: []string{"organization:richmond_tigers"}, absent: []string{"person:richmond"}},
	} {
		checkKeys(t, newX(t).Extract(tt.title, "", "en"), tt.want, tt.absent)
	}
}
