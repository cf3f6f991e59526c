package kafka

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"sync"
	"testing"

	kzstd "github.com/segmentio/kafka-go/compress/zstd"
)

// compressWith runs one batch through a codec's writer the way kafka-go
// does (Write or ReadFrom, then Close).
func compressWith(t *testing.T, newWriter func(io.Writer) io.WriteCloser, batch []byte, readFrom bool) []byte {
	t.Helper()
	var out bytes.Buffer
	w := newWriter(&out)
	var err error
	if readFrom {
		_, err = w.(io.ReaderFrom).ReadFrom(bytes.NewReader(batch))
	} else {
		_, err = w.Write(batch)
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// The kept encoders compress every batch to the bytes kafka-go's codec
// gives at the same level, however often they are reused and whatever the
// batch before left in them, and the result reads back through the codec.
func TestZstdCodecKeepsEncodersAndCompressesAsKafkaGoDoes(t *testing.T) {
	for _, level := range []int{DefaultZstdLevel, 3} {
		ours, theirs := newZstdCodec(level, 1<<20), &kzstd.Codec{Level: level}
		for i := 0; i < 40; i++ {
			var batch []byte
			for j := 0; j <= i*7; j++ {
				batch = fmt.Appendf(batch, `{"story":%d,"headline":"batch %d line %d","body":"%s"}`, j, i, j, bytes.Repeat([]byte{'a' + byte(j%26)}, j%300))
			}
			readFrom := i%2 == 1
			got := compressWith(t, ours.NewWriter, batch, readFrom)
			want := compressWith(t, theirs.NewWriter, batch, readFrom)
			if !bytes.Equal(got, want) {
				t.Fatalf("level %d batch %d: %d bytes compressed, kafka-go's codec gives %d different ones", level, i, len(got), len(want))
			}
			r := ours.NewReader(bytes.NewReader(got))
			back, err := io.ReadAll(r)
			r.Close()
			if err != nil || !bytes.Equal(back, batch) {
				t.Fatalf("level %d batch %d reads back as %d bytes (%v), want the %d written", level, i, len(back), err, len(batch))
			}
		}
		if len(ours.free) == 0 {
			t.Errorf("level %d: no encoder kept after 40 batches", level)
		}
	}
}

// Writers used at once (more than the free list keeps) each get their own
// encoder: every batch reads back whole.
func TestZstdCodecConcurrentWritersEachGetAnEncoder(t *testing.T) {
	c := newZstdCodec(DefaultZstdLevel, 1<<20)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Go(func() {
			for i := 0; i < 20; i++ {
				batch := bytes.Repeat(fmt.Appendf(nil, "writer %d batch %d;", g, i), 50)
				var out bytes.Buffer
				w := c.NewWriter(&out)
				if _, err := w.Write(batch); err != nil {
					t.Error(err)
					return
				}
				if err := w.Close(); err != nil {
					t.Error(err)
					return
				}
				r := c.NewReader(&out)
				back, err := io.ReadAll(r)
				r.Close()
				if err != nil || !bytes.Equal(back, batch) {
					t.Errorf("writer %d batch %d does not read back (%v)", g, i, err)
					return
				}
			}
		})
	}
	wg.Wait()
}

// An encoder's history holds what a match may reach back to: kafka-go
// compresses one partition batch per frame, at most kafka.batch_bytes (1
// MiB by default), so a window past it is never used. At the level's own
// window (4 MiB at level 1, 8 MiB from level 3) each encoder allocated a
// history of twice that — 8 or 16 MiB, 8.9 and 18.2 MiB in all — which a
// kept encoder holds for the life of the process; one sized to the batch
// takes 2 MiB (its tables come on top: 1 MiB more at level 3).
func TestZstdEncoderHistoryFitsTheBatchNotTheLevelsWindow(t *testing.T) {
	const batchBytes = 1 << 20
	batch := make([]byte, 0, batchBytes)
	for j := 0; len(batch) < batchBytes-200; j++ {
		batch = fmt.Appendf(batch, `{"story":%d,"headline":"line %d","body":"%s"}`, j, j, bytes.Repeat([]byte{'a' + byte(j%26)}, j%97))
	}
	for _, level := range []int{DefaultZstdLevel, 3} {
		c := newZstdCodec(level, batchBytes)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		got := compressWith(t, c.NewWriter, batch, false)
		runtime.ReadMemStats(&after)
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 5<<20 {
			t.Errorf("level %d: a new encoder allocated %.1f MiB to compress a %d-byte batch, want at most 5 MiB", level, float64(alloc)/(1<<20), len(batch))
		}
		// the same blocks as kafka-go's codec; the frame header may state the smaller window
		if want := compressWith(t, (&kzstd.Codec{Level: level}).NewWriter, batch, false); !sameButWindow(got, want) {
			t.Errorf("level %d: the batch compressed to %d bytes, kafka-go's codec gives %d different ones", level, len(got), len(want))
		}
		r := c.NewReader(bytes.NewReader(got))
		back, err := io.ReadAll(r)
		r.Close()
		if err != nil || !bytes.Equal(back, batch) {
			t.Fatalf("level %d: the batch reads back as %d bytes (%v), want the %d written", level, len(back), err, len(batch))
		}
	}
}

// sameButWindow reports whether two zstd frames are the same bytes but for
// the window descriptor (the byte after the magic number and the frame
// header descriptor; there is one when the frame is not a single segment).
func sameButWindow(a, b []byte) bool {
	const window = 5
	if len(a) != len(b) || len(a) <= window {
		return false
	}
	return bytes.Equal(a[:window], b[:window]) && bytes.Equal(a[window+1:], b[window+1:])
}

// The window holds a whole batch, and is never over the level's own.
func TestZstdWindowHoldsABatchUpToTheLevelsWindow(t *testing.T) {
	for _, c := range []struct {
		level      int
		batchBytes int64
		want       int
	}{
		{1, 1 << 20, 1 << 20},
		{1, 1<<20 + 1, 2 << 20},
		{1, 100, 1 << 10},
		{1, 64 << 20, 4 << 20},
		{3, 64 << 20, 8 << 20},
		{3, 3 << 20, 4 << 20},
		{1, 0, 4 << 20},
	} {
		if got := zstdWindow(c.level, c.batchBytes); got != c.want {
			t.Errorf("zstdWindow(%d, %d) = %d, want %d", c.level, c.batchBytes, got, c.want)
		}
	}
}
