package entities

import "testing"

// TestAPairAfterAnOccupationInTitleCaseIsAPerson (issue 15, round 42):
// in a title-case headline an occupation's noun right before two words no
// list holds says they are a person's name, as a known given name would
// ("Creator Dong Nguyen Speaks", set 41's uci-news:5667; "Nanny Kat
// Perkins Embarks", set 39's 3943). The name ends after the pair: the
// run's end, a possessive or the headline's verb. Ordinary words after
// the noun, one name word, or no visible end name no one.
func TestAPairAfterAnOccupationInTitleCaseIsAPerson(t *testing.T) {
	for _, tt := range []struct {
		title        string
		want, absent []string
	}{
		{title: "'Flappy Bird' Available For Download Again? Creator Dong Nguyen Considering  ...", want: []string{"person:dong_nguyen"}},
		{title: "The Voice Recap: Nanny Kat Perkins Embarks on Solo Career (3/10/14)", want: []string{"person:kat_perkins"}},
		{title: "'True Detective' Creator Nic Pizzolatto Teases Saga Of Rust", want: []string{"person:nic_pizzolatto"}},
		{title: "Flappy Bird Creator Dong Nguyen's Next Game Is Out", want: []string{"person:dong_nguyen"}},
		{title: "Nanny State Rules Anger Smokers", absent: []string{"person:rules_anger", "person:state_rules"}},
		{title: "Creator Studio Launches On YouTube", want: []string{"organization:youtube"}, absent: []string{"person:studio_launches"}},
		{title: "Nanny McPhee Returns To Cinemas", absent: []string{"person:mcphee_returns"}},
		{title: "Nanny Cam Catches Thief In The Act", absent: []string{"person:cam_catches"}},
		{title: "Designer Kelvo Marrant Tavern Opens Downtown", absent: []string{"person:kelvo_marrant"}},
		{title: "Developer Tishman Speyer Buys Tower In Midtown", absent: []string{"person:tishman_speyer"}},
	} {
		checkKeys(t, newX(t).Extract(tt.title, "", "en"), tt.want, tt.absent)
	}
}
