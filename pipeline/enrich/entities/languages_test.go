package entities

import "testing"

// TestLanguageAfterSpeakingIsNoCountry: a country's adjective after a verb
// of speaking or learning names a language ("learned French", "speaks
// fluent Spanish", "fluent in German"), no place; before a noun it still
// names the country ("learned French cooking", "French police").
func TestLanguageAfterSpeakingIsNoCountry(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "As a child she learned French and later Spanish.", absent: []string{"place:fr"}},
		{body: "He speaks fluent Spanish, said a friend.", absent: []string{"place:es"}},
		{body: "She is fluent in German and speaks French fluently.", absent: []string{"place:de", "place:fr"}},
		{body: "He learned French cooking in Lyon.", want: []string{"place:fr"}},
		{body: "French police said two men were held.", want: []string{"place:fr"}},
		{body: "Talks were held in France on Monday.", want: []string{"place:fr"}},
	})
}
