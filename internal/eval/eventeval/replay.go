package eventeval

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/internal/daemon"
	"github.com/wirestream/wirestream/pipeline/events"
	"github.com/wirestream/wirestream/pipeline/record"
)

// maxBatch is `wirestream process`'s default batch size.
const maxBatch = 200

// assignment is what a replay emitted for each document: the event id on
// its story or duplicate record as first emitted, and the event that id
// ends in after following every merged_into.
type assignment struct {
	emitted, merged []string
	missing         int    // documents that gave no story or duplicate record
	founding        []Band // founding stories by their best candidate's similarity
	// lag is, for a document emitted into an event later merged away,
	// how many documents the stream had handed on between the write of
	// its record and the write that ended its event (0: the same write);
	// -1 for the others
	lag []int
	// mergedInto is every merge written: the event each merged one went into
	mergedInto map[string]string
	// emittedAt is, by document, how many documents the replay had handed
	// on when its record was written (0: it gave none); mergedAt, by event
	// id, the same for the write of its merge
	emittedAt []int
	mergedAt  map[string]int
}

// missingAt tells whether document i gave no record.
func (a assignment) missingAt(i int) bool { return strings.HasPrefix(a.emitted[i], missingPrefix) }

// missingPrefix starts the id a lost document is scored under.
const missingPrefix = "missing:"

// replay runs docs, in order, through the pipeline `wirestream process`
// builds from cfg (daemon.NewPipeline: normalize, dedupe, enrich, events,
// spikes, with state in memory) in batches of consecutive items of one
// feed, as process reads a JSONL archive, and reads the event ids off the
// records it writes.
// trace, if not nil, sees every story's decision (events.Clusterer.Trace).
func replay(ctx context.Context, docs []doc, cfg config.Config, trace func(*events.Decision)) (assignment, error) {
	reg := prometheus.NewRegistry()
	m := daemon.NewMetrics(reg, "eval")
	sink := &capture{byURL: map[string]string{}, mergedInto: map[string]string{}, emittedAt: map[string]int{}, mergedAt: map[string]int{}}
	pl, err := daemon.NewPipeline(ctx, cfg, nil, sink, m, slog.New(slog.DiscardHandler))
	if err != nil {
		return assignment{}, err
	}
	defer pl.Store.Close()
	if trace != nil {
		pl.Events.Trace(trace)
	}
	var last time.Time
	for i := 0; i < len(docs); {
		j := i + 1
		for j < len(docs) && j-i < maxBatch && docs[j].item.Feed.URL == docs[i].item.Feed.URL {
			j++
		}
		b := record.Batch{Feed: docs[i].item.Feed, Items: make([]record.Item, 0, j-i)}
		for _, d := range docs[i:j] {
			b.Items = append(b.Items, d.item)
			if d.item.PublishedParsed != nil && d.item.PublishedParsed.After(last) {
				last = *d.item.PublishedParsed
			}
		}
		sink.setHanded(j)
		if err := pl.Process(ctx, b); err != nil {
			return assignment{}, fmt.Errorf("replay: %w", err)
		}
		i = j
	}
	// The end of the input: what the stream's own time closes comes out,
	// merges included.
	if err := pl.Flush(ctx, last); err != nil {
		return assignment{}, fmt.Errorf("replay: flush: %w", err)
	}
	founding, err := foundingBands(reg)
	if err != nil {
		return assignment{}, fmt.Errorf("replay: %w", err)
	}
	a := assignment{emitted: make([]string, len(docs)), merged: make([]string, len(docs)), founding: founding, lag: make([]int, len(docs)), mergedInto: sink.mergedInto,
		emittedAt: make([]int, len(docs)), mergedAt: sink.mergedAt}
	for i, d := range docs {
		id, ok := sink.byURL[d.item.Link]
		if !ok {
			a.missing++
			id = missingPrefix + d.item.Link // its own cluster: a lost story is a miss
		}
		a.emitted[i] = id
		a.emittedAt[i] = sink.emittedAt[d.item.Link]
		a.lag[i] = -1
		if at, ok := sink.mergedAt[id]; ok {
			a.lag[i] = at - sink.emittedAt[d.item.Link]
		}
		for sink.mergedInto[id] != "" {
			id = sink.mergedInto[id]
		}
		a.merged[i] = id
	}
	return a, nil
}

// capture is the replay's sink: it keeps the event id each story or
// duplicate was first emitted with, by link, and every merge, each with
// how many documents the replay had handed on when it was written.
type capture struct {
	mu         sync.Mutex
	byURL      map[string]string
	mergedInto map[string]string
	handed     int
	emittedAt  map[string]int // by link
	mergedAt   map[string]int // by event id
}

// setHanded notes that the replay has handed on n documents.
func (c *capture) setHanded(n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.handed = n
}

func (c *capture) Write(_ context.Context, recs []record.Record) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, r := range recs {
		switch r := r.(type) {
		case *record.Story:
			c.emitted(r.URL, r.EventID)
		case *record.Duplicate:
			c.emitted(r.URL, r.EventID)
		case *record.Event:
			if r.MergedInto != "" {
				c.mergedInto[r.ID] = r.MergedInto
				c.mergedAt[r.ID] = c.handed
			}
		}
	}
	return nil
}

// emitted keeps the first event id written for the document at url.
// Called with c.mu held.
func (c *capture) emitted(url, eventID string) {
	if _, ok := c.byURL[url]; !ok {
		c.byURL[url] = eventID
		c.emittedAt[url] = c.handed
	}
}
