package entities

import (
	"slices"
	"testing"
)

// A name the gazetteer knows as more than one entity is given one of them alone (KeyOfName:
// "IRA" is Iran); OtherKeysOfName names the rest that a story can carry, so that validate can
// say which key watches each. A name of one entity has none, nor has a name the gazetteer does
// not know, nor one whose other entries keep no form (Georgia, Washington:
// TestOtherKeysOfNameAreKeysAStoryCanCarry).
func TestOtherKeysOfNameAreTheEntitiesANameAlsoNames(t *testing.T) {
	checkOtherKeysOfName(t, newX(t), map[string][]string{
		"IRA":             {"organization:ira"},
		"Britain":         nil,
		"Nowhereville Xq": nil,
	})
}

// checkOtherKeysOfName checks x.OtherKeysOfName of each name, by name.
func checkOtherKeysOfName(t *testing.T, x *Extractor, want map[string][]string) {
	t.Helper()
	for name, w := range want {
		if got := x.OtherKeysOfName(name); !slices.Equal(got, w) {
			key, _ := x.KeyOfName(name)
			t.Errorf("OtherKeysOfName(%q) = %q (KeyOfName %q), want %q", name, got, key, w)
		}
	}
}
