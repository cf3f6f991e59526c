// Package shapes is a filter in front of a string-keyed map that enrichment
// asks of every word of a story: a set of word shapes (first two bytes,
// last byte, length) of the map's keys. A word whose shape the set lacks
// is not a key, told without hashing the word into the map; a word whose
// shape it holds may be one, and the map answers. On news text most
// content words are answered by the set alone.
package shapes

// Set holds the shapes of the words added, 65,536 bits (8 KB). The zero
// Set holds none: a filter must have every key of its map added.
type Set [1 << 16 / 64]uint64

// bit numbers w's first two bytes, last byte and length, mixed into 16
// bits (a multiplicative hash); w is not "".
func bit(w string) uint32 {
	k := uint32(w[0]) | uint32(w[min(1, len(w)-1)])<<8 | uint32(w[len(w)-1])<<16 | uint32(min(len(w), 255))<<24
	return (k * 0x9E3779B1) >> 16
}

// Add adds w's shape.
func (s *Set) Add(w string) {
	if w == "" {
		return // MayHold is always true of ""
	}
	b := bit(w)
	s[b/64] |= 1 << (b % 64)
}

// MayHold is false when no word added has w's shape: w was not added. It
// is true for every word added and for some that were not.
func (s *Set) MayHold(w string) bool {
	if w == "" {
		return true
	}
	b := bit(w)
	return s[b/64]&(1<<(b%64)) != 0
}
