package main

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/internal/daemon"
	"github.com/wirestream/wirestream/pipeline/record"
)

func migrateCommand() *command {
	c := &command{name: "migrate", summary: "copy a stopped role-all run's state (data_dir) to the processors' changelog and the fetchers' feed_state topic", usage: `Usage: wirestream migrate [flags]

Moves a deployment from one run in role all to fetchers and processors
without publishing what the run already published once more. Role all
keeps its state in its data_dir; the processors keep theirs in the
changelog topic ({topic_prefix}state) and the fetchers their poll state in
the feed_state topic ({topic_prefix}feed_state), and neither reads a
data_dir. migrate reads the run's state log (stop the run first: it takes
the data_dir's lock) and writes every story, duplicate, event, spike
baseline and what enrichment learned to the changelog partition, as a
processor appends it, and each feed's validators (ETag, Last-Modified),
schedule and seen items to feed_state, as a fetcher saves them. The
first active processor then restores the run's state: the stories it
published are not published again, an ongoing event keeps its event_id.

It refuses, writing nothing, when the changelog already holds state or
feed_state any feed's poll state (processors or fetchers ran, or the
migration was done): the run's older state would go over theirs.
--force writes anyway (each key's last value wins).

Topics, partitions, brokers, TLS and SASL come from the configuration, as
run --role fetch and --role process read them; the data directory is
data_dir (or --data-dir). Push the feed list too (feeds push), then start
the fetchers and processors.

Example:
  wirestream migrate --config wirestream.yaml
  wirestream feeds push --config wirestream.yaml
  wirestream run --role fetch --instance fetch-1 --config wirestream.yaml`}
	c.run = func(ctx context.Context, env *cliEnv, args []string) error {
		fs, common := newCommonFlagSet(c, env, true)
		force := fs.Bool("force", false, "write even when the changelog or feed_state already holds state (the run's state goes over it)")
		rest, err := parseFlags(fs, args)
		if err != nil {
			return err
		}
		if len(rest) > 0 {
			return usagef("migrate takes no arguments, got %q: give the run's data directory with --data-dir", rest)
		}
		cfg, err := common.load(env)
		if err != nil {
			return err
		}
		if cfg.Log.Level == "" || cfg.Log.Level == "info" {
			cfg.Log.Level = "warn"
		}
		log := newLogger(env.stderr, config.LogConfig{Level: cfg.Log.Level, Format: "text"})
		// No bound on the whole: a large state (millions of entries) takes
		// minutes to append, and a migration cut short by a fixed bound had
		// to be run again with --force. The appends are a processor's, and
		// SIGINT/SIGTERM end the command (ctx).
		m, err := daemon.MigrateState(ctx, cfg, cfg.DataDir, *force, log.With("command", "migrate"))
		if err != nil {
			return err
		}
		writeMigration(env, cfg.DataDir, m)
		return nil
	}
	return c
}

// writeMigration names what the migration wrote, where.
func writeMigration(env *cliEnv, dataDir string, m daemon.Migration) {
	tables := slices.Sorted(maps.Keys(m.Entries))
	total := 0
	parts := make([]string, 0, len(tables))
	for _, t := range tables {
		total += m.Entries[t]
		parts = append(parts, fmt.Sprintf("%s %d", t, m.Entries[t]))
	}
	fmt.Fprintf(env.stdout, "migrated the state of %s:\n", dataDir)
	entries := fmt.Sprintf("%d entries", total)
	if total == 1 {
		entries = "1 entry"
	}
	fmt.Fprintf(env.stdout, "  %s partition %d: %s (%s)\n", m.Changelog, m.Partition, entries, strings.Join(parts, ", "))
	fmt.Fprintf(env.stdout, "  %s: the poll state of %s\n", m.FeedState, plural(len(m.Feeds), "feed"))
	for _, u := range m.Feeds {
		fmt.Fprintf(env.stdout, "    %s\n", record.RedactURL(u))
	}
	fmt.Fprintln(env.stdout, "start the fetchers and processors; do not start the run in role all again beside them")
}
