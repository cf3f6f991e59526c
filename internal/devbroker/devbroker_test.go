package devbroker_test

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"go.uber.org/goleak"

	"github.com/wirestream/wirestream/internal/devbroker"
	"github.com/wirestream/wirestream/internal/tail"
	"github.com/wirestream/wirestream/internal/testkit/devkafka"
	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	"github.com/wirestream/wirestream/pipeline/record"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func start(t *testing.T, log *slog.Logger) *devbroker.Broker {
	t.Helper()
	b, err := devbroker.Start(t.Context(), "127.0.0.1:0", log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	return b
}

func TestStartSaysLoudlyThatItIsInMemory(t *testing.T) {
	var logs bytes.Buffer
	b := start(t, slog.New(slog.NewTextHandler(&logs, nil)))
	addr := b.Addrs()[0]
	if !strings.HasPrefix(addr, "127.0.0.1:") || strings.HasSuffix(addr, ":0") {
		t.Errorf("Addrs() = %v", b.Addrs())
	}
	if !strings.Contains(logs.String(), "level=WARN") || !strings.Contains(logs.String(), "IN MEMORY, FOR DEVELOPMENT ONLY") ||
		!strings.Contains(logs.String(), "addr="+addr) {
		t.Errorf("log does not warn plainly:\n%s", logs.String())
	}
}

func TestStartRefusesATakenAddress(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if b, err := devbroker.Start(t.Context(), ln.Addr().String(), nil); err == nil {
		b.Close()
		t.Fatalf("Start on a taken address %s succeeded", ln.Addr())
	} else if !strings.Contains(err.Error(), "embedded kafka: listen on "+ln.Addr().String()) {
		t.Errorf("error %q does not name the address", err)
	}
}

func TestKafkaGoWritesAndReadsThroughIt(t *testing.T) {
	b := start(t, nil)
	tr := &kafka.Transport{}
	defer tr.CloseIdleConnections()
	w := &kafka.Writer{Addr: kafka.TCP(b.Addrs()...), Topic: "auto.created", Transport: tr,
		RequiredAcks: kafka.RequireAll, AllowAutoTopicCreation: true, BatchTimeout: time.Millisecond, Compression: kafka.Zstd}
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	msgs := []kafka.Message{{Key: []byte("a"), Value: []byte(`{"n":1}`)}, {Key: []byte("b"), Value: []byte(`{"n":2}`)}}
	kafkatest.Write(t, ctx, w, msgs...) // the auto-created topic's leader is being elected
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	got := kafkatest.ReadAll(t, b.Addrs(), "auto.created", 2, 10*time.Second)
	if len(got) != 2 || string(got[0].Value) != `{"n":1}` {
		t.Fatalf("read %d messages: %v", len(got), got)
	}
}

func TestTheKafkaSinkProvisionsAndPublishesToIt(t *testing.T) {
	b := start(t, nil)
	cfg := devkafka.Publish(t, b.Addrs(), &record.Story{Type: record.TypeStory, ID: "st_1", Version: 1, SchemaVersion: record.SchemaVersion,
		Title: "Embedded broker carries a story", Publisher: "Example News", Published: time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC)})
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	var out bytes.Buffer
	if err := tail.Tail(ctx, cfg, "stories", tail.Options{FromBeginning: true, ExitAtEnd: true}, &out); err != nil {
		t.Fatal(err)
	}
	if want := "published 2026-03-14T09:00:00Z  Example News  Embedded broker carries a story  st_1\n"; out.String() != want {
		t.Errorf("tail printed %q, want %q", out.String(), want)
	}
}

// The acceptance check: kcat, a non-Go client, reads what the
// sink published to the embedded broker.
func TestKcatReadsFromTheEmbeddedBroker(t *testing.T) {
	kcat, err := exec.LookPath("kcat")
	if err != nil {
		t.Skip("kcat not installed (Debian package kcat; scripts/kafka.sh install adds it)")
	}
	b := start(t, nil)
	cfg := devkafka.Publish(t, b.Addrs(), &record.Story{Type: record.TypeStory, ID: "st_kcat", Version: 1, SchemaVersion: record.SchemaVersion, Title: "Read by kcat"})
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, kcat, "-b", b.Addrs()[0], "-t", cfg.TopicName(record.TypeStory), "-C", "-e", "-q",
		"-f", "%k %h %s\n").CombinedOutput()
	if err != nil {
		t.Fatalf("kcat: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), `st_kcat content-type=application/json,schema-version=1,record-type=story,record-id=st_kcat@v1`) ||
		!strings.Contains(string(out), `"title":"Read by kcat"`) {
		t.Errorf("kcat printed:\n%s", out)
	}
}
