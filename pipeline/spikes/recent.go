package spikes

import (
	"slices"

	"github.com/wirestream/wirestream/pipeline/record"
)

// keepRecent is how many alerts Recent can show.
const keepRecent = 50

// remember keeps copies of the last keepRecent alerts. Called under mu.
func (d *Detector) remember(alerts []*record.Alert) {
	for _, a := range alerts {
		d.recent = append(d.recent, copyAlert(a))
	}
	if over := len(d.recent) - keepRecent; over > 0 {
		d.recent = slices.Delete(d.recent, 0, over)
	}
}

// Recent returns up to n of the last alerts the detector gave out, newest
// first: a read-only view for the status page. n <= 0 returns all it
// keeps (50).
func (d *Detector) Recent(n int) []record.Alert {
	d.mu.Lock()
	defer d.mu.Unlock()
	if n <= 0 || n > len(d.recent) {
		n = len(d.recent)
	}
	out := make([]record.Alert, 0, n)
	for i := len(d.recent) - 1; i >= 0 && len(out) < n; i-- {
		out = append(out, copyAlert(&d.recent[i]))
	}
	return out
}

// copyAlert shares nothing with a: the detector's alerts go to the sink,
// its copies to readers.
func copyAlert(a *record.Alert) record.Alert {
	c := *a
	c.SampleStories, c.EventIDs = slices.Clone(a.SampleStories), slices.Clone(a.EventIDs)
	return c
}
