package entities

import "testing"

// TestAGivenNameBeforeABodysWordIsAPerson: a given name before the
// one-word name of a body the gazetteer knows makes a person who bears
// the body's word as a surname ("Betty Ford", michelle.obama.75; "Henry
// Ford", "Harrison Ford"), as a given name before a city's name does
// ("Kevin Houston"); the body alone stays the body, and a name the
// gazetteer knows whole stays what it knows.
func TestAGivenNameBeforeABodysWordIsAPerson(t *testing.T) {
	for _, tt := range []struct {
		body         string
		want, absent []string
	}{
		{body: "America. Betty Ford was an early exception to the rule.", want: []string{"person:betty_ford"}, absent: []string{"organization:ford"}},
		{body: "Henry Ford was there in 1908.", want: []string{"person:henry_ford"}, absent: []string{"organization:ford"}},
		{body: "Ford said sales rose.", want: []string{"organization:ford"}},
		{body: "Shares of Morgan Stanley rose.", want: []string{"organization:morgan_stanley"}},
	} {
		got := newX(t).Extract("News", tt.body, "en")
		checkKeys(t, got, tt.want, tt.absent)
	}
}
