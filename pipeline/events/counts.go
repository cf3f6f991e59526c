package events

import (
	"slices"
	"strings"

	"github.com/wirestream/wirestream/pipeline/record"
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

// addEntity adds stories to the count of en's key in es, kept in key
// order as counts are; a key not yet counted is taken (with en's name and
// kind; the key and name copied into sl, unless sl is nil) while fewer
// than maxTrackedEntities are.
func addEntity(es []record.EntityCount, en record.EntityCount, sl *slab) []record.EntityCount {
	i, ok := slices.BinarySearchFunc(es, en.Key, func(e record.EntityCount, k string) int { return strings.Compare(e.Key, k) })
	if ok {
		es[i].Stories += en.Stories
	} else if len(es) < maxTrackedEntities {
		if sl != nil {
			en.Key, en.Name = sl.str(en.Key), sl.str(en.Name)
		}
		es = slices.Insert(es, i, en)
	}
	return es
}
