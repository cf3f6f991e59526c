package kafka

import (
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
)

func TestProvisionChecksAnExistingTopicAgainstItsSpec(t *testing.T) {
	table := TopicSpec{Name: "wirestream.feeds", Partitions: 6, ReplicationFactor: 1, CleanupPolicy: "compact",
		MinInsyncReplicas: 1, ExactPartitions: true}
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

// A start against a broker that is not there names the addresses it asked
// and the setting they come from, in a newcomer's terms.
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
	want := "provision topics: asking kafka.brokers (" + addr + ") for metadata: dial tcp " + addr + ": connect: connection refused"
	if err == nil || err.Error() != want {
		t.Errorf("Provision = %v\nwant %s", err, want)
	}
}

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

// slowFirstAnswer is a TCP proxy to addr whose first connection's answers each come after
// delay, as a broker's do under load: later connections pass at once.
func slowFirstAnswer(t *testing.T, addr string, delay time.Duration) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for first := true; ; first = false {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			b, err := net.Dial("tcp", addr)
			if err != nil {
				c.Close()
				return
			}
			t.Cleanup(func() { c.Close(); b.Close() })
			go func() { _, _ = io.Copy(b, c) }()
			go func(slow bool) {
				buf := make([]byte, 64<<10)
				for {
					n, err := b.Read(buf)
					if n > 0 && slow {
						time.Sleep(delay)
					}
					if n > 0 {
						if _, err := c.Write(buf[:n]); err != nil {
							return
						}
					}
					if err != nil {
						return
					}
				}
			}(first)
		}
	}()
	return ln.Addr().String()
}

// A start on a loaded cluster: the admin client's first metadata answer takes longer than its
// transport's 1 s metadata TTL, which kafka-go also uses as that request's deadline. Provision
// must wait for it within its own timeout rather than fail the start with "context deadline
// exceeded" (soak, round 13: a processor and a fetcher exited at start this way at load 45).
func TestProvisionWaitsForASlowFirstMetadataAnswer(t *testing.T) {
	c := fakeCluster(t)
	cn, err := NewConn(Config{Brokers: []string{slowFirstAnswer(t, c.ListenAddrs()[0], 1500*time.Millisecond)}})
	if err != nil {
		t.Fatal(err)
	}
	if err := Provision(t.Context(), cn, []TopicSpec{{Name: "wirestream.stories", Partitions: 1, ReplicationFactor: 1}}, testLogger(t)); err != nil {
		t.Fatalf("Provision with a slow first answer = %v, want the topic created", err)
	}
}
