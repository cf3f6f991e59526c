package dedupe

import (
	"math/rand/v2"
	"testing"
)

// equalBytes counts eight bytes at a time with a carry-free zero-byte test;
// it must agree with counting one byte at a time for every byte pair,
// including the ones where a carry would leak into the next byte (0x00
// against 0x80, 0x7f against 0xff).
func TestEqualBytesCountsLikeAByteLoop(t *testing.T) {
	edges := []uint8{0x00, 0x01, 0x7f, 0x80, 0x81, 0xfe, 0xff}
	r := rand.New(rand.NewPCG(3, 9))
	for n := 0; n <= 80; n++ {
		for trial := 0; trial < 200; trial++ {
			a, b := make([]uint8, n), make([]uint8, n)
			for i := range a {
				a[i] = edges[r.IntN(len(edges))]
				switch r.IntN(3) {
				case 0:
					b[i] = a[i]
				case 1:
					b[i] = edges[r.IntN(len(edges))]
				default:
					b[i] = uint8(r.Uint32())
				}
			}
			want := 0
			for i := range a {
				if a[i] == b[i] {
					want++
				}
			}
			if got := equalBytes(a, b); got != want {
				t.Fatalf("equalBytes(%x, %x) = %d, want %d", a, b, got, want)
			}
		}
	}
}
