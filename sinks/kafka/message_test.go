package kafka

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/internal/testkit/fixtures"
	"github.com/wirestream/wirestream/internal/testkit/ninjstest"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/sinks/encode"
)

// A story on a ninjs topic is a ninjs object, and its headers say so; the
// key and the headers consumers dedupe on are those of the native record.
func TestANinjsStoryMessage(t *testing.T) {
	enc, err := encode.New(encode.Ninjs)
	if err != nil {
		t.Fatal(err)
	}
	s := fixtures.Story(1)
	m, err := NewMessage("wirestream.stories", s, enc, fixtures.T0)
	if err != nil {
		t.Fatal(err)
	}
	if err := ninjstest.Load(t, "3.1").Validate(m.Value); err != nil {
		t.Error(err)
	}
	want := map[string]string{
		HeaderContentType:   `application/json; profile="http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json"`,
		HeaderSchemaVersion: "ninjs-3.1",
		HeaderRecordType:    "story",
		HeaderRecordID:      s.RecordID(),
	}
	for k, v := range want {
		if got := Header(m, k); got != v {
			t.Errorf("header %s = %q, want %q", k, got, v)
		}
	}
	if string(m.Key) != s.ID {
		t.Errorf("key %q, want the story id", m.Key)
	}
}

func TestBuildMessageHeaders(t *testing.T) {
	tests := []struct {
		name string
		rec  record.Record
		key  string
		want []string // header key=value, in order
	}{
		{"a story is keyed by story id and names its feed", fixtures.Story(1), "st_00019f3a2c1e", []string{
			"content-type=application/json", "schema-version=1", "record-type=story", "record-id=st_00019f3a2c1e@v1",
			"source-feed=https://feeds.example-news.org/world/rss.xml", "produced-at=2026-03-14T09:26:53.123456789Z"}},
		{"a duplicate is keyed by the original story's id", fixtures.Duplicate(), "st_00019f3a2c1e", []string{
			"content-type=application/json", "schema-version=1", "record-type=duplicate", "record-id=st_77aa01>st_00019f3a2c1e",
			"source-feed=https://wire.example.com/rss", "produced-at=2026-03-14T09:26:53.123456789Z"}},
		{"an event has no source feed header", fixtures.Event(), "ev_rates_2026_03", []string{
			"content-type=application/json", "schema-version=1", "record-type=event", "record-id=ev_rates_2026_03@r4",
			"produced-at=2026-03-14T09:26:53.123456789Z"}},
		{"an alert is keyed by its term", fixtures.Alert(), "place:gb", []string{
			"content-type=application/json", "schema-version=1", "record-type=alert", "record-id=al_place_GB_20260314T0900",
			"produced-at=2026-03-14T09:26:53.123456789Z"}},
		{"a feed status is keyed by feed URL", fixtures.FeedStatus(), "https://feeds.example-news.org/world/rss.xml", []string{
			"content-type=application/json", "schema-version=1", "record-type=feed_status",
			"record-id=https://feeds.example-news.org/world/rss.xml@2026-03-14T09:26:53Z",
			"source-feed=https://feeds.example-news.org/world/rss.xml", "produced-at=2026-03-14T09:26:53.123456789Z"}},
	}
	now := fixtures.T0.Add(123456789).In(mustZone(t, "Europe/Berlin")) // headers are UTC whatever the local zone
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := NewMessage("topic", tt.rec, encode.Encoder{}, now)
			if err != nil {
				t.Fatal(err)
			}
			if string(m.Key) != tt.key {
				t.Errorf("key = %q, want %q", m.Key, tt.key)
			}
			var got []string
			for _, h := range m.Headers {
				got = append(got, h.Key+"="+string(h.Value))
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("headers:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			var back map[string]any
			if err := json.Unmarshal(m.Value, &back); err != nil {
				t.Fatalf("value is not JSON: %v", err)
			}
			if back["type"] != string(tt.rec.RecordType()) || back["id"] == "" {
				t.Errorf("value has type %v id %v", back["type"], back["id"])
			}
			if !m.Time.Equal(now) || m.Topic != "topic" {
				t.Errorf("time %v topic %q", m.Time, m.Topic)
			}
		})
	}
}

func TestDeadLetterCarriesTheErrorAndATruncatedPayload(t *testing.T) {
	big := fixtures.Story(9)
	big.Body = strings.Repeat("Ünïcödé body text. ", 10000) // ~200 KB, multi-byte characters at the cut
	m, err := NewMessage("wirestream.stories", big, encode.Encoder{}, fixtures.T0)
	if err != nil {
		t.Fatal(err)
	}
	dl := deadLetterFor(m, kafka.MessageSizeTooLarge, fixtures.T0)
	if dl.ID != record.NewDeadLetter(record.StagePublish, "story:st_00099f3a2c1e@v1", "", errors.New("any"), fixtures.T0).ID || dl.Stage != "publish" || dl.FeedURL != big.Feed.URL {
		t.Errorf("dead letter = id %q stage %q feed %q", dl.ID, dl.Stage, dl.FeedURL)
	}
	if !strings.Contains(dl.Error, "Message Size Too Large") || !strings.Contains(dl.Error, "wirestream.stories") || !strings.Contains(dl.Error, "story st_00099f3a2c1e@v1") {
		t.Errorf("error = %q", dl.Error)
	}
	if len(dl.Payload) > record.MaxDeadLetterPayload+100 || !utf8.ValidString(dl.Payload) {
		t.Errorf("payload is %d bytes, valid UTF-8 %v", len(dl.Payload), utf8.ValidString(dl.Payload))
	}
	if !strings.HasPrefix(dl.Payload, `{"type":"story","id":"st_00099f3a2c1e"`) || !strings.Contains(dl.Payload, "[truncated: ") {
		t.Errorf("payload starts %.60q and ends %q", dl.Payload, dl.Payload[len(dl.Payload)-50:])
	}
	out, err := NewMessage("wirestream.dead_letters", dl, encode.Encoder{}, fixtures.T0)
	if err != nil || messageSize(out) > DefaultConfig().MaxMessageBytes {
		t.Errorf("dead letter message: %d bytes, %v", messageSize(out), err)
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		err  error
		want errClass
	}{
		{kafka.MessageSizeTooLarge, classReject},
		{kafka.WriteErrors{kafka.MessageSizeTooLarge}[0], classReject},
		{kafka.MessageTooLargeError{}, classReject},
		{kafka.InvalidRecord, classReject},
		{kafka.PolicyViolation, classReject},
		{kafka.UnknownTopicOrPartition, classTopicMissing},
		{fmt.Errorf("produce: %w", kafka.UnknownTopicOrPartition), classTopicMissing},
		{kafka.TopicAuthorizationFailed, classFatal},
		{kafka.SASLAuthenticationFailed, classFatal},
		{kafka.NotLeaderForPartition, classRetry},
		{kafka.RequestTimedOut, classRetry},
		{kafka.NotEnoughReplicasAfterAppend, classRetry},
		{kafka.KafkaStorageError, classRetry},
		{kafka.Unknown, classRetry},
		{errors.New("dial tcp 127.0.0.1:9092: connect: connection refused"), classRetry},
	}
	for _, tt := range tests {
		if got := classify(tt.err); got != tt.want {
			t.Errorf("classify(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}

// messageSize must not underestimate what kafka-go counts against
// batch_bytes, or a record under max_message_bytes could still make
// kafka-go fail a whole WriteMessages call.
func TestMessageSizeCoversKafkaGoAccounting(t *testing.T) {
	cfg := DefaultConfig()
	m, err := NewMessage("t", fixtures.Story(1), encode.Encoder{}, fixtures.T0)
	if err != nil {
		t.Fatal(err)
	}
	// Pad the value so the estimate sits exactly at batch_bytes: kafka-go
	// must accept it (its own MessageTooLargeError check) when our estimate
	// says it fits.
	m.Value = append(m.Value, make([]byte, int(cfg.BatchBytes)-messageSize(m))...)
	tr := &kafka.Transport{}
	defer tr.CloseIdleConnections()
	w := &kafka.Writer{Addr: kafka.TCP("127.0.0.1:1"), BatchBytes: cfg.BatchBytes, Transport: tr}
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
	defer cancel()
	err = w.WriteMessages(ctx, m)
	var tooLarge kafka.MessageTooLargeError
	if errors.As(err, &tooLarge) {
		t.Fatalf("kafka-go calls a %d-byte (estimated) message too large for batch_bytes %d", messageSize(m), cfg.BatchBytes)
	}
	_ = w.Close()
}

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Skipf("no tzdata for %s: %v", name, err)
	}
	return loc
}

// fitsStamped judges a message as it will be sent, stamp included, at the
// exact limit, and leaves the message as it was: the stamp is added once,
// where the message is sent.
func TestFitsStampedCountsTheStampWithoutAddingIt(t *testing.T) {
	for _, tc := range []struct {
		name     string
		instance string
	}{
		{"without an instance id nothing is stamped", ""},
		{"with an instance id its produced-by header is counted", "fetch-7"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.Instance = tc.instance
			m, err := NewMessage("t", fixtures.Story(1), encode.Encoder{}, fixtures.T0)
			if err != nil {
				t.Fatal(err)
			}
			headers := len(m.Headers)
			stamped := m
			stamped.Headers = append([]kafka.Header(nil), m.Headers...)
			cfg.stamp(&stamped)
			for _, over := range []int{0, 1} {
				cfg.MaxMessageBytes = messageSize(stamped) - over
				want := cfg.checkSize(stamped) == nil
				if got := cfg.fitsStamped(m); got != want {
					t.Errorf("limit %d: fitsStamped %v, stamp + checkSize %v", cfg.MaxMessageBytes, got, want)
				}
			}
			if len(m.Headers) != headers || Header(m, HeaderProducedBy) != "" {
				t.Errorf("fitsStamped changed the message's headers: %v", m.Headers)
			}
		})
	}
}

// The key and the header values share one array (values): appending to
// one of them, as a consumer of the message may, must leave the others
// as they were.
func TestAMessageValueCannotWriteOverTheNext(t *testing.T) {
	m, err := NewMessage("topic", fixtures.Story(1), encode.Encoder{}, fixtures.T0)
	if err != nil {
		t.Fatal(err)
	}
	c := DefaultConfig()
	c.Instance = "wirestream-0"
	c.stamp(&m)
	valuesStayApart(t, m, 7)
}

// valuesStayApart appends to m's key and to each of its header values, of
// which it must have headers, and fails if any other changed.
func valuesStayApart(t *testing.T, m kafka.Message, headers int) {
	t.Helper()
	snapshot := func() []string {
		out := []string{string(m.Key)}
		for _, h := range m.Headers {
			out = append(out, string(h.Value))
		}
		return out
	}
	want := snapshot()
	if len(want) != headers+1 {
		t.Fatalf("key and %d headers, want key and %d: %q", len(want)-1, headers, want)
	}
	_ = append(m.Key, "XXXXXXXX"...)
	for _, h := range m.Headers {
		_ = append(h.Value, "XXXXXXXX"...)
	}
	if got := snapshot(); !slices.Equal(got, want) {
		t.Errorf("after appending to each value:\n%q\nwant\n%q", got, want)
	}
}

// BenchmarkNewMessage is the sink's per-record work before sending: a
// fixture story encoded natively, its key and headers built, stamped with
// the instance, as Write does for every record.
//
//	go test -run '^$' -bench NewMessage -benchmem ./sinks/kafka/
func BenchmarkNewMessage(b *testing.B) {
	c := DefaultConfig()
	c.Instance = "wirestream-0"
	recs := make([]record.Record, 16)
	for i := range recs {
		recs[i] = fixtures.Story(i)
	}
	topics := topicsByType(c)
	now := fixtures.T0
	for i := 0; b.Loop(); i++ {
		r := recs[i%len(recs)]
		m, err := NewMessage(topics[r.RecordType()], r, encode.Encoder{}, now)
		if err != nil {
			b.Fatal(err)
		}
		c.stamp(&m)
	}
}
