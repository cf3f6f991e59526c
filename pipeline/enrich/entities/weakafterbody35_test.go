package entities

import "testing"

// TestAKnownBodysWeakNameAfterAnotherKnownBodyIsABody (issue 15, round
// 35's brief; left by rev34e): a body the gazetteer knows by one weak
// word, right after another known body in the same run ("Samsung
// SmartThings"), is a body of its own: a weak name splits no run it
// would open ("Hugo Barra"), but here the run was already split by the
// known name before it, and the maker-before-a-camel-case-name product
// cue reads only names the gazetteer does not know ("Apple CarPlay").
func TestAKnownBodysWeakNameAfterAnotherKnownBodyIsABody(t *testing.T) {
	checkTitles(t, []headlineCase{
		{title: "Samsung SmartThings acquisition confirmed", want: []string{"organization:samsung", "organization:smartthings"}},
		{title: "Apple CarPlay under fire over safety concerns", want: []string{"organization:apple"}, absent: []string{"organization:carplay"}},
	})
}
