package feed

import (
	"testing"
	"unsafe"
)

// Every feed holds its loop for the poller's life; the allocator rounds a
// loop up to its size class, and the classes step from 1,024 to 1,152
// bytes. A loop of 1,048 bytes (round 39) took 1,152: 128 bytes of every
// feed (1.3 MB at 10,000 feeds) for 24 bytes over the line.
func TestALoopFitsThe1024ByteSizeClass(t *testing.T) {
	if n := unsafe.Sizeof(loop{}); n > 1024 {
		t.Errorf("a loop is %d bytes: the allocator holds 1,152 for it; at most 1,024 holds 1,024", n)
	}
}
