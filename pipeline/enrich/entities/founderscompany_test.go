package entities

import "testing"

// TestACamelCaseNameAPersonOwnsActingAsACompanyIsTheCompany (issue 15,
// round 39; rev38e's left-over): after a person's possessive a camel-case
// name no list knows is read as a product ("Neil Young's PonoPlayer",
// round 38), which lost the founder's company: "Adam Neumann's WeWork
// files for bankruptcy". A company's own act right after the name — it
// files, raises, hires, sues, buys, merges — or its people and shares say
// the name is the company. The product stays a product where nothing
// says so ("Neil Young's PonoPlayer delivers studio-quality sound").
func TestACamelCaseNameAPersonOwnsActingAsACompanyIsTheCompany(t *testing.T) {
	for _, tt := range []struct {
		title        string
		want, absent []string
	}{
		{title: "Adam Neumann's WeWork files for bankruptcy", want: []string{"person:adam_neumann", "organization:wework"}},
		{title: "Travis Kalanick's UberCab raises $1.2 million", want: []string{"organization:ubercab"}},
		{title: "Jack Dorsey's SquareUp hires new finance chief", want: []string{"organization:squareup"}},
		{title: "Jack Dorsey's SquareUp employees get raises", want: []string{"organization:squareup"}},
		{title: "Neil Young's PonoPlayer delivers studio-quality sound", absent: []string{"organization:ponoplayer"}},
		{title: "Neil Young's PonoMusic to launch this week with new PonoPlayer", absent: []string{"organization:ponomusic"}},
	} {
		checkKeys(t, newX(t).Extract(tt.title, "", "en"), tt.want, tt.absent)
	}
}
