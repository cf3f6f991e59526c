package entities

import "testing"

// TestKinOfKnownPersonIsAPersonWhole: another given name before the
// surname alias of a person the gazetteer knows names a relative, whole
// ("Omar Abaaoud", the father of Abdelhamid; "Brahim Abdeslam", a brother
// of Salah) — not the known person and a bare first name. A given name of
// the same initial may be the known one's own in another form and stays
// the known person ("Joseph Biden"); a place or an ordinary word before
// the surname is no given name.
func TestKinOfKnownPersonIsAPersonWhole(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "Abdelhamid Abaaoud was named. Their father, Omar Abaaoud, filed a complaint.", want: []string{"person:abdelhamid_abaaoud", "person:omar_abaaoud"}, absent: []string{"person:omar"}},
		{body: "Brahim Abdeslam, 31, blew himself up inside a cafe.", want: []string{"person:brahim_abdeslam"}, absent: []string{"person:salah_abdeslam"}},
		{body: "The first lady, Melania Trump, smiled.", want: []string{"person:melania_trump"}, absent: []string{"person:donald_trump"}},
		{body: "Joseph Biden spoke on Monday.", want: []string{"person:joe_biden"}, absent: []string{"person:joseph_biden"}},
		{body: "Putin met officials in Moscow on Monday.", want: []string{"person:vladimir_putin"}},
	})
}

// TestGivenNameOfAStoryPersonBeatsAOneWordAlias: a bare word that is the
// given name of a person the story names in full is that person, though
// the gazetteer knows someone else by that word alone ("Salah" is Mohamed
// Salah's); with no such person the alias stands.
func TestGivenNameOfAStoryPersonBeatsAOneWordAlias(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "Police named Salah Abdeslam on Sunday. His brother, Salah, is on the run.", want: []string{"person:salah_abdeslam"}, absent: []string{"person:mohamed_salah"}},
		{body: "Salah, who is on the run, rented the car. Police named Salah Abdeslam on Sunday.", want: []string{"person:salah_abdeslam"}, absent: []string{"person:mohamed_salah"}},
		{body: "Police named Salah Hamdi on Sunday. Salah rented the car.", want: []string{"person:salah_hamdi"}, absent: []string{"person:mohamed_salah"}},
		{body: "Mohamed Salah scored twice. Salah said he was happy.", want: []string{"person:mohamed_salah"}},
		{body: "Liverpool won. Salah scored twice.", want: []string{"person:mohamed_salah"}},
	})
}

// TestAKnownPersonNamedWholeKeepsTheirSurname: where the story names the
// known person in full too, their one-word alias alone is them — a second
// mention by surname is how news refers to a person — not another person
// of the story whose given name it is ("Salah" after "Mohamed Salah" and
// "Salah Mohsen" is the goalscorer, as it was before entities28's rule).
func TestAKnownPersonNamedWholeKeepsTheirSurname(t *testing.T) {
	body := "Mohamed Salah scored twice, and Salah Mohsen scored once. Salah said he was happy with his two goals."
	for _, e := range newX(t).Extract("News", body, "en") {
		if e.Key == "person:mohamed_salah" && e.Mentions != 2 || e.Key == "person:salah_mohsen" && e.Mentions != 1 {
			t.Errorf("%s has %d mentions; want Mohamed Salah 2 (his full name and \"Salah said\"), Salah Mohsen 1", e.Key, e.Mentions)
		}
	}
	checkCases(t, "News", []keyCase{
		// not named whole: the story's person of that given name, as before
		{body: "Police named Salah Abdeslam on Sunday. His brother, Salah, is on the run.", want: []string{"person:salah_abdeslam"}, absent: []string{"person:mohamed_salah"}},
	})
}

// TestKinOfKnownPersonOfTheSameInitial (issue 15, round 25): "Jill Biden"
// is the known Joe Biden's wife, not Joe Biden and a bare "Jill". A
// given name of the same initial is the known person's own in another
// form only when it is written as one ("Joseph", "Joe"); a given name of
// its own that parts from it at the next letter ("Jill", "Jim", "James")
// names a relative. The known person's own middle name is them ("Tayyip
// Erdogan"), and a form the gazetteer lists is theirs ("Jay Powell",
// "Leo Messi"). A given name that is an ordinary word too ("Hunter")
// names a relative as well; a role title or a function word does not.
func TestKinOfKnownPersonOfTheSameInitial(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "Jill Biden spoke on Monday.", want: []string{"person:jill_biden"}, absent: []string{"person:joe_biden", "person:jill"}},
		{body: "First lady Jill Biden visited a school in Ohio.", want: []string{"person:jill_biden"}, absent: []string{"person:joe_biden", "person:jill"}},
		{body: "The president's brother, James Biden, was questioned. Jim Biden denied it.", want: []string{"person:james_biden", "person:jim_biden"}, absent: []string{"person:joe_biden"}},
		{body: "Joe Biden spoke. His son Hunter Biden was charged on Monday.", want: []string{"person:joe_biden", "person:hunter_biden"}},
		{body: "Hunter Biden was charged on Monday.", want: []string{"person:hunter_biden"}, absent: []string{"person:joe_biden"}},
		{body: "Joseph Biden spoke on Monday.", want: []string{"person:joe_biden"}, absent: []string{"person:joseph_biden"}},
		{body: "Tayyip Erdogan spoke in Ankara.", want: []string{"person:recep_tayyip_erdogan"}, absent: []string{"person:tayyip_erdogan"}},
		{body: "Fed chair Jay Powell spoke.", want: []string{"person:jerome_powell"}, absent: []string{"person:jay_powell"}},
		{body: "Leo Messi scored twice.", want: []string{"person:lionel_messi"}, absent: []string{"person:leo_messi"}},
		{body: "Vladimir Zelensky spoke in Kyiv.", want: []string{"person:volodymyr_zelensky"}, absent: []string{"person:vladimir_zelensky"}},
		{body: "Will Trump sign the bill?", want: []string{"person:donald_trump"}, absent: []string{"person:will_trump"}},
		{body: "King Trump, the cartoon called him.", absent: []string{"person:king_trump"}},
	})
}
