package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/internal/daemon"
	"github.com/wirestream/wirestream/internal/feedstatus"
	"github.com/wirestream/wirestream/pipeline/record"
)

// feedsStatusUsage is the help of `feeds status`.
const feedsStatusUsage = `Usage: wirestream feeds status [flags]

Reads the compacted feed_status topic and prints the latest state of every
feed, the ones that need a look first: failing, gone, degraded, then ok,
with the last success, the last error, the next poll and the items of the
poll its latest record tells of (not projected: a later poll that left
the health, error and warnings as they were wrote no record, whatever
items it found). A feed's record is written when its health or error changes
and otherwise at least every poller.status_interval (1h by default), so
those times can be that old; /status on a running instance is live.
NEXT POLL reads the record honestly: "in 3m"; "due now" just after its
time; "~in 2m" once its time has passed while a newer record may still be
to come (a poll that changes no health, error or warning publishes none): projected at the
record's cadence; "overdue 3m" once a record was due and none came (the
poller stopped or is stuck). LAST SUCCESS likewise: a record of a success
whose next poll has passed is followed by polls that succeeded too (a
failure publishes a record), so the latest is projected, "~8s ago", which
is what /status shows live; a failing feed's last success is its record's.
The poller's status_interval is read from --config.
A feed its feed list no longer holds (feeds remove, or a second
spelling feeds add folded away) keeps its last record — nothing deletes
it — and is shown "removed", last, with NEXT POLL "-" and nothing
projected, counted apart in the summary. Each record names the list its
poller polls (feed_list): the fetchers' feed list topic
(<topic_prefix>feeds, read, never created), or the --config file of a
single run, by its absolute path (run reads its file at start: a feed
taken out is polled until its restart); a record is compared with its
own list, and marked by none when that list is not read here (another
machine's file). A record older than feed_list is compared with the
feed list topic when the cluster has one holding feeds, else with the
--config file's feeds, else with none.
Filter by health (or "removed") or tag; --json prints each feed's record, one per line, a removed feed's with "removed": true. Brokers, TLS and SASL come from the configuration; with none
configured, the embedded broker of a running "wirestream run".

Examples:
  wirestream feeds status
  wirestream feeds status --health failing,degraded --tag world
  wirestream feeds status --json | jq -r 'select(.health=="failing" and .removed != true) | .feed_url'
  wirestream feeds status --health removed`

// feedsStatus runs `wirestream feeds status`.
func feedsStatus(ctx context.Context, env *cliEnv, args []string) error {
	c := &command{name: "feeds status", usage: feedsStatusUsage}
	fs, common := newReaderFlagSet(c, env)
	health := fs.String("health", "", "show only feeds of these `healths`, comma-separated: ok, degraded, failing, gone, removed")
	tag := fs.String("tag", "", "show only feeds with this `tag`")
	asJSON := fs.Bool("json", false, "print each feed's latest feed_status record as JSON, one per line")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return noArguments("feeds status", rest)
	}
	var f feedstatus.Filter
	for _, h := range strings.Split(*health, ",") {
		switch h = strings.TrimSpace(h); record.Health(h) {
		case "":
		case record.HealthOK, record.HealthDegraded, record.HealthFailing, record.HealthGone, feedstatus.Removed:
			f.Health = append(f.Health, record.Health(h))
		default:
			return usagef("--health: want ok, degraded, failing, gone or removed, got %q", h)
		}
	}
	f.Tag = *tag
	cfg, err := common.load(env)
	if err != nil {
		return err
	}
	embedded := readEmbeddedIfNone(&cfg)
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	t, err := feedstatus.Read(ctx, cfg.Kafka, f)
	if err != nil {
		return withBrokerHint(err, cfg.Kafka.Brokers, embedded, brokersChosenBy(cfg))
	}
	if t.Total > 0 {
		// The statuses read, a list that cannot be read leaves them as they
		// are rather than hiding them.
		byDefault, read, err := pollersLists(ctx, cfg, common.config)
		if err != nil {
			fmt.Fprintf(env.stderr, "no feed is marked removed: %v\n", err)
		}
		t.CompareWith(byDefault, read...)
	}
	t.StatusInterval = cfg.Poller.StatusInterval
	if *asJSON {
		return feedstatus.WriteJSON(env.stdout, t)
	}
	if t.Total == 0 && t.Missing != nil {
		fmt.Fprintf(env.stdout, "no feed_status records: %s\n", t.Missing.Detail())
		return nil
	}
	if t.Total == 0 {
		fmt.Fprintf(env.stdout, "no feed_status records in %s yet: the poller publishes one per feed after its first poll\n", cfg.Kafka.TopicName(record.TypeFeedStatus))
		return nil
	}
	return feedstatus.WriteTable(env.stdout, t, time.Now())
}

// pollersLists are the feed lists pollers may poll, to tell a removed
// feed's kept record from a polled one's: the fetchers' list in Kafka
// (read, never created) and the feeds of the --config file (run's, incl.
// its OPML files), each compared with the records that name it
// (feed_list). byDefault, compared with the records that name no list
// (written before feed_list), is the Kafka list when it holds feeds, else
// the file's, else none (nil: none of them is marked).
func pollersLists(ctx context.Context, cfg config.Config, cfgPath string) (byDefault *feedstatus.List, read []*feedstatus.List, err error) {
	inKafka, err := feedstatus.ReadList(ctx, cfg.Kafka, daemon.FeedTopics(cfg).Feeds())
	if err != nil {
		return nil, nil, fmt.Errorf("read the feed list: %w", err)
	}
	if inKafka != nil {
		// Even empty, it is exact for the records that name it: every
		// feed was removed from it.
		read = append(read, inKafka)
	}
	// An empty list may be one a `feeds list` created on a cluster whose
	// `run` polls its file: it marks no record without feed_list rather
	// than every one.
	if inKafka != nil && inKafka.Len() > 0 {
		byDefault = inKafka
	}
	if cfgPath == "" {
		return byDefault, read, nil
	}
	// A file whose OPML files cannot be read lists what `validate`
	// explains: it marks none.
	specs, err := cfg.AllFeeds()
	if err != nil {
		return byDefault, read, nil
	}
	urls := make([]string, len(specs))
	for i, sp := range specs {
		urls[i] = sp.URL
	}
	// The file's feeds as its run names them (feed_list: the file's name
	// for them, the same on every machine, else its path here), and by
	// its path too for the records a run wrote before the name was set.
	inFile := feedstatus.NewList(feedstatus.FileListOf(cfgPath, cfg.FeedList), "the feeds of "+cfgPath, urls)
	read = append(read, inFile)
	if cfg.FeedList != "" {
		read = append(read, feedstatus.NewList(feedstatus.FileList(cfgPath), inFile.Name, urls))
	}
	// A file of no feeds may be a fetcher's: it marks no record without
	// feed_list either, but is exact for the records that name it.
	if byDefault == nil && inFile.Len() > 0 {
		byDefault = inFile
	}
	return byDefault, read, nil
}
