package entities

import "testing"

// TestATitleCaseRunThroughItsVerbIsNoBodyByItsLastWord (issue 15, round
// 35's brief): in a title-case headline a run that goes on from its
// subject, an ordinary word, through the headline's verb in -s to an
// organization's last word ("Spider-Man Sequel Tops Box Office") is no
// body: the capitals are the headline's, and the verb ends the subject.
// A body's own name of that shape without a verb stays ("Patent Office
// Rejects Claim" is read as before).
func TestATitleCaseRunThroughItsVerbIsNoBodyByItsLastWord(t *testing.T) {
	checkTitles(t, []headlineCase{
		{title: "Spider-Man Sequel Tops Box Office", absent: []string{"organization:spider_man_sequel_tops_box_office"}},
		{title: "'Spider-Man' Sequel Tops Box Office", absent: []string{"organization:sequel_tops_box_office"}},
		{title: "Horror Remake Tops Weekend Box Office", absent: []string{"organization:horror_remake_tops_weekend_box_office"}},
	})
}
