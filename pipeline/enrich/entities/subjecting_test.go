package entities

import "testing"

// TestAPersonsTitleCaseRunEndsAtItsVerb: "Neil Young Launches PONO Music
// Service" was read whole as a body (its last word a body's), "Neil Young
// Launching PonoMusic Via Kickstarter" as nothing (set 38's uci-news:3345,
// sets 31-35's 3388): round 32's cut at a subject's verb asked of a given
// name and a second word that no dictionary holds, and "Young" is one. A
// given name and a census surname that is an ordinary word too ("Young",
// "White") are a subject as well, and so is the verb's -ing form after
// such a person ("Launching").
func TestAPersonsTitleCaseRunEndsAtItsVerb(t *testing.T) {
	for _, tt := range []struct {
		title        string
		want, absent []string
	}{
		{title: "Neil Young Launches PONO Music Service", want: []string{"person:neil_young"}, absent: []string{"organization:neil_young_launches_pono_music_service"}},
		{title: "Neil Young Launching PonoMusic Via Kickstarter", want: []string{"person:neil_young"}},
		{title: "Rose Bowl Draws Record Crowd", absent: []string{"person:rose_bowl"}},
		{title: "Apple Launching New iPad", want: []string{"organization:apple"}},
	} {
		checkKeys(t, newX(t).Extract(tt.title, "", "en"), tt.want, tt.absent)
	}
}

// TestAWeakBodyInItsOwnCapitalsAroundATitleCaseVerb: "SoftBank Sees
// Growth", "Sprint Wants to Buy T-Mobile" (set 38's uci-news:5479) named
// nothing: a one-word body the gazetteer holds weak was never a title-case
// run's subject, nor read after its verb. Written in a form no dictionary
// or name list holds, its capitals are its own.
func TestAWeakBodyInItsOwnCapitalsAroundATitleCaseVerb(t *testing.T) {
	for _, tt := range []struct {
		title        string
		want, absent []string
	}{
		{title: "SoftBank Sees Growth In Mobile", want: []string{"organization:softbank"}},
		{title: "SoftBank Wants To Buy T-Mobile", want: []string{"organization:softbank", "organization:t_mobile"}},
		{title: "Sprint Wants To Buy Regional Carrier", absent: []string{"organization:sprint"}},
	} {
		checkKeys(t, newX(t).Extract(tt.title, "", "en"), tt.want, tt.absent)
	}
}

// TestAGivenNameAndACompanysNameAsASurnameStayAPerson: "Tom Ford Opens
// Store", "Henry Ford Launching Museum" were the person before round 33
// (the run read whole: a given name, then the rest); names33's subject
// of a given name and an ordinary-word surname cut them at the verb, and
// the two words alone read as the company Ford. A surname the gazetteer
// holds as a body is not that subject's: "Young" is no body, "Ford" is.
func TestAGivenNameAndACompanysNameAsASurnameStayAPerson(t *testing.T) {
	for _, tt := range []struct {
		title        string
		want, absent []string
	}{
		{title: "Tom Ford Opens Store", want: []string{"person:tom_ford"}, absent: []string{"organization:ford"}},
		{title: "Henry Ford Launching Museum", want: []string{"person:henry_ford"}, absent: []string{"organization:ford"}},
		{title: "Neil Young Launching PonoMusic Via Kickstarter", want: []string{"person:neil_young"}},
	} {
		checkKeys(t, newX(t).Extract(tt.title, "", "en"), tt.want, tt.absent)
	}
}
