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

// The bound is the record's bytes, not the text's: a story record is JSON written HTML-safe, in
// which each '&' (a joiner inside a word: "AT&T") takes six bytes, so a 70-byte name of
// '&'-joined letters took over 200, and 120 of them broke the size guarantee the bound is for
// (normalize's TestAStoryAtEveryCapFitsInAKafkaMessage counts names at MaxNameBytes of the
// record). A real name with an '&' is kept.
func TestANameIsBoundedByTheBytesItTakesInTheRecord(t *testing.T) {
	x := newX(t)
	amp := "Qa" + strings.Repeat("&Q", 30) // 62 bytes, 242 in the record
	body := "Analysts at AT&T Holdings said on Monday that " + amp + " Holdings had failed. " + amp + " Holdings denied it."
	ents := x.Extract("Firms fail", body, "en")
	var att bool
	for _, e := range ents {
		if n := len(strings.ReplaceAll(e.Name, "&", `\u0026`)); n > MaxNameBytes {
			t.Errorf("entity of %d bytes in the record kept (%d in the text): %.60q…", n, len(e.Name), e.Name)
		}
		att = att || strings.Contains(e.Name, "AT&T")
	}
	if !att {
		t.Errorf("the real name with an '&' was lost: %+v", ents)
	}
}
