package keywords

import (
	"math"
	"sync"
)

// corpus holds document frequencies over a rolling window: each new
// document multiplies every count by decay = 1 - 1/window, so a term's
// frequency is an exponentially weighted count whose effective memory is
// window documents, and the total weight of all documents tends to window.
// Decay is applied lazily through one shared scale factor, so adding a
// document costs only its own terms.
//
// Terms whose weight falls below pruneBelow are dropped every window/4
// documents, and the table never exceeds maxTerms: memory stays bounded
// however long the service runs.
type corpus struct {
	mu         sync.RWMutex
	window     float64
	decay      float64
	scale      float64 // stored count × scale = effective count
	docs       float64 // effective number of documents
	df         map[string]float64
	maxTerms   int
	sincePrune int

	// What changed since the state log was last told (state.go), kept only
	// while tracking.
	track   bool
	dirty   map[string]struct{}
	rescale bool // every stored count changed
}

const pruneBelow = 0.5

func newCorpus(window, maxTerms int) *corpus {
	return &corpus{
		window:   float64(window),
		decay:    1 - 1/float64(window),
		scale:    1,
		df:       make(map[string]float64, 1024),
		maxTerms: maxTerms,
	}
}

// idf returns log((N+1)/(df+0.5)) + 1 for each term, under one read lock.
func (c *corpus) idf(terms []string, out []float64) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	n := c.docs
	for i, t := range terms {
		out[i] = math.Log((n+1)/(c.df[t]*c.scale+0.5)) + 1
	}
}

// add records one document's distinct terms.
func (c *corpus) add(terms []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.scale *= c.decay
	c.docs = c.docs*c.decay + 1
	inc := 1 / c.scale
	for _, t := range terms {
		c.df[t] += inc
		if c.track {
			c.dirty[t] = struct{}{}
		}
	}
	if c.scale < 1e-150 { // renormalise before the stored counts overflow
		for t, v := range c.df {
			c.df[t] = v * c.scale
		}
		c.scale = 1
		c.rescale = c.track
	}
	c.sincePrune++
	if c.sincePrune >= max(1, int(c.window)/4) || len(c.df) > c.maxTerms {
		c.prune()
	}
}

func (c *corpus) prune() {
	c.sincePrune = 0
	floor := pruneBelow
	for {
		for t, v := range c.df {
			if v*c.scale < floor {
				delete(c.df, t)
				if c.track {
					c.dirty[t] = struct{}{} // gone: a tombstone
				}
			}
		}
		if len(c.df) <= c.maxTerms*9/10 {
			return
		}
		floor *= 2 // still too many: raise the bar until a tenth is free
	}
}

func (c *corpus) size() (terms int, docs float64) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.df), c.docs
}
