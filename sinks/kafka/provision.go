package kafka

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/pipeline/record"
)

// IncompatibleTopicError is returned by New when a topic exists with
// settings that would break the sink's promises (a compacted table that
// deletes, a log that compacts away stories). The sink refuses to start
// rather than publish into it.
type IncompatibleTopicError struct {
	Topic, Setting, Want, Got string
}

func (e *IncompatibleTopicError) Error() string {
	return fmt.Sprintf("topic %s exists with %s=%s, config wants %s: fix the topic (kafka-configs --alter) or the config, wirestream will not publish into it",
		e.Topic, e.Setting, e.Got, e.Want)
}

// topicSpec is what provisioning creates and checks for one topic.
type topicSpec struct {
	name string
	typ  record.Type
	cfg  TopicConfig
}

func (c Config) topicSpecs() []topicSpec {
	specs := make([]topicSpec, 0, len(record.Types))
	for _, t := range record.Types {
		specs = append(specs, topicSpec{name: c.TopicName(t), typ: t, cfg: c.Topic(t)})
	}
	return specs
}

func (s topicSpec) configEntries() []kafka.ConfigEntry {
	e := []kafka.ConfigEntry{{ConfigName: "cleanup.policy", ConfigValue: normPolicy(s.cfg.CleanupPolicy)}}
	if s.cfg.Retention > 0 {
		e = append(e, kafka.ConfigEntry{ConfigName: "retention.ms", ConfigValue: strconv.FormatInt(s.cfg.Retention.Milliseconds(), 10)})
	}
	return e
}

// normPolicy sorts a cleanup policy's parts so "delete,compact" equals
// "compact,delete".
func normPolicy(p string) string {
	parts := strings.Split(strings.ReplaceAll(p, " ", ""), ",")
	slices.Sort(parts)
	return strings.Join(parts, ",")
}

// provision creates the missing topics and checks the existing ones. It
// returns an *IncompatibleTopicError when an existing topic's cleanup
// policy differs; smaller differences (partitions, replication, retention)
// are logged, because changing them is an operator's decision and the sink
// works either way.
func provision(ctx context.Context, cn Conn, specs []topicSpec, maxMessageBytes int, log *slog.Logger) error {
	cl, done := cn.Client(30 * time.Second)
	defer done()

	names := make([]string, len(specs))
	for i, s := range specs {
		names[i] = s.name
	}
	md, err := cl.Metadata(ctx, &kafka.MetadataRequest{Topics: names})
	if err != nil {
		return fmt.Errorf("provision topics: metadata: %w", err)
	}
	existing := map[string]kafka.Topic{}
	for _, t := range md.Topics {
		if t.Error == nil {
			existing[t.Name] = t
		} else if !errors.Is(t.Error, kafka.UnknownTopicOrPartition) {
			return fmt.Errorf("provision topics: metadata for %s: %w", t.Name, t.Error)
		}
	}

	var create []topicSpec
	var check []topicSpec
	for _, s := range specs {
		if _, ok := existing[s.name]; ok {
			check = append(check, s)
		} else {
			create = append(create, s)
		}
	}
	if err := createTopics(ctx, cl, create, log); err != nil {
		return err
	}
	if len(check) == 0 {
		return nil
	}

	req := &kafka.DescribeConfigsRequest{}
	for _, s := range check {
		req.Resources = append(req.Resources, kafka.DescribeConfigRequestResource{
			ResourceType: kafka.ResourceTypeTopic, ResourceName: s.name,
			ConfigNames: []string{"cleanup.policy", "retention.ms", "max.message.bytes"},
		})
	}
	res, err := cl.DescribeConfigs(ctx, req)
	if err != nil {
		return fmt.Errorf("provision topics: describe configs: %w", err)
	}
	got := map[string]map[string]string{}
	for _, r := range res.Resources {
		if r.Error != nil {
			return fmt.Errorf("provision topics: describe configs of %s: %w", r.ResourceName, r.Error)
		}
		got[r.ResourceName] = map[string]string{}
		for _, e := range r.ConfigEntries {
			got[r.ResourceName][e.ConfigName] = e.ConfigValue
		}
	}
	var errs []error
	for _, s := range check {
		cfgs, t := got[s.name], existing[s.name]
		if want, have := normPolicy(s.cfg.CleanupPolicy), normPolicy(cfgs["cleanup.policy"]); want != have {
			errs = append(errs, &IncompatibleTopicError{Topic: s.name, Setting: "cleanup.policy", Want: want, Got: have})
			continue
		}
		if len(t.Partitions) != s.cfg.Partitions {
			log.Warn("kafka topic has a different partition count than configured; keys map to partitions by the existing count",
				"topic", s.name, "partitions", len(t.Partitions), "configured_partitions", s.cfg.Partitions)
		}
		if len(t.Partitions) > 0 && len(t.Partitions[0].Replicas) < s.cfg.ReplicationFactor {
			log.Warn("kafka topic has fewer replicas than configured",
				"topic", s.name, "replication_factor", len(t.Partitions[0].Replicas), "configured_replication_factor", s.cfg.ReplicationFactor)
		}
		if s.cfg.Retention > 0 && cfgs["retention.ms"] != strconv.FormatInt(s.cfg.Retention.Milliseconds(), 10) {
			log.Warn("kafka topic has a different retention than configured",
				"topic", s.name, "retention_ms", cfgs["retention.ms"], "configured_retention", s.cfg.Retention.String())
		}
		if v, err := strconv.Atoi(cfgs["max.message.bytes"]); err == nil && v < maxMessageBytes {
			log.Warn("kafka topic accepts smaller records than kafka.max_message_bytes; larger ones will be refused by the broker and dead-lettered",
				"topic", s.name, "topic_max_message_bytes", v, "max_message_bytes", maxMessageBytes)
		}
	}
	return errors.Join(errs...)
}

func createTopics(ctx context.Context, cl *kafka.Client, specs []topicSpec, log *slog.Logger) error {
	if len(specs) == 0 {
		return nil
	}
	req := &kafka.CreateTopicsRequest{}
	for _, s := range specs {
		req.Topics = append(req.Topics, kafka.TopicConfig{
			Topic: s.name, NumPartitions: s.cfg.Partitions, ReplicationFactor: s.cfg.ReplicationFactor,
			ConfigEntries: s.configEntries(),
		})
	}
	res, err := cl.CreateTopics(ctx, req)
	if err != nil {
		return fmt.Errorf("provision topics: create: %w", err)
	}
	var errs []error
	for _, s := range specs {
		switch err := res.Errors[s.name]; {
		case err == nil:
			log.Info("created kafka topic", "topic", s.name, "partitions", s.cfg.Partitions,
				"replication_factor", s.cfg.ReplicationFactor, "cleanup_policy", s.cfg.CleanupPolicy)
		case errors.Is(err, kafka.TopicAlreadyExists):
			// Another wirestream created it between our metadata and create.
		default:
			errs = append(errs, fmt.Errorf("provision topics: create %s: %w", s.name, err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	return waitForLeaders(ctx, cl, specs)
}

// waitForLeaders returns once every partition of the new topics has a
// leader: CreateTopics answers when the controller committed the topic, and
// a produce a moment later can still meet UNKNOWN_TOPIC_OR_PARTITION.
func waitForLeaders(ctx context.Context, cl *kafka.Client, specs []topicSpec) error {
	names := make([]string, len(specs))
	for i, s := range specs {
		names[i] = s.name
	}
	for {
		md, err := cl.Metadata(ctx, &kafka.MetadataRequest{Topics: names})
		ready := err == nil
		if ready {
			for _, t := range md.Topics {
				for _, p := range t.Partitions {
					ready = ready && t.Error == nil && p.Error == nil && p.Leader.Host != ""
				}
				ready = ready && t.Error == nil && len(t.Partitions) > 0
			}
		}
		if ready {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("provision topics: waiting for partition leaders of %v: %w (last metadata error: %v)", names, ctx.Err(), err)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// topicExists asks the brokers, bypassing any cached metadata, whether
// topic exists. It uses a metadata request that never auto-creates.
func topicExists(ctx context.Context, cn Conn, topic string) (bool, error) {
	cl, done := cn.Client(10 * time.Second)
	defer done()
	md, err := cl.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{topic}})
	if err != nil {
		return false, err
	}
	for _, t := range md.Topics {
		if t.Name != topic {
			continue
		}
		if errors.Is(t.Error, kafka.UnknownTopicOrPartition) {
			return false, nil
		}
		return t.Error == nil, t.Error
	}
	return false, nil
}
