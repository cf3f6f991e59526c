package entities

import "testing"

// TestDatelineInCapitalsIsAPlace: a paragraph opened by a town in
// capitals the gazetteer does not know, then a comma and a month or a
// place, or an agency's bracket, is the dateline — a place, not an
// acronym's organization. A body's noun in it (a base), a word that opens
// captions ("FILE -"), and capitals inside a paragraph stay as they were.
func TestDatelineInCapitalsIsAPlace(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "SEPANG, March 15 - Missing flight MH370 is in two corridors.", want: []string{"place:sepang"}, absent: []string{"organization:sepang"}},
		{body: "Intro line.\nSEPANG (Reuters) - Officials said so.", want: []string{"place:sepang", "organization:reuters"}},
		{body: "PEARCE AIR FORCE BASE, Australia - A company said so.", absent: []string{"place:pearce_air_force", "place:pearce_air_force_base"}},
		{body: "FILE - In this photo, a man walks.", absent: []string{"place:file"}},
		{body: "He said so. SEPANG, March 15 was cited.", absent: []string{"place:sepang"}},
	})
}

// TestACodeWithDigitsOpeningAParagraphIsNoDateline: a flight's, a
// summit's or a virus's code in capitals and digits before a comma and a
// date ("MH370, March 8 -", "G20, November 15 -") is no town: a place's
// name has no digits, and before the dateline rule none of these was read
// as a place.
func TestACodeWithDigitsOpeningAParagraphIsNoDateline(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "MH370, March 8 - The plane vanished over the sea.", absent: []string{"place:mh370"}},
		{body: "Intro line.\nG20, November 15 - Leaders met in the city.", absent: []string{"place:g20"}},
		{body: "H5N1, March 15 - Officials said so.", absent: []string{"place:h5n1"}},
		{body: "SEPANG, March 15 - Missing flight MH370 is in two corridors.", want: []string{"place:sepang"}},
	})
}

// TestADatelineBeforeAPlaceOfSeveralWords: the place after the town's
// comma may be a name of several words ("South Africa", "Côte d'Ivoire",
// "New Zealand"), as the rule says of "a capitalised place"; only a
// one-word place was asked.
func TestADatelineBeforeAPlaceOfSeveralWords(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "KWAMASHU, South Africa - Officials said so.", want: []string{"place:kwamashu", "place:za"}},
		{body: "YAMOUSSOUKRO, Côte d'Ivoire - Officials said so.", want: []string{"place:yamoussoukro", "place:ci"}},
		{body: "KAIKOURA, New Zealand (Reuters) - Officials said so.", want: []string{"place:kaikoura", "place:nz"}},
	})
}
