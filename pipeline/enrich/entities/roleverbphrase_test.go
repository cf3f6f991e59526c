package entities

import "testing"

// TestARoleTitleBeforeATitleCaseVerbPhraseNamesNoOne (issue 15, round
// 46, found by rev46): in a title-case headline a company's chief can
// modify the noun after it ("Apple CEO Memo Lists Cuts": the chief's
// memo), and the run goes on into the headline's verb. Ordinary words
// with no surname among them after the title are that phrase, no
// person; a name after the title still is one.
func TestARoleTitleBeforeATitleCaseVerbPhraseNamesNoOne(t *testing.T) {
	for _, tt := range []struct {
		title        string
		want, absent []string
	}{
		{title: "Apple CEO Memo Lists Cuts", want: []string{"organization:apple"}, absent: []string{"person:memo_lists_cuts"}},
		{title: "Quellmark CEO Memo Lists Cuts", want: []string{"organization:quellmark"}, absent: []string{"person:memo_lists_cuts"}},
		{title: "Apple CEO Memo", absent: []string{"person:memo"}},
		{title: "Apple CEO Tim Cook Lists Cuts", want: []string{"organization:apple", "person:tim_cook"}},
		{title: "Quellmark CEO Vince Zampella Lists Cuts", want: []string{"organization:quellmark", "person:vince_zampella"}},
	} {
		checkKeys(t, newX(t).Extract(tt.title, "", "en"), tt.want, tt.absent)
	}
}
