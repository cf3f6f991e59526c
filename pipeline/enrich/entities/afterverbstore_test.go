package entities

import "testing"

// TestAGroupsPossessiveStoreAfterAHeadlinesVerbIsRead (issue 15, round
// 46): after a title-case headline's verb only the names the lists know
// were kept, so a store named by a group's possessive and a word no
// dictionary holds ("Men's Wearhouse", possessiveWordName's shape, read
// so when it opens the run) was lost after "Sold To". Its shape is read
// there too; a dictionary word after the possessive still is no name
// ("Men's Final").
func TestAGroupsPossessiveStoreAfterAHeadlinesVerbIsRead(t *testing.T) {
	for _, tt := range []struct {
		title        string
		want, absent []string
	}{
		{title: "Jos. A. Bank Sold To Men's Wearhouse", want: []string{"organization:jos_a_bank", "organization:men_wearhouse"}},
		{title: "Quellmark Sold To Children's Zorvath", want: []string{"organization:children_zorvath"}},
		{title: "Federer Heads To Men's Final In Style", absent: []string{"organization:men_final"}},
	} {
		checkKeys(t, newX(t).Extract(tt.title, "", "en"), tt.want, tt.absent)
	}
}
