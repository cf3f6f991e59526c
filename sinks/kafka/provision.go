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
	"github.com/segmentio/kafka-go/protocol"

	"github.com/wirestream/wirestream/pipeline/record"
)

// IncompatibleTopicError is returned by New (and Provision) when a topic
// exists with settings that would break the promises of whoever writes it
// (a compacted table that deletes, a log that compacts away stories, a
// partition-addressed table with another partition count). wirestream
// refuses to start rather than use it.
type IncompatibleTopicError struct {
	Topic, Setting, Want, Got string
	// Table is set for a key→value table wirestream restores from (the feed list, feed
	// state, the processors' changelog): no setting of the config changes its policy.
	Table bool
	// Brokers are the addresses the fix's command names.
	Brokers []string
}

func (e *IncompatibleTopicError) Error() string {
	fix := "fix the topic (kafka-configs --alter) or the config"
	switch {
	case e.Setting == "partitions":
		fix = "a topic's records are placed by partition count, so changing it moves keys: " +
			"delete and re-create the topic, or use another topic_prefix " +
			"(a broker with auto.create.topics.enable creates a deleted topic again, with its defaults, when a client asks for it: " +
			"stop the wirestream roles that read it first)"
	case e.Setting == "cleanup.policy" && e.Table:
		// The usual way here: the topic was deleted and a client's metadata request
		// (kcat -L -t, any consumer) made the broker create it again with its defaults.
		return fmt.Sprintf("topic %s exists with %s=%s, config wants %s, and wirestream will not use it: "+
			"it is a table wirestream restores state from, and retention would delete keys a restore needs. "+
			"A deleted topic that a client names (kcat -L -t, a consumer) is re-created empty by a broker with "+
			"auto.create.topics.enable=true, with the broker's default policy, and what it held is lost. Fix it with %s "+
			"and start again; auto.create.topics.enable=false on the brokers keeps it from happening again",
			e.Topic, e.Setting, e.Got, e.Want, e.command(e.Setting+"="+configValue(e.Want)))
	case e.Setting == "cleanup.policy":
		fix = "fix the topic (" + e.command(e.Setting+"="+configValue(e.Want)) + ") or the config"
	}
	return fmt.Sprintf("topic %s exists with %s=%s, config wants %s: %s, wirestream will not use it",
		e.Topic, e.Setting, e.Got, e.Want, fix)
}

// configValue is a value as kafka-configs --add-config takes it: a list
// ("compact,delete") in brackets, since a bare comma separates configs.
func configValue(v string) string {
	if strings.Contains(v, ",") {
		return "[" + v + "]"
	}
	return v
}

// command is the kafka-configs invocation that sets config on the topic.
func (e *IncompatibleTopicError) command(config string) string {
	brokers := strings.Join(e.Brokers, ",")
	if brokers == "" {
		brokers = "BROKER"
	}
	return alterConfigsCommand(brokers, e.Topic, config) + " (add --command-config for a cluster with SASL or TLS)"
}

// alterConfigsCommand is the kafka-configs invocation that sets configs
// (name=value,…) on topic at brokers.
func alterConfigsCommand(brokers, topic, configs string) string {
	return fmt.Sprintf("kafka-configs.sh --bootstrap-server %s --alter --entity-type topics --entity-name %s --add-config %s",
		brokers, topic, configs)
}

// TopicSpec is one topic that provisioning creates when it is missing and
// checks when it exists.
type TopicSpec struct {
	Name              string
	Partitions        int
	ReplicationFactor int
	CleanupPolicy     string        // delete, compact, or "compact,delete"
	Retention         time.Duration // retention.ms; 0 leaves the broker default
	// MinInsyncReplicas sets min.insync.replicas on creation (0 leaves the
	// broker default); an existing topic with fewer is logged.
	MinInsyncReplicas int
	// Table marks a key→value table wirestream restores from: a refusal of its
	// cleanup policy says how such a topic comes to delete, and the fix.
	Table bool
	// ExactPartitions refuses an existing topic with another partition
	// count. Set it for topics whose readers address records by partition
	// number (co-partitioned tables), where a different count is not a
	// tuning choice but a different mapping of keys.
	ExactPartitions bool
	// Configs are further topic configs set on creation (segment.ms, ...).
	// An existing topic with another value is logged with the kafka-configs
	// command that sets it, not refused: they tune the topic, the sink's
	// promises hold either way.
	Configs []kafka.ConfigEntry
}

func (c Config) topicSpecs() []TopicSpec {
	specs := make([]TopicSpec, 0, len(record.Types))
	for _, t := range record.Types {
		tc := c.Topic(t)
		specs = append(specs, TopicSpec{
			Name: c.TopicName(t), Partitions: tc.Partitions, ReplicationFactor: tc.ReplicationFactor,
			CleanupPolicy: tc.CleanupPolicy, Retention: tc.Retention, MinInsyncReplicas: tc.MinInsyncReplicas,
			Configs: segmentConfigs(tc),
		})
	}
	return specs
}

// compactSegment is segment.ms for a topic that compacts and deletes: Kafka deletes
// and compacts only rolled segments, and its default roll (7 days) would keep a key up
// to a week past its retention; a day bounds that, at one small segment per partition
// and day.
const compactSegment = 24 * time.Hour

// segmentConfigs are the configs beyond policy and retention a topic of the sink is
// created with: segment.ms for one that compacts and deletes (compactSegment, or its
// retention when shorter), none for the others.
func segmentConfigs(tc TopicConfig) []kafka.ConfigEntry {
	if normPolicy(tc.CleanupPolicy) != "compact,delete" || tc.Retention <= 0 {
		return nil
	}
	seg := min(compactSegment, tc.Retention)
	return []kafka.ConfigEntry{{ConfigName: "segment.ms", ConfigValue: strconv.FormatInt(seg.Milliseconds(), 10)}}
}

// keepsMore reports whether a topic with cleanup policy have, where want was asked,
// only keeps more than asked: a compacted topic where the config wants compact,delete
// (a topic created before round 30, when the events topic only compacted). Readers
// see the same latest state per key; only the bound is missing. Provision accepts
// it with a warning that names the command that adds the bound.
func keepsMore(want, have string) bool {
	return want == "compact,delete" && have == "compact"
}

// checkPolicy compares topic s's cleanup policy have with the one it
// wants: a topic that only keeps more (keepsMore) is accepted with a
// warning (unbounded), another policy is refused.
func checkPolicy(log *slog.Logger, cn Conn, s TopicSpec, have string) (unbounded bool, err error) {
	want, have := normPolicy(s.CleanupPolicy), normPolicy(have)
	switch {
	case keepsMore(want, have):
		warnKeepsMore(log, cn, s)
		return true, nil
	case want != have:
		return false, &IncompatibleTopicError{Topic: s.Name, Setting: "cleanup.policy", Want: want, Got: have,
			Table: s.Table, Brokers: cn.brokers}
	}
	return false, nil
}

// warnKeepsMore is the warning for a topic keepsMore accepted.
func warnKeepsMore(log *slog.Logger, cn Conn, s TopicSpec) {
	set := "cleanup.policy=" + configValue("compact,delete")
	if s.Retention > 0 {
		set += ",retention.ms=" + strconv.FormatInt(s.Retention.Milliseconds(), 10)
	}
	for _, c := range s.Configs {
		set += "," + c.ConfigName + "=" + c.ConfigValue
	}
	e := &IncompatibleTopicError{Topic: s.Name, Brokers: cn.brokers}
	log.Warn("kafka topic only compacts and keeps every key's last record for ever; config wants compact,delete, "+
		"which removes a key retention after its last record. Using it as it is; add the bound with the command given",
		"topic", s.Name, "cleanup_policy", "compact", "configured_cleanup_policy", "compact,delete",
		"configured_retention", s.Retention.String(), "command", e.command(set))
}

func (s TopicSpec) configEntries() []kafka.ConfigEntry {
	e := []kafka.ConfigEntry{{ConfigName: "cleanup.policy", ConfigValue: normPolicy(s.CleanupPolicy)}}
	if s.Retention > 0 {
		e = append(e, kafka.ConfigEntry{ConfigName: "retention.ms", ConfigValue: strconv.FormatInt(s.Retention.Milliseconds(), 10)})
	}
	if s.MinInsyncReplicas > 0 {
		e = append(e, kafka.ConfigEntry{ConfigName: "min.insync.replicas", ConfigValue: strconv.Itoa(s.MinInsyncReplicas)})
	}
	return append(e, s.Configs...)
}

// Provision creates the missing topics among specs and checks the existing
// ones, as New does for the sink's own topics: an *IncompatibleTopicError
// for a different cleanup policy (or partition count, with
// ExactPartitions), a logged warning for smaller differences. It returns
// once every partition of a created topic has a leader. With
// kafka.provision off (a Conn from such a Config) it creates nothing, as
// New does not: a *MissingTopicsError while a topic is missing, an
// *IncompatibleTopicError for another partition count with
// ExactPartitions, or for another cleanup policy where the client may
// describe the topics' configs (a warning where it may not). Every role's topics (the items topic, the feed list,
// feed state and changelog tables) go through it or Sink.Provision.
func Provision(ctx context.Context, cn Conn, specs []TopicSpec, log *slog.Logger) error {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cn.checkOnly {
		if err := checkTopicsExist(ctx, cn, specs, 0, log); err != nil {
			return err
		}
		return checkCleanupPolicies(ctx, cn, specs, log)
	}
	return provision(ctx, cn, specs, 0, log)
}

// checkCleanupPolicies is provision's cleanup policy check for topics that exist while
// kafka.provision is off: the tables' topics (feed list, feed state, changelog) must be
// compacted as specs say, or a table loses keys to retention (delete) and a restore misses
// them. It needs DescribeConfigs on the topics, which a locked-down cluster may not grant to
// wirestream's principal: a denied (or failed) describe is a warning naming what was not
// checked, not a refusal; only a policy seen to differ is an *IncompatibleTopicError.
func checkCleanupPolicies(ctx context.Context, cn Conn, specs []TopicSpec, log *slog.Logger) error {
	var names []string
	req := &kafka.DescribeConfigsRequest{}
	for _, s := range specs {
		if s.CleanupPolicy == "" {
			continue
		}
		names = append(names, s.Name)
		req.Resources = append(req.Resources, kafka.DescribeConfigRequestResource{
			ResourceType: kafka.ResourceTypeTopic, ResourceName: s.Name, ConfigNames: []string{"cleanup.policy"},
		})
	}
	if len(names) == 0 {
		return nil
	}
	cl, _, done, err := cn.AdminClient(ctx, log, AdminTimeout, names...)
	if err != nil {
		return fmt.Errorf("check the topics' cleanup policy (kafka.provision is false): %w", err)
	}
	defer done()
	got, err := describeConfigs(ctx, cn, cl, req, names, log)
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("check the topics' cleanup policy (kafka.provision is false): %w", err)
		}
		why := "the describe failed"
		if errors.Is(err, kafka.TopicAuthorizationFailed) || errors.Is(err, kafka.ClusterAuthorizationFailed) {
			why = "describe configs is not allowed to this client (grant DescribeConfigs on the topics to have it checked)"
		}
		log.Warn("kafka.provision is false and the topics' cleanup policy could not be checked: "+why+"; each must be compact, or a restore misses the keys retention deleted",
			"topics", strings.Join(names, ","), "err", err)
		return nil
	}
	var errs []error
	for _, s := range specs {
		have, ok := got[s.Name]["cleanup.policy"]
		if s.CleanupPolicy == "" || !ok {
			continue
		}
		if _, err := checkPolicy(log, cn, s, have); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// MissingTopicsError is a start with kafka.provision off whose topics do
// not all exist: every record of theirs would be dead-lettered, batch
// after batch, so the start is refused instead, naming what to create or
// the setting that creates them.
type MissingTopicsError struct {
	Topics  []string
	Brokers []string
	Waited  time.Duration
}

func (e *MissingTopicsError) Error() string {
	what, them := "topic "+e.Topics[0]+" does not exist", "it"
	if len(e.Topics) > 1 {
		what, them = fmt.Sprintf("%d topics do not exist: %s", len(e.Topics), strings.Join(e.Topics, ", ")), "them"
	}
	return fmt.Sprintf("kafka.provision is false and %s at the brokers (%s), asked for %s: create %s with the settings "+
		"`wirestream validate` prints under topics, or set kafka.provision: true to let wirestream create %s",
		what, strings.Join(e.Brokers, ", "), e.Waited, them, them)
}

// topicsWait bounds how long a start with kafka.provision off asks again
// for topics the metadata does not list: one created a moment ago (by an
// operator, or a deploy's job running beside this start) may not be in
// every broker's metadata yet.
var topicsWait = 10 * time.Second

// checkTopicsExist is provision with kafka.provision off: it creates
// nothing and changes nothing, and returns a *MissingTopicsError when a
// topic of specs is still missing after topicsWait. No broker answering
// fails at once, with the broker's error, as provision does.
func checkTopicsExist(ctx context.Context, cn Conn, specs []TopicSpec, _ int, log *slog.Logger) error {
	names := make([]string, len(specs))
	for i, s := range specs {
		names[i] = s.Name
	}
	start := time.Now()
	for {
		_, md, done, err := cn.AdminClient(ctx, log, AdminTimeout, names...)
		if err != nil {
			return fmt.Errorf("check that the topics exist (kafka.provision is false): %w", err)
		}
		done()
		var missing []string
		var wrong []error
		for _, t := range md.Topics {
			if errors.Is(t.Error, kafka.UnknownTopicOrPartition) {
				missing = append(missing, t.Name)
			} else if t.Error != nil && !Retriable(t.Error) { // a topic without a leader yet exists
				return fmt.Errorf("check that the topics exist (kafka.provision is false): metadata for %s: %w", t.Name, t.Error)
			} else if i := slices.IndexFunc(specs, func(s TopicSpec) bool { return s.Name == t.Name }); t.Error == nil && i >= 0 &&
				specs[i].ExactPartitions && len(t.Partitions) != specs[i].Partitions {
				// Records are addressed by partition number: another count
				// is another mapping of keys, as provision refuses too.
				wrong = append(wrong, &IncompatibleTopicError{Topic: t.Name, Setting: "partitions",
					Want: strconv.Itoa(specs[i].Partitions), Got: strconv.Itoa(len(t.Partitions))})
			}
		}
		if len(wrong) > 0 {
			return errors.Join(wrong...)
		}
		if len(missing) == 0 {
			return nil
		}
		waited := time.Since(start)
		if waited >= topicsWait {
			slices.Sort(missing)
			return &MissingTopicsError{Topics: missing, Brokers: cn.brokers, Waited: waited.Round(time.Second)}
		}
		log.Warn("kafka.provision is false and topics do not exist; asking again", "topics", strings.Join(missing, ","),
			"waited", waited.Round(time.Millisecond), "gives_up_after", topicsWait)
		t := time.NewTimer(time.Second)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("check that the topics exist (kafka.provision is false): %s missing: %w", strings.Join(missing, ", "), ctx.Err())
		case <-t.C:
		}
	}
}

// describeConfigs asks for the configs req names, retrying within AdminTimeout, and returns
// them by topic and config name. A topic's own error (a denied describe) fails the call.
func describeConfigs(ctx context.Context, cn Conn, cl *kafka.Client, req *kafka.DescribeConfigsRequest, topics []string, log *slog.Logger) (map[string]map[string]string, error) {
	got := map[string]map[string]string{}
	err := cn.Admin(ctx, log, AdminTimeout, "describe configs", topics, func(ctx context.Context) error {
		res, err := cl.DescribeConfigs(ctx, req)
		if err != nil {
			return err
		}
		for _, r := range res.Resources {
			if r.Error != nil {
				return fmt.Errorf("%s: %w", r.ResourceName, r.Error)
			}
			got[r.ResourceName] = map[string]string{}
			for _, e := range r.ConfigEntries {
				got[r.ResourceName][e.ConfigName] = e.ConfigValue
			}
		}
		return nil
	})
	return got, err
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
// policy differs (or its partition count, for ExactPartitions); smaller
// differences (partitions, replication, retention, min ISR) are logged,
// because changing them is an operator's decision and the sink works
// either way. maxMessageBytes 0 skips the check of max.message.bytes.
func provision(ctx context.Context, cn Conn, specs []TopicSpec, maxMessageBytes int, log *slog.Logger) error {
	names := make([]string, len(specs))
	for i, s := range specs {
		names[i] = s.Name
	}
	// The first request of a start: a slow broker, one still starting or a controller
	// election is retried within AdminTimeout; when no broker answers, the error names the
	// addresses asked and the setting they come from.
	cl, md, done, err := cn.AdminClient(ctx, log, AdminTimeout, names...)
	if err != nil {
		return fmt.Errorf("provision topics: %w", err)
	}
	defer done()
	existing := map[string]kafka.Topic{}
	for _, t := range md.Topics {
		if t.Error == nil {
			existing[t.Name] = t
		} else if !errors.Is(t.Error, kafka.UnknownTopicOrPartition) {
			return fmt.Errorf("provision topics: metadata for %s: %w", t.Name, t.Error)
		}
	}

	var create []TopicSpec
	var check []TopicSpec
	for _, s := range specs {
		if _, ok := existing[s.Name]; ok {
			check = append(check, s)
		} else {
			create = append(create, s)
		}
	}
	if err := createTopics(ctx, cn, cl, create, log); err != nil {
		return err
	}
	if len(check) == 0 {
		return nil
	}

	req := &kafka.DescribeConfigsRequest{}
	for _, s := range check {
		names := []string{"cleanup.policy", "retention.ms", "max.message.bytes", "min.insync.replicas"}
		for _, c := range s.Configs {
			names = append(names, c.ConfigName)
		}
		req.Resources = append(req.Resources, kafka.DescribeConfigRequestResource{
			ResourceType: kafka.ResourceTypeTopic, ResourceName: s.Name, ConfigNames: names,
		})
	}
	checked := make([]string, len(check))
	for i, s := range check {
		checked[i] = s.Name
	}
	got, err := describeConfigs(ctx, cn, cl, req, checked, log)
	if err != nil {
		return fmt.Errorf("provision topics: %w", err)
	}
	var errs []error
	for _, s := range check {
		cfgs, t := got[s.Name], existing[s.Name]
		if s.ExactPartitions && len(t.Partitions) != s.Partitions {
			// First: its fix (delete and re-create) fixes the policy too, which a topic
			// re-created by a broker's auto-create gets wrong beside the count.
			errs = append(errs, &IncompatibleTopicError{Topic: s.Name, Setting: "partitions",
				Want: strconv.Itoa(s.Partitions), Got: strconv.Itoa(len(t.Partitions))})
			continue
		}
		// unbounded: its retention and segment.ms do nothing yet, the
		// warning's command sets them
		unbounded, err := checkPolicy(log, cn, s, cfgs["cleanup.policy"])
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if len(t.Partitions) != s.Partitions {
			log.Warn("kafka topic has a different partition count than configured; keys map to partitions by the existing count",
				"topic", s.Name, "partitions", len(t.Partitions), "configured_partitions", s.Partitions)
		}
		if len(t.Partitions) > 0 && len(t.Partitions[0].Replicas) < s.ReplicationFactor {
			log.Warn("kafka topic has fewer replicas than configured",
				"topic", s.Name, "replication_factor", len(t.Partitions[0].Replicas), "configured_replication_factor", s.ReplicationFactor)
		}
		if v, err := strconv.Atoi(cfgs["min.insync.replicas"]); err == nil && v < s.MinInsyncReplicas {
			log.Warn("kafka topic acknowledges writes with fewer in-sync replicas than configured",
				"topic", s.Name, "min_insync_replicas", v, "configured_min_insync_replicas", s.MinInsyncReplicas)
		}
		if s.Retention > 0 && !unbounded && cfgs["retention.ms"] != strconv.FormatInt(s.Retention.Milliseconds(), 10) {
			log.Warn("kafka topic has a different retention than configured",
				"topic", s.Name, "retention_ms", cfgs["retention.ms"], "configured_retention", s.Retention.String())
		}
		if v, err := strconv.Atoi(cfgs["max.message.bytes"]); err == nil && v < maxMessageBytes {
			log.Warn("kafka topic accepts smaller records than kafka.max_message_bytes; larger ones will be refused by the broker and dead-lettered",
				"topic", s.Name, "topic_max_message_bytes", v, "max_message_bytes", maxMessageBytes)
		}
		var differ, have, wanted []string
		for _, c := range s.Configs {
			if !sameConfigValue(cfgs[c.ConfigName], c.ConfigValue) {
				differ = append(differ, c.ConfigName+"="+c.ConfigValue)
				have = append(have, c.ConfigName+"="+cfgs[c.ConfigName])
				wanted = append(wanted, c.ConfigName)
			}
		}
		if len(differ) > 0 && !unbounded {
			// one line per topic, with one command for all its settings
			log.Warn("kafka topic has other configs than wirestream creates it with; change them with the command given (add --command-config for a cluster with SASL or TLS)",
				"topic", s.Name, "configs", strings.Join(wanted, ","), "values", strings.Join(have, ","),
				"command", alterConfigsCommand(strings.Join(cn.brokers, ","), s.Name, strings.Join(differ, ",")))
		}
	}
	return errors.Join(errs...)
}

// createTopics creates specs, retrying what a controller election or a slow broker answers
// within AdminTimeout, and returns once each new partition has a leader.
func createTopics(ctx context.Context, cn Conn, cl *kafka.Client, specs []TopicSpec, log *slog.Logger) error {
	if len(specs) == 0 {
		return nil
	}
	names := make([]string, len(specs))
	for i, s := range specs {
		names[i] = s.Name
	}
	created := map[string]bool{}
	attempts := 0
	err := cn.Admin(ctx, log, AdminTimeout, "create topics", names, func(ctx context.Context) error {
		client := cl
		if attempts++; attempts > 1 {
			// A retry after NOT_CONTROLLER or a moved leader asks a new client:
			// cl's metadata, refreshed only on its TTL's timer, would send it
			// to the same broker again.
			fresh, done := cn.Client(AdminTimeout)
			defer done()
			client = fresh
		}
		req := &kafka.CreateTopicsRequest{}
		for _, s := range specs {
			if !created[s.Name] {
				req.Topics = append(req.Topics, kafka.TopicConfig{
					Topic: s.Name, NumPartitions: s.Partitions, ReplicationFactor: s.ReplicationFactor,
					ConfigEntries: s.configEntries(),
				})
			}
		}
		res, err := client.CreateTopics(ctx, req)
		if err != nil {
			return err
		}
		var errs []error
		for _, s := range specs {
			if created[s.Name] {
				continue
			}
			switch err := res.Errors[s.Name]; {
			case err == nil:
				created[s.Name] = true
				log.Info("created kafka topic", "topic", s.Name, "partitions", s.Partitions,
					"replication_factor", s.ReplicationFactor, "cleanup_policy", s.CleanupPolicy)
			case errors.Is(err, kafka.TopicAlreadyExists):
				// Another wirestream created it between our metadata and create, or an
				// earlier attempt did and its answer was lost.
				created[s.Name] = true
			default:
				errs = append(errs, fmt.Errorf("%s: %w", s.Name, err))
			}
		}
		if len(errs) == 1 {
			return errs[0] // keeps a single error's Temporary() for Retriable
		}
		if len(errs) > 0 && Retriable(errs[0]) {
			return fmt.Errorf("%w (and %d more topics)", errs[0], len(errs)-1)
		}
		return errors.Join(errs...)
	})
	if err != nil {
		return fmt.Errorf("provision topics: %w", err)
	}
	return waitForLeaders(ctx, cn, specs, log)
}

// waitForLeaders returns once every partition of the new topics has a
// leader: CreateTopics answers when the controller committed the topic, and
// a produce a moment later can still meet UNKNOWN_TOPIC_OR_PARTITION. Each
// look is a new client's metadata (a client's cache is not refreshed within
// its timeout), bounded by AdminTimeout.
func waitForLeaders(ctx context.Context, cn Conn, specs []TopicSpec, log *slog.Logger) error {
	names := make([]string, len(specs))
	for i, s := range specs {
		names[i] = s.Name
	}
	err := cn.Admin(ctx, nil, AdminTimeout, "wait for partition leaders", names, func(ctx context.Context) error {
		cl, done := cn.Client(AdminTimeout)
		defer done()
		md, err := cl.Metadata(ctx, &kafka.MetadataRequest{Topics: names})
		if err != nil {
			return err
		}
		for _, t := range md.Topics {
			if t.Error != nil {
				return fmt.Errorf("%s: %w", t.Name, t.Error)
			}
			if len(t.Partitions) == 0 {
				return fmt.Errorf("%s: %w", t.Name, protocol.ErrNoPartition)
			}
			for _, p := range t.Partitions {
				if p.Error != nil {
					return fmt.Errorf("%s/%d: %w", t.Name, p.ID, p.Error)
				}
				if p.Leader.Host == "" {
					return fmt.Errorf("%s/%d: %w", t.Name, p.ID, protocol.ErrNoLeader)
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("provision topics: %w", err)
	}
	return nil
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

// sameConfigValue compares a topic config as the broker reports it with
// the value wirestream sets: as numbers when both are ("0.5" and "0.50",
// "1" and "1.0" are one setting), else as text.
func sameConfigValue(have, want string) bool {
	if have == want {
		return true
	}
	h, herr := strconv.ParseFloat(have, 64)
	w, werr := strconv.ParseFloat(want, 64)
	return herr == nil && werr == nil && h == w
}
