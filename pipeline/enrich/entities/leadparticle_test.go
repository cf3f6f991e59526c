package entities

import "testing"

// A lower-case particle opens no person's name (round 29): "de la Ligue"
// after "Finale" is the rest of a French title, "do Beyonce" an English
// question's auxiliary before a name; a particle inside a name still
// joins it.
func TestALowerCaseParticleOpensNoName(t *testing.T) {
	for _, c := range []struct {
		title, lang  string
		want, absent []string
	}{
		{"Finale de la Ligue des nations", "fr", nil, []string{"person:de_la_ligue"}},
		{"Finale de la Ligue des nations", "en", nil, []string{"person:de_la_ligue"}},
		{"Why do Beyonce, Jennifer Garner and Jane Lynch want us to ban this word?", "en",
			[]string{"person:jennifer_garner", "person:jane_lynch"}, []string{"person:do_beyonce"}},
		{"Charles de Gaulle airport reopens", "en", nil, []string{"person:de_gaulle"}},
		{"Ursula von der Leyen visits Kyiv", "en", []string{"person:ursula_von_der_leyen"}, nil},
	} {
		checkKeys(t, newX(t).Extract(c.title, "", c.lang), c.want, c.absent)
	}
}
