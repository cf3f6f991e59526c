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
