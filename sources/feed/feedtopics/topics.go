package feedtopics

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/wirestream/wirestream/internal/kafkatable"
	wkafka "github.com/wirestream/wirestream/sinks/kafka"
)

// Topics names and sizes the two topics.
type Topics struct {
	Prefix string // kafka.topic_prefix, e.g. "wirestream."
	// Partitions is the most fetchers that can share the feed list (each owns whole
	// partitions). It is fixed once the topics exist: a feed's partition depends on it.
	Partitions        int
	ReplicationFactor int
	MinInsyncReplicas int
}

// DefaultTopics suits one to a dozen fetchers on a single broker; raise the replication factor
// to 3 and min.insync.replicas to 2 on a real cluster.
func DefaultTopics(prefix string) Topics {
	return Topics{Prefix: prefix, Partitions: 12, ReplicationFactor: 1, MinInsyncReplicas: 1}
}

// Feeds is the feed list's topic name.
func (t Topics) Feeds() string { return t.Prefix + "feeds" }

// State is the poll state's topic name.
func (t Topics) State() string { return t.Prefix + "feed_state" }

func (t Topics) specs() []kafkatable.Spec {
	spec := func(name string) kafkatable.Spec {
		return kafkatable.Spec{Topic: name, Partitions: t.Partitions,
			ReplicationFactor: t.ReplicationFactor, MinInsyncReplicas: t.MinInsyncReplicas}
	}
	return []kafkatable.Spec{spec(t.Feeds()), spec(t.State())}
}

// Ensure creates both topics if they are missing and refuses existing ones that are not
// compacted or have another partition count than t.Partitions (see kafkatable.Ensure).
func Ensure(ctx context.Context, cn wkafka.Conn, t Topics, log *slog.Logger) error {
	if err := kafkatable.Ensure(ctx, cn, t.specs(), log); err != nil {
		return fmt.Errorf("feed topics: %w", err)
	}
	return nil
}
