package kafka

import (
	"fmt"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

var t0 = time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)

func story(i int) *record.Story {
	return &record.Story{
		Type: record.TypeStory, ID: fmt.Sprintf("st_%04d9f3a2c1e", i), Version: 1, SchemaVersion: record.SchemaVersion,
		Feed:      record.FeedRef{URL: "https://feeds.example-news.org/world/rss.xml", Title: "Example News — World"},
		Publisher: "Example News", URL: fmt.Sprintf("https://example-news.org/world/2026/03/14/story-%d", i),
		CanonicalURL: fmt.Sprintf("https://example-news.org/world/2026/03/14/story-%d", i),
		Title:        fmt.Sprintf("Central bank holds rates steady as inflation cools (%d)", i),
		Summary:      "The central bank kept its benchmark rate unchanged on Thursday, citing slowing price growth.",
		Language:     "en", Published: t0, FirstSeen: t0.Add(time.Minute), FetchedAt: t0.Add(time.Minute),
		Fingerprint: "9f3a2c1e00b1d4e7", ContentHash: "c0ffee",
		EventID: "ev_rates_2026_03",
	}
}

func duplicate() *record.Duplicate {
	return &record.Duplicate{
		Type: record.TypeDuplicate, ID: "st_77aa01", SchemaVersion: record.SchemaVersion, DuplicateOf: "st_00019f3a2c1e",
		Method: "near", Similarity: 0.9375, URL: "https://wire.example.com/a/77aa01", CanonicalURL: "https://wire.example.com/a/77aa01",
		Title: "Central bank holds rates steady as\n inflation cools", Feed: record.FeedRef{URL: "https://wire.example.com/rss"},
		Publisher: "Example Wire", SeenAt: t0.Add(3 * time.Minute), EventID: "ev_rates_2026_03",
	}
}

func event() *record.Event {
	return &record.Event{
		Type: record.TypeEvent, ID: "ev_rates_2026_03", SchemaVersion: record.SchemaVersion, Revision: 4,
		Title: "Central bank holds rates steady", FirstSeen: t0, LastSeen: t0.Add(40 * time.Minute),
		StoryCount: 7, Republications: 3, Publishers: []string{"Example News", "Example Wire"}, PublisherCount: 5,
		StoryIDs: []string{"st_00019f3a2c1e"},
	}
}

func alert() *record.Alert {
	return &record.Alert{
		Type: record.TypeAlert, ID: "al_place_GB_20260314T0900", SchemaVersion: record.SchemaVersion,
		Term: "place:GB", TermName: "United Kingdom", TermKind: "entity", State: record.AlertFiring,
		BucketStart: t0.Add(-26 * time.Minute), BucketEnd: t0.Add(4 * time.Minute), Stories: 23, Publishers: 9,
		Baseline: 3.25, Score: 7.9, Ratio: 7.1, At: t0.Add(4 * time.Minute),
	}
}

func feedStatus() *record.FeedStatus {
	return &record.FeedStatus{
		Type: record.TypeFeedStatus, ID: "https://feeds.example-news.org/world/rss.xml", SchemaVersion: record.SchemaVersion,
		FeedURL: "https://feeds.example-news.org/world/rss.xml", Health: record.HealthDegraded,
		LastErrorClass: "http_5xx", LastError: "GET https://feeds.example-news.org/world/rss.xml: 503 Service Unavailable",
		ConsecutiveFailures: 2, LastAttempt: t0, ItemsFound: 40, ItemsNew: 0, NextPoll: t0.Add(10 * time.Minute),
	}
}

func deadLetter() *record.DeadLetter {
	return &record.DeadLetter{
		Type: record.TypeDeadLetter, ID: "dl_normalize_5c2e", SchemaVersion: record.SchemaVersion,
		FeedURL: "https://feeds.example-news.org/world/rss.xml", Stage: "normalize",
		Error: "item has neither a link nor a guid", At: t0,
	}
}

func allRecords() []record.Record {
	return []record.Record{story(1), duplicate(), event(), alert(), feedStatus(), deadLetter()}
}

func stories(n int) []record.Record {
	recs := make([]record.Record, n)
	for i := range recs {
		recs[i] = story(i)
	}
	return recs
}
