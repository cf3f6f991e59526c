package spikes

import (
	"testing"
	"unsafe"
)

// A count of two stories or more keeps a countLists: at the 10k-feed
// cold start's bucket some 57k of them (7.3 MB at round 40's peak). It
// must fit the 80-byte size class (it was 128: a pubSet of two slices
// and three string slices).
func TestACountsListsFitEightyBytes(t *testing.T) {
	if n := unsafe.Sizeof(countLists{}); n > 80 {
		t.Errorf("countLists is %d bytes, want at most 80", n)
	}
}
