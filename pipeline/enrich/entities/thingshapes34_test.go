package entities

import "testing"

// TestAnUnknownAcronymBeforeAYearOrAnEventsNounIsAnEvent (issue 15, round
// 34): an acronym no list knows is a body by its shape alone, but a
// headline writes a festival's or a fair's edition so — its year or its
// event's noun right after it ("SXSW 2014", "SXSW conference", "CES
// 2014") — and an event is no body, there or anywhere in the story
// (sets 31-38 read SXSW as an organization 14 times). A known body before
// a year keeps its reading ("FIFA 2014"), and an acronym with no such cue
// stays a body.
func TestAnUnknownAcronymBeforeAYearOrAnEventsNounIsAnEvent(t *testing.T) {
	for _, tt := range []struct {
		title, body  string
		want, absent []string
	}{
		{title: "List: The 20 bands to see at SXSW 2014", absent: []string{"organization:sxsw"}},
		{title: "Edward Snowden to speak at SXSW conference", want: []string{"person:edward_snowden"}, absent: []string{"organization:sxsw"}},
		{title: "Zac Efron hits SXSW festival with Dave Franco", want: []string{"person:zac_efron"}, absent: []string{"organization:sxsw"}},
		{title: "SXSW 2014: 5 things we learned", body: "At SXSW, the crowds were thin.", absent: []string{"organization:sxsw"}},
		{title: "Tablets crowd the floor at CES 2014", absent: []string{"organization:ces"}},
		{title: "QXRT said profits doubled", want: []string{"organization:qxrt"}},
		{title: "Brazil hosts FIFA 2014 finals", want: []string{"organization:fifa"}},
	} {
		checkKeys(t, newX(t).Extract(tt.title, tt.body, "en"), tt.want, tt.absent)
	}
}

// TestACamelCaseNameAReleaseCallsAFeatureIsAProduct (issue 15, round 34):
// round 27's product cues widened to the ways a headline names what an
// update or a device brings — a feature's "support" or a "system",
// "device" or "player" beside it ("adds CarPlay support", "music system
// PonoMusic", "PonoPlayer music device"), a release's "featuring" or
// "introduces" before it, and a known maker's name right before it
// ("Apple CarPlay": the maker's product line, as "a Renault Clio"). Sets
// 34, 37 and 38 read CarPlay, PonoMusic and PonoPlayer as companies. A
// camel-case company with no such cue stays one.
func TestACamelCaseNameAReleaseCallsAFeatureIsAProduct(t *testing.T) {
	for _, tt := range []struct {
		title        string
		want, absent []string
	}{
		{title: "Apple releases iOS 7.1 with CarPlay support, UI changes", want: []string{"organization:apple"}, absent: []string{"organization:carplay"}},
		{title: "Apple releases iOS 7.1 featuring CarPlay", want: []string{"organization:apple"}, absent: []string{"organization:carplay"}},
		{title: "Neil Young introduces high-quality music system PonoMusic", want: []string{"person:neil_young"}, absent: []string{"organization:ponomusic"}},
		{title: "Neil Young to sell $399 PonoPlayer music device", absent: []string{"organization:ponoplayer"}},
		{title: "iOS 7.1 adds manual control of Apple CarPlay", want: []string{"organization:apple"}, absent: []string{"organization:carplay"}},
		{title: "Investors back VoltaWerk after VoltaWerk said profits doubled", want: []string{"organization:voltawerk"}},
		{title: "Sony partners with GrubHub on deliveries", want: []string{"organization:grubhub"}},
	} {
		checkKeys(t, newX(t).Extract(tt.title, "", "en"), tt.want, tt.absent)
	}
}
