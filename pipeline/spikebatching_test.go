package pipeline

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/spikes"
)

// decideAsOneWork decides batches as Run does the batches that queued
// for the second stage behind one another with decide_queued_together:
// each screened alone, then merged into one work, enriched, decided,
// written and committed once.
func decideAsOneWork(t *testing.T, p *Pipeline, batches []record.Batch) {
	t.Helper()
	ctx := context.Background()
	var ws []*work
	for i := range batches {
		w, err := p.screenBatch(ctx, &batches[i])
		if err != nil {
			t.Fatal(err)
		}
		ws = append(ws, w)
	}
	queued := make(chan *work, len(ws))
	for _, w := range ws[1:] {
		queued <- w
	}
	w, held := p.merge(ws[0], queued)
	if held != nil || len(queued) > 0 {
		t.Fatal("the batches were not merged into one work")
	}
	if err := p.decideNow(ctx, w); err != nil {
		t.Fatal(err)
	}
}

// lateStories are five polls of four feeds: a story on other news opens
// the stream, then three stories that say "Acme" from three outlets,
// the second and third polled after the first though published before
// it (in the bucket before its own), then a story that closes every
// bucket.
func lateStories() []record.Batch {
	at := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
	poll := func(feed string, published, fetched int, title, text string) record.Batch {
		url := "https://" + feed + ".example/rss"
		pub := at(published)
		it := item(url, 0, feed+"/"+title, "https://"+feed+".example/"+title, title, "<p>"+text+"</p>")
		it.PublishedParsed, it.FetchedAt = &pub, at(fetched)
		return record.Batch{Feed: record.FeedRef{URL: url, Title: feed}, Items: []record.Item{it}}
	}
	return []record.Batch{
		poll("wire", 1, 2, "Harbour reopens after storm", "The harbour reopened on Monday after the storm cleared and ferries sailed again."),
		poll("daily", 6, 7, "Acme recalls vans", "Acme recalled its electric vans over a brake fault found by regulators."),
		poll("herald", 3, 8, "Brake fault at Acme", "Regulators found a brake fault in vans that Acme builds in its northern plant."),
		poll("times", 4, 9, "Acme shares fall", "Shares in Acme fell sharply in early trading after the company announced the recall."),
		poll("wire", 20, 21, "Museum returns bronzes", "The museum handed back thirty bronzes in a ceremony attended by officials."),
	}
}

// Spike alerts must not depend on how stories were batched: with
// decide_queued_together, batches queued behind one another are decided
// as one work, and a batch read again after a failure may queue with
// others than the first time. With the buckets moved once per work, the
// two late Acme stories counted in their own bucket when decided with
// the story that passed it, and in the next one otherwise: a different
// alert, or none.
func TestTheSameStoriesFireTheSameSpikeAlertsHoweverTheirBatchesQueued(t *testing.T) {
	cfg := spikes.DefaultConfig()
	cfg.Warmup = 0
	cfg.Watch = []string{"acme"}
	cfg.MinRatio = 2
	alertsOf := func(groups ...[]int) []string {
		sink := &memSink{}
		p := newPipeline(t, nil, sink, DefaultConfig())
		p.d.Spikes = spikes.New(cfg, nil)
		batches := lateStories()
		for _, g := range groups {
			var bs []record.Batch
			for _, i := range g {
				bs = append(bs, batches[i])
			}
			decideAsOneWork(t, p, bs)
		}
		var out []string
		for _, r := range sink.recs {
			if a, ok := r.(*record.Alert); ok {
				out = append(out, fmt.Sprintf("%s stories=%d publishers=%d", a.ID, a.Stories, a.Publishers))
			}
		}
		return out
	}
	want := alertsOf([]int{0}, []int{1}, []int{2}, []int{3}, []int{4}) // each batch alone
	if len(want) == 0 {
		t.Fatal("no alert: the stories no longer burst")
	}
	for _, tt := range []struct {
		name   string
		groups [][]int
	}{
		{"all five as one work", [][]int{{0, 1, 2, 3, 4}}},
		{"the first two, then the rest", [][]int{{0, 1}, {2, 3, 4}}},
		{"the first alone, then the Acme stories, then the last", [][]int{{0}, {1, 2, 3}, {4}}},
		{"the first three, then two", [][]int{{0, 1, 2}, {3, 4}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := alertsOf(tt.groups...); !slices.Equal(got, want) {
				t.Errorf("alerts %q, want %q as with each batch decided alone", got, want)
			}
		})
	}
}
