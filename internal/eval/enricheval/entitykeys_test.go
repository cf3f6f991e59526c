package enricheval

import (
	"bytes"
	"strings"
	"testing"

	"github.com/wirestream/wirestream/internal/testkit/shareddata"
)

// TestWriteEntityKeysCoversEveryItem pins WriteEntityKeys, the guard an
// entity change is diffed by: one line for each of the 220 wikiref220
// articles and the 3,285 uci-news dev headlines, each source, ID and
// entities, and the same output on a second run (each item read by a
// recognizer that has read no other story, so order does not leak).
func TestWriteEntityKeysCoversEveryItem(t *testing.T) {
	skipUnderRace(t)
	dir := shareddata.Dir(t)
	var a, b bytes.Buffer
	if err := WriteEntityKeys(&a, dir); err != nil {
		t.Fatal(err)
	}
	if err := WriteEntityKeys(&b, dir); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() {
		t.Error("two runs differ")
	}
	n := map[string]int{}
	for _, line := range strings.Split(strings.TrimSuffix(a.String(), "\n"), "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 3 || f[1] == "" {
			t.Fatalf("want source, ID and entities, got %q", line)
		}
		n[f[0]]++
	}
	if n["wikiref220"] != 220 || n["uci-news"] != 3285 {
		t.Errorf("lines by source %v, want 220 wikiref220 and 3285 uci-news", n)
	}
	if !strings.Contains(a.String(), "wikiref220\tParisAttacks2015 (7).txt\t") || !strings.Contains(a.String(), "organization organization:islamic_state Islamic State") {
		t.Error("ParisAttacks2015 (7) or its Islamic State missing")
	}
}
