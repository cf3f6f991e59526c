package spikes

import (
	"testing"
	"unsafe"
)

// A bucket's counts hold their keys' and names' bytes in one text array
// (countTable), and close hands out each key as a string over it: the
// baseline a close makes must copy its key and name out, else one term's
// baseline keeps a closed bucket's whole text alive for as long as the
// term is tracked. TestTermsKeepNoSliceOfTheStorysText checks the open
// bucket's text only, which a baseline made at an earlier close never
// lies in.
func TestABaselineKeepsNoSliceOfTheClosedBucketsText(t *testing.T) {
	f := newFeed(DefaultConfig())
	f.observe("Reuters", "port strike", "person:keir_starmer")
	f.observe("AP", "harbour", "person:keir_starmer")
	var texts []string
	for _, ob := range f.d.open {
		texts = append(texts, unsafe.String(unsafe.SliceData(ob.counts.text), cap(ob.counts.text)))
	}
	f.tick()
	if f.d.terms.len() != 3 {
		t.Fatalf("%d baselines after the close, want 3", f.d.terms.len())
	}
	for k, ts := range baselineMap(&f.d.terms) {
		for _, text := range texts {
			if inside(k, text) || inside(ts.key, text) || inside(ts.name, text) {
				t.Errorf("the baseline of %q (named %q) keeps a slice of the closed bucket's text", k, ts.name)
			}
		}
	}
}
