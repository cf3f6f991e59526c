package entities

import "testing"

// TestAnOccasionsPicturesAreNoStudio (issue 15, round 47): "'Divergent'
// Chicago Premiere Pictures" (set 41's uci-news:6277) read as a body by
// its studio's noun, and Chicago was lost. After an occasion (premiere,
// wedding, funeral, ceremony, gala) a picture noun is the photographs of
// it; the words before are read alone. A studio the gazetteer knows
// keeps its name ("Sony Pictures").
func TestAnOccasionsPicturesAreNoStudio(t *testing.T) {
	for _, tt := range []struct {
		title        string
		want, absent []string
	}{
		{title: "'Divergent' Chicago Premiere Pictures", want: []string{"place:chicago"}, absent: []string{"organization:chicago_premiere_pictures"}},
		{title: "Stacy Keibler Wedding Pictures", want: []string{"person:stacy_keibler"}, absent: []string{"organization:stacy_keibler_wedding_pictures"}},
		{title: "Royal Wedding Photos", absent: []string{"organization:royal_wedding_photos"}},
		{title: "Sony Pictures Entertainment chief quits", want: []string{"organization:sony_pictures_entertainment"}},
	} {
		checkKeys(t, newX(t).Extract(tt.title, "", "en"), tt.want, tt.absent)
	}
}
