package entities

import (
	"strings"
	"testing"
)

// A run of thousands of capitalised words (a broken or hostile feed's
// text) is no name: it would make one entity of tens of kilobytes, and
// enough of them a record Kafka refuses. Real names around it are kept.
func TestARunOfCapitalisedWordsPastMaxNameBytesIsNoName(t *testing.T) {
	x := newX(t)
	words := []string{"Alphason", "Bravoson", "Charlieson", "Deltason"}
	var run []string
	for i := range 400 {
		run = append(run, words[i%len(words)])
	}
	body := "Angela Merkel said on Monday that " + strings.Join(run, " ") + " Corporation had failed."
	ents := x.Extract("Merkel speaks", body, "en")
	var merkel bool
	for _, e := range ents {
		if len(e.Name) > MaxNameBytes || len(e.Key) > MaxNameBytes+len("organization:") {
			t.Errorf("entity of %d bytes kept: %.60q…", len(e.Name), e.Name)
		}
		merkel = merkel || e.Key == "person:angela_merkel"
	}
	if !merkel {
		t.Errorf("the real name beside the run was lost: %+v", ents)
	}
}
