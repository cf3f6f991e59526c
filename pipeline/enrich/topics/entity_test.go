package topics

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wirestream/wirestream/pipeline/record"
)

// TestAGazetteerNameOfOneFieldIsItsTopic: a headline with no cue word
// but a person or body the gazetteer knows, whose every story an editor
// files under one field, is that field's: a head of government is
// politics, a central banker economy, a footballer sport, the FBI crime.
func TestAGazetteerNameOfOneFieldIsItsTopic(t *testing.T) {
	c := newC(t)
	for key, want := range map[string]string{
		"person:angela_merkel":    "11000000",
		"person:barack_obama":     "11000000",
		"organization:knesset":    "11000000",
		"person:janet_yellen":     "04000000",
		"person:mario_draghi":     "04000000",
		"person:lionel_messi":     "15000000",
		"person:tim_cook":         "13000000",
		"organization:fbi":        "02000000",
		"person:salah_abdeslam":   "16000000",
		"person:antonis_samaras":  "11000000",
		"organization:mt_gox":     "04000000",
		"person:stephen_hawking":  "13000000",
		"organization:interpol":   "02000000",
		"person:jens_stoltenberg": "16000000",
	} {
		kind, _, _ := strings.Cut(key, ":")
		got := c.Classify("Statement expected on Monday", "", "", nil, "en", []record.Entity{{Key: key, Kind: kind, Mentions: 1}})
		if got[0].Code != Code(want) || Guess(got) {
			t.Errorf("%s: %v, want %s", key, got, Names[want])
		}
	}
}

// TestEveryEntityCueIsAGazetteerKey: an entity cue that names no entry of
// the recognizer's gazetteer never fires; a misspelt key would be dead
// silently.
func TestEveryEntityCueIsAGazetteerKey(t *testing.T) {
	known := map[string]bool{}
	files, err := filepath.Glob("../entities/gazetteer/*.tsv")
	if err != nil || len(files) == 0 {
		t.Fatalf("gazetteer files: %v, %v", files, err)
	}
	for _, f := range files {
		r, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			cols := strings.Split(sc.Text(), "\t")
			if len(cols) >= 2 && !strings.HasPrefix(cols[0], "#") {
				known[cols[0]+":"+strings.ToLower(cols[1])] = true
			}
		}
		r.Close()
	}
	for _, line := range strings.Split(cuesTSV, "\n") {
		cols := strings.Split(line, "\t")
		if len(cols) != 3 || cols[1] != "entity" {
			continue
		}
		for _, key := range strings.Fields(cols[2]) {
			if !known[key] {
				t.Errorf("entity cue %s (topic %s) is no gazetteer key", key, cols[0])
			}
		}
	}
}
