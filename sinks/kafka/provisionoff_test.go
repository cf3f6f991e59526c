package kafka

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kmsg"
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

// With kafka.provision off a table's topic was checked for its partition count only: one
// created with cleanup.policy=delete was used, and its keys went with retention. Now its
// policy is described and another than the table's is refused, as provisioning refuses it;
// a client that may not describe configs (a locked-down cluster's ACLs) gets a warning that
// names the topics not checked, and the start goes on.
func TestProvisionOffChecksATablesCleanupPolicyWhereItMay(t *testing.T) {
	setTopicsWait(t, 300*time.Millisecond)
	compacted := TopicSpec{Name: "wirestream.feeds", Partitions: 4, ReplicationFactor: 1, CleanupPolicy: "compact", ExactPartitions: true}
	deleting := TopicSpec{Name: "wirestream.feed_state", Partitions: 4, ReplicationFactor: 1, CleanupPolicy: "compact", ExactPartitions: true}
	seed := func(t *testing.T, c *kfake.Cluster) {
		t.Helper()
		if err := c.CreateTopic(compacted.Name, 4, map[string]string{"cleanup.policy": "compact"}); err != nil {
			t.Fatal(err)
		}
		if err := c.CreateTopic(deleting.Name, 4, map[string]string{"cleanup.policy": "delete"}); err != nil {
			t.Fatal(err)
		}
	}
	checkOnly := func(t *testing.T, cfg Config) Conn {
		t.Helper()
		cfg.Provision = false
		cn, err := NewConn(cfg)
		if err != nil {
			t.Fatal(err)
		}
		return cn.CheckOnly()
	}

	t.Run("allowed to describe", func(t *testing.T) {
		c := fakeCluster(t)
		seed(t, c)
		cn := checkOnly(t, testConfig(c.ListenAddrs()))
		if err := Provision(t.Context(), cn, []TopicSpec{compacted}, testLogger(t)); err != nil {
			t.Errorf("Provision of a compacted table topic, provisioning off = %v, want nil", err)
		}
		var incompatible *IncompatibleTopicError
		err := Provision(t.Context(), cn, []TopicSpec{compacted, deleting}, testLogger(t))
		if !errors.As(err, &incompatible) || incompatible.Topic != deleting.Name || incompatible.Setting != "cleanup.policy" ||
			!strings.Contains(err.Error(), "topic wirestream.feed_state exists with cleanup.policy=delete, config wants compact") {
			t.Errorf("Provision of a table topic with cleanup.policy=delete, provisioning off = %v, want an IncompatibleTopicError for it", err)
		}
	})

	// Round 30: an events topic made before the bound only compacts; with provisioning
	// off it is used too, with the warning that gives the command adding the bound.
	t.Run("an events topic that only compacts where compact,delete is wanted", func(t *testing.T) {
		c := fakeCluster(t)
		events := TopicSpec{Name: "wirestream.events", Partitions: 3, ReplicationFactor: 1, CleanupPolicy: "compact,delete", Retention: EventsRetention}
		if err := c.CreateTopic(events.Name, 3, map[string]string{"cleanup.policy": "compact"}); err != nil {
			t.Fatal(err)
		}
		var logs lockedBuffer
		err := Provision(t.Context(), checkOnly(t, testConfig(c.ListenAddrs())), []TopicSpec{events},
			slog.New(slog.NewTextHandler(&logs, nil)))
		if err != nil {
			t.Errorf("Provision of an events topic that only compacts, provisioning off = %v, want it used", err)
		}
		if want := "--add-config cleanup.policy=[compact,delete],retention.ms=2592000000"; !strings.Contains(logs.String(), want) {
			t.Errorf("no warning with %q; logged:\n%s", want, logs.String())
		}
	})

	t.Run("not allowed to describe", func(t *testing.T) {
		c := fakeCluster(t, kfake.EnableSASL(), kfake.EnableACLs(), kfake.Superuser("PLAIN", "admin", "admin"),
			kfake.User("PLAIN", "fetcher", "s3cret", kfake.ACL{Resource: kmsg.ACLResourceTypeTopic, Name: "*",
				Pattern: kmsg.ACLResourcePatternTypeLiteral, Operation: kmsg.ACLOperationDescribe, Allow: true}))
		seed(t, c)
		cfg := testConfig(c.ListenAddrs())
		cfg.SASL = SASLConfig{Mechanism: "PLAIN", Username: "fetcher", Password: "s3cret"}
		cn := checkOnly(t, cfg)
		var logs strings.Builder
		log := slog.New(slog.NewTextHandler(&logs, nil))
		if err := Provision(t.Context(), cn, []TopicSpec{compacted, deleting}, log); err != nil {
			t.Errorf("Provision without the right to describe configs = %v, want nil and a warning", err)
		}
		for _, want := range []string{"level=WARN", "cleanup policy could not be checked: describe configs is not allowed to this client",
			"topics=wirestream.feeds,wirestream.feed_state"} {
			if !strings.Contains(logs.String(), want) {
				t.Errorf("log lacks %q:\n%s", want, logs.String())
			}
		}
	})
}
