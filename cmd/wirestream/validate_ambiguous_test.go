package main

import (
	"strings"
	"testing"
)

// A watch name the gazetteer knows as more than one entity — "IRA", Iran (a spelling of its
// name folds so) and the Irish Republican Army — is watched as one of them, and nothing said
// which. validate warns (exit 0), naming the one watched and the key that watches each other.
// It says nothing of Georgia: the US state's entry keeps no form (a story about Atlanta,
// Georgia carries place:ge), so no other key watches it.
func TestValidateWarnsOfAWatchNameTheGazetteerKnowsAsSeveralEntities(t *testing.T) {
	out := validateOutput(t, "spikes:\n  watch: [IRA, Georgia, Britain, strike]\n")
	want := "warning: spikes.watch: IRA names more than one entity the enrichment knows: watched as place:ir; to watch another, write its key in the list instead: organization:ira\n"
	if !strings.Contains(out, want) {
		t.Errorf("validate's output lacks %q:\n%s", want, out)
	}
	for _, name := range []string{"Britain", "Georgia"} {
		if strings.Contains(out, "warning: spikes.watch: "+name) {
			t.Errorf("validate warns of %s, which no other key a story carries names:\n%s", name, out)
		}
	}
}
