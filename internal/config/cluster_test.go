package config

import (
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/testkit"
)

func TestClusterSettingsAreCheckedKeyByKey(t *testing.T) {
	testkit.CheckValidate(t, DefaultCluster, []testkit.ConfigCase[ClusterConfig]{
		{"the defaults are valid", func(*ClusterConfig) {}, ""},
		{"replication 3 with min ISR 2 is valid", func(c *ClusterConfig) { c.ReplicationFactor, c.MinInsyncReplicas = 3, 2 }, ""},
		{"an empty group is refused", func(c *ClusterConfig) { c.FetchGroup = "" }, "cluster.fetch_group: must not be empty"},
		{"one group for both roles is refused", func(c *ClusterConfig) { c.ProcessGroup = c.FetchGroup }, "cluster.process_group: must differ from fetch_group"},
		{"a session the brokers refuse is refused", func(c *ClusterConfig) { c.SessionTimeout = 2 * time.Second }, "cluster.session_timeout: must be within [6s, 30m]"},
		{"heartbeats slower than a third of the session are refused", func(c *ClusterConfig) { c.HeartbeatInterval = 5 * time.Second }, "cluster.heartbeat_interval: must be within (0, session_timeout/3"},
		{"a rebalance no longer than a heartbeat is refused", func(c *ClusterConfig) { c.HeartbeatInterval, c.RebalanceTimeout = 3*time.Second, time.Second }, "cluster.rebalance_timeout: must be at least heartbeat_interval + 2s (a member has rebalance_timeout - heartbeat_interval to rejoin), got rebalance_timeout 1s with heartbeat_interval 3s"},
		{"a rebalance as long as a heartbeat is refused", func(c *ClusterConfig) { c.RebalanceTimeout = time.Second }, "got rebalance_timeout 1s with heartbeat_interval 1s"},
		{"a rebalance a breath over a heartbeat is refused", func(c *ClusterConfig) { c.RebalanceTimeout = 1200 * time.Millisecond }, "got rebalance_timeout 1.2s with heartbeat_interval 1s"},
		{"a rebalance 2s over a heartbeat is valid", func(c *ClusterConfig) { c.RebalanceTimeout = 3 * time.Second }, ""},
		{"a min ISR over the replication factor is refused", func(c *ClusterConfig) { c.MinInsyncReplicas = 2 }, "cluster.min_insync_replicas: must be within [1, replication_factor (1)], got 2"},
		{"zero feed partitions are refused", func(c *ClusterConfig) { c.FeedPartitions = 0 }, "cluster.feed_partitions: must be >= 1"},
		{"a retention shorter than an outage is refused", func(c *ClusterConfig) { c.ItemsRetention = time.Minute }, "cluster.items_retention: must be >= 1h"},
		{"empty batches are refused", func(c *ClusterConfig) { c.BatchItems = 0 }, "cluster.batch_items: must be >= 1"},
	})
}

func TestRoleAndInstanceAreCheckedAndTakenFromTheEnvironment(t *testing.T) {
	env := map[string]string{"WIRESTREAM_ROLE": "fetch", "WIRESTREAM_INSTANCE": "fetch-2"}
	c, err := Parse([]byte("role: process\ninstance: file-1\n"), func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if c.Role != RoleFetch || c.InstanceID() != "fetch-2" {
		t.Errorf("role %q instance %q, want the environment's fetch and fetch-2", c.Role, c.InstanceID())
	}
	for doc, want := range map[string]string{
		"role: worker\n":        `role: must be all, fetch or process, got "worker"`,
		"instance: \"a b/c\"\n": `instance: only letters, digits, '.', '_' and '-' are allowed, got "a b/c"`,
		// feed_list names a file's feeds on every machine alike: spelled as an instance id.
		"feed_list: \"news room\"\n": `feed_list: only letters, digits, '.', '_' and '-' are allowed, got "news room"`,
	} {
		_, err := Parse([]byte(doc), noEnv)
		testkit.WantError(t, doc, err, want)
	}
	if id := Default(); id.InstanceID() == "" {
		t.Error("without an instance key the id must fall back to the hostname, never be empty")
	}
}
