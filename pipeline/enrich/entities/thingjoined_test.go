package entities

import "testing"

// TestACamelCaseNameJoinedToAThingIsAThing (issue 15, round 47): "Apple
// updates iOS 7 with improved fingerprint reader and CarPlay" (set 34's
// uci-news:1790) read CarPlay as a body by its camel case. A name joined
// by "and" to a thing's noun in lower case (reader, interface, player,
// system …), ending the clause, is a thing too. Not where the name goes
// on into a clause of its own ("… and VoltaWerk shares rose").
func TestACamelCaseNameJoinedToAThingIsAThing(t *testing.T) {
	for _, tt := range []struct {
		title        string
		want, absent []string
	}{
		{title: "Apple updates iOS 7 with improved fingerprint reader and CarPlay", want: []string{"organization:apple"}, absent: []string{"organization:carplay"}},
		{title: "Apple ships a new interface and VoltaWerk.", want: []string{"organization:apple"}, absent: []string{"organization:voltawerk"}},
		{title: "Samsung sold its camera unit and VoltaWerk shares rose", want: []string{"organization:samsung", "organization:voltawerk"}},
	} {
		checkKeys(t, newX(t).Extract(tt.title, "", "en"), tt.want, tt.absent)
	}
}
