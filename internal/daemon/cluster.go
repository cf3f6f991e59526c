package daemon

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/internal/kafkagroup"
	"github.com/wirestream/wirestream/internal/kafkastate"
	"github.com/wirestream/wirestream/internal/kafkatable"
	"github.com/wirestream/wirestream/sinks/kafka"
	"github.com/wirestream/wirestream/sources/feed/feedtopics"
)

// What the scale-out roles share, as the configuration names it: the feed
// list and feed state topics of the fetchers, the items topic between
// fetchers and processors, and the two consumer groups.

// FeedTopics are the feed list and feed state topics of cfg.
func FeedTopics(cfg config.Config) feedtopics.Topics {
	return feedtopics.Topics{
		Prefix: cfg.Kafka.TopicPrefix, Partitions: cfg.Cluster.FeedPartitions,
		ReplicationFactor: cfg.Cluster.ReplicationFactor, MinInsyncReplicas: cfg.Cluster.MinInsyncReplicas,
	}
}

// ItemsTopic is the topic fetchers publish items to and processors read.
func ItemsTopic(cfg config.Config) string { return cfg.Kafka.TopicPrefix + "items" }

// itemsSpec is the items topic: one partition, because dedupe and events
// must see every story (one active processor reads it; see README
// "Scaling out"), and a processor must not find two.
func itemsSpec(cfg config.Config) kafka.TopicSpec {
	return kafka.TopicSpec{
		Name: ItemsTopic(cfg), Partitions: 1, ExactPartitions: true,
		ReplicationFactor: cfg.Cluster.ReplicationFactor, MinInsyncReplicas: cfg.Cluster.MinInsyncReplicas,
		CleanupPolicy: "delete", Retention: cfg.Cluster.ItemsRetention,
	}
}

// changelogSpec is the compacted topic of the processors' state: one
// partition per items partition, replicated as the cluster's topics are.
func changelogSpec(cfg config.Config, itemsPartitions int) kafkatable.Spec {
	return kafkastate.Spec(cfg.Kafka.TopicPrefix, cfg.State.Changelog, itemsPartitions,
		cfg.Cluster.ReplicationFactor, cfg.Cluster.MinInsyncReplicas)
}

// RoleTopics are the topics the scale-out roles use beside the record
// topics — the items topic, the feed list and feed state tables, the
// processors' changelog — as validate prints them for an operator who
// creates topics by hand (kafka.provision: false).
func RoleTopics(cfg config.Config) []kafka.TopicSpec {
	items := itemsSpec(cfg)
	out := []kafka.TopicSpec{items}
	ft := FeedTopics(cfg)
	for _, name := range []string{ft.Feeds(), ft.State()} {
		out = append(out, kafka.TopicSpec{Name: name, Partitions: ft.Partitions, ReplicationFactor: ft.ReplicationFactor, CleanupPolicy: "compact"})
	}
	cl := changelogSpec(cfg, items.Partitions)
	return append(out, kafka.TopicSpec{Name: cl.Topic, Partitions: cl.Partitions, ReplicationFactor: cl.ReplicationFactor, CleanupPolicy: "compact"})
}

// groupConfig is a member's view of one of the two groups.
func groupConfig(cfg config.Config, group, topic string) kafkagroup.Config {
	c := cfg.Cluster
	return kafkagroup.Config{
		Group: GroupID(cfg, group), Topics: []string{topic}, Instance: cfg.InstanceID(),
		SessionTimeout: c.SessionTimeout, HeartbeatInterval: c.HeartbeatInterval, RebalanceTimeout: c.RebalanceTimeout,
	}
}

// GroupID is the consumer group id of cluster.fetch_group or cluster.process_group (group):
// under the topic prefix, so two deployments that share a cluster share no group.
func GroupID(cfg config.Config, group string) string { return cfg.Kafka.TopicPrefix + group }

// Conn connects to cfg's brokers with its TLS and SASL settings.
func Conn(cfg config.Config) (kafka.Conn, error) {
	if len(cfg.Kafka.Brokers) == 0 {
		return kafka.Conn{}, fmt.Errorf("kafka.brokers: none configured: fetchers, processors and the feed list they share live in Kafka " +
			"(set kafka.brokers, --brokers or WIRESTREAM_KAFKA_BROKERS; the embedded broker is for role all)")
	}
	kc, err := cfg.Kafka.ResolveSecrets()
	if err != nil {
		return kafka.Conn{}, err
	}
	cn, err := kafka.NewConn(kc)
	if err == nil && !kc.Provision {
		cn = cn.CheckOnly() // every role's topics, as run's record topics
	}
	return cn, err
}

// OpenFeedList creates the feed list and feed state topics if they are
// missing and opens the feed list: what `wirestream feeds` manages.
func OpenFeedList(ctx context.Context, cfg config.Config, log *slog.Logger) (*feedtopics.FeedList, error) {
	cn, err := Conn(cfg)
	if err != nil {
		return nil, err
	}
	t := FeedTopics(cfg)
	if err := feedtopics.Ensure(ctx, cn, t, log); err != nil {
		return nil, err
	}
	fl, err := feedtopics.OpenFeeds(ctx, cn, t, log, nil)
	if err != nil {
		return nil, err
	}
	st, err := feedtopics.OpenState(ctx, cn, t, log, nil)
	if err != nil {
		fl.Close()
		return nil, err
	}
	// A spelling push or add folds into another keeps its poll state.
	fl.CarryState(st)
	return fl, nil
}
