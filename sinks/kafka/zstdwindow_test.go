package kafka

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os/exec"
	"strings"
	"testing"
	"time"

	kafka "github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/compress"
	kzstd "github.com/segmentio/kafka-go/compress/zstd"

	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
)

// windowBatch is n story-like JSON values of some 500 bytes: words drawn
// from a fixed vocabulary, and boilerplate that a batch holds far back
// (a site's repeated text), so a match may reach past a small window.
func windowBatch(n int) [][]byte {
	rng := rand.New(rand.NewPCG(1, 2))
	words := make([]string, 3000)
	for i := range words {
		words[i] = fmt.Sprintf("w%x", rng.Uint32()%0xfffff)
	}
	var vals [][]byte
	for i := range n {
		var text []byte
		for range 40 {
			text = append(text, words[rng.IntN(len(words))]...)
			text = append(text, ' ')
		}
		vals = append(vals, fmt.Appendf(nil, `{"story":"s%06d","site":"site-%d.example","headline":"Headline %d of the day about topic %d",`+
			`"text":"%s","body":"%s","lang":"en","score":%d}`, i, i%17, i, i%251, text, fmt.Sprintf("paragraph %d of boilerplate text that the site repeats in every story it publishes, %d", i%509, i%7), i%1000))
	}
	return vals
}

// Review (rev33e): a partition batch larger than the encoder's window —
// batch_bytes above what the codec was sized for (the codec is one per
// process: the first sink's batch_bytes sizes it), or record overhead on
// top of batch_bytes — compresses to frames that the Java broker accepts
// (it decompresses to validate) and kafka-go's reader reads back whole.
func TestRealBrokerReadsZstdBatchesLargerThanTheWindow(t *testing.T) {
	brokers := kafkatest.Brokers(t)
	for _, window := range []int64{64 << 10, 1 << 20} {
		t.Run(fmt.Sprintf("window_%dKiB", window>>10), func(t *testing.T) {
			was := compress.Codecs[kafka.Zstd]
			compress.Codecs[kafka.Zstd] = newZstdCodec(DefaultZstdLevel, window)
			defer func() { compress.Codecs[kafka.Zstd] = was }()
			// kafkatest.Topic waits on kafka.DefaultTransport's metadata
			t.Cleanup(kafka.DefaultTransport.(*kafka.Transport).CloseIdleConnections)
			topic := kafkatest.Topic(t, brokers, 1)
			vals := windowBatch(5000) // ≈ 2.5 MiB uncompressed, one batch
			var msgs []kafka.Message
			total := 0
			for i, v := range vals {
				msgs = append(msgs, kafka.Message{Key: fmt.Appendf(nil, "k%d", i), Value: v})
				total += len(v)
			}
			if int64(total) <= 2*window {
				t.Fatalf("batch of %d bytes does not exceed the %d-byte window", total, window)
			}
			tr := &kafka.Transport{}
			defer tr.CloseIdleConnections()
			w := &kafka.Writer{Addr: kafka.TCP(brokers...), Topic: topic, Compression: kafka.Zstd, Transport: tr,
				BatchSize: len(msgs), BatchBytes: 8 << 20, BatchTimeout: 50 * time.Millisecond, RequiredAcks: kafka.RequireAll}
			defer w.Close()
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			kafkatest.Write(t, ctx, w, msgs...)
			got := kafkatest.ReadAll(t, brokers, topic, len(msgs), time.Minute)
			if len(got) != len(msgs) {
				t.Fatalf("read %d records, want %d", len(got), len(msgs))
			}
			for i, m := range got {
				if string(m.Value) != string(vals[i]) {
					t.Fatalf("record %d reads back as %.80q, want %.80q", i, m.Value, vals[i])
				}
			}
			t.Logf("window %d KiB: %d records, %d bytes in one batch, read back whole", window>>10, len(msgs), total)
			readWithKcat(t, brokers, topic, vals)
		})
	}
}

// readWithKcat reads topic with librdkafka (kcat), where it is installed:
// every value back, in order.
func readWithKcat(t *testing.T, brokers []string, topic string, vals [][]byte) {
	kcat, err := exec.LookPath("kcat")
	if err != nil {
		t.Log("kcat not installed: librdkafka's reading not checked")
		return
	}
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, kcat, "-C", "-b", strings.Join(brokers, ","), "-t", topic, "-o", "beginning", "-e", "-q", "-f", "%s\n").Output()
	if err != nil {
		t.Fatalf("kcat: %v", err)
	}
	want := append(bytes.Join(vals, []byte("\n")), '\n')
	if !bytes.Equal(out, want) {
		t.Fatalf("kcat read %d bytes, want the %d written", len(out), len(want))
	}
	t.Logf("kcat (librdkafka) read the %d values back", len(vals))
}

// Review (rev33e): a window smaller than the batch (record overhead over
// batch_bytes, or a small batch_bytes that also shrinks the encoder's
// block) compresses within 1 % and 3 % of kafka-go's window; only a
// window far under the batch (16x) costs more (logged).
func TestZstdWindowSmallerThanTheBatchCompressionCost(t *testing.T) {
	var batch []byte
	for _, v := range windowBatch(2200) { // ≈ 1.3 MiB: batch_bytes 1 MiB plus record overhead, and more
		batch = append(batch, v...)
	}
	theirs := len(compressWith(t, (&kzstd.Codec{Level: DefaultZstdLevel}).NewWriter, batch, false))
	for _, bb := range []int64{64 << 10, 1 << 20, 2 << 20} {
		ours := len(compressWith(t, newZstdCodec(DefaultZstdLevel, bb).NewWriter, batch, false))
		t.Logf("batch %d B: window for batch_bytes %d → %d B compressed; kafka-go's window → %d B (%.3fx)", len(batch), bb, ours, theirs, float64(ours)/float64(theirs))
		if bb >= 1<<20 && float64(ours) > 1.01*float64(theirs) {
			t.Errorf("batch_bytes %d, a %d-byte batch: %d bytes compressed, kafka-go's codec %d", bb, len(batch), ours, theirs)
		}
	}
	// a small batch_bytes also shrinks the encoder's block to the window
	small := batch[:20_000]
	theirs = len(compressWith(t, (&kzstd.Codec{Level: DefaultZstdLevel}).NewWriter, small, false))
	ours := len(compressWith(t, newZstdCodec(DefaultZstdLevel, 16<<10).NewWriter, small, false))
	t.Logf("batch %d B: window for batch_bytes 16384 → %d B compressed; kafka-go's window → %d B (%.3fx)", len(small), ours, theirs, float64(ours)/float64(theirs))
	if float64(ours) > 1.03*float64(theirs) {
		t.Errorf("batch_bytes 16384, a %d-byte batch: %d bytes compressed, kafka-go's codec %d", len(small), ours, theirs)
	}
}
