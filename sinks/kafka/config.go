package kafka

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/sinks/encode"
)

// PasswordEnv is the environment variable the config loader reads the SASL
// password from; it wins over sasl.password and sasl.password_file.
const PasswordEnv = "WIRESTREAM_KAFKA_SASL_PASSWORD"

// UsernameEnv is the environment variable the config loader reads the
// SASL username from, named in validation messages as PasswordEnv is.
const UsernameEnv = "WIRESTREAM_KAFKA_SASL_USERNAME"

// Config is the `kafka:` section of the configuration.
type Config struct {
	// Brokers are host:port seeds. Empty means "no external Kafka": the
	// command starts the embedded development broker instead.
	Brokers     []string     `yaml:"brokers"`
	TopicPrefix string       `yaml:"topic_prefix"`
	Topics      TopicsConfig `yaml:"topics"`

	Compression string `yaml:"compression"` // zstd, snappy, lz4, gzip, none
	// CompressionLevel is the codec's level: zstd 1–22, gzip 1–9, 0 for the
	// default (zstd DefaultZstdLevel, gzip DefaultGzipLevel); lz4, snappy
	// and none take only 0. One per process: kafka-go keeps its codecs in a
	// process-wide table, so every writer of the process shares the level
	// the first sink installed (see installCompression).
	CompressionLevel int    `yaml:"compression_level"`
	Balancer         string `yaml:"balancer"` // hash (kafka-go FNV-1a), murmur2 (same partitions as Java clients)

	BatchSize       int           `yaml:"batch_size"`        // records per partition batch
	BatchBytes      int64         `yaml:"batch_bytes"`       // bytes per partition batch (uncompressed)
	BatchTimeout    time.Duration `yaml:"batch_timeout"`     // how long a partial batch waits for more records
	WriteTimeout    time.Duration `yaml:"write_timeout"`     // one produce request, acks included
	MaxAttempts     int           `yaml:"max_attempts"`      // kafka-go's attempts per batch before the sink's own retry loop takes over
	RetryBackoffMin time.Duration `yaml:"retry_backoff_min"` // first pause between the sink's retries
	RetryBackoffMax time.Duration `yaml:"retry_backoff_max"` // longest pause between the sink's retries
	MaxMessageBytes int           `yaml:"max_message_bytes"` // a record whose message is larger goes to the dead-letter topic

	TLS  TLSConfig  `yaml:"tls"`
	SASL SASLConfig `yaml:"sasl"`

	// Instance is this wirestream's instance id, sent as the produced-by
	// header of every message. Not a file setting: every role sets it.
	Instance string `yaml:"-"`

	// Provision creates missing topics at start-up (and re-creates a topic
	// deleted while running) with the settings under topics:. Off, a missing
	// topic's records go to the dead-letter topic.
	Provision bool `yaml:"provision"`

	// SinkFence, "on", makes the active processor write its records as raw batches under a
	// producer id and epoch of its own per items partition (internal/epochsink), so that a
	// batch it left on the wire when the partition moved is refused once the next owner
	// wrote there; a processor that cannot take the epoch does not become active. "auto" (the
	// default, or empty) fences where the cluster can host the transaction coordinator and otherwise
	// writes unfenced with one warning (as state.changelog.fence: auto). "off" writes with
	// kafka-go's Writer, unfenced.
	SinkFence string `yaml:"sink_fence"`
}

// The kafka.sink_fence modes.
const (
	SinkFenceOff  = "off"
	SinkFenceOn   = "on"
	SinkFenceAuto = "auto"
)

// TopicsConfig holds one TopicConfig per record type.
type TopicsConfig struct {
	Stories     TopicConfig `yaml:"stories"`
	Duplicates  TopicConfig `yaml:"duplicates"`
	Events      TopicConfig `yaml:"events"`
	Alerts      TopicConfig `yaml:"alerts"`
	FeedStatus  TopicConfig `yaml:"feed_status"`
	DeadLetters TopicConfig `yaml:"dead_letters"`
}

// TopicConfig is how one topic is named and provisioned.
type TopicConfig struct {
	Name              string        `yaml:"name"` // appended to topic_prefix
	Partitions        int           `yaml:"partitions"`
	ReplicationFactor int           `yaml:"replication_factor"`
	CleanupPolicy     string        `yaml:"cleanup_policy"` // delete, compact, or "compact,delete"
	Retention         time.Duration `yaml:"retention"`      // retention.ms; 0 leaves the broker default
	// Format of the topic's values: native or ninjs (see sinks/encode);
	// "" follows output.format. Only stories have a ninjs form.
	Format string `yaml:"format"`
	// MinInsyncReplicas is min.insync.replicas on creation (0 leaves the
	// broker default): with acks=all a write is acknowledged once this many
	// replicas have it, so 2 of 3 survives the loss of a broker.
	MinInsyncReplicas int `yaml:"min_insync_replicas"`
}

// TLSConfig enables TLS to the brokers.
type TLSConfig struct {
	Enabled            bool   `yaml:"enabled"`
	CAFile             string `yaml:"ca_file"`
	CertFile           string `yaml:"cert_file"`
	KeyFile            string `yaml:"key_file"`
	InsecureSkipVerify bool   `yaml:"insecure_skip_verify"`
	ServerName         string `yaml:"server_name"`
}

// SASLConfig selects SASL authentication. The password comes, in order of
// precedence, from $WIRESTREAM_KAFKA_SASL_PASSWORD (applied by the config
// loader), password_file, or password.
type SASLConfig struct {
	Mechanism    string `yaml:"mechanism"` // "", PLAIN, SCRAM-SHA-256, SCRAM-SHA-512
	Username     string `yaml:"username"`
	Password     string `yaml:"password"`
	PasswordFile string `yaml:"password_file"`
}

// EventsRetention is the events topic's default retention: how long an
// event's last record (an expired event's final state, with merged_into)
// stays after it was written, so a story's event_id and a merged_into
// chain resolve for at least that long. 30 days outlives the stories
// topic's week: an event's final record is written after every story it
// holds, so each story still in the stories topic resolves.
const EventsRetention = 30 * 24 * time.Hour

// DefaultConfig is a development-friendly, production-safe starting point:
// acks from all replicas always, small batches that leave within 1 ms, and
// replication factor 1 (raise it to 3 on a real cluster).
func DefaultConfig() Config {
	week := 7 * 24 * time.Hour
	return Config{
		TopicPrefix: "wirestream.",
		Topics: TopicsConfig{
			Stories:    TopicConfig{Name: "stories", Partitions: 6, ReplicationFactor: 1, CleanupPolicy: "delete", Retention: week},
			Duplicates: TopicConfig{Name: "duplicates", Partitions: 3, ReplicationFactor: 1, CleanupPolicy: "delete", Retention: week},
			// compact,delete: an expired event's last record goes EventsRetention after
			// it was written, not never (README "Topics and records").
			Events:      TopicConfig{Name: "events", Partitions: 3, ReplicationFactor: 1, CleanupPolicy: "compact,delete", Retention: EventsRetention},
			Alerts:      TopicConfig{Name: "alerts", Partitions: 1, ReplicationFactor: 1, CleanupPolicy: "delete", Retention: 4 * week},
			FeedStatus:  TopicConfig{Name: "feed_status", Partitions: 1, ReplicationFactor: 1, CleanupPolicy: "compact"},
			DeadLetters: TopicConfig{Name: "dead_letters", Partitions: 1, ReplicationFactor: 1, CleanupPolicy: "delete", Retention: 2 * week},
		},
		Compression: "zstd",
		Balancer:    "hash",
		// kafka-go allocates BatchSize messages (≈150 B each) for every
		// partition batch it opens, however few records it gets: at 500 a
		// 20-record write across a dozen partitions allocated ~700 KB.
		// 100 records of ~1 KB still fill a produce request well (Java's
		// default batch is 16 KB), and a large write was as fast.
		BatchSize:  100,
		BatchBytes: 1 << 20, // kafka-go's default, under the broker's default message.max.bytes (1048588)
		// Writes are synchronous and hand kafka-go all their records in one
		// call, so a partition batch holds the write's records whatever the
		// timeout; a batch that is not full then waits the whole timeout
		// before it is sent, only to catch records of other writes. 1 ms
		// (like the changelog's writer) takes most of that wait off every
		// write; the pipeline coalesces writes itself when the sink lags.
		BatchTimeout:    time.Millisecond,
		WriteTimeout:    10 * time.Second,
		MaxAttempts:     3,
		RetryBackoffMin: 100 * time.Millisecond,
		RetryBackoffMax: 5 * time.Second,
		MaxMessageBytes: 1_000_000,
		Provision:       true,
		SinkFence:       SinkFenceAuto,
	}
}

// Topic returns the settings of the topic that records of type t go to.
func (c Config) Topic(t record.Type) TopicConfig {
	switch t {
	case record.TypeStory:
		return c.Topics.Stories
	case record.TypeDuplicate:
		return c.Topics.Duplicates
	case record.TypeEvent:
		return c.Topics.Events
	case record.TypeAlert:
		return c.Topics.Alerts
	case record.TypeFeedStatus:
		return c.Topics.FeedStatus
	default: // dead letters, and anything unknown rather than losing it
		return c.Topics.DeadLetters
	}
}

// WithFormat returns c with every topic whose format is unset following
// format (output.format), as far as the topic's records have that form:
// non-story topics stay native.
func (c Config) WithFormat(format string) Config {
	if c.Topics.Stories.Format == "" {
		c.Topics.Stories.Format = format
	}
	for _, tc := range []*TopicConfig{&c.Topics.Stories, &c.Topics.Duplicates, &c.Topics.Events,
		&c.Topics.Alerts, &c.Topics.FeedStatus, &c.Topics.DeadLetters} {
		if tc.Format == "" {
			tc.Format = encode.Native
		}
	}
	return c
}

// TopicName is the full topic name for records of type t.
func (c Config) TopicName(t record.Type) string { return c.TopicPrefix + c.Topic(t).Name }

// topicsByType is TopicName of every record type, built once for a sink:
// joining the prefix and the name was an allocation per record.
func topicsByType(c Config) map[record.Type]string {
	m := make(map[record.Type]string, len(record.Types))
	for _, t := range record.Types {
		m[t] = c.TopicName(t)
	}
	return m
}

// TopicNames are the full names of every record type's topic, in
// record.Types order.
func (c Config) TopicNames() []string {
	names := make([]string, len(record.Types))
	for i, t := range record.Types {
		names[i] = c.TopicName(t)
	}
	return names
}

// TopicKey is the YAML path of a record type's topic settings
// ("kafka.topics.stories"), for messages that name the key to set.
func TopicKey(t record.Type) string { return topicKey(t) }

// topicKey is the YAML path of a record type's topic settings, for errors.
func topicKey(t record.Type) string {
	switch t {
	case record.TypeStory:
		return "kafka.topics.stories"
	case record.TypeDuplicate:
		return "kafka.topics.duplicates"
	case record.TypeEvent:
		return "kafka.topics.events"
	case record.TypeAlert:
		return "kafka.topics.alerts"
	case record.TypeFeedStatus:
		return "kafka.topics.feed_status"
	default:
		return "kafka.topics.dead_letters"
	}
}

// Validate reports every problem at once, each naming its key.
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }

	switch c.SinkFence {
	case "", SinkFenceOff, SinkFenceOn, SinkFenceAuto:
	default:
		bad("kafka.sink_fence: want %s, %s or %s, got %q", SinkFenceAuto, SinkFenceOn, SinkFenceOff, c.SinkFence)
	}
	for i, b := range c.Brokers {
		if err := checkBroker(b); err != nil {
			bad("kafka.brokers[%d]: %v", i, err)
		}
	}
	if !validTopicChars(c.TopicPrefix) {
		bad("kafka.topic_prefix: only letters, digits, '.', '_' and '-' are allowed, got %q", c.TopicPrefix)
	}
	names := map[string]string{}
	for _, t := range record.Types {
		tc, key := c.Topic(t), topicKey(t)
		full := c.TopicName(t)
		switch {
		case tc.Name == "":
			bad("%s.name: must not be empty", key)
		case !validTopicChars(tc.Name):
			bad("%s.name: only letters, digits, '.', '_' and '-' are allowed, got %q", key, tc.Name)
		case len(full) > 249:
			bad("%s.name: topic %q is longer than Kafka's 249 characters", key, full)
		}
		if other, dup := names[full]; dup {
			bad("%s.name: topic %q is already used by %s", key, full, other)
		}
		names[full] = key
		if tc.Partitions < 1 {
			bad("%s.partitions: must be >= 1, got %d", key, tc.Partitions)
		}
		if tc.ReplicationFactor < 1 {
			bad("%s.replication_factor: must be >= 1, got %d", key, tc.ReplicationFactor)
		}
		switch tc.CleanupPolicy {
		case "delete", "compact", "compact,delete", "delete,compact":
		default:
			bad("%s.cleanup_policy: want delete, compact or \"compact,delete\", got %q", key, tc.CleanupPolicy)
		}
		if tc.MinInsyncReplicas < 0 || tc.MinInsyncReplicas > tc.ReplicationFactor {
			bad("%s.min_insync_replicas: must be within [0, replication_factor (%d)], got %d", key, tc.ReplicationFactor, tc.MinInsyncReplicas)
		}
		if tc.Retention < 0 {
			bad("%s.retention: must be >= 0 (0 keeps the broker default), got %v", key, tc.Retention)
		}
		switch err := encode.Check(key+".format", tc.Format); {
		case tc.Format == "": // follows output.format
		case err != nil:
			errs = append(errs, err)
		case tc.Format == encode.Ninjs && t != record.TypeStory:
			bad("%s.format: only stories have a ninjs form; %s records are always written native, got %q", key, t, tc.Format)
		}
	}
	// Events and feed status are tables keyed by id: without compaction a
	// consumer rebuilding the latest state would read every revision forever.
	for _, t := range []record.Type{record.TypeEvent, record.TypeFeedStatus} {
		if tc := c.Topic(t); !strings.Contains(tc.CleanupPolicy, "compact") {
			bad("%s.cleanup_policy: must include compact (the topic holds the latest state per key), got %q",
				topicKey(t), tc.CleanupPolicy)
		} else if strings.Contains(tc.CleanupPolicy, "delete") && tc.Retention == 0 {
			// 0 would leave how long a key stays to the broker's log.retention.*, unseen.
			bad("%s.retention: must be > 0 when cleanup_policy is %q: it is how long a key stays after its last record",
				topicKey(t), tc.CleanupPolicy)
		}
	}

	if _, err := compressionCodec(c.Compression); err != nil {
		bad("kafka.compression: %v", err)
	} else if _, err := compressionLevel(c.Compression, c.CompressionLevel); err != nil {
		bad("kafka.compression_level: %v", err)
	}
	if c.Balancer != "hash" && c.Balancer != "murmur2" {
		bad("kafka.balancer: want hash or murmur2, got %q", c.Balancer)
	}
	if c.BatchSize < 1 {
		bad("kafka.batch_size: must be >= 1, got %d", c.BatchSize)
	}
	if c.BatchBytes < 1 {
		bad("kafka.batch_bytes: must be >= 1, got %d", c.BatchBytes)
	}
	if c.BatchTimeout <= 0 {
		bad("kafka.batch_timeout: must be > 0, got %v", c.BatchTimeout)
	}
	if c.WriteTimeout <= 0 {
		bad("kafka.write_timeout: must be > 0, got %v", c.WriteTimeout)
	}
	if c.MaxAttempts < 1 {
		bad("kafka.max_attempts: must be >= 1, got %d", c.MaxAttempts)
	}
	if c.RetryBackoffMin <= 0 {
		bad("kafka.retry_backoff_min: must be > 0, got %v", c.RetryBackoffMin)
	}
	if c.RetryBackoffMax < c.RetryBackoffMin {
		bad("kafka.retry_backoff_max: must be >= retry_backoff_min (%v), got %v", c.RetryBackoffMin, c.RetryBackoffMax)
	}
	if c.MaxMessageBytes < 1024 {
		bad("kafka.max_message_bytes: must be >= 1024, got %d", c.MaxMessageBytes)
	}
	// kafka-go fails a whole WriteMessages call when one message exceeds
	// batch_bytes; the sink routes such records to dead letters first, so it
	// must catch them by max_message_bytes before kafka-go sees them.
	if int64(c.MaxMessageBytes) > c.BatchBytes {
		bad("kafka.max_message_bytes: must be <= batch_bytes (%d), got %d", c.BatchBytes, c.MaxMessageBytes)
	}

	if c.TLS.Enabled {
		if (c.TLS.CertFile == "") != (c.TLS.KeyFile == "") {
			bad("kafka.tls: cert_file and key_file must be set together")
		}
	} else if c.TLS.CAFile != "" || c.TLS.CertFile != "" || c.TLS.KeyFile != "" || c.TLS.InsecureSkipVerify || c.TLS.ServerName != "" {
		bad("kafka.tls.enabled: is false but other tls keys are set")
	}
	switch c.SASL.Mechanism {
	case "":
		if c.SASL.Username != "" || c.SASL.Password != "" || c.SASL.PasswordFile != "" {
			bad("kafka.sasl.mechanism: must be set (PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512) when a SASL username or password is set")
		}
	case "PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512":
		if c.SASL.Username == "" {
			bad("kafka.sasl.username: must be set (or $%s) for mechanism %s", UsernameEnv, c.SASL.Mechanism)
		}
		if c.SASL.Password == "" && c.SASL.PasswordFile == "" {
			bad("kafka.sasl.password: must be set (or password_file, or $%s) for mechanism %s", PasswordEnv, c.SASL.Mechanism)
		}
	default:
		bad("kafka.sasl.mechanism: want PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512, got %q", c.SASL.Mechanism)
	}
	return errors.Join(errs...)
}

func validTopicChars(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

// ResolveSecrets returns c with sasl.password read from sasl.password_file
// when no password was given directly or through the environment. Call it
// after applying environment overrides and before New. Trailing newlines in
// the file are dropped (editors and `echo` add them).
func (c Config) ResolveSecrets() (Config, error) {
	if c.SASL.Password != "" || c.SASL.PasswordFile == "" {
		return c, nil
	}
	b, err := os.ReadFile(c.SASL.PasswordFile)
	if err != nil {
		return c, fmt.Errorf("kafka.sasl.password_file: %w", err)
	}
	c.SASL.Password = strings.TrimRight(string(b), "\r\n")
	if c.SASL.Password == "" {
		return c, fmt.Errorf("kafka.sasl.password_file: %s is empty", c.SASL.PasswordFile)
	}
	return c, nil
}

// ResolveTopic accepts a full topic name, a record type ("story") or a
// topic's configured name ("stories") and returns the full topic name.
func (c Config) ResolveTopic(name string) string {
	for _, t := range record.Types {
		if name == string(t) || name == c.Topic(t).Name {
			return c.TopicName(t)
		}
	}
	return name
}

// checkBroker accepts a seed broker's address as the client dials it:
// host:port (an IPv6 host in brackets) with a host name or IP and a port
// from 1 to 65535, so that `validate` refuses what `run` could not dial
// ("not a host:abc", "127.0.0.1:99999") instead of passing it.
func checkBroker(addr string) error {
	if addr == "" {
		// Two commas in a row in a comma-separated list, or "" in a YAML one.
		return errors.New("empty item, want host:port")
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil || host == "" || port == "" {
		if h := strings.Trim(addr, "[]"); err != nil && h != "" && !strings.ContainsAny(h, " /\t:") {
			// A bare host is the usual slip: say the address meant.
			return fmt.Errorf("want host:port, got %q: did you mean %q (Kafka's usual port)?", addr, net.JoinHostPort(h, "9092"))
		}
		return fmt.Errorf("want host:port, got %q", addr)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return fmt.Errorf("port %q of %q is not a number from 1 to 65535", port, addr)
	}
	if strings.ContainsAny(host, " /\t") {
		return fmt.Errorf("host %q of %q is not a host name or IP address", host, addr)
	}
	return nil
}
