package kafka

import (
	"bytes"
	"fmt"
	"io"
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
		ours, theirs := newZstdCodec(level), &kzstd.Codec{Level: level}
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
	c := newZstdCodec(DefaultZstdLevel)
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
