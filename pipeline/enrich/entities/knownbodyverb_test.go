package entities

import "testing"

// TestAKnownBodysFullNameBeforeAHeadlinesVerbIsTheSubject (issue 15, round
// 45): "Cisco Systems Beats Estimates" read as nothing: the gazetteer
// knows "Cisco Systems" as a form of Cisco, whose one-word name is weak,
// and subjectVerb took every weak match for one written in ordinary
// words. A weak body matched by a form of two words or more is its
// written name ("Cisco Systems"), as "Getty Images" is. And "General
// Dynamics Wins Contract" read as a person "Dynamics Wins Contract": a
// role title ("General") before ordinary words up to a headline's verb
// names no one, as before ordinary words alone (ordinaryAfterRole); the
// verb's own spelling as a census surname ("Wins") is no name.
func TestAKnownBodysFullNameBeforeAHeadlinesVerbIsTheSubject(t *testing.T) {
	for _, tt := range []struct {
		title        string
		want, absent []string
	}{
		{title: "Cisco Systems Beats Estimates", want: []string{"organization:cisco"}},
		{title: "Cisco Beats Estimates", want: []string{"organization:cisco"}},
		{title: "General Dynamics Wins Contract", absent: []string{"person:dynamics_wins_contract", "person:dynamics"}},
		{title: "Lockheed Martin Wins Contract", want: []string{"organization:lockheed_martin"}},
	} {
		checkKeys(t, newX(t).Extract(tt.title, "", "en"), tt.want, tt.absent)
	}
}
