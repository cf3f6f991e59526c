package entities

import "testing"

// TestACamelCaseNameTheStoryCallsAProductIsNoBody (issue 15, round 27): a
// camel-case word no list knows is an organization by its shape alone
// (see unknown), but tech stories name their products so: where the story
// calls it a product — a product's noun after it ("TouchWiz interface",
// "TouchWiz UI", "its ChatOn mobile messaging platform") or before it
// ("the video chat feature FaceTime"), a known maker's possessive
// ("Apple's TouchID") or a version number ("Android 4.4 KitKat") — it is
// no body anywhere in the story (sets 7, 10, 13, 15, 16, 25 and 28 read
// TouchWiz, KitKat, ChatOn, TouchID and FaceTime as organizations). A
// camel-case name with no such cue stays a body.
func TestACamelCaseNameTheStoryCallsAProductIsNoBody(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "Reviews were negative with TouchWiz and its bloatware. It is a TouchWiz interface.", absent: []string{"organization:touchwiz"}},
		{body: "The S5 ships with Android 4.4.2 KitKat and more.", absent: []string{"organization:kitkat"}},
		{body: "Samsung will slowly close down its ChatOn mobile messaging platform. ChatOn is available in 120 countries.", absent: []string{"organization:chaton"}},
		{body: "Carriers blocked the video chat feature FaceTime when it launched.", absent: []string{"organization:facetime"}},
		{body: "Next to it, Apple's TouchID feels easy.", want: []string{"organization:apple"}, absent: []string{"organization:touchid"}},
		{body: "Shares of VoltaWerk rose after VoltaWerk said profits doubled.", want: []string{"organization:voltawerk"}},
	})
}

// TestACamelCaseNameALaunchVerbTakesIsAProduct (issue 15, round 30):
// "Veteran rock star Neil Young to launch PonoPlayer on Kickstarter" (set
// 35's uci-news:3362, set 34's too) named PonoPlayer a company by its
// camel case; the object of a verb of launching in lower case is a thing
// made. The company on the other side of "on" and a camel-case name no
// such verb takes are read as before.
func TestACamelCaseNameALaunchVerbTakesIsAProduct(t *testing.T) {
	for _, tt := range []struct {
		text         string
		want, absent []string
	}{
		{text: "Veteran rock star Neil Young to launch PonoPlayer on Kickstarter", want: []string{"person:neil_young", "organization:kickstarter"}, absent: []string{"organization:ponoplayer"}},
		{text: "Apple unveils CarPlay for cars", want: []string{"organization:apple"}, absent: []string{"organization:carplay"}},
		{text: "Shares of VoltaWerk rose after VoltaWerk said profits doubled.", want: []string{"organization:voltawerk"}},
	} {
		checkKeys(t, newX(t).Extract(tt.text, "", "en"), tt.want, tt.absent)
	}
}

// TestACamelCaseNameAPersonOwnsOrAVersionBringsIsAProduct (issue 15, round
// 38): products read as companies by their camel case alone on four
// headline sets — a person's possessive before the name ("Neil Young's
// PonoPlayer delivers …", sets 42 and 43), a version's "with" ("iOS 7.1
// with CarPlay", sets 37 and 40) and "intros", launch's short form ("iOS
// 7.1 Update intros CarPlay", set 40). A company's possessive, a body
// no cue calls a product and a company a person runs stay bodies.
func TestACamelCaseNameAPersonOwnsOrAVersionBringsIsAProduct(t *testing.T) {
	for _, tt := range []struct {
		text         string
		want, absent []string
	}{
		{text: "Neil Young's PonoPlayer delivers studio-quality sound", want: []string{"person:neil_young"}, absent: []string{"organization:ponoplayer"}},
		{text: "Apple releases iOS 7.1 with CarPlay, improved UI, and more lifelike Siri", want: []string{"organization:apple"}, absent: []string{"organization:carplay"}},
		{text: "Apple iOS 7.1 Update intros CarPlay for iPhone, fixes bugs", want: []string{"organization:apple"}, absent: []string{"organization:carplay"}},
		{text: "Shares of VoltaWerk rose after VoltaWerk said profits doubled.", want: []string{"organization:voltawerk"}},
		{text: "Comcast partners with VoltaWerk on streaming", want: []string{"organization:voltawerk"}},
		{text: "Investors back VoltaWerk as sales climb", want: []string{"organization:voltawerk"}},
	} {
		checkKeys(t, newX(t).Extract(tt.text, "", "en"), tt.want, tt.absent)
	}
}

// TestADecimalBeforeWithIsAVersionOnlyAfterAName (round 38 review): the
// "with" cue reads "iOS 7.1 with CarPlay" — a product's name, its version,
// then what it comes with. A figure after a lower-case word is no version
// ("rose 1.2% with WeWork leading", "closed at 4.5 with VoltaWerk up"),
// and the company after it stays a body.
func TestADecimalBeforeWithIsAVersionOnlyAfterAName(t *testing.T) {
	for _, tt := range []struct {
		text         string
		want, absent []string
	}{
		{text: "Stocks rose 1.2% with WeWork leading gains", want: []string{"organization:wework"}},
		{text: "The index closed at 4.5 with VoltaWerk up", want: []string{"organization:voltawerk"}},
		{text: "Apple releases iOS 7.1 with CarPlay, Siri improvements", want: []string{"organization:apple"}, absent: []string{"organization:carplay"}},
		{text: "Microsoft ships Windows 8.1 with PowerPoint", want: []string{"organization:microsoft"}, absent: []string{"organization:powerpoint"}},
	} {
		checkKeys(t, newX(t).Extract(tt.text, "", "en"), tt.want, tt.absent)
	}
}

// TestACamelCaseNameANewReleaseAddsOrANewOneIsAProduct (issue 15, round
// 41): what a version adds ("iOS 7.1 adds CarPlay", set 41) and a "new"
// camel-case name ("with new PonoPlayer", set 42) are things made, read
// as companies by their camel case on two headline sets. "adds" without
// a version before it ("Google adds VoltaWerk to its partners") and a new
// company's officer ("the new VoltaWerk boss") stay bodies.
func TestACamelCaseNameANewReleaseAddsOrANewOneIsAProduct(t *testing.T) {
	for _, tt := range []struct {
		text         string
		want, absent []string
	}{
		{text: "iOS 7.1 adds CarPlay, interface tweaks, accessibility enhancements", absent: []string{"organization:carplay"}},
		{text: "Windows 8.1 update adds PowerPoint tweaks", absent: []string{"organization:powerpoint"}},
		{text: "Neil Young's PonoMusic to launch this week with new PonoPlayer", absent: []string{"organization:ponoplayer"}},
		{text: "Google adds VoltaWerk to its partners", want: []string{"organization:voltawerk"}},
		{text: "He said the new VoltaWerk boss starts in May", want: []string{"organization:voltawerk"}},
	} {
		checkKeys(t, newX(t).Extract(tt.text, "", "en"), tt.want, tt.absent)
	}
}
