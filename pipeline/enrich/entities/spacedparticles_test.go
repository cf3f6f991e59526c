package entities

import "testing"

// TestSpacedParticleOpensKnownName pins spacedParticles (issue 15, round
// 21): a lower-case Arabic article written apart from the name opens it
// when the gazetteer knows the whole form ("al Qaeda", "al Jazeera"); an
// English "at" before a capital, or a particle before a name no list
// holds, changes nothing.
func TestSpacedParticleOpensKnownName(t *testing.T) {
	for _, tt := range []struct {
		body         string
		want, absent []string
	}{
		{body: "He joined an al Qaeda affiliate in Yemen.", want: []string{"organization:al_qaeda", "place:ye"}},
		{body: "The report aired on al Jazeera on Monday.", want: []string{"organization:al_jazeera"}},
		{body: "She works at Quorvex in Leeds.", want: []string{"place:leeds"}},
	} {
		got := newX(t).Extract("News", tt.body, "en")
		checkKeys(t, got, tt.want, tt.absent)
	}
}
