package eventeval

import (
	"context"
	"maps"
	"math"
	"slices"
	"testing"

	"github.com/wirestream/wirestream/internal/config"
)

// The cells' losses add up to BCubed's, 1 − P and 1 − R, and each cell
// is of the kind its place says: a story's second event of its own, its
// documents in another story's event, or its main event another's.
func TestLossCellsAddUpToBCubed(t *testing.T) {
	labels := []string{"a", "a", "a", "a", "b", "b", "b", "c", "c", "a"}
	emitted := []string{"e1", "e1", "e2", "e1", "e2", "e2", "e2", "e2", "e3", "e4"}
	docs := make([]doc, len(labels))
	for i, l := range labels {
		docs[i].label = l
	}
	cells := lossCells(docs, emitted, make([]string, len(docs)))
	var p, r float64
	kinds := map[[2]string]string{}
	for _, c := range cells {
		p += c.LossP
		r += c.LossR
		kinds[[2]string{c.Label, c.Event}] = c.Kind
	}
	s := score(emitted, labels).BCubed
	if math.Abs(p-(1-s.P)) > 1e-12 || math.Abs(r-(1-s.R)) > 1e-12 {
		t.Errorf("cells lose P %.6f R %.6f, BCubed lost %.6f %.6f (cells %+v)", p, r, 1-s.P, 1-s.R, cells)
	}
	want := map[[2]string]string{
		{"a", "e2"}: cellAbsorbed,  // a's third document in b's event
		{"a", "e4"}: cellSibling,   // a's last alone
		{"c", "e2"}: cellSwallowed, // c's first in b's event: c's event by the tie's smaller id
		{"c", "e3"}: cellSibling,
	}
	if !maps.Equal(kinds, want) {
		t.Errorf("cells by kind %v, want %v", kinds, want)
	}
}

// End to end through the pipeline: three quake headlines make their
// story's event; two more labelled with them share no word with it and
// found an event of their own: one cell, a second event of the story,
// entered for want of a shared term, which costs recall alone.
func TestLossCellsThroughThePipeline(t *testing.T) {
	docs := quakeWithFootball()
	a, err := replay(context.Background(), docs, config.Default(), nil)
	if err != nil {
		t.Fatal(err)
	}
	entry, err := entries(context.Background(), docs, config.Default(), a.emitted)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"", "", "", whyNoTerm, whyNoTerm}; !slices.Equal(entry, want) {
		t.Errorf("entries %q, want %q", entry, want)
	}
	cells := lossCells(docs, a.emitted, entry)
	if len(cells) != 1 {
		t.Fatalf("cells %+v, want the football pair alone", cells)
	}
	c := cells[0]
	// Recall: the pair misses 3 of 5 each, the three miss 2 of 5 each:
	// (2·3 + 3·2)/5 of 5 documents.
	if c.Kind != cellSibling || c.Entry != whyNoTerm || c.Docs != 2 || c.LossP != 0 || math.Abs(c.LossR-12.0/25) > 1e-12 || c.Title != docs[3].item.Title {
		t.Errorf("cell %+v, want the football pair, a second event of its story for want of a shared term, recall 0.48", c)
	}
}
