// Package devbroker runs an in-process, in-memory Kafka-protocol broker
// (franz-go's kfake) — the "embedded" broker of the configuration — so
// `wirestream run` works with no Kafka configured and any Kafka client
// (kcat, kafka-go, the Java tools) can consume from it. It is where
// records can go during development, not a sink: the Kafka sink writes to
// it as to any broker.
//
// It promises a real Kafka wire protocol on a fixed address, topic
// creation (explicit and automatic), and nothing more: records live in
// memory and vanish when the process exits. It is for development and
// demos, never production, and says so in its log.
package devbroker

import (
	"context"
	"fmt"
	"log/slog"
	"net"

	"github.com/twmb/franz-go/pkg/kfake"
)

// DefaultAddr is where the embedded broker listens unless told otherwise:
// Kafka's usual port on loopback, so `kcat -b 127.0.0.1:9092` just works.
const DefaultAddr = "127.0.0.1:9092"

// Broker is a running embedded broker.
type Broker struct {
	c     *kfake.Cluster
	addrs []string
	log   *slog.Logger
}

// Start listens on addr (host:port; "" means DefaultAddr) and serves a
// one-node cluster with automatic topic creation. It fails if the address
// is taken, rather than silently moving to another port that clients
// would not find. ctx bounds start-up only; call Close to stop.
func Start(ctx context.Context, addr string, log *slog.Logger) (*Broker, error) {
	if addr == "" {
		addr = DefaultAddr
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return nil, fmt.Errorf("embedded kafka: listen address %q: %w", addr, err)
	}
	// kfake listens on 127.0.0.1:<port>; ListenFn lets the configured host
	// (e.g. 0.0.0.0 inside a container) win. It advertises what it bound.
	c, err := kfake.NewCluster(
		kfake.NumBrokers(1),
		kfake.ListenFn(func(network, _ string) (net.Listener, error) { return net.Listen(network, addr) }),
		kfake.AllowAutoTopicCreation(),
		kfake.DefaultNumPartitions(1),
		kfake.ClusterID("wirestream-embedded"),
	)
	if err != nil {
		return nil, fmt.Errorf("embedded kafka: listen on %s: %w", addr, err)
	}
	b := &Broker{c: c, addrs: c.ListenAddrs(), log: log}
	log.Warn("embedded Kafka broker started: IN MEMORY, FOR DEVELOPMENT ONLY — every record is lost when wirestream exits; set kafka.brokers to publish to a real cluster",
		"addr", b.addrs[0])
	return b, nil
}

// Addrs are the host:port addresses clients should bootstrap from.
func (b *Broker) Addrs() []string { return append([]string(nil), b.addrs...) }

// Cluster exposes the kfake cluster for tests that inject faults.
func (b *Broker) Cluster() *kfake.Cluster { return b.c }

// Close stops the broker and drops its records.
func (b *Broker) Close() {
	b.c.Close()
	b.log.Info("embedded Kafka broker stopped", "addr", b.addrs[0])
}
