package entities

import (
	"os"
	"path/filepath"
	"testing"
)

// KeyOfName reads a name as a story's own mention of it: the key of the
// entity the gazetteer (and a user's file) knows by that name, with the
// case rule of acronyms, and none for a name whose capital alone does not
// make it the entity (weak, ordinary, a foreign name that is an English
// word), nor for a two-letter code that is no name ("AI" is no form of
// Anguilla's).
func TestKeyOfNameIsTheKeyAStoryOfTheNameCarries(t *testing.T) {
	dir := t.TempDir()
	extra := filepath.Join(dir, "extra.tsv")
	if err := os.WriteFile(extra, []byte("organization\tAcme Widgets\tAcme|AWX\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	x, err := New(Options{ExtraGazetteer: extra})
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{
		"Britain": "place:gb", "UK": "place:gb", "U.K.": "place:gb", "United Kingdom": "place:gb",
		"US": "place:us", "U.S.": "place:us", "America": "place:us",
		"Zelensky": "person:volodymyr_zelensky", "NATO": "organization:nato",
		"Acme": "organization:acme_widgets", "AWX": "organization:acme_widgets",
		"us": "", "AI": "", "IT": "", "Island": "", "Sprint": "", "Hamilton": "", "strike": "", "": "",
	} {
		got, ok := x.KeyOfName(name)
		if got != want || ok != (want != "") {
			t.Errorf("KeyOfName(%q) = %q, %v; want %q", name, got, ok, want)
		}
	}
}
