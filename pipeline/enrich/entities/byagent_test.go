package entities

import "testing"

// TestAgentAfterByIsNoPlace: a bare name after "by" is an agent, so "in
// <place>" after it does not make it a place ("the attack by
// Lashkar-e-Taiba in Mumbai"); without "by" the words after a bare name
// still say place ("Kandahar in southern Afghanistan").
func TestAgentAfterByIsNoPlace(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "Ever since the 2008 terror attack by Lashkar-e-Taiba in Mumbai, they have worried.", want: []string{"organization:lashkar_e_taiba", "place:mumbai"}, absent: []string{"place:lashkar_e_taiba"}},
		{body: "Fighting spread to Zhari in southern Afghanistan on Monday.", want: []string{"place:zhari"}},
	})
}
