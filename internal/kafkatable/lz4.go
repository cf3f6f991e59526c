package kafkatable

import (
	"io"
	"sync"

	"github.com/pierrec/lz4/v4"
	"github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/compress"
	klz4 "github.com/segmentio/kafka-go/compress/lz4"
)

// lz4 frames written with small blocks. A reader allocates (or takes from a
// pool) a buffer of the frame's block size for every batch it decompresses;
// kafka-go's lz4 codec writes frames with lz4's default 4 MiB blocks, so a
// changelog of many small appends cost its restore 4 MiB per batch: a
// 15k-entry changelog of 3,000 appends took 14–37 s to restore under the race
// detector (which drops pooled buffers and checks every byte cleared), and
// each garbage collection empties the pool in a normal build too. A batch is
// at most BatchBytes (1 MB), so 64 KiB blocks cost a few more block headers
// on large batches and the reader a 64 KiB buffer.
type smallBlockLZ4 struct {
	klz4.Codec // Code, Name and NewReader: a reader takes any block size
}

var lz4Writers sync.Pool

func (c *smallBlockLZ4) NewWriter(w io.Writer) io.WriteCloser {
	z, _ := lz4Writers.Get().(*lz4.Writer)
	if z == nil {
		z = lz4.NewWriter(w)
		_ = z.Apply(lz4.BlockSizeOption(lz4.Block64Kb)) // a valid option on a new writer
	} else {
		z.Reset(w) // keeps the block size
	}
	return &lz4Writer{Writer: z}
}

type lz4Writer struct{ *lz4.Writer }

func (w *lz4Writer) Close() error {
	z := w.Writer
	if z == nil {
		return nil
	}
	w.Writer = nil
	err := z.Close()
	z.Reset(nil)
	lz4Writers.Put(z)
	return err
}

// kafka-go picks a codec from its process-wide table; it is replaced in
// init, before any writer of the process reads it. Every lz4 writer of the
// process (the sink's too, when kafka.compression is lz4) writes small
// blocks; a consumer reads them as any lz4 frame.
func init() { compress.Codecs[kafka.Lz4] = &smallBlockLZ4{} }
