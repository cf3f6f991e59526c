package eventeval

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/wirestream/wirestream/internal/config"
)

// TestStudyScoresBothHalvesAndListsOnlyTheTuningHalf: the study's two
// halves hold every document once, each half's small-fragment documents
// fall in exactly one category, and the listing holds the tuning half's
// fragments only — the held-out half is never read.
func TestStudyScoresBothHalvesAndListsOnlyTheTuningHalf(t *testing.T) {
	if testing.Short() {
		t.Skip("replays uci-dev through the pipeline four times")
	}
	var out bytes.Buffer
	hs, err := StudyHalves(context.Background(), dataDir(t), &out, []uint64{7}, config.Default(), true)
	if err != nil {
		t.Fatal(err)
	}
	uci, err := loadUCI(dataDir(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(hs) != 3 || hs[0].Half != "tuning" || hs[1].Half != "held-out" || hs[0].Docs+hs[1].Docs != len(uci) || hs[0].Docs == 0 || hs[1].Docs == 0 {
		t.Fatalf("halves %+v, want a tuning and a held-out half of all %d documents, and the held-out half in time order", hs, len(uci))
	}
	if hs[2].Half != heldByTime || hs[2].Docs != hs[1].Docs || hs[2].Emitted.BCubed.F1 == 0 {
		t.Errorf("third run %s of %d documents (F1 %.3f), want the held-out half's %d in time order", hs[2].Half, hs[2].Docs, hs[2].Emitted.BCubed.F1, hs[1].Docs)
	}
	for _, h := range hs[:2] {
		n := 0
		for _, k := range h.FragmentsByReason {
			n += k
		}
		if n != h.FragmentDocs || n == 0 {
			t.Errorf("%s half: %d fragment documents, %d by category", h.Half, h.FragmentDocs, n)
		}
	}
	_, list, ok := strings.Cut(out.String(), "the tuning half's small-fragment documents")
	if !ok {
		t.Fatalf("no listing in:\n%s", out.String())
	}
	if got := strings.Count(list, "\n  "); got != hs[0].FragmentDocs {
		t.Errorf("the listing has %d documents, want the tuning half's %d", got, hs[0].FragmentDocs)
	}
}
