package entities

import "testing"

// TestBrothersEndsAFirm: "Brothers" after a surname names a firm or a
// band, as "Partners" or "Holdings" do.
func TestBrothersEndsAFirm(t *testing.T) {
	checkKeys(t, newX(t).Extract("Markets", "The crash followed the 2008 collapse of Lehman Brothers, which had traded for 158 years.", "en"),
		[]string{"organization:lehman_brothers"}, []string{"person:lehman_brothers"})
}

// TestTheBodysThing: a name between "the" and what a body has or
// suffers ("attacks", "hospital") is the body's, though its first word
// is a given name; a person's name before "administration" stays one.
func TestTheBodysThing(t *testing.T) {
	checkKeys(t, newX(t).Extract("News", "Since the Charlie Hebdo attacks, police have been armed. He was taken to the Georges Pompidou hospital. Officials of the Jimmy Carter administration met after the Friday attacks.", "en"),
		[]string{"organization:charlie_hebdo", "organization:georges_pompidou", "person:jimmy_carter"},
		[]string{"person:charlie_hebdo", "person:georges_pompidou", "organization:friday"})
}

// TestBasedInAPlace: a name written apart before "based" and the thing
// based there is a place; a verb's "based" leaves a person alone.
func TestBasedInAPlace(t *testing.T) {
	checkKeys(t, newX(t).Extract("News", "The Port Blair based joint forces commander spoke. Alan Finch based his claim on the logs.", "en"),
		[]string{"place:port_blair", "person:alan_finch"},
		[]string{"person:port_blair", "place:alan_finch"})
}

// TestOrdinaryWordListedAmongBodies: a capitalised ordinary word listed
// after two bodies, or between two, is a body too ("Sprint"); one body
// before it is not evidence enough ("Clock").
func TestOrdinaryWordListedAmongBodies(t *testing.T) {
	x := newX(t)
	checkKeys(t, x.Extract("Carriers", "Reports say that Verizon, AT&T and Sprint have all disabled the feature. He opened Verizon and Clock at once.", "en"),
		[]string{"organization:verizon", "organization:att", "organization:sprint"},
		[]string{"organization:clock"})
	// the serial comma lists as "and" alone does
	checkKeys(t, x.Extract("Carriers", "It ships from AT&T, Sprint, and Verizon.", "en"),
		[]string{"organization:att", "organization:sprint", "organization:verizon"}, nil)
}

// TestContractorNamesABody: "contractor" before a name says a company,
// as "carrier" or "supplier" do.
func TestContractorNamesABody(t *testing.T) {
	checkKeys(t, newX(t).Extract("Search", "In a few weeks, the Dutch contractor Fugro will provide two other ships.", "en"),
		[]string{"organization:fugro", "place:nl"}, nil)
}

// TestPartyContestNamesTheParty: a party's adjective before a contest
// only a party holds names the party, as before its nominee does.
func TestPartyContestNamesTheParty(t *testing.T) {
	checkKeys(t, newX(t).Extract("Campaign", "As the campaign for the Democratic nomination stretches on, she spoke. Her loss in the Republican primary hurt.", "en"),
		[]string{"organization:democratic_party", "organization:republican_party"}, nil)
}
