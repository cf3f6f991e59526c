package events

import (
	"slices"
	"strings"
)

// counts are an event's keyword or topic counts in key order. The state
// log writes them in that order each time the event changes: kept sorted
// as keys arrive, they are not sorted again for every write (sorting up
// to 256 keywords was most of the events' state encoding below
// capacity, where each write changes an event again), and a count takes
// fewer bytes than in a map.
type counts []keyCount

type keyCount struct {
	key string
	n   int
}

func (c counts) find(k string) (int, bool) {
	return slices.BinarySearchFunc(c, k, func(e keyCount, k string) int { return strings.Compare(e.key, k) })
}

// add adds n to k's count; a key not yet counted is taken while fewer
// than limit are (a copy of it in sl, unless sl is nil).
func (c *counts) add(k string, n, limit int, sl *slab) {
	if i, ok := c.find(k); ok {
		(*c)[i].n += n
	} else if len(*c) < limit {
		if sl != nil {
			k = sl.str(k)
		}
		*c = slices.Insert(*c, i, keyCount{k, n})
	}
}
