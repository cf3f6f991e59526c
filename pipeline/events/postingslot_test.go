package events

import (
	"testing"
	"unsafe"
)

// A term's place in the inverted index is 16 bytes, a list of one entry
// held in it (round 41: evmem41); a slice header was 24 bytes, and its
// one entry an array of 16 more.
func TestATermsPlaceInTheIndexTakes16Bytes(t *testing.T) {
	var c Clusterer
	if size := unsafe.Sizeof(c.postings[:1][0]); size > 16 {
		t.Errorf("a term's place in the inverted index takes %d bytes, want at most 16", size)
	}
}
