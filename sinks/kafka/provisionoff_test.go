package kafka

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kfake"
)

// With kafka.provision off the single-process run refused to start
// without its record topics, but the scale-out roles still created the
// rest: the items topic (Sink.Provision) and the feed list, feed state
// and changelog tables (Provision, through kafkatable.Ensure), so a
// cluster without create rights failed there with an authorization error,
// and one with them got topics the operator had said to leave alone. Both
// now create nothing: a missing topic is a *MissingTopicsError, a table
// with another partition count an *IncompatibleTopicError; with
// provisioning on the same calls create the topics.
func TestProvisionOffCreatesNoTopicOfTheRoles(t *testing.T) {
	setTopicsWait(t, 300*time.Millisecond)
	cfg := testConfig(nil)
	cfg.Provision = false
	c := fakeCluster(t, kfake.SeedTopics(1, allTopics(cfg)...))
	cfg.Brokers = c.ListenAddrs()
	s := newSink(t, cfg, nil)
	ctx := t.Context()

	items := TopicSpec{Name: cfg.TopicPrefix + "items", Partitions: 2, ReplicationFactor: 1, CleanupPolicy: "delete"}
	table := TopicSpec{Name: cfg.TopicPrefix + "feeds", Partitions: 4, ReplicationFactor: 1, CleanupPolicy: "compact", ExactPartitions: true}
	cn, err := NewConn(cfg)
	if err != nil {
		t.Fatal(err)
	}
	cn = cn.CheckOnly() // as the roles' Conn (internal/daemon.Conn)
	var missing *MissingTopicsError
	if err := s.Provision(ctx, items); !errors.As(err, &missing) || !strings.Contains(err.Error(), "topic "+items.Name+" does not exist") {
		t.Errorf("Sink.Provision of the items topic with provisioning off = %v, want it missing", err)
	}
	if err := Provision(ctx, cn, []TopicSpec{table}, nil); !errors.As(err, &missing) || !strings.Contains(err.Error(), "topic "+table.Name+" does not exist") {
		t.Errorf("Provision of a table topic with provisioning off = %v, want it missing", err)
	}
	for _, name := range []string{items.Name, table.Name} {
		if ok, err := topicExists(ctx, s.cn, name); err != nil || ok {
			t.Errorf("topic %s exists (%v) after a start with provisioning off", name, err)
		}
	}

	// A table topic with another partition count is refused, not used.
	cl := &kafka.Client{Addr: kafka.TCP(cfg.Brokers...), Transport: &kafka.Transport{}}
	defer cl.Transport.(*kafka.Transport).CloseIdleConnections()
	if _, err := cl.CreateTopics(context.Background(), &kafka.CreateTopicsRequest{Topics: []kafka.TopicConfig{{
		Topic: table.Name, NumPartitions: 2, ReplicationFactor: 1}}}); err != nil {
		t.Fatal(err)
	}
	var incompatible *IncompatibleTopicError
	if err := Provision(ctx, cn, []TopicSpec{table}, nil); !errors.As(err, &incompatible) || incompatible.Setting != "partitions" {
		t.Errorf("Provision of a 2-partition table wanting 4, provisioning off = %v, want an IncompatibleTopicError", err)
	}

	// The control: provisioning on, the same call creates the topic.
	cfg.Provision = true
	on, err := NewConn(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := Provision(ctx, on, []TopicSpec{items}, nil); err != nil {
		t.Fatal(err)
	}
	if ok, err := topicExists(ctx, on, items.Name); err != nil || !ok {
		t.Errorf("items topic exists = %v, %v after Provision with provisioning on", ok, err)
	}
}
