package events

import (
	"encoding/binary"
	"math"
	"slices"
	"strings"
	"unsafe"

	"github.com/wirestream/wirestream/pipeline/record"
)

// entityCount is an event's count of one entity, kept in key order (as
// counts are). A record.EntityCount was 56 bytes an entity, three string
// headers into the event's slab and an int (round 38's peak profile had
// 11 MB of them at 10k feeds + 1M stories); the key, the kind and the name
// lie one after another in the slab anyway, so one string header, the
// key's length and a 4-byte count say the same in 24 (round 40).
//
// text is the key, then one byte naming the kind (its index in
// entityKinds, or otherKind followed by the kind's length as a uvarint and
// its bytes: a kind enrichment does not write, from a story given with
// its own entities or an old log), then the name.
type entityCount struct {
	text    string
	keyLen  uint32
	stories uint32 // saturates at math.MaxUint32 (an event would need 4e9 stories)
}

// entityKinds are the kinds record.Entity.Kind holds as written by
// enrichment (entities.Person, Organization, Place) and none, each named
// by its index in an entry's text.
var entityKinds = [...]string{"", "person", "organization", "place"}

const otherKind = 0xff

func kindCode(kind string) byte {
	for i, k := range entityKinds {
		if k == kind {
			return byte(i)
		}
	}
	return otherKind
}

// entityTextLen is the bytes an entity's text takes in the slab.
func entityTextLen(key, kind, name string) int {
	n := len(key) + 1 + len(name)
	if kindCode(kind) == otherKind {
		n += uvarintLen(uint64(len(kind))) + len(kind)
	}
	return n
}

func uvarintLen(x uint64) int {
	var b [binary.MaxVarintLen64]byte
	return binary.PutUvarint(b[:], x)
}

func (c *entityCount) key() string { return c.text[:c.keyLen] }

// kindName returns the entity's kind and name.
func (c *entityCount) kindName() (kind, name string) {
	rest := c.text[c.keyLen:]
	code := rest[0]
	rest = rest[1:]
	if code != otherKind {
		return entityKinds[code], rest
	}
	var n uint64
	var shift uint
	for i := 0; ; i++ { // the uvarint the slab was given: well formed
		b := rest[i]
		n |= uint64(b&0x7f) << shift
		if b < 0x80 {
			rest = rest[i+1:]
			break
		}
		shift += 7
	}
	return rest[:n], rest[n:]
}

// record is the entry as the published record spells it; its strings are
// the slab's, which is never written over.
func (c *entityCount) record() record.EntityCount {
	kind, name := c.kindName()
	return record.EntityCount{Key: c.key(), Name: name, Kind: kind, Stories: int(c.stories)}
}

func entityStories(c *entityCount) int { return int(c.stories) }

// addEntity adds stories to the count of key in es, kept in key order as
// counts are; a key not yet counted is taken (with its kind and name, the
// three copied into sl) while fewer than maxTrackedEntities are. A count
// saturates at math.MaxUint32.
func addEntity(es []entityCount, key, kind, name string, stories uint64, sl *slab) []entityCount {
	i, ok := slices.BinarySearchFunc(es, key, func(e entityCount, k string) int { return strings.Compare(e.key(), k) })
	if ok {
		es[i].stories = uint32(min(uint64(es[i].stories)+min(stories, math.MaxUint32), math.MaxUint32))
	} else if len(es) < maxTrackedEntities {
		es = slices.Insert(es, i, entityCount{text: sl.entity(key, kind, name), keyLen: uint32(len(key)), stories: uint32(min(stories, math.MaxUint32))})
	}
	return es
}

// entity returns key, kind and name as an entityCount's text in the slab.
func (sl *slab) entity(key, kind, name string) string {
	n := entityTextLen(key, kind, name)
	if cap(sl.b)-len(sl.b) < n {
		m := min(max(2*cap(sl.b), minSlab), maxSlab)
		sl.b = make([]byte, 0, max(m, n))
	}
	off := len(sl.b)
	sl.b = append(sl.b, key...)
	code := kindCode(kind)
	sl.b = append(sl.b, code)
	if code == otherKind {
		sl.b = binary.AppendUvarint(sl.b, uint64(len(kind)))
		sl.b = append(sl.b, kind...)
	}
	sl.b = append(sl.b, name...)
	return unsafe.String(&sl.b[off], n)
}
