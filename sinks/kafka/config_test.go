package kafka

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/testkit"
	"github.com/wirestream/wirestream/pipeline/record"
)

func TestDefaultConfigIsValid(t *testing.T) {
	c := DefaultConfig()
	c.Brokers = []string{"127.0.0.1:9092"}
	if err := c.Validate(); err != nil {
		t.Fatalf("DefaultConfig().Validate() = %v", err)
	}
	if err := DefaultConfig().Validate(); err != nil {
		t.Fatalf("DefaultConfig without brokers (embedded broker case) = %v", err)
	}
}

func TestTopicNames(t *testing.T) {
	c := DefaultConfig()
	want := map[record.Type]string{
		record.TypeStory: "wirestream.stories", record.TypeDuplicate: "wirestream.duplicates",
		record.TypeEvent: "wirestream.events", record.TypeAlert: "wirestream.alerts",
		record.TypeFeedStatus: "wirestream.feed_status", record.TypeDeadLetter: "wirestream.dead_letters",
		record.Type("unknown"): "wirestream.dead_letters",
	}
	for typ, name := range want {
		if got := c.TopicName(typ); got != name {
			t.Errorf("TopicName(%q) = %q, want %q", typ, got, name)
		}
	}
	for in, out := range map[string]string{"story": "wirestream.stories", "stories": "wirestream.stories",
		"feed_status": "wirestream.feed_status", "other.topic": "other.topic"} {
		if got := c.ResolveTopic(in); got != out {
			t.Errorf("ResolveTopic(%q) = %q, want %q", in, got, out)
		}
	}
}

// output.format applies to the topics that leave theirs unset, and only
// stories have a ninjs form.
func TestWithFormat(t *testing.T) {
	for _, tt := range []struct {
		name, stories, output, want string
	}{
		{"an unset stories topic follows output.format", "", "ninjs", "ninjs"},
		{"a stories topic set to native keeps it", "native", "ninjs", "native"},
		{"a stories topic set to ninjs keeps it", "ninjs", "native", "ninjs"},
		{"nothing set is native", "", "", "native"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := DefaultConfig()
			c.Topics.Stories.Format = tt.stories
			got := c.WithFormat(tt.output)
			if got.Topics.Stories.Format != tt.want || got.Topics.Events.Format != "native" {
				t.Errorf("stories %q events %q, want %q and native", got.Topics.Stories.Format, got.Topics.Events.Format, tt.want)
			}
		})
	}
}

func TestValidateNamesTheKey(t *testing.T) {
	tests := []testkit.ConfigCase[Config]{
		{"a broker without a port is refused", func(c *Config) { c.Brokers = []string{"kafka-1"} }, `kafka.brokers[0]: want host:port, got "kafka-1": did you mean "kafka-1:9092" (Kafka's usual port)?`},
		{"a bare localhost gets the address meant", func(c *Config) { c.Brokers = []string{"localhost"} }, `kafka.brokers[0]: want host:port, got "localhost": did you mean "localhost:9092" (Kafka's usual port)?`},
		{"a port-less address that is no host gets no guess", func(c *Config) { c.Brokers = []string{"kafka 1"} }, `kafka.brokers[0]: want host:port, got "kafka 1"`},
		{"a broker port over 65535 is refused", func(c *Config) { c.Brokers = []string{"127.0.0.1:99999"} }, `kafka.brokers[0]: port "99999" of "127.0.0.1:99999" is not a number from 1 to 65535`},
		{"a broker port that is no number is refused", func(c *Config) { c.Brokers = []string{"kafka-1:abc"} }, `kafka.brokers[0]: port "abc" of "kafka-1:abc" is not a number`},
		{"an empty broker is refused where it is", func(c *Config) { c.Brokers = []string{"kafka-1:9092", ""} }, `kafka.brokers[1]: empty item, want host:port`},
		{"a broker host with a space is refused", func(c *Config) { c.Brokers = []string{"not a host:9092"} }, `kafka.brokers[0]: host "not a host" of "not a host:9092" is not a host name`},
		{"a prefix with a slash is refused", func(c *Config) { c.TopicPrefix = "news/" }, "kafka.topic_prefix: only letters"},
		{"zero partitions are refused", func(c *Config) { c.Topics.Stories.Partitions = 0 }, "kafka.topics.stories.partitions: must be >= 1, got 0"},
		{"zero replicas are refused", func(c *Config) { c.Topics.Alerts.ReplicationFactor = 0 }, "kafka.topics.alerts.replication_factor: must be >= 1, got 0"},
		{"an unknown cleanup policy is refused", func(c *Config) { c.Topics.Duplicates.CleanupPolicy = "forever" }, `kafka.topics.duplicates.cleanup_policy: want delete, compact or "compact,delete", got "forever"`},
		{"a non-compacted events topic is refused", func(c *Config) { c.Topics.Events.CleanupPolicy = "delete" }, "kafka.topics.events.cleanup_policy: must include compact"},
		{"a non-compacted feed status topic is refused", func(c *Config) { c.Topics.FeedStatus.CleanupPolicy = "delete" }, "kafka.topics.feed_status.cleanup_policy: must include compact"},
		{"two record types on one topic are refused", func(c *Config) { c.Topics.Alerts.Name = "stories" }, `kafka.topics.alerts.name: topic "wirestream.stories" is already used by kafka.topics.stories`},
		{"an empty topic name is refused", func(c *Config) { c.Topics.DeadLetters.Name = "" }, "kafka.topics.dead_letters.name: must not be empty"},
		{"a min ISR over the replication factor is refused", func(c *Config) { c.Topics.Stories.MinInsyncReplicas = 2 }, "kafka.topics.stories.min_insync_replicas: must be within [0, replication_factor (1)], got 2"},
		{"negative retention is refused", func(c *Config) { c.Topics.Stories.Retention = -time.Hour }, "kafka.topics.stories.retention: must be >= 0"},
		{"an unknown codec is refused", func(c *Config) { c.Compression = "brotli" }, `kafka.compression: want zstd, snappy, lz4, gzip or none, got "brotli"`},
		{"an unknown balancer is refused", func(c *Config) { c.Balancer = "round_robin" }, `kafka.balancer: want hash or murmur2, got "round_robin"`},
		{"a zero batch timeout is refused", func(c *Config) { c.BatchTimeout = 0 }, "kafka.batch_timeout: must be > 0, got 0s"},
		{"zero attempts are refused", func(c *Config) { c.MaxAttempts = 0 }, "kafka.max_attempts: must be >= 1, got 0"},
		{"a max backoff under the min is refused", func(c *Config) { c.RetryBackoffMax = time.Millisecond }, "kafka.retry_backoff_max: must be >= retry_backoff_min (100ms), got 1ms"},
		{"a record limit over the batch limit is refused", func(c *Config) { c.MaxMessageBytes = 2 << 20 }, "kafka.max_message_bytes: must be <= batch_bytes (1048576), got 2097152"},
		{"TLS keys without TLS enabled are refused", func(c *Config) { c.TLS.CAFile = "/etc/ca.pem" }, "kafka.tls.enabled: is false but other tls keys are set"},
		{"a client cert without its key is refused", func(c *Config) { c.TLS = TLSConfig{Enabled: true, CertFile: "c.pem"} }, "kafka.tls: cert_file and key_file must be set together"},
		{"an unknown SASL mechanism is refused", func(c *Config) { c.SASL = SASLConfig{Mechanism: "GSSAPI", Username: "u", Password: "p"} }, `kafka.sasl.mechanism: want PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512, got "GSSAPI"`},
		{"SCRAM without a password is refused", func(c *Config) { c.SASL = SASLConfig{Mechanism: "SCRAM-SHA-512", Username: "u"} }, "kafka.sasl.password: must be set (or password_file, or $WIRESTREAM_KAFKA_SASL_PASSWORD) for mechanism SCRAM-SHA-512"},
		{"a username without a mechanism is refused", func(c *Config) { c.SASL.Username = "u" }, "kafka.sasl.mechanism: must be set"},
		{"the stories topic may be ninjs", func(c *Config) { c.Topics.Stories.Format = "ninjs" }, ""},
		{"an unknown format is refused", func(c *Config) { c.Topics.Stories.Format = "xml" }, `kafka.topics.stories.format: want native or ninjs, got "xml"`},
		{"ninjs on a topic without stories is refused", func(c *Config) { c.Topics.Events.Format = "ninjs" }, `kafka.topics.events.format: only stories have a ninjs form; event records are always written native, got "ninjs"`},
	}
	testkit.CheckValidate(t, func() Config {
		c := DefaultConfig()
		c.Brokers = []string{"127.0.0.1:9092"}
		return c
	}, tests)
}

func TestResolveSecretsReadsThePasswordFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "kafka-password")
	if err := os.WriteFile(path, []byte("s3cr3t-from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		sasl    SASLConfig
		want    string
		wantErr string
	}{
		{"a password from the file, newline dropped", SASLConfig{Mechanism: "PLAIN", Username: "u", PasswordFile: path}, "s3cr3t-from-file", ""},
		{"a password given directly (or by the env override) wins", SASLConfig{Mechanism: "PLAIN", Username: "u", Password: "from-env", PasswordFile: path}, "from-env", ""},
		{"a missing file is an error naming the key", SASLConfig{Mechanism: "PLAIN", Username: "u", PasswordFile: filepath.Join(dir, "nope")}, "", "kafka.sasl.password_file:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := DefaultConfig()
			c.SASL = tt.sasl
			got, err := c.ResolveSecrets()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ResolveSecrets() error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got.SASL.Password != tt.want {
				t.Fatalf("ResolveSecrets() = %q, %v; want %q", got.SASL.Password, err, tt.want)
			}
		})
	}
}

func TestSASLMechanismsBuild(t *testing.T) {
	for _, mech := range []string{"PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"} {
		m, err := SASLConfig{Mechanism: mech, Username: "wirestream", Password: "pw"}.mechanism()
		if err != nil || m.Name() != mech {
			t.Errorf("mechanism(%s) = %v, %v", mech, m, err)
		}
	}
}

// A broker written as the client dials it passes, an IPv6 host in brackets
// included: checkBroker refuses only what run could not dial.
func TestValidateTakesBrokersTheClientDials(t *testing.T) {
	for _, b := range []string{"kafka-1:9092", "127.0.0.1:19092", "[::1]:9092", "broker.example.com:9093"} {
		c := DefaultConfig()
		c.Brokers = []string{b}
		if err := c.Validate(); err != nil {
			t.Errorf("brokers %q: %v", b, err)
		}
	}
}
