package entities

import "testing"

// TestOnePersonSpeltTwoWays: two persons of a story whose names differ in
// one word by one letter (changed, added, dropped or two swapped) are one
// person, kept under the name written more often; a short word ("Jon" and
// "Jan") or two words apart are two people.
func TestOnePersonSpeltTwoWays(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "Henry Samuel wrote from Paris. The reporter Henry Samuel said the police were there. Later Henry Samuels added more.", want: []string{"person:henry_samuel"}, absent: []string{"person:henry_samuels"}},
		{body: "Mohamed Adbeslam said he was shocked. Mohamed Abdeslam spoke to RTL. Mohamed Abdeslam said so again.", want: []string{"person:mohamed_abdeslam"}, absent: []string{"person:mohamed_adbeslam"}},
		{body: "Daniel Kessler spoke first. Daniel Kesler spoke next.", want: []string{"person:daniel_kessler"}, absent: []string{"person:daniel_kesler"}},
		{body: "Anna Berg spoke first. Anna Borg spoke next.", want: []string{"person:anna_berg", "person:anna_borg"}},
		{body: "Daniel Kessler spoke first. Daniela Kessel spoke next.", want: []string{"person:daniel_kessler", "person:daniela_kessel"}},
	})
}

// TestTwoGivenNamesOfOneSurnameAreTwoPeople: given names one letter apart
// at their end that are both names ("Mario" and "Maria", "Daniel" and
// "Daniela", "Louis" and "Louise") are a brother and a sister, a father
// and a daughter: two people, where mergeSpellings made them one and the
// second was lost. A name spelt another way inside stays one person.
func TestTwoGivenNamesOfOneSurnameAreTwoPeople(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "Mario Rossi and his sister Maria Rossi ran the shop. Mario Rossi said it was hard.", want: []string{"person:mario_rossi", "person:maria_rossi"}},
		{body: "Daniel Ortega spoke. His daughter Daniela Ortega disagreed. Daniel Ortega left.", want: []string{"person:daniel_ortega", "person:daniela_ortega"}},
		{body: "Louis Martin and Louise Martin, brother and sister, won. Louis Martin smiled.", want: []string{"person:louis_martin", "person:louise_martin"}},
		{body: "Christian Weber and his twin sister Christina Weber spoke. Christian Weber left.", want: []string{"person:christian_weber", "person:christina_weber"}},
		// a given name typed wrong is no name: still one person
		{body: "Daniel Kessler spoke first. Daneil Kessler spoke next. Daniel Kessler left.", want: []string{"person:daniel_kessler"}, absent: []string{"person:daneil_kessler"}},
		// nor is a name spelt another way inside it: "Phillip" is Philip
		{body: "Philip Hughes was hit. Phillip Hughes died two days later. Philip Hughes was 25.", want: []string{"person:philip_hughes"}, absent: []string{"person:phillip_hughes"}},
	})
}
