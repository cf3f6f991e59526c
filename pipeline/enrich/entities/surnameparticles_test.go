package entities

import "testing"

// TestSurnameParticleNamesPerson pins surnameParticleInside (issue 15,
// round 22): a lower-case bin, ibn, van or von inside a run of capitalised
// words names a person, though the given name is on no list and the last
// word is an ordinary one ("Laden"), at a sentence's start too; "de" alone
// does not, since places and bodies hold it.
func TestSurnameParticleNamesPerson(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "Osama bin Laden was killed.", want: []string{"person:osama_bin_laden"}},
		{body: "Yesterday Osama bin Laden was killed in Pakistan.", want: []string{"person:osama_bin_laden", "place:pk"}},
		{body: "Hamza bin Laden was named.", want: []string{"person:hamza_bin_laden"}},
		{body: "Rio de Janeiro hosted the games.", want: []string{"place:rio_de_janeiro"}},
	})
}

// TestParticlePairJoinsSurname pins particlePair in runEnd (issue 15,
// round 22): two particles together inside a surname ("von der", "van
// den") keep the run going, so the person is named whole, not by the
// last word alone.
func TestParticlePairJoinsSurname(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "Ursula von der Leyen said Berlin would help.", want: []string{"person:ursula_von_der_leyen", "place:berlin"}, absent: []string{"person:leyen"}},
		{body: "Officials said Karel van den Berg spoke.", want: []string{"person:karel_van_den_berg"}, absent: []string{"person:karel"}},
	})
}
