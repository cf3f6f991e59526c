package kafka

import (
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/internal/testkit"
	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	"github.com/wirestream/wirestream/pipeline/record"
)

// Round 30: the events topic compacts and deletes, so an expired event's last record
// goes retention after it was written instead of never; a topic made before, which
// only compacts, is used as it is, with a warning that gives the command adding the bound.

func TestRealBrokerCreatesTheEventsTopicBounded(t *testing.T) {
	brokers := kafkatest.Brokers(t)
	cfg := realConfig(t, brokers)
	newSink(t, cfg, nil)
	got := topicConfigs(t, brokers, cfg.TopicName(record.TypeEvent))
	want := map[string]string{
		"cleanup.policy": "compact,delete",
		"retention.ms":   strconv.FormatInt(EventsRetention.Milliseconds(), 10),
		"segment.ms":     strconv.FormatInt(compactSegment.Milliseconds(), 10),
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s created with %s=%q, want %q", cfg.TopicName(record.TypeEvent), k, got[k], v)
		}
	}
	// The feed_status table still only compacts: a feed's last status stays.
	if p := topicConfigs(t, brokers, cfg.TopicName(record.TypeFeedStatus))["cleanup.policy"]; p != "compact" {
		t.Errorf("feed_status created with cleanup.policy=%q, want compact", p)
	}
}

func TestRealBrokerChecksAnEventsTopicMadeBeforeTheBound(t *testing.T) {
	brokers := kafkatest.Brokers(t)
	tests := []struct {
		name   string
		policy string
		refuse bool   // an *IncompatibleTopicError on cleanup.policy
		says   string // in the warning or the refusal
	}{
		{name: "a topic that only compacts is used, with the command that bounds it", policy: "compact",
			says: "--add-config cleanup.policy=[compact,delete],retention.ms=2592000000,segment.ms=86400000"},
		{name: "a topic that only deletes is refused, with the command that fixes it", policy: "delete", refuse: true,
			says: "--add-config cleanup.policy=[compact,delete] "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := realConfig(t, brokers)
			events := cfg.TopicName(record.TypeEvent)
			cl := &kafka.Client{Addr: kafka.TCP(brokers...), Transport: &kafka.Transport{}, Timeout: 10 * time.Second}
			defer cl.Transport.(*kafka.Transport).CloseIdleConnections()
			res, err := cl.CreateTopics(t.Context(), &kafka.CreateTopicsRequest{Topics: []kafka.TopicConfig{{
				Topic: events, NumPartitions: 3, ReplicationFactor: 1,
				ConfigEntries: []kafka.ConfigEntry{{ConfigName: "cleanup.policy", ConfigValue: tt.policy}},
			}}})
			if err == nil {
				err = res.Errors[events]
			}
			if err != nil {
				t.Fatalf("create %s: %v", events, err)
			}
			var logs lockedBuffer
			log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
			s, err := New(t.Context(), cfg, log, nil)
			if s != nil {
				defer s.Close(t.Context())
			}
			var inc *IncompatibleTopicError
			switch {
			case tt.refuse && (!errors.As(err, &inc) || inc.Topic != events || inc.Setting != "cleanup.policy"):
				t.Fatalf("New = %v, want it refused for its cleanup.policy", err)
			case tt.refuse && !strings.Contains(err.Error(), tt.says):
				t.Errorf("the refusal does not give the command %q:\n%v", tt.says, err)
			case !tt.refuse && err != nil:
				t.Fatalf("New = %v, want the topic used as it is", err)
			case !tt.refuse && !strings.Contains(logs.String(), tt.says):
				t.Errorf("no warning with the command %q; logged:\n%s", tt.says, logs.String())
			}
			// Nothing was altered behind the operator's back.
			if p := topicConfigs(t, brokers, events)["cleanup.policy"]; p != tt.policy {
				t.Errorf("%s has cleanup.policy=%q after the start, want it left %q", events, p, tt.policy)
			}
		})
	}
}

// lockedBuffer is a log destination the test reads while others write to it.
type lockedBuffer = testkit.LockedBuffer
