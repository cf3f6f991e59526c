package kafkatable

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/wirestream/wirestream/internal/testkit/netproxy"
	wkafka "github.com/wirestream/wirestream/sinks/kafka"
)

// A table opened at a start or a takeover through a bootstrap broker that answers every
// request 1.5 s late cannot learn the cluster: its transport's 1 s metadata TTL is also
// kafka-go's deadline for each discovery (a short TTL finds a moved leader within a
// second; see BENCHMARKS round 14). It retries until the caller's context ends, and then
// says what kept failing and where, not only "context deadline exceeded". A first answer
// that alone is late costs a retry.
func TestOpenThroughASlowBrokerSaysWhatKeptFailing(t *testing.T) {
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(1, "feeds"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	open := func(o netproxy.Options) error {
		addr := netproxy.Start(t, c.ListenAddrs()[0], o)
		cn, err := wkafka.NewConn(wkafka.Config{Brokers: []string{addr}})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(t.Context(), 6*time.Second)
		defer cancel()
		tb, err := Open(ctx, cn, "feeds", Options{}, nil, nil)
		if err == nil {
			tb.Close()
			return nil
		}
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Open = %v, want the caller's deadline", err)
		}
		for _, want := range []string{"table feeds: metadata", "last error: ", "; the brokers " + addr + ")"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("Open = %v\nwant it to say %q", err, want)
			}
		}
		// The addresses may come from --brokers or WIRESTREAM_KAFKA_BROKERS:
		// the command names which, not this error.
		if strings.Contains(err.Error(), "kafka.brokers") {
			t.Errorf("Open = %v\nnames kafka.brokers, which may not be what set the addresses", err)
		}
		return err
	}
	if err := open(netproxy.Options{FirstDelay: 1500 * time.Millisecond}); err != nil {
		t.Errorf("Open with a slow first answer = %v, want a retry to pass", err)
	}
	if err := open(netproxy.Options{Delay: 1500 * time.Millisecond}); err == nil {
		t.Log("Open through a broker slow on every answer passed: kafka-go no longer bounds discovery by the TTL?")
	}
}
