package feed

import (
	"testing"
	"unsafe"
)

// Every feed holds its loop for the poller's life; the allocator rounds a
// loop up to its size class, and the classes step from 1,024 to 1,152
// bytes. A loop of 1,048 bytes (round 39) took 1,152: 128 bytes of every
// feed (1.3 MB at 10,000 feeds) for 24 bytes over the line. An object
// of more than 512 bytes with pointers carries an 8-byte header: 1,016
// bytes is the most that fits.
func TestALoopFitsThe1024ByteSizeClass(t *testing.T) {
	if n := unsafe.Sizeof(loop{}); n > 1016 {
		t.Errorf("a loop is %d bytes: with its header the allocator holds 1,152 for it; at most 1,016 fits in 1,024", n)
	}
}
