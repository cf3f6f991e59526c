package main

import (
	"context"
	"fmt"
	"strings"
	"time"

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
Filter by health or tag; --json prints each feed's record, one per line. Brokers, TLS and SASL come from the configuration; with none
configured, the embedded broker of a running "wirestream run".

Examples:
  wirestream feeds status
  wirestream feeds status --health failing,degraded --tag world
  wirestream feeds status --json | jq -r 'select(.health=="failing") | .feed_url'`

// feedsStatus runs `wirestream feeds status`.
func feedsStatus(ctx context.Context, env *cliEnv, args []string) error {
	c := &command{name: "feeds status", usage: feedsStatusUsage}
	fs, common := newCommonFlagSet(c, env, true)
	health := fs.String("health", "", "show only feeds of these `healths`, comma-separated: ok, degraded, failing, gone")
	tag := fs.String("tag", "", "show only feeds with this `tag`")
	asJSON := fs.Bool("json", false, "print each feed's latest feed_status record as JSON, one per line")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("feeds status takes no arguments, got %q", rest)
	}
	var f feedstatus.Filter
	for _, h := range strings.Split(*health, ",") {
		switch h = strings.TrimSpace(h); record.Health(h) {
		case "":
		case record.HealthOK, record.HealthDegraded, record.HealthFailing, record.HealthGone:
			f.Health = append(f.Health, record.Health(h))
		default:
			return usagef("--health: want ok, degraded, failing or gone, got %q", h)
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
		return withBrokerHint(err, cfg.Kafka.Brokers, embedded)
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
