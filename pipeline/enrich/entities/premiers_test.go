package entities

import "testing"

// TestAPMAfterItsCountryNamesThePersonAfterIt (issue 15, round 43): "PM"
// between a country (or its people's word) and one capitalised word is
// the prime minister's title, as "Prime Minister" is ("Libyan pm Zeidan
// has lost confidence vote", set 41's uci-news:4416; "Libya PM Zeidan
// dismissed", dev.csv's 4407), where the capitals alone read as an hour's
// "pm" and named no one; after a number it stays the hour.
func TestAPMAfterItsCountryNamesThePersonAfterIt(t *testing.T) {
	for _, tt := range []struct {
		title        string
		want, absent []string
	}{
		{title: "Libyan pm Zeidan has lost confidence vote", want: []string{"person:zeidan", "place:ly"}},
		{title: "Libya PM Zeidan dismissed as oil tanker 'breaks blockade'", want: []string{"person:zeidan", "place:ly"}},
		{title: "Libyan PM Zeidan has lost confidence vote in parliament: spokesman", want: []string{"person:zeidan"}},
		{title: "Stocks close at 4 pm Friday after a quiet session", absent: []string{"person:friday"}},
		// In capitals too: after a clock's number "PM" is the hour's, and
		// the word after it a place or a word, no one's name (the
		// lower-case rule's guard; premierPair had none).
		{title: "Fireworks Begin At 9 PM Doylestown", absent: []string{"person:doylestown"}},
		{title: "Watch The Eclipse At 10 PM Tonite", absent: []string{"person:tonite"}},
		// A day or month before "pm" dates the hour; it is no country
		// whose premier the next word would be (rev43).
		{title: "Friday pm Zeidan session", absent: []string{"person:zeidan"}},
		{title: "Markets close Monday pm Zeidan", absent: []string{"person:zeidan"}},
	} {
		checkKeys(t, newX(t).Extract(tt.title, "", "en"), tt.want, tt.absent)
	}
}
