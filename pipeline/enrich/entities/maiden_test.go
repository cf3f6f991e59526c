package entities

import "testing"

// TestMaidenNamesRound14: the name a person was born with, said so ("the
// former", "born", "née"), is that person, the story's one other person of
// the same given name; a compound's "-born" says where, and with no such
// person the name stays.
func TestMaidenNamesRound14(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "Laura Kessler spoke first. A serious student, the former Laura Brandt went to Yale.", want: []string{"person:laura_kessler"}, absent: []string{"person:laura_brandt"}},
		{body: "He has known Laura Kessler (born Laura Brandt) all her life.", want: []string{"person:laura_kessler"}, absent: []string{"person:laura_brandt"}},
		{body: "Boston-born Laura Brandt met Laura Kessler on Monday.", want: []string{"person:laura_kessler", "person:laura_brandt"}},
		{body: "The former Laura Brandt spoke on Monday.", want: []string{"person:laura_brandt"}},
	})
}
