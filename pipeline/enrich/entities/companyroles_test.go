package entities

import "testing"

// TestAKnownBodyOpeningASentenceBeforeItsRoleOrVerb covers round 26's
// sentence-opening bodies: a name the gazetteer knows only in ordinary
// words ("Sky", "Sprint", "Target") has its capital for free as a
// sentence's first word, so it was never read there; a company role after
// it ("Sprint chairman", "Sky CEO") or a speech verb ("Sky said") says the
// body is meant. A one-word known body that yields inside a longer run
// (a weak form: "SoftBank") is the body before a role word of the run
// ("SoftBank CEO"). The same words opening a sentence on their own are no
// body ("Sprint finish for Froome", "Target practice").
func TestAKnownBodyOpeningASentenceBeforeItsRoleOrVerb(t *testing.T) {
	for _, tt := range []struct {
		title, body  string
		want, absent []string
	}{
		{title: "News", body: "Sky said on Monday that profits rose.", want: []string{"organization:sky"}},
		{title: "Sprint chairman wants to fight rivals", want: []string{"organization:sprint"}},
		{title: "News", body: "Target spokesman Tom Lee declined to comment.", want: []string{"organization:target"}},
		{title: "We can increase web speeds tenfold: SoftBank CEO", want: []string{"organization:softbank"}},
		{title: "News", body: "SoftBank CEO Masayoshi Son said the deal was good.", want: []string{"organization:softbank", "person:masayoshi_son"}},
		{title: "News", body: "Sprint CEO Dan Hesse said so.", want: []string{"organization:sprint", "person:dan_hesse"}},
		{title: "News", body: "Sprint finish for Froome. Target practice ended early.", absent: []string{"organization:sprint", "organization:target"}},
		{title: "News", body: "Sky is clear tonight, forecasters said.", absent: []string{"organization:sky"}},
	} {
		got := newX(t).Extract(tt.title, tt.body, "en")
		checkKeys(t, got, tt.want, tt.absent)
	}
}

// TestAKnownBodyOpeningASentenceInAListOfBodies: a sentence's first word
// that the gazetteer knows in ordinary words, joined by "and" or "or" to
// a body it knows, is listed with it ("Sky and Setanta agree to pay",
// premier.league.29), as a bare word after a body is ("Verizon, AT&T and
// Sprint"); not a word before a place or a person ("Target and Paris").
func TestAKnownBodyOpeningASentenceInAListOfBodies(t *testing.T) {
	for _, tt := range []struct {
		body         string
		want, absent []string
	}{
		{body: "Sky and Setanta agree to pay more for the rights.", want: []string{"organization:sky", "organization:setanta"}},
		{body: "Sprint or Verizon will bid.", want: []string{"organization:sprint", "organization:verizon"}},
		{body: "Target and Paris were on the map.", absent: []string{"organization:target"}},
	} {
		got := newX(t).Extract("News", tt.body, "en")
		checkKeys(t, got, tt.want, tt.absent)
	}
}
