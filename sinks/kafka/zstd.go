package kafka

import (
	"io"
	"runtime"

	kzstd "github.com/segmentio/kafka-go/compress/zstd"

	"github.com/klauspost/compress/zstd"
)

// zstdCodec is kafka-go's zstd codec with its encoders kept. kafka-go pools
// them in a sync.Pool, which the collector empties, and an encoder made
// anew allocates and zeroes its history (16 MB at level 1) on the first
// block it compresses: in the load harness those histories were a tenth of
// all the bytes the process allocated (BENCHMARKS.md, "round 7"). Up to
// cap(free) idle encoders stay for the life of the process, the rest go
// to the collector. Encoders are made with kafka-go's options but a window
// that fits a batch (zstdWindow), so a batch compresses to the same
// matches, in a frame that states the smaller window; reading is kafka-go's.
type zstdCodec struct {
	*kzstd.Codec
	free   chan *zstd.Encoder
	window int
}

// maxIdleZstdEncoders bounds the encoders kept: each holds ~2 MB (zstdWindow),
// so one per core on a 64-core host would keep half a gigabyte after one
// busy spell, for writes that a few encoders serve as well.
const maxIdleZstdEncoders = 4

// newZstdCodec keeps as many idle encoders as the process has cores, at
// most maxIdleZstdEncoders: compressing is CPU-bound, so more at once than
// the cores gains nothing. Level 0 is not kafka-go's default (3) here but
// the fastest; installCompression never passes it.
func newZstdCodec(level int, batchBytes int64) *zstdCodec {
	idle := min(runtime.GOMAXPROCS(0), maxIdleZstdEncoders)
	return &zstdCodec{Codec: &kzstd.Codec{Level: level}, free: make(chan *zstd.Encoder, idle), window: zstdWindow(level, batchBytes)}
}

// zstdWindow is the window an encoder compresses a batch of batchBytes in:
// the smallest power of two that holds the batch (a frame is one
// partition batch, so no match reaches further back), at most the level's
// own window. An encoder allocates a history of twice its window when it
// compresses its first block and keeps it: at the level's window (4 MiB
// at level 1, 8 MiB from level 3) that was 8 or 16 MiB an encoder for a
// batch of 1 MiB (kafka.batch_bytes' default), 2 MiB at the batch's.
// An unknown batch size (0) keeps the level's window.
func zstdWindow(level int, batchBytes int64) int {
	most := 8 << 20
	if zstd.EncoderLevelFromZstd(level) == zstd.SpeedFastest {
		most = 4 << 20
	}
	if batchBytes <= 0 {
		return most
	}
	w := zstd.MinWindowSize
	for w < most && int64(w) < batchBytes {
		w *= 2
	}
	return w
}

// NewWriter compresses into w with a kept encoder, or a new one.
func (c *zstdCodec) NewWriter(w io.Writer) io.WriteCloser {
	select {
	case enc := <-c.free:
		enc.Reset(w)
		return &zstdWriter{c: c, enc: enc}
	default:
	}
	enc, err := zstd.NewWriter(w,
		zstd.WithEncoderLevel(zstd.EncoderLevelFromZstd(c.Level)),
		zstd.WithEncoderConcurrency(1),
		zstd.WithZeroFrames(true),
		zstd.WithWindowSize(c.window),
	)
	if err != nil {
		return &zstdWriter{c: c, err: err}
	}
	return &zstdWriter{c: c, enc: enc}
}

// zstdWriter is kafka-go's zstd writer, handing its encoder back to the
// codec's free list on Close.
type zstdWriter struct {
	c   *zstdCodec
	enc *zstd.Encoder
	err error
}

func (w *zstdWriter) Write(p []byte) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	if w.enc == nil {
		return 0, io.ErrClosedPipe
	}
	return w.enc.Write(p)
}

func (w *zstdWriter) ReadFrom(r io.Reader) (int64, error) {
	if w.err != nil {
		return 0, w.err
	}
	if w.enc == nil {
		return 0, io.ErrClosedPipe
	}
	return w.enc.ReadFrom(r)
}

// Close ends the frame and keeps the encoder (reusable after Close, as the
// zstd package documents) when the free list has room.
func (w *zstdWriter) Close() error {
	if w.enc == nil {
		return w.err
	}
	err := w.enc.Close()
	if err != nil {
		w.err = err
	}
	w.enc.Reset(io.Discard) // keep no reference to the caller's writer
	select {
	case w.c.free <- w.enc:
	default:
	}
	w.enc = nil
	return err
}
