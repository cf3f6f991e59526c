package kafka

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	"github.com/wirestream/wirestream/internal/testkit/netproxy"
)

func TestProvisionChecksAnExistingTopicAgainstItsSpec(t *testing.T) {
	table := TopicSpec{Name: "wirestream.feeds", Partitions: 6, ReplicationFactor: 1, CleanupPolicy: "compact",
		MinInsyncReplicas: 1, ExactPartitions: true}
	bounded := TopicSpec{Name: "wirestream.events", Partitions: 3, ReplicationFactor: 1, CleanupPolicy: "compact,delete",
		Retention: EventsRetention}
	tests := []struct {
		name     string
		existing kafka.TopicConfig
		spec     TopicSpec
		setting  string // "" when it must be accepted
	}{
		{name: "a table with the same settings is accepted", spec: table,
			existing: kafka.TopicConfig{NumPartitions: 6, ConfigEntries: compact()}},
		{name: "a table that deletes is refused", spec: table, setting: "cleanup.policy",
			existing: kafka.TopicConfig{NumPartitions: 6}},
		{name: "a partition-addressed table with another count is refused", spec: table, setting: "partitions",
			existing: kafka.TopicConfig{NumPartitions: 3, ConfigEntries: compact()}},
		// Round 29 (operator29): a feed table re-created by a broker's auto-create has its
		// default policy and partition count; altering the policy alone would not do, so the
		// refusal names the count, whose fix (delete and re-create) fixes both.
		{name: "a re-created table with the broker's policy and count is refused for its count", spec: table, setting: "partitions",
			existing: kafka.TopicConfig{NumPartitions: 1}},
		// Round 30: the events topic compacts and deletes; one made before only compacts.
		{name: "a compacted topic where compact,delete is wanted is used as it is", spec: bounded,
			existing: kafka.TopicConfig{NumPartitions: 3, ConfigEntries: compact()}},
		{name: "a deleting topic where compact,delete is wanted is refused", spec: bounded, setting: "cleanup.policy",
			existing: kafka.TopicConfig{NumPartitions: 3}},
		{name: "another count is only logged without ExactPartitions", spec: withoutExact(table),
			existing: kafka.TopicConfig{NumPartitions: 3, ConfigEntries: compact()}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := fakeCluster(t)
			cn, err := NewConn(Config{Brokers: c.ListenAddrs()})
			if err != nil {
				t.Fatal(err)
			}
			cl, done := cn.Client(10 * time.Second)
			defer done()
			tt.existing.Topic, tt.existing.ReplicationFactor = tt.spec.Name, 1
			if _, err := cl.CreateTopics(t.Context(), &kafka.CreateTopicsRequest{Topics: []kafka.TopicConfig{tt.existing}}); err != nil {
				t.Fatal(err)
			}
			err = Provision(t.Context(), cn, []TopicSpec{tt.spec}, testLogger(t))
			var inc *IncompatibleTopicError
			switch {
			case tt.setting == "" && err != nil:
				t.Fatalf("Provision = %v, want it accepted", err)
			case tt.setting != "" && (!errors.As(err, &inc) || inc.Setting != tt.setting || inc.Topic != tt.spec.Name):
				t.Fatalf("Provision = %v, want an IncompatibleTopicError on %s", err, tt.setting)
			case tt.setting == "partitions" && !strings.Contains(err.Error(), "moves keys"):
				t.Errorf("the refusal does not say why the count matters: %v", err)
			}
		})
	}
}

func TestProvisionCreatesATopicWithItsMinInsyncReplicas(t *testing.T) {
	c := fakeCluster(t)
	cn, err := NewConn(Config{Brokers: c.ListenAddrs()})
	if err != nil {
		t.Fatal(err)
	}
	spec := TopicSpec{Name: "wirestream.feed_state", Partitions: 4, ReplicationFactor: 1, CleanupPolicy: "compact", MinInsyncReplicas: 1}
	if err := Provision(t.Context(), cn, []TopicSpec{spec}, nil); err != nil {
		t.Fatal(err)
	}
	cl, done := cn.Client(10 * time.Second)
	defer done()
	res, err := cl.DescribeConfigs(t.Context(), &kafka.DescribeConfigsRequest{Resources: []kafka.DescribeConfigRequestResource{{
		ResourceType: kafka.ResourceTypeTopic, ResourceName: spec.Name, ConfigNames: []string{"cleanup.policy", "min.insync.replicas"},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, e := range res.Resources[0].ConfigEntries {
		got[e.ConfigName] = e.ConfigValue
	}
	if got["cleanup.policy"] != "compact" || got["min.insync.replicas"] != "1" {
		t.Errorf("created with %v, want cleanup.policy=compact min.insync.replicas=1", got)
	}
}

func compact() []kafka.ConfigEntry {
	return []kafka.ConfigEntry{{ConfigName: "cleanup.policy", ConfigValue: "compact"}}
}

func withoutExact(s TopicSpec) TopicSpec { s.ExactPartitions = false; return s }

// A broker reports numbers its own way ("1.0" for 1): the same value is
// no difference to warn about (review, round 12).
func TestConfigValuesCompareAsNumbers(t *testing.T) {
	for _, c := range []struct {
		have, want string
		same       bool
	}{{"0.5", "0.5", true}, {"0.50", "0.5", true}, {"1.0", "1", true}, {"60000", "60000", true},
		{"604800000", "60000", false}, {"compact", "compact", true}, {"delete", "compact", false}, {"", "0.5", false}} {
		if got := sameConfigValue(c.have, c.want); got != c.same {
			t.Errorf("sameConfigValue(%q, %q) = %v, want %v", c.have, c.want, got, c.same)
		}
	}
}

// A start against a broker that is not there fails at once (no address of
// kafka.brokers listens: nothing to wait for) and names the addresses it
// asked, the operation and the topics (the command names the setting).
func TestProvisionNamesTheBrokersWhenNoneAnswers(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cn, err := NewConn(Config{Brokers: []string{addr}})
	if err != nil {
		t.Fatal(err)
	}
	err = Provision(t.Context(), cn, []TopicSpec{{Name: "wirestream.stories", Partitions: 1, ReplicationFactor: 1}}, testLogger(t))
	want := "provision topics: kafka metadata of wirestream.stories: asking the brokers (" + addr + "): dial tcp " + addr + ": connect: connection refused"
	var ae *AdminError
	if err == nil || err.Error() != want || !errors.As(err, &ae) || ae.Attempts != 1 {
		t.Errorf("Provision = %v\nwant %s, at the first attempt", err, want)
	}
}

// A broker that never answers: the caller's deadline ends the retries,
// and the error still names what was asked of whom.
func TestProvisionGivesUpOnASilentBrokerAtTheCallersDeadline(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0") // accepts (the kernel's backlog), never answers
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	addr := ln.Addr().String()
	cn, err := NewConn(Config{Brokers: []string{addr}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Second)
	defer cancel()
	err = Provision(ctx, cn, []TopicSpec{{Name: "wirestream.stories", Partitions: 1, ReplicationFactor: 1}}, testLogger(t))
	for _, want := range []string{"provision topics: kafka metadata of wirestream.stories: asking the brokers (" + addr + ")", "gave up: context deadline exceeded"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Provision = %v\nwant it to say %q", err, want)
		}
	}
}

// Starts on a loaded or electing cluster (round 13 soak, round 14): each
// must be waited for within AdminTimeout, not fail the start. A broker
// slow on every answer failed even with round 13's retry of the first
// metadata request: kafka-go gave each discovery the admin client's 1 s
// metadata TTL as deadline, so no retry could pass. A controller election
// refused the create (NOT_CONTROLLER) and failed the start.
func TestProvisionWaitsForASlowOrElectingBroker(t *testing.T) {
	spec := []TopicSpec{{Name: "wirestream.stories", Partitions: 1, ReplicationFactor: 1}}
	for _, tc := range []struct {
		name string
		opts netproxy.Options
	}{
		{"the first connection's answers come after 1.5 s", netproxy.Options{FirstDelay: 1500 * time.Millisecond}},
		{"every answer of the bootstrap address comes after 1.5 s", netproxy.Options{Delay: 1500 * time.Millisecond}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := fakeCluster(t)
			cn, err := NewConn(Config{Brokers: []string{netproxy.Start(t, c.ListenAddrs()[0], tc.opts)}})
			if err != nil {
				t.Fatal(err)
			}
			if err := Provision(t.Context(), cn, spec, testLogger(t)); err != nil {
				t.Fatalf("Provision = %v, want the topic created", err)
			}
			if err := Provision(t.Context(), cn, spec, testLogger(t)); err != nil {
				t.Fatalf("Provision of the existing topic = %v, want it checked", err)
			}
		})
	}
	t.Run("the controller refuses the first create (an election)", func(t *testing.T) {
		c := fakeCluster(t)
		refused := kafkatest.RefuseNextCreateTopics(c)
		cn, err := NewConn(Config{Brokers: c.ListenAddrs()})
		if err != nil {
			t.Fatal(err)
		}
		if err := Provision(t.Context(), cn, spec, testLogger(t)); err != nil {
			t.Fatalf("Provision = %v, want the create retried", err)
		}
		if *refused != 1 {
			t.Fatalf("the controller refused %d creates, want the test's 1", *refused)
		}
	})
}
