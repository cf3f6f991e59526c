package daemon

import (
	"context"
	"log/slog"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/protocol/initproducerid"

	"github.com/wirestream/wirestream/internal/epochsink"
	wkafka "github.com/wirestream/wirestream/sinks/kafka"
)

// refusesInit answers every InitProducerID at once with code: a coordinator that answered.
type refusesInit struct{ code kafka.Error }

func (r refusesInit) RoundTrip(context.Context, net.Addr, kafka.Request) (kafka.Response, error) {
	return &initproducerid.Response{ErrorCode: int16(r.code)}, nil
}

// A late sink ask that the coordinator answers with a refusal (not the ACLs', not "loading") is
// no silence: its "still unfenced" warning said "InitProducerID was not answered within 5s",
// sending an operator to look for an offline __transaction_state, for any such error.
func TestALateSinkAskRefusedSaysItFailedNotThatItWentUnanswered(t *testing.T) {
	logs := new(strings.Builder)
	f := &sinkFence{mode: wkafka.SinkFenceAuto, verdict: canHost, log: slog.New(slog.NewTextHandler(logs, nil)),
		gauge: prometheus.NewGauge(prometheus.GaugeOpts{Name: "test_sink_epochs"})}
	f.fellBack, f.retryAt = true, time.Now().Add(-time.Second) // fallen back at run time, the ask again due
	var released atomic.Int64
	late := &lateFencedSink{fence: f, admission: admissionOf(make(chan struct{}), &released),
		rw:    wkafka.RawWriting{Addr: kafka.TCP("127.0.0.1:1"), Transport: refusesInit{kafka.InvalidTransactionTimeout}},
		txid:  epochsink.TransactionalID("test", "items", 0),
		state: soleAnswer{sole: true, known: true}, log: f.log}
	start := time.Now()
	late.askAgain(t.Context())
	out := logs.String()
	if late.writer() != nil || !strings.Contains(out, SinkStillUnfencedMsg) {
		t.Fatalf("a refused ask again: writer %v; want unfenced with %q:\n%s", late.writer(), SinkStillUnfencedMsg, out)
	}
	if time.Since(start) >= sinkFenceLateWait {
		t.Fatalf("the refusal took the whole wait (%v): the coordinator's answer was not what ended the ask", time.Since(start))
	}
	if strings.Contains(out, "not answered within") || !strings.Contains(out, "InitProducerID failed") {
		t.Errorf("the coordinator answered with a refusal, but the warning says:\n%s", out)
	}
}
