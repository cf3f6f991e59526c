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

// TestALanguagesAdjectiveNamesNoCountry: "Spanish-language" and "Spanish
// language" before a noun name a language, not Spain ("Flemish-language"
// is no country, set 28's reading), and a name right after "X-language"
// is a medium, an organization ("Spanish-language Telemundo", "the
// French-language Velsoir").
func TestALanguagesAdjectiveNamesNoCountry(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "Games will also appear on Spanish-language Telemundo next year.", want: []string{"organization:telemundo"}, absent: []string{"place:es"}},
		{body: "He reads the French-language Velsoir every day.", want: []string{"organization:velsoir"}, absent: []string{"place:fr"}},
		{body: "Matches are shown on its Spanish language network.", absent: []string{"place:es"}},
		{body: "The Spanish-language channels lost viewers.", absent: []string{"place:es"}},
		{body: "Spanish police arrested two men.", want: []string{"place:es"}},
	})
}
