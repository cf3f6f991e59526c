package enrich

import (
	"crypto/sha256"
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/wirestream/wirestream/internal/newstext"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
)

// streamRun is what one enricher wrote over a news stream, batch by batch:
// the digest of each batch's Changes (every entry, the surname map's
// too) and of its stories' enrichment, and the entries themselves, for a
// restore.
type streamRun struct {
	changes, output []string
	entries         [][]state.Entry
}

// determinismBatches is the stream's batches of 32 stories.
const determinismBatches = 40

// enrichStreamFrom has e enrich the news stream of seed from batch first
// on (the stories before it are made and dropped, so each batch is the
// same story whatever run makes it) and records what it wrote.
func enrichStreamFrom(e *Enricher, seed uint64, first int) streamRun {
	m := newstext.New(seed)
	r := rand.New(rand.NewPCG(seed, 12))
	const batch = 32
	var run streamRun
	ptrs := make([]*record.Story, batch)
	langs := make([]string, batch)
	for b := range determinismBatches {
		for j := range ptrs {
			ptrs[j] = newsStory(m, r, b*batch+j, 120)
		}
		if b < first {
			continue
		}
		e.EnrichAll(ptrs, langs)
		out := sha256.New()
		for _, s := range ptrs {
			fmt.Fprintln(out, enrichedLine(s))
		}
		got := e.Changes()
		ch := sha256.New()
		for _, en := range got {
			hashEntry(ch, en)
		}
		run.output = append(run.output, fmt.Sprintf("%x", out.Sum(nil)))
		run.changes = append(run.changes, fmt.Sprintf("%x", ch.Sum(nil)))
		run.entries = append(run.entries, got)
	}
	return run
}

func trackingEnricher(t *testing.T, cfg Config) *Enricher {
	t.Helper()
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.TrackChanges(true)
	return e
}

// What the enricher hands the state log, and what it writes on the
// stories, is a function of the stories alone: the same stream enriched
// twice, with the analysis on several goroutines, gives byte-identical
// Changes after every batch — the surname map's entries included, whose
// counters followed the order names were observed in (BENCHMARKS.md,
// round 33, e2e33) — and the same entities; and an enricher restored
// from the log at a batch boundary writes what the uninterrupted one
// wrote after it. A small surname map, so that it evicts and the
// counters decide what a later story resolves.
func TestTheStateLogAndOutputAreAFunctionOfTheStories(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(max(4, runtime.GOMAXPROCS(0))))
	cfg := DefaultConfig()
	cfg.AliasCapacity = 400
	const seed = 33
	first := enrichStreamFrom(trackingEnricher(t, cfg), seed, 0)
	for attempt := range 2 {
		again := enrichStreamFrom(trackingEnricher(t, cfg), seed, 0)
		sameRuns(t, fmt.Sprintf("run %d", attempt+2), first, again, 0)
	}

	const cut = determinismBatches / 2
	restored := trackingEnricher(t, cfg)
	for _, batch := range first.entries[:cut] {
		for _, en := range batch {
			if err := restored.Load(en); err != nil {
				t.Fatal(err)
			}
		}
	}
	if restored.entities.Aliases().Len() == 0 {
		t.Fatal("the log restored no surname")
	}
	sameRuns(t, "restored", first, enrichStreamFrom(restored, seed, cut), cut)
}

// sameRuns fails at the first batch from first on where b wrote other
// changes or output than a; b starts at batch first.
func sameRuns(t *testing.T, name string, a, b streamRun, first int) {
	t.Helper()
	for i := range b.changes {
		if b.changes[i] != a.changes[first+i] {
			t.Fatalf("%s: batch %d's Changes differ (%d entries, %d in the first run): %s",
				name, first+i, len(b.entries[i]), len(a.entries[first+i]), firstDiff(a.entries[first+i], b.entries[i]))
		}
		if b.output[i] != a.output[first+i] {
			t.Fatalf("%s: batch %d's enrichment differs", name, first+i)
		}
	}
}

func firstDiff(a, b []state.Entry) string {
	for i := range min(len(a), len(b)) {
		if string(a[i].Key) != string(b[i].Key) || string(a[i].Value) != string(b[i].Value) {
			return fmt.Sprintf("entry %d: %q=%x, then %q=%x", i, a[i].Key, a[i].Value, b[i].Key, b[i].Value)
		}
	}
	return "one is longer"
}
