package config

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"
)

// The roles of `wirestream run`.
const (
	// RoleAll is the single process: poll, process and publish in one
	// (with the embedded broker when no brokers are configured).
	RoleAll = "all"
	// RoleFetch polls the feeds of the partitions of the feed list its
	// fetcher group gives it and publishes their items to the items topic.
	RoleFetch = "fetch"
	// RoleProcess runs the pipeline over the items topic while its
	// processor group makes it the active processor, and stands by otherwise.
	RoleProcess = "process"
)

// Roles lists the valid roles.
var Roles = []string{RoleAll, RoleFetch, RoleProcess}

// ClusterConfig is what the fetch and process roles share through Kafka
// (the `cluster:` section; role all does not use it). Group ids and topic
// names are prefixed with kafka.topic_prefix.
type ClusterConfig struct {
	// FetchGroup is the consumer group the fetchers share the feed list in.
	FetchGroup string `yaml:"fetch_group"`
	// ProcessGroup is the consumer group of the processors: one is active,
	// the others stand by.
	ProcessGroup string `yaml:"process_group"`
	// SessionTimeout is how long the brokers wait for a silent instance
	// before its feeds or its processing move to another: the failover time.
	SessionTimeout time.Duration `yaml:"session_timeout"`
	// HeartbeatInterval is how often an instance tells the brokers it is
	// alive (at most a third of session_timeout).
	HeartbeatInterval time.Duration `yaml:"heartbeat_interval"`
	// RebalanceTimeout is how long a rebalance waits for every instance to
	// rejoin: the time an instance gets to stop what moves away.
	RebalanceTimeout time.Duration `yaml:"rebalance_timeout"`
	// FeedPartitions is the partition count of the feed list and feed state
	// topics: the most fetchers that can share the feeds. Fixed once the
	// topics exist (a feed's partition depends on it).
	FeedPartitions int `yaml:"feed_partitions"`
	// ReplicationFactor and MinInsyncReplicas are those of the feeds,
	// feed_state and items topics: 3 and 2 on a real cluster, so a broker
	// can die without losing an acknowledged write.
	ReplicationFactor int `yaml:"replication_factor"`
	MinInsyncReplicas int `yaml:"min_insync_replicas"`
	// ItemsRetention is how long items wait in the items topic for a
	// processor: an outage of every processor longer than this loses items.
	ItemsRetention time.Duration `yaml:"items_retention"`
	// BatchItems is the most items a processor hands the pipeline at once.
	BatchItems int `yaml:"batch_items"`
}

// DefaultCluster returns the cluster defaults: suited to one broker (raise
// replication to 3 and min ISR to 2 on a real cluster).
func DefaultCluster() ClusterConfig {
	return ClusterConfig{
		FetchGroup: "fetchers", ProcessGroup: "processors",
		SessionTimeout: 10 * time.Second, HeartbeatInterval: time.Second, RebalanceTimeout: 20 * time.Second,
		FeedPartitions: 12, ReplicationFactor: 1, MinInsyncReplicas: 1,
		ItemsRetention: 7 * 24 * time.Hour, BatchItems: 100,
	}
}

// Validate reports every problem, each naming its key.
func (c ClusterConfig) Validate() error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	for key, v := range map[string]string{"fetch_group": c.FetchGroup, "process_group": c.ProcessGroup} {
		if v == "" {
			bad("cluster.%s: must not be empty", key)
		}
	}
	if c.FetchGroup != "" && c.FetchGroup == c.ProcessGroup {
		bad("cluster.process_group: must differ from fetch_group (%q): fetchers and processors share out different topics", c.FetchGroup)
	}
	// The brokers' defaults accept sessions of 6 s to 30 min.
	if c.SessionTimeout < 6*time.Second || c.SessionTimeout > 30*time.Minute {
		bad("cluster.session_timeout: must be within [6s, 30m] (the brokers' group.min/max.session.timeout.ms), got %s", c.SessionTimeout)
	}
	if c.HeartbeatInterval <= 0 || c.HeartbeatInterval > c.SessionTimeout/3 {
		bad("cluster.heartbeat_interval: must be within (0, session_timeout/3 = %s], got %s", c.SessionTimeout/3, c.HeartbeatInterval)
	}
	if c.RebalanceTimeout < time.Second {
		bad("cluster.rebalance_timeout: must be >= 1s, got %s", c.RebalanceTimeout)
	} else if c.HeartbeatInterval > 0 && c.RebalanceTimeout < c.HeartbeatInterval+2*time.Second {
		// A member has rebalance_timeout − heartbeat_interval to rejoin: the processor's
		// drain, its fenced changelog write and the rejoin's own round trips need seconds.
		bad("cluster.rebalance_timeout: must be at least heartbeat_interval + 2s (a member has rebalance_timeout - heartbeat_interval to rejoin), got rebalance_timeout %s with heartbeat_interval %s", c.RebalanceTimeout, c.HeartbeatInterval)
	}
	if c.FeedPartitions < 1 {
		bad("cluster.feed_partitions: must be >= 1, got %d", c.FeedPartitions)
	}
	if c.ReplicationFactor < 1 {
		bad("cluster.replication_factor: must be >= 1, got %d", c.ReplicationFactor)
	}
	if c.MinInsyncReplicas < 1 || c.MinInsyncReplicas > c.ReplicationFactor {
		bad("cluster.min_insync_replicas: must be within [1, replication_factor (%d)], got %d", c.ReplicationFactor, c.MinInsyncReplicas)
	}
	if c.ItemsRetention < time.Hour {
		bad("cluster.items_retention: must be >= 1h (items must outlast a processor outage), got %s", c.ItemsRetention)
	}
	if c.BatchItems < 1 {
		bad("cluster.batch_items: must be >= 1, got %d", c.BatchItems)
	}
	return errors.Join(errs...)
}

// validRole checks the role key.
func validRole(r string) error {
	if slices.Contains(Roles, r) {
		return nil
	}
	return fmt.Errorf("role: must be all, fetch or process, got %q", r)
}

// validInstance checks an instance id: it names the instance in logs,
// metrics, Kafka client ids and headers, so it is a hostname-like word.
func validInstance(id string) error {
	if len(id) > 128 {
		return fmt.Errorf("instance: at most 128 characters, got %d", len(id))
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-') {
			return fmt.Errorf("instance: only letters, digits, '.', '_' and '-' are allowed, got %q", id)
		}
	}
	return nil
}

// validFeedList checks feed_list: a name as instance ids are spelled, so
// that it reads the same in every record and on every machine.
func validFeedList(name string) error {
	if err := validInstance(name); err != nil {
		return fmt.Errorf("feed_list%s", strings.TrimPrefix(err.Error(), "instance"))
	}
	return nil
}

// InstanceID is the instance id this process runs as: the instance key
// (flag --instance, $WIRESTREAM_INSTANCE), else the hostname (a pod's name
// in Kubernetes, a container id in compose), else "wirestream".
func (c *Config) InstanceID() string {
	if c.Instance != "" {
		return c.Instance
	}
	if h, err := os.Hostname(); err == nil && validInstance(h) == nil && h != "" {
		return h
	}
	return "wirestream"
}
