package main

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/wirestream/wirestream/internal/clusterstatus"
	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/internal/daemon"
)

func statusCommand() *command {
	c := &command{name: "status", summary: "which processor is active, which stand by, which fetcher owns which feed partitions", usage: `Usage: wirestream status [flags]

Asks Kafka who does what: the runs in role all (the group each joins to
learn of another), and in a scaled-out deployment (run --role fetch and
--role process) the processors' consumer group — the member that owns the
items partition is the active processor, the others stand by — with the
items the active one has yet to decide (the records after the committed
offset: transaction markers are not counted unless reading them fails),
and the fetchers' consumer group with the feed list partitions each owns.
It reads the group descriptions, as kafka-consumer-groups --describe does,
and joins nothing, so asking moves no partition. Instances are named by
their --instance id. Under each group it says what needs a look: no
processor or fetcher running, no processor active, feed partitions nobody
owns, a rebalance under way, two runs in role all (each publishes every
record: twice in all), a run in role all beside fetchers and processors,
or nothing running at all. Groups and topics come from the configuration
(topic_prefix, cluster.process_group, cluster.fetch_group); brokers, TLS
and SASL too.

It exits 0 when exactly one run in role all runs (the fetchers' and
processors' groups then unused), or when fetchers and processors run and
every group has a member and every partition an owner (a rebalance under
way included); 3 when the deployment needs a look (two runs in role all,
a group's topic missing, no member running, no processor active, a feed
partition nobody owns, no wirestream running at all: each said on stderr
too); 1 when it could not ask, so a script or a health check can act on
it.

Examples:
  wirestream status --brokers kafka-1:9092
  wirestream status --brokers kafka-1:9092 >/dev/null || page-someone
  wirestream status --config wirestream.yaml --json | jq 'select(.role=="processors") | .members'`}
	c.run = func(ctx context.Context, env *cliEnv, args []string) error {
		fs, common := newReaderFlagSet(c, env)
		asJSON := fs.Bool("json", false, "print each group's status as JSON, one per line")
		rest, err := parseFlags(fs, args)
		if err != nil {
			return err
		}
		if len(rest) > 0 {
			return noArguments("status", rest)
		}
		cfg, err := common.load(env)
		if err != nil {
			return err
		}
		cn, err := daemon.Conn(cfg)
		if err != nil {
			return err
		}
		ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
		defer cancel()
		log := newLogger(env.stderr, config.LogConfig{Level: "warn", Format: "text"})
		groups, err := clusterstatus.Read(ctx, cn, daemon.StatusGroups(cfg, true), log.With(slog.String("command", "status")))
		if err != nil {
			return withBrokerHint(err, cfg.Kafka.Brokers, false, brokersChosenBy(cfg))
		}
		write := clusterstatus.WriteText
		if *asJSON {
			write = clusterstatus.WriteJSON
		}
		if err := write(env.stdout, groups); err != nil {
			return err
		}
		return statusProblems(groups)
	}
	return c
}

// statusNeedsALook is status's exit code when a group has a problem.
const statusNeedsALook = 3

// statusProblems is a codedExit naming what needs a look in the deployment, or nil.
func statusProblems(groups []clusterstatus.GroupStatus) error {
	problems := clusterstatus.Assess(groups)
	if len(problems) == 0 {
		return nil
	}
	return codedExit{code: statusNeedsALook, msg: "needs a look: " + strings.Join(problems, "; ")}
}
