package kafkastate

import (
	"bytes"
	"testing"
)

// FuzzDecodeCacheMeta reads the meta of a snapshot cache file as a
// damaged or foreign file would hold it (a restart reads it before it
// decides to use the cache): refused, or read into a meta whose own
// encoding reads back the same — never a panic.
func FuzzDecodeCacheMeta(f *testing.F) {
	f.Add(cacheMeta{topic: "wirestream.state", partition: 3, offset: 1 << 40, marker: []byte("m\x00k"), markerAt: -1}.encode())
	f.Add(cacheMeta{}.encode())
	f.Add([]byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01})
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := decodeCacheMeta(b)
		if err != nil {
			return
		}
		enc := c.encode()
		again, err := decodeCacheMeta(enc)
		if err != nil {
			t.Fatalf("the encoding of a read meta does not read: %v", err)
		}
		if again.topic != c.topic || again.partition != c.partition || again.offset != c.offset || !bytes.Equal(again.marker, c.marker) || again.markerAt != c.markerAt {
			t.Fatalf("meta %+v reads back as %+v", c, again)
		}
	})
}
