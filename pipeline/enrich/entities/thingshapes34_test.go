package entities

import "testing"

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
	checkTitles(t, []headlineCase{
		{title: "Apple releases iOS 7.1 with CarPlay support, UI changes", want: []string{"organization:apple"}, absent: []string{"organization:carplay"}},
		{title: "Apple releases iOS 7.1 featuring CarPlay", want: []string{"organization:apple"}, absent: []string{"organization:carplay"}},
		{title: "Neil Young introduces high-quality music system PonoMusic", want: []string{"person:neil_young"}, absent: []string{"organization:ponomusic"}},
		{title: "Neil Young to sell $399 PonoPlayer music device", absent: []string{"organization:ponoplayer"}},
		{title: "iOS 7.1 adds manual control of Apple CarPlay", want: []string{"organization:apple"}, absent: []string{"organization:carplay"}},
		{title: "Investors back VoltaWerk after VoltaWerk said profits doubled", want: []string{"organization:voltawerk"}},
		{title: "Sony partners with GrubHub on deliveries", want: []string{"organization:grubhub"}},
	})
}
