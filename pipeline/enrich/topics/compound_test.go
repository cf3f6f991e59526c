package topics

import "testing"

// TestAGermanCompoundIsReadByItsLastPart: German writes a compound as one
// word, and its last part says what it is ("Bundestrainer" is a coach,
// "Warnstreik" a strike); a word with no cue of its own had no evidence.
// A particle's or an ending's letters are no such part: "Beispiel" (an
// example) is no game, "Gesellschaft" (society) no custody, "Ölpreise"
// no travel, "Bürgermeister" (a mayor) no champion, "Baustellen" (road
// works) no jobs, "Hauptquartier" no animal. Invented headlines.
func TestAGermanCompoundIsReadByItsLastPart(t *testing.T) {
	c := newC(t)
	classifiedInLang(t, c,
		inLang{"de", "Bundeskanzler trifft Amtskollegen", "11000000"},
		inLang{"de", "Landtagswahl in Sachsen", "11000000"},
		inLang{"de", "Drohnenangriff auf Kiew", "16000000"},
		inLang{"de", "Neuer Bundestrainer vorgestellt", "15000000"},
		inLang{"de", "Warnstreik legt Flughäfen lahm", "09000000"},
		inLang{"de", "Starkregen überflutet Keller", "17000000"},
		inLang{"de", "Dokumentarfilm über Bergbauern", "01000000"},
		inLang{"de", "Ölpreise steigen", "04000000"},
		inLang{"de", "Mietpreise in Großstädten steigen", "04000000"},
		inLang{"de", "Bürgermeister eröffnet Freibad", "11000000"},
	)
	for _, title := range []string{"Ein Beispiel für gute Nachbarschaft", "Die Gesellschaft altert", "Botschaft bleibt geschlossen", "Baustellen auf der A7", "Hauptquartier geräumt"} {
		if got := c.Classify(title, "", "", nil, "de", nil); !NoEvidence(got) {
			t.Errorf("de %q: %v, want no evidence", title, got)
		}
	}
}
