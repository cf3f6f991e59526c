package entities

// A body's short form that ends its full name, the way news writes a
// club or a company after naming it in full once (entities22: review24
// item 7).

import (
	"strings"
	"testing"
)

// The last words of a body the story named in full are that body, not a
// second one: "Manly Sea Eagles … The Sea Eagles said".
func TestABodysTrailingWordsAfterItsFullNameAreThatBody(t *testing.T) {
	x := newX(t)
	for _, c := range []struct {
		title, body, key string
	}{
		{"News", "Manly Sea Eagles beat the Broncos on Sunday. The Sea Eagles said their captain was injured.", "organization:manly_sea_eagles"},
		{"News", "The Toronto Maple Leafs fired their coach on Monday. The Maple Leafs said the search would begin at once.", "organization:toronto_maple_leafs"},
		{"Sea Eagles sack coach", "Manly Sea Eagles sacked their coach on Monday.", "organization:manly_sea_eagles"},
	} {
		got := x.Extract(c.title, c.body, "en")
		k := keys(got)
		if e, ok := k[c.key]; !ok || e.Mentions != 2 {
			t.Errorf("%q: want %s twice, got %v", c.body, c.key, got)
		}
		for key, e := range k {
			if key != c.key && e.Kind == Organization {
				t.Errorf("%q: a second body %s", c.body, key)
			}
		}
	}
}

// The rule must not fire on a generic short form, another body that
// shares a base (a bank, a party), one two bodies share, or a short form
// the text gave first.
func TestATrailingFormLinksNoOtherBody(t *testing.T) {
	checkCases(t, "News", []keyCase{
		// another bank: a head opens the short form
		{body: "Royal Bank of Scotland posted a loss. The Bank of Scotland said it would sell branches.", want: []string{"organization:royal_bank_of_scotland", "organization:bank_of_scotland"}},
		// generic: every word a body's word
		{body: "The Royal Malaysian Air Force sent jets. The Air Force said it found nothing.", want: []string{"organization:royal_malaysian_air_force", "organization:air_force"}},
		// two bodies end with it: which one?
		{body: "Hawthorn Hawks Club and Box Hill Hawks Club met on Friday. Both Hawks Club officials said the game would go on.", want: []string{"organization:hawthorn_hawks_club", "organization:box_hill_hawks_club", "organization:hawks_club"}},
		// the short form first, outside the headline: the longer name may be another body
		{body: "The Sea Eagles said their captain was injured. Later, Manly Sea Eagles lost.", want: []string{"organization:sea_eagles", "organization:manly_sea_eagles"}},
	})
}

// appendJoined is the gazetteer key mergeTrailingForms looks a short form
// up by: it must be strings.Join's text, into a reused buffer.
func TestAppendJoinedIsTheJoin(t *testing.T) {
	var buf []byte
	for _, words := range [][]string{nil, {"leafs"}, {"maple", "leafs"}, {"football", "club", "of", "x"}, {"a"}} {
		buf = appendJoined(buf[:0], words)
		if got, want := string(buf), strings.Join(words, " "); got != want {
			t.Errorf("appendJoined(%q) = %q, want %q", words, got, want)
		}
	}
}
