package daemon

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	"github.com/wirestream/wirestream/internal/testkit/ninjstest"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/sinks/encode"
	kafkasink "github.com/wirestream/wirestream/sinks/kafka"
)

// A processor configured with output.format: ninjs publishes, on a real
// broker's stories topic, records that validate against the official
// ninjs 3.1 schema and say so in their headers: the processor builds its
// Kafka sink the way run does (daemon.newKafkaSink), not in native form.
func TestAProcessorPublishesNinjsWhenConfiguredTo(t *testing.T) {
	brokers := kafkatest.Brokers(t)
	schema := ninjstest.Load(t, "3.1")
	cfg := roleConfig(t, brokers)
	cfg.Output.Format = encode.Ninjs
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	fetched := time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)
	published := fetched.Add(-time.Hour)
	items := []record.Item{
		{Title: "Council approves the budget for city parks", Description: "<p>The council approved the budget on Tuesday after a long debate about maintenance costs.</p>",
			Authors: []string{"Jane Doe"}, Categories: []string{"Politics", "Local"}},
		{Title: "Le port rouvre après la tempête", Description: "Le port a rouvert mardi après la tempête, a indiqué l'autorité portuaire de Marseille.",
			Media: []record.Media{{URL: "https://wire.example/img/port.jpg", Type: "image/jpeg", Medium: "image", Title: "Le port"}}},
		{Title: "Storm closes schools across the region", Content: "<p>Schools closed on Monday as the storm brought floods to the valley.</p><p>Officials said they would reopen on Wednesday.</p>",
			Subjects: []record.Subject{{Name: "weather", URI: "http://cv.iptc.org/newscodes/mediatopic/17000000", Literal: "17000000", Rel: "about"}}},
	}
	for i := range items {
		items[i].Feed = record.FeedRef{URL: "https://wire.example/rss", Title: "Wire"}
		items[i].Link = fmt.Sprintf("https://wire.example/story/%d", i)
		items[i].GUID = fmt.Sprintf("story-%d", i)
		items[i].PublishedRaw = published.Format(time.RFC1123Z)
		items[i].PublishedParsed = &published
		items[i].FetchedAt = fetched
	}
	fillItems(t, cfg, items)
	startProcessor(t, "ninjs-processor", func() config.Config { return cfg })

	msgs := kafkatest.ReadAll(t, brokers, cfg.Kafka.TopicName(record.TypeStory), len(items), 90*time.Second)
	headlines := map[string]bool{}
	for _, m := range msgs {
		if err := schema.Validate(m.Value); err != nil {
			t.Errorf("story message %s: %v\n%s", m.Key, err, m.Value)
		}
		var doc struct {
			Type      string `json:"type"`
			Headlines []struct {
				Value string `json:"value"`
			} `json:"headlines"`
		}
		if err := json.Unmarshal(m.Value, &doc); err != nil {
			t.Fatal(err)
		}
		if doc.Type == string(record.TypeStory) || len(doc.Headlines) == 0 {
			t.Errorf("story message %s is not ninjs: %.200s", m.Key, m.Value)
			continue
		}
		headlines[doc.Headlines[0].Value] = true
		for _, h := range m.Headers {
			if h.Key == kafkasink.HeaderContentType && !strings.Contains(string(h.Value), "ninjs") {
				t.Errorf("story message %s: content-type %q does not name ninjs", m.Key, h.Value)
			}
		}
	}
	for _, it := range items {
		if !headlines[it.Title] {
			t.Errorf("no ninjs story with the headline %q among %d messages", it.Title, len(msgs))
		}
	}
}
