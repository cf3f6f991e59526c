package kafka

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/internal/testkit/fixtures"
	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	"github.com/wirestream/wirestream/pipeline/record"
)

func testItem() record.Item {
	pub := time.Date(2025, 3, 2, 14, 0, 0, 0, time.UTC)
	return record.Item{
		Feed:         record.FeedRef{URL: "https://news.example/rss", Title: "Example", Tags: []string{"world"}},
		FeedLanguage: "en", Publisher: "Example", GUID: "urn:x:1", Link: "https://news.example/a",
		Title: "Talks resume", Description: "<p>Summary</p>", Content: "<p>Body — ünïcode</p>",
		Authors: []string{"Desk"}, Categories: []string{"World"},
		Media:        []record.Media{{URL: "https://news.example/a.jpg", Medium: "image"}},
		PublishedRaw: "Sun, 02 Mar 2025 14:00:00 +0000", PublishedParsed: &pub, FetchedAt: pub.Add(time.Minute),
	}
}

// What a fetcher writes is what a processor reads, field for field.
func TestAnItemMessageDecodesToTheItemItCarries(t *testing.T) {
	it := testItem()
	msg, err := ItemMessage("wirestream.items", &it, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if string(msg.Key) != it.Feed.URL || Header(msg, HeaderRecordType) != RecordTypeItem ||
		Header(msg, HeaderRecordID) != ItemID(&it) || Header(msg, HeaderSourceFeed) != it.Feed.URL {
		t.Errorf("key %q, headers %v", msg.Key, msg.Headers)
	}
	got, err := DecodeItem(msg.Value)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(it, got) {
		t.Errorf("decoded item differs:\nsent %+v\nread %+v", it, got)
	}
}

func TestItemIDsNameAnItemAsServed(t *testing.T) {
	a, b := testItem(), testItem()
	b.FetchedAt = b.FetchedAt.Add(time.Hour)
	if ItemID(&a) != ItemID(&b) {
		t.Error("the same item polled twice has two ids")
	}
	b.Content += " Updated."
	if ItemID(&a) == ItemID(&b) {
		t.Error("a revised item has its old id")
	}
}

func TestDecodeItemRefusesWhatIsNoItemOfThisVersion(t *testing.T) {
	cases := []struct{ name, value, want string }{
		{"a value that is not JSON is refused", `not json`, "not an item"},
		{"an item without a version is refused", `{"feed":{"url":"https://x.example/"}}`, "no format version"},
		{"a later version is refused", `{"v":2,"feed":{"url":"https://x.example/"}}`, "format version 2"},
		{"an item without a feed is refused", `{"v":1,"title":"x"}`, "names no feed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := DecodeItem([]byte(c.value))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one mentioning %q", err, c.want)
			}
		})
	}
	if _, err := DecodeItem([]byte(`{"v":1,"feed":{"url":"https://x.example/"},"added_later":true}`)); err != nil {
		t.Errorf("a field a later wirestream adds must be ignored: %v", err)
	}
}

func FuzzDecodeItem(f *testing.F) {
	it := testItem()
	msg, _ := ItemMessage("t", &it, time.Now())
	f.Add(msg.Value)
	f.Add([]byte(`{"v":1,"feed":{"url":"u"},"published_parsed":"2025-13-99"}`))
	f.Add([]byte(`{"v":null}`))
	f.Fuzz(func(t *testing.T, value []byte) {
		got, err := DecodeItem(value)
		if err != nil {
			return
		}
		// What decodes must encode and decode to the same item.
		again, err := ItemMessage("t", &got, time.Now())
		if err != nil {
			t.Fatalf("a decoded item does not encode: %v", err)
		}
		if _, err := DecodeItem(again.Value); err != nil {
			t.Fatalf("a re-encoded item does not decode: %v", err)
		}
	})
}

// fetcherSink is a sink as a fetcher has it, on kfake: instance fetch-7,
// with its items topic provisioned.
func fetcherSink(t *testing.T) (Config, *Sink, string) {
	t.Helper()
	_, cfg := fakeConfig(t)
	cfg.Instance = "fetch-7"
	s := newSink(t, cfg, nil)
	items := cfg.TopicPrefix + "items"
	if err := s.Provision(t.Context(), TopicSpec{Name: items, Partitions: 1, ReplicationFactor: 1, CleanupPolicy: "delete"}); err != nil {
		t.Fatal(err)
	}
	return cfg, s, items
}

// A fetcher's batch — its items for the processors, its feed_status for
// consumers — is one write; an item too large for Kafka is dead-lettered
// with its payload rather than lost; every message says who wrote it.
func TestWriteItemsPublishesItemsAndRecordsTogether(t *testing.T) {
	cfg, s, items := fetcherSink(t)
	ctx := t.Context()
	big := testItem()
	big.Link, big.Content = "https://news.example/big", strings.Repeat("x", cfg.MaxMessageBytes)
	status := fixtures.FeedStatus()
	if err := s.WriteItems(ctx, items, []record.Item{testItem(), big}, []record.Record{status}); err != nil {
		t.Fatal(err)
	}
	got := kafkatest.ReadAll(t, cfg.Brokers, items, 1, 10*time.Second)
	if it, err := DecodeItem(got[0].Value); err != nil || it.Link != "https://news.example/a" {
		t.Errorf("items topic holds %v (%v)", it.Link, err)
	}
	st := kafkatest.ReadAll(t, cfg.Brokers, cfg.TopicName(record.TypeFeedStatus), 1, 10*time.Second)
	dl := kafkatest.ReadAll(t, cfg.Brokers, cfg.TopicName(record.TypeDeadLetter), 1, 10*time.Second)
	if !strings.Contains(dlText(t, dl[0]), "max_message_bytes") {
		t.Errorf("dead letter for the large item: %s", dlText(t, dl[0]))
	}
	for _, m := range []struct {
		what string
		msg  []byte
		by   string
	}{{"item", got[0].Value, Header(got[0], HeaderProducedBy)}, {"feed_status", st[0].Value, Header(st[0], HeaderProducedBy)},
		{"dead letter", dl[0].Value, Header(dl[0], HeaderProducedBy)}} {
		if m.by != "fetch-7" {
			t.Errorf("%s: produced-by %q, want the instance id", m.what, m.by)
		}
	}
}

// A fetcher's write — items cut by ShrinkItem, items too large even so,
// and its feed_status — gives every message each of its headers once:
// the produced-by stamp is added where the message is sent, not also where
// its size is judged.
func TestEveryMessageOfAFetchersWriteCarriesEachHeaderOnce(t *testing.T) {
	cfg, s, items := fetcherSink(t)
	s.ShrinkItem = func(it record.Item, fits func(*record.Item) bool) (record.Item, bool) {
		it.Content = record.Truncate(it.Content, 1000)
		return it, fits(&it)
	}
	ctx := t.Context()
	cut := testItem()
	cut.Link, cut.Content = "https://news.example/cut", strings.Repeat("x", cfg.MaxMessageBytes)
	big := testItem()
	big.Link, big.Title = "https://news.example/big", strings.Repeat("y", cfg.MaxMessageBytes)
	if err := s.WriteItems(ctx, items, []record.Item{testItem(), cut, big}, []record.Record{fixtures.FeedStatus()}); err != nil {
		t.Fatal(err)
	}
	var msgs []kafka.Message
	msgs = append(msgs, kafkatest.ReadAll(t, cfg.Brokers, items, 2, 10*time.Second)...)
	msgs = append(msgs, kafkatest.ReadAll(t, cfg.Brokers, cfg.TopicName(record.TypeFeedStatus), 1, 10*time.Second)...)
	msgs = append(msgs, kafkatest.ReadAll(t, cfg.Brokers, cfg.TopicName(record.TypeDeadLetter), 1, 10*time.Second)...)
	for _, m := range msgs {
		seen := map[string]int{}
		for _, h := range m.Headers {
			seen[h.Key]++
		}
		for _, key := range []string{HeaderContentType, HeaderRecordType, HeaderRecordID, HeaderSourceFeed, HeaderProducedAt, HeaderProducedBy} {
			if seen[key] != 1 {
				t.Errorf("%s message %s: header %s appears %d times, want once (headers %v)",
					m.Topic, Header(m, HeaderRecordID), key, seen[key], m.Headers)
			}
		}
		if got := Header(m, HeaderProducedBy); got != "fetch-7" {
			t.Errorf("%s message %s: produced-by %q, want fetch-7", m.Topic, Header(m, HeaderRecordID), got)
		}
	}
}

// An item message's key and header values share one array (values):
// appending to one of them, as a consumer of the message may, must leave
// the others as they were.
func TestAnItemMessageValueCannotWriteOverTheNext(t *testing.T) {
	it := testItem()
	m, err := ItemMessage("wirestream.items", &it, fixtures.T0)
	if err != nil {
		t.Fatal(err)
	}
	s := &Sink{producedBy: Config{Instance: "fetch-7"}.producedBy()}
	s.stamp(&m)
	valuesStayApart(t, m, 6)
}

// BenchmarkItemMessage is a fetcher sink's per-item work before sending:
// an item encoded, its key and headers built, stamped with the instance,
// as WriteItems does for every item.
//
//	go test -run '^$' -bench ItemMessage -benchmem ./sinks/kafka/
func BenchmarkItemMessage(b *testing.B) {
	items := make([]record.Item, 16)
	for i := range items {
		items[i] = testItem()
		items[i].GUID = fmt.Sprintf("urn:x:%d", i)
		items[i].Link = fmt.Sprintf("https://news.example/a%d", i)
	}
	s := &Sink{producedBy: Config{Instance: "fetch-7"}.producedBy()}
	now := fixtures.T0
	for i := 0; b.Loop(); i++ {
		m, err := ItemMessage("wirestream.items", &items[i%len(items)], now)
		if err != nil {
			b.Fatal(err)
		}
		s.stamp(&m)
	}
}
