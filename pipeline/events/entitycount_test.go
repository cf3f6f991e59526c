package events

import (
	"testing"
	"unsafe"
)

// An event keeps up to maxTrackedEntities entities, and round 38's 10k +
// 1M peak profile had 11 MB in their lists (addEntity): a record.EntityCount
// (three string headers and an int, 56 bytes) for each, its strings already
// in the event's slab. Kept as the key's length into one slab string and a
// 4-byte count, an entry is 24 bytes.
func TestAnEventHoldsAnEntityIn24Bytes(t *testing.T) {
	var e event
	if size := unsafe.Sizeof(e.entities[:1][0]); size > 24 {
		t.Errorf("an event's entity entry takes %d bytes, want at most 24", size)
	}
}
