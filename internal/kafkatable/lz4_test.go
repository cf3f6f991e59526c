package kafkatable

import (
	"bytes"
	"io"
	"testing"

	"github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/compress"
)

// The lz4 codec kafka-go compresses batches with writes frames whose block
// size is 64 KiB, which is what a restore allocates for every batch it
// reads, and kafka-go reads them back.
func TestLZ4BatchesAreWrittenWithSmallBlocks(t *testing.T) {
	codec := compress.Codecs[kafka.Lz4]
	payload := bytes.Repeat([]byte("a changelog entry of a few hundred bytes; "), 40)
	for range 2 { // the second writer comes from the pool
		var frame bytes.Buffer
		w := codec.NewWriter(&frame)
		if _, err := w.Write(payload); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		// An lz4 frame: magic (4 bytes), FLG, BD; BD's bits 4–6 are the
		// block maximum size: 4 is 64 KiB, 7 (lz4's default) 4 MiB.
		b := frame.Bytes()
		if len(b) < 6 {
			t.Fatalf("an lz4 frame of %d bytes", len(b))
		}
		if got := (b[5] >> 4) & 7; got != 4 {
			t.Fatalf("frame block size index %d, want 4 (64 KiB)", got)
		}
		r := codec.NewReader(&frame)
		got, err := io.ReadAll(r)
		r.Close()
		if err != nil || !bytes.Equal(got, payload) {
			t.Fatalf("read back %d bytes, %v; want the %d written", len(got), err, len(payload))
		}
	}
}
