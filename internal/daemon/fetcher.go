package daemon

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/internal/feedstatus"
	"github.com/wirestream/wirestream/internal/kafkagroup"
	"github.com/wirestream/wirestream/pipeline/normalize"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/sinks/kafka"
	"github.com/wirestream/wirestream/sources/feed"
	"github.com/wirestream/wirestream/sources/feed/feedtopics"
)

// Fetcher is one instance of the fetch role. It is a member of the
// fetchers' consumer group on the feed list topic and polls exactly the
// feeds of the partitions it owns, each resuming with the poll state that
// travels with it in the feed_state topic. A poll's items go to the items
// topic and its feed_status to the feed_status topic, in one acks=all
// write; only then is the batch acked, and only then does the feed's loop
// save its progress to feed_state. So a feed is read again, never skipped,
// when anything between fails or the fetcher dies.
type Fetcher struct {
	cfg   config.Config
	log   *slog.Logger
	m     *Metrics
	Sink  *kafka.Sink
	feeds *feedtopics.FeedList
	state *feedtopics.FeedState
	poll  *feed.Poller
	items string
}

// NewFetcher creates the feed list, feed state and items topics if they
// are missing, opens them and the Kafka sink, and builds the poller on the
// group's assignment. On error everything opened is closed again.
func NewFetcher(ctx context.Context, cfg config.Config, m *Metrics, log *slog.Logger) (f *Fetcher, err error) {
	cfg = withInstance(cfg)
	cn, err := Conn(cfg)
	if err != nil {
		return nil, err
	}
	f = &Fetcher{cfg: cfg, log: log, m: m, items: ItemsTopic(cfg)}
	// The error returns below set f to nil: close what was opened through
	// a copy of the pointer, not the result.
	opened := f
	defer func() {
		if err != nil {
			opened.Close()
		}
	}()
	topics := FeedTopics(cfg)
	if err := feedtopics.Ensure(ctx, cn, topics, log); err != nil {
		return nil, err
	}
	if f.Sink, err = newKafkaSink(ctx, cfg, log, m); err != nil {
		return nil, err
	}
	// An item over the message limit is cut to what the processors'
	// normalizer keeps of it, so it makes the story `run` would make of it
	// rather than a too_large dead letter. Its metrics stay unregistered:
	// its trial runs are not stories.
	f.Sink.ShrinkItem = normalize.New(cfg.Normalize, nil).Shrink
	if err := f.Sink.Provision(ctx, itemsSpec(cfg)); err != nil {
		return nil, err
	}
	if f.feeds, err = feedtopics.OpenFeeds(ctx, cn, topics, log, m.Table); err != nil {
		return nil, err
	}
	if f.state, err = feedtopics.OpenState(ctx, cn, topics, log, m.Table); err != nil {
		return nil, err
	}
	member, err := kafkagroup.New(groupConfig(cfg, cfg.Cluster.FetchGroup, f.feeds.Topic()), cn, log.With("component", "group"), m.Group)
	if err != nil {
		return nil, err
	}
	// A running feed loop's save has no deadline of its own; a broker
	// outage must not hold a feed's loop for longer than a stop would wait.
	store := f.state.NewStore(cfg.ShutdownTimeout)
	assigner := feedtopics.NewAssigner(f.feeds, store, member, log.With("component", "assigner"))
	assigner.Orphans = m.Poller.StateOrphans
	pcfg := cfg.Poller
	pcfg.DrainTimeout = cfg.ShutdownTimeout    // one knob bounds a stop
	pcfg.FutureSkew = cfg.Normalize.FutureSkew // one line past which a date is not believed
	pcfg.UserAgent = FetcherUserAgent(cfg)
	pcfg.FeedList = feedstatus.TopicList(topics.Feeds()) // feeds status compares its feeds with this list alone
	f.poll, err = feed.NewPoller(pcfg, nil, store, assigner, log.With("component", "poller"), m.Poller)
	if err != nil {
		return nil, err
	}
	return f, nil
}

// Run polls and publishes until ctx ends. Then the group is left (the
// feeds move to the other fetchers at once), the loops stop, and batches
// being written get up to shutdown_timeout to be acknowledged, so their
// feeds save their progress; what is abandoned is read again by the feed's
// next owner.
func (f *Fetcher) Run(ctx context.Context) error {
	defer besideTheRun(ctx, f.tombstoneLegacyStatusKeys)()
	batches := make(chan record.Batch)
	pollErr := make(chan error, 1)
	go func() {
		pollErr <- f.poll.Run(ctx, batches)
		close(batches)
	}()

	// Writes outlive ctx by up to shutdown_timeout: cancelling them at
	// once would only turn batches acknowledged a moment later into re-reads.
	writeCtx, cancelWrites := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelWrites()
	stop := context.AfterFunc(ctx, func() { time.AfterFunc(f.cfg.ShutdownTimeout, cancelWrites) })
	defer stop()

	var wg sync.WaitGroup
	for range f.cfg.Pipeline.MaxInFlightBatches {
		wg.Go(func() {
			for b := range batches {
				b.Done(writeCtx, f.publish(writeCtx, b))
			}
		})
	}
	wg.Wait()
	if err := <-pollErr; err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}

// tombstoneLegacyStatusKeys is the daemon's, over every feed of the feed
// list topic: a fetcher's feeds come and go with its partitions, and a
// record under a legacy key may be any fetcher's.
func (f *Fetcher) tombstoneLegacyStatusKeys(ctx context.Context) {
	lctx, cancel := context.WithTimeout(ctx, legacyStatusTimeout)
	specs, _, err := f.feeds.List(lctx) // an invalid entry is no feed; the poller reports it
	cancel()
	if err != nil {
		legacyStatusLeft(ctx, f.log, err)
		return
	}
	tombstoneLegacyStatusKeys(ctx, f.cfg.Kafka, f.Sink, specs, f.log)
}

// FetcherUserAgent is the User-Agent a fetcher of cfg sends (its start
// logs it: the configured one is not what publishers see).
func FetcherUserAgent(cfg config.Config) string {
	return fetcherUserAgent(cfg.Poller.UserAgent, cfg.InstanceID())
}

// fetcherUserAgent names the fetcher in its User-Agent, so a publisher's
// logs tell the fetchers of one deployment apart even when they share one
// configuration; a user_agent that names the instance already is kept.
func fetcherUserAgent(ua, instance string) string {
	if strings.Contains(ua, instance) {
		return ua
	}
	return ua + " instance/" + instance
}

// publish writes one poll's items and status and says how it went.
func (f *Fetcher) publish(ctx context.Context, b record.Batch) error {
	var recs []record.Record
	for _, dl := range b.DeadLetters {
		recs = append(recs, dl)
	}
	if b.Status != nil {
		recs = append(recs, b.Status)
	}
	err := f.Sink.WriteItems(ctx, f.items, b.Items, recs)
	if err != nil {
		f.m.Roles.FetchBatches.WithLabelValues("failed").Inc()
		f.log.Warn("batch not published; the feed will be read again", "feed_url", record.RedactURL(b.Feed.URL), "items", len(b.Items), "err", err)
		return fmt.Errorf("fetcher: publish batch of %s: %w", record.RedactURL(b.Feed.URL), err)
	}
	f.m.Roles.FetchBatches.WithLabelValues("written").Inc()
	f.m.Roles.FetchItems.Add(float64(len(b.Items)))
	return nil
}

// Close closes the Kafka writer and the topics' connections.
func (f *Fetcher) Close() error {
	var errs []error
	if f.Sink != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := f.Sink.Close(ctx); err != nil {
			errs = append(errs, fmt.Errorf("close kafka writer: %w", err))
		}
	}
	if f.feeds != nil {
		errs = append(errs, f.feeds.Close())
	}
	if f.state != nil {
		errs = append(errs, f.state.Close())
	}
	return errors.Join(errs...)
}
