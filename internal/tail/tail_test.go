package tail

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/internal/fuzzcap"
	"github.com/wirestream/wirestream/internal/testkit/devkafka"
	"github.com/wirestream/wirestream/internal/testkit/fixtures"
	"github.com/wirestream/wirestream/internal/testkit/golden"
	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	"github.com/wirestream/wirestream/internal/testkit/netproxy"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/sinks/encode"
	kafkasink "github.com/wirestream/wirestream/sinks/kafka"
)

func TestMain(m *testing.M) {
	fuzzcap.MinimizeFor(3 * time.Second) // FuzzFormatLine
	// goleak's, after closing the idle connections of kafka-go's shared
	// transport, which kafkatest's topics warm
	kafkatest.VerifyTestMain(m)
}

func TestFormatLineGolden(t *testing.T) {
	var out bytes.Buffer
	for _, r := range fixtures.All() {
		m, err := kafkasink.NewMessage("t", r, encode.Encoder{}, fixtures.T0)
		if err != nil {
			t.Fatal(err)
		}
		out.WriteString(FormatLine(m) + "\n")
	}
	cleared := fixtures.Alert()
	cleared.State = record.AlertCleared
	expired := fixtures.Event()
	expired.Expired = true
	noEvent := fixtures.Story(2)
	noEvent.EventID = ""
	for _, r := range []record.Record{cleared, expired, noEvent} {
		m, _ := kafkasink.NewMessage("t", r, encode.Encoder{}, fixtures.T0)
		out.WriteString(FormatLine(m) + "\n")
	}
	// A story written as ninjs (output.format: ninjs) reads like a native one.
	ninjsEnc, _ := encode.New(encode.Ninjs)
	m, _ := kafkasink.NewMessage("t", fixtures.Story(1), ninjsEnc, fixtures.T0)
	out.WriteString(FormatLine(m) + "\n")
	// Values another producer put on the topic (the items topic's messages,
	// for one) print raw rather than vanish, after their partition:offset
	// (kcat's -p and -o).
	for i, v := range []string{`not json at all`, `{"type":"weather","id":"w1"}`, `{"type":"story","published":"yesterday"}`} {
		out.WriteString(FormatLine(kafka.Message{Partition: 2, Offset: int64(40 + i), Value: []byte(v)}) + "\n")
	}
	golden.Check(t, "testdata/tail.golden", out.Bytes())
}

func FuzzFormatLine(f *testing.F) {
	for _, r := range fixtures.All() {
		m, _ := kafkasink.NewMessage("t", r, encode.Encoder{}, fixtures.T0)
		f.Add(m.Value)
	}
	f.Add([]byte(`{"type":"story","title":"a\nb\tc"}`))
	f.Add([]byte{0xff, 0xfe, '{'})
	f.Fuzz(func(t *testing.T, value []byte) {
		line := FormatLine(kafka.Message{Value: value})
		if strings.ContainsAny(line, "\n\r") {
			t.Errorf("FormatLine(%q) spans lines: %q", value, line)
		}
	})
}

func TestTailPrintsEveryRecordAndExitsAtTheEnd(t *testing.T) {
	recs := fixtures.Stories(30)
	cfg := devkafka.Publish(t, devkafka.Start(t), recs...)

	for _, tt := range []struct {
		name string
		opts Options
	}{
		{"readable lines", Options{FromBeginning: true, ExitAtEnd: true}},
		{"raw JSON", Options{FromBeginning: true, ExitAtEnd: true, JSON: true}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
			defer cancel()
			var out bytes.Buffer
			if err := Tail(ctx, cfg, "stories", tt.opts, &out); err != nil {
				t.Fatalf("Tail: %v", err)
			}
			lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
			if len(lines) != len(recs) {
				t.Fatalf("%d lines, want %d:\n%s", len(lines), len(recs), out.String())
			}
			seen := map[string]bool{}
			for _, l := range lines {
				if tt.opts.JSON {
					var st record.Story
					if err := json.Unmarshal([]byte(l), &st); err != nil {
						t.Fatalf("--json line is not a story: %v: %s", err, l)
					}
					seen[st.ID] = true
				} else {
					f := strings.Split(l, "  ")
					if len(f) != 5 || f[1] != "Example News" || !utf8.ValidString(l) {
						t.Fatalf("line %q", l)
					}
					seen[f[4]] = true
				}
			}
			for _, r := range recs {
				if !seen[r.RecordKey()] {
					t.Errorf("story %s not printed", r.RecordKey())
				}
			}
		})
	}
}

// `wirestream tail` and `feeds status` against a broker that answers every
// request on the bootstrap address 1.5 s late (a loaded box): before
// round 14 they failed with an i/o timeout (kafka-go gave the admin
// client's discovery its 1 s metadata TTL as deadline), with no retry.
func TestTailWaitsForASlowBroker(t *testing.T) {
	recs := fixtures.Stories(5)
	brokers := devkafka.Start(t)
	cfg := devkafka.Publish(t, brokers, recs...)
	for _, tt := range []struct {
		name string
		opts netproxy.Options
	}{
		{"the first connection's answers come after 1.5 s", netproxy.Options{FirstDelay: 1500 * time.Millisecond}},
		{"every answer comes after 1.5 s", netproxy.Options{Delay: 1500 * time.Millisecond}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			slow := cfg
			slow.Brokers = []string{netproxy.Start(t, brokers[0], tt.opts)}
			ctx, cancel := context.WithTimeout(t.Context(), 40*time.Second)
			defer cancel()
			var out bytes.Buffer
			if err := Tail(ctx, slow, "stories", Options{FromBeginning: true, ExitAtEnd: true}, &out); err != nil {
				t.Fatalf("Tail: %v", err)
			}
			if n := strings.Count(out.String(), "\n"); n != len(recs) {
				t.Fatalf("%d lines, want %d:\n%s", n, len(recs), out.String())
			}
		})
	}
}

func TestTailWithAGroupFollowsNewRecords(t *testing.T) {
	cfg := devkafka.Publish(t, devkafka.Start(t), fixtures.Alert())
	ctx, cancel := context.WithCancel(t.Context())
	pr, pw := lineSink()
	done := make(chan error, 1)
	go func() { done <- Tail(ctx, cfg, "alert", Options{FromBeginning: true, Group: "tail-test"}, pw) }()
	line := <-pr
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Tail: %v", err)
	}
	if !strings.Contains(line, "alert firing  United Kingdom (entity)") {
		t.Errorf("line %q", line)
	}
}

// lineSink is a writer that hands each written line to a channel.
type lineChan chan string

func lineSink() (lineChan, lineChan) { c := make(lineChan, 16); return c, c }

func (c lineChan) Write(p []byte) (int, error) {
	c <- strings.TrimSuffix(string(p), "\n")
	return len(p), nil
}

// The rule: a topic that is not on the cluster is named with the broker
// asked, and with the topics there that end in the same name, so a reader
// whose kafka.topic_prefix differs from the writer's (`tail story` with no
// --config against a cluster the file writes under nc.) is told so; Kafka's
// "Unknown Topic Or Partition" alone left the prefix to guess. The error
// still wraps Kafka's.
func TestAMissingTopicNamesTheBrokerAndTopicsOfTheSameNameUnderOtherPrefixes(t *testing.T) {
	brokers := devkafka.Start(t)
	written := devkafka.Publish(t, brokers, fixtures.Stories(2)...) // under wirestream.
	other := written
	other.TopicPrefix = "news."
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	for _, tt := range []struct {
		name, topic string
		read        func(topic string) error
		want        []string
	}{
		{"tail of a record type", "story", func(topic string) error {
			return Tail(ctx, other, topic, Options{FromBeginning: true, ExitAtEnd: true}, &bytes.Buffer{})
		}, []string{"read news.stories: no topic news.stories on " + brokers[0], `ending in "stories": wirestream.stories`, "kafka.topic_prefix"}},
		{"tail of the full name", "news.events", func(topic string) error {
			return Tail(ctx, other, topic, Options{FromBeginning: true, ExitAtEnd: true}, &bytes.Buffer{})
		}, []string{"read news.events: no topic news.events on", `ending in "events": wirestream.events`}},
		{"feeds status's scan", "feed_status", func(topic string) error {
			return Scan(ctx, other, topic, func(kafka.Message) error { return nil })
		}, []string{"read news.feed_status: no topic news.feed_status on", `ending in "feed_status": wirestream.feed_status`}},
		{"tail with a group", "event", func(topic string) error {
			// kafka-go's group reader would ask with auto-creation on
			return Tail(ctx, other, topic, Options{Group: "tail-test"}, &bytes.Buffer{})
		}, []string{"read news.events: no topic news.events on " + brokers[0], `ending in "events": wirestream.events`}},
		{"a name nothing ends in", "nosuch.topic", func(topic string) error {
			return Tail(ctx, written, topic, Options{FromBeginning: true, ExitAtEnd: true}, &bytes.Buffer{})
		}, []string{"read nosuch.topic: no topic nosuch.topic on " + brokers[0] + `, nor any ending in "nosuch.topic"`, "kafka.topic_prefix"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.read(tt.topic)
			if !errors.Is(err, kafka.UnknownTopicOrPartition) {
				t.Fatalf("err = %v, want Kafka's unknown topic, wrapped", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("err = %v\nwant it to say %q", err, w)
				}
			}
		})
	}
}

// A name that is no record type is read as given; when the cluster has it
// under the configuration's own kafka.topic_prefix (`tail items --config F`
// of a scaled-out deployment's items topic), the error names that topic
// instead of asking for the --config that was passed.
func TestAMissingTopicNamesItUnderTheConfigurationsPrefix(t *testing.T) {
	missing := func() error {
		return &MissingTopicError{Topic: "items", Brokers: []string{"k:9092"}, Base: "items",
			Similar: []string{"nc21.items", "wirestream.items"}, Err: kafka.UnknownTopicOrPartition}
	}
	cfg := kafkasink.DefaultConfig()
	cfg.TopicPrefix = "nc21."
	err := prefixHint(missing(), cfg)
	if want := "no topic items on k:9092; the configuration's kafka.topic_prefix names it nc21.items, which is there: give that full name"; !strings.Contains(err.Error(), want) {
		t.Errorf("err = %v\nwant it to say %q", err, want)
	}
	if !errors.Is(err, kafka.UnknownTopicOrPartition) {
		t.Errorf("err = %v, want Kafka's error still wrapped", err)
	}
	// Wrapped on its way up, it is still found and hinted.
	if err := prefixHint(fmt.Errorf("tail: %w", missing()), cfg); !strings.Contains(err.Error(), "names it nc21.items") {
		t.Errorf("wrapped: err = %v, want the prefixed name", err)
	}
	// A prefix the cluster has nothing under: the list of other prefixes, as before.
	cfg.TopicPrefix = "other."
	if err := prefixHint(missing(), cfg); !strings.Contains(err.Error(), `topics there ending in "items": nc21.items, wirestream.items`) {
		t.Errorf("err = %v, want the topics under other prefixes", err)
	}
}

// A name that is a slip of a record type (`tail storys`, `tail evnts`) is
// read as given and is on no cluster: the error says which record type
// was likely meant, as a typo'd configuration key does. A name that is
// no slip of one gets no guess.
func TestAMissingTopicThatIsASlipOfARecordTypeSaysWhichOne(t *testing.T) {
	brokers := devkafka.Start(t)
	cfg := devkafka.Publish(t, brokers, fixtures.Stories(1)...)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	for _, c := range []struct{ name, want string }{
		{"storys", "did you mean story?"},
		{"evnts", "did you mean event?"},
		{"dead_leter", "did you mean dead_letter?"},
		{"wirestream.storis", "did you mean story?"},
		{"nosuch.topic", ""},
	} {
		err := Tail(ctx, cfg, c.name, Options{FromBeginning: true, ExitAtEnd: true}, &bytes.Buffer{})
		if !errors.Is(err, kafka.UnknownTopicOrPartition) {
			t.Fatalf("tail %s: err = %v, want Kafka's unknown topic, wrapped", c.name, err)
		}
		if c.want == "" {
			if strings.Contains(err.Error(), "did you mean") {
				t.Errorf("tail %s: err = %v, want no guess", c.name, err)
			}
			continue
		}
		if !strings.Contains(err.Error(), "no topic "+c.name+" on ") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("tail %s: err = %v\nwant it to name the topic and say %q", c.name, err, c.want)
		}
	}
}

// A metadata answer with no topic and no error (or other topics) is said in
// words: wrapping its nil error printed "read T: %!w(<nil>)".
func TestAMetadataAnswerWithoutTheTopicOrAnErrorSaysSo(t *testing.T) {
	for _, c := range []struct {
		topics []kafka.Topic
		want   string
	}{
		{nil, "the cluster's metadata answer lists no topic for ws.items, nor an error"},
		{[]kafka.Topic{{Name: "a"}, {Name: "b"}}, "the cluster's metadata answer for ws.items lists 2 topics (a, b), not the one asked for"},
		{[]kafka.Topic{{Name: "ws.items", Error: kafka.UnknownTopicOrPartition}}, kafka.UnknownTopicOrPartition.Error()},
	} {
		err := topicMetadataError(c.topics, "ws.items")
		if err == nil || err.Error() != c.want || strings.Contains(fmt.Errorf("read ws.items: %w", err).Error(), "%!") {
			t.Errorf("topicMetadataError(%v) = %v, want %q", c.topics, err, c.want)
		}
	}
}

// A feed_status line says a parse failure's class once: its message
// starts "parse URL: …" (sources/feed), and the line read
// "1 failures: parse: parse URL: …".
func TestFormatLineSaysAFeedErrorsClassOnce(t *testing.T) {
	s := &record.FeedStatus{Type: record.TypeFeedStatus, ID: "https://a.example/", FeedURL: "https://a.example/", Health: record.HealthFailing,
		LastErrorClass: "parse", LastError: "parse https://a.example/: XML syntax error on line 3", ConsecutiveFailures: 1}
	m, err := kafkasink.NewMessage("t", s, encode.Encoder{}, fixtures.T0)
	if err != nil {
		t.Fatal(err)
	}
	if line := FormatLine(m); !strings.Contains(line, "1 failure: parse https://a.example/: XML syntax error on line 3") || strings.Contains(line, "parse: parse") {
		t.Errorf("line %q, want the class said once", line)
	}
}

// Counts of one read in the singular: an event of one story from one
// publisher printed "1 stories, 1 publishers", a feed's first failure
// "1 failures".
func TestFormatLineCountsOneInTheSingular(t *testing.T) {
	ev := fixtures.Event()
	ev.StoryCount, ev.PublisherCount = 1, 1
	fs := fixtures.FeedStatus()
	fs.ConsecutiveFailures = 1
	for _, c := range []struct {
		r    record.Record
		want string
	}{
		{ev, "1 story, 1 publisher, rev"},
		{fs, ", 1 failure: "},
	} {
		m, err := kafkasink.NewMessage("t", c.r, encode.Encoder{}, fixtures.T0)
		if err != nil {
			t.Fatal(err)
		}
		if line := FormatLine(m); !strings.Contains(line, c.want) {
			t.Errorf("line %q lacks %q", line, c.want)
		}
	}
}

// An alert of a spikes.watch term says so, and how many publishers the
// stories came from: the line showed neither, so a newcomer who had just
// listed a word could not tell its alert from one at the default bars.
func TestFormatLineSaysAnAlertIsWatchedAndItsPublishers(t *testing.T) {
	a := fixtures.Alert()
	a.Watched = true
	m, err := kafkasink.NewMessage("t", a, encode.Encoder{}, fixtures.T0)
	if err != nil {
		t.Fatal(err)
	}
	if line, want := FormatLine(m), "alert firing  United Kingdom (entity, watched)  23 stories from 9 publishers vs baseline 3.2, score 7.9"; !strings.Contains(line, want) {
		t.Errorf("line %q lacks %q", line, want)
	}
}

// Each line's time says which it is, by its record's field: a story's is
// when it was published, a duplicate's when the copy was seen (a
// republication seen an hour after the original was published read as if
// published then), an event's its latest activity, and so on.
func TestFormatLineNamesTheTimeItPrints(t *testing.T) {
	ninjsEnc, _ := encode.New(encode.Ninjs)
	ninjsStory, _ := kafkasink.NewMessage("t", fixtures.Story(1), ninjsEnc, fixtures.T0)
	cases := []struct {
		name string
		m    kafka.Message
		want string
	}{{"ninjs story", ninjsStory, "firstcreated "}}
	for _, c := range []struct {
		r    record.Record
		want string
	}{{fixtures.Story(1), "published "}, {fixtures.Duplicate(), "seen_at "}, {fixtures.Event(), "last_seen "},
		{fixtures.Alert(), "at "}, {fixtures.FeedStatus(), "last_attempt "}, {fixtures.DeadLetter(), "at "}} {
		m, err := kafkasink.NewMessage("t", c.r, encode.Encoder{}, fixtures.T0)
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, struct {
			name string
			m    kafka.Message
			want string
		}{string(c.r.RecordType()), m, c.want})
	}
	for _, c := range cases {
		line := FormatLine(c.m)
		rest, ok := strings.CutPrefix(line, c.want)
		if !ok {
			t.Errorf("%s: want %q first in %q", c.name, c.want, line)
			continue
		}
		if _, err := time.Parse(time.RFC3339, strings.Fields(rest)[0]); err != nil {
			t.Errorf("%s: want the time after %q in %q: %v", c.name, c.want, line, err)
		}
	}
}
