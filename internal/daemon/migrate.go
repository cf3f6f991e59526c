package daemon

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/wirestream/wirestream/internal/clusterstatus"
	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/internal/kafkastate"
	"github.com/wirestream/wirestream/pipeline/state"
	"github.com/wirestream/wirestream/sinks/kafka"
	"github.com/wirestream/wirestream/sources/feed/feedtopics"
)

// Migrating from role all to fetchers and processors: role all keeps its
// state in the file log of its data_dir, the processors in the changelog
// topic and the fetchers in the feed_state topic, and neither reads the
// other. MigrateState copies the one into the others, so that the first
// active processor restores what the run remembered (its stories, events
// and spike baselines: no story is published again as new, an ongoing
// event keeps its id) and the fetchers poll each feed with its validators
// and seen items.

// Migration is what MigrateState wrote.
type Migration struct {
	// Changelog is the changelog topic and Partition the partition written
	// (the items topic has one, and the changelog is co-partitioned).
	Changelog string
	Partition int
	// Entries counts the live entries written to the changelog, by table.
	Entries map[state.Table]int
	// FeedState is the feed state topic and Feeds the feeds whose poll
	// state was written to it, by URL.
	FeedState string
	Feeds     []string
}

// ErrTargetHoldsState refuses a migration into a changelog or feed state
// topic that already holds state: a processor or fetcher ran, and its
// newer state would be overwritten by the run's older one.
var ErrTargetHoldsState = errors.New("the target already holds state")

// MigrateState reads the state log in dataDir (role all's data_dir; the run
// must be stopped: the log's lock is taken) and writes it as the processors
// and fetchers of cfg keep it: every live entry of the stages' tables to the
// changelog partition of the items partition, appended through the same
// state log a processor appends through (kafkastate.Log, which writes the
// partition's marker first), in the order the run appended them; and each
// feed's poll state to the feed state topic under its URL, on its feed's
// partition, as a fetcher saves it. It refuses (ErrTargetHoldsState) when
// the changelog holds any entry or the feed state topic any state, unless
// force; forced, it writes over them (last writer wins).
func MigrateState(ctx context.Context, cfg config.Config, dataDir string, force bool, log *slog.Logger) (Migration, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	stateDir := filepath.Join(dataDir, state.DirName)
	if _, err := os.Stat(stateDir); err != nil {
		return Migration{}, fmt.Errorf("%s holds no state of a run in role all (%w)", dataDir, err)
	}
	entries, feeds, err := readFileState(ctx, dataDir, cfg.State, log)
	if err != nil {
		return Migration{}, err
	}
	if len(entries) == 0 && len(feeds) == 0 {
		return Migration{}, fmt.Errorf("%s: its state log holds no state: nothing to migrate", stateDir)
	}
	cn, err := Conn(cfg)
	if err != nil {
		return Migration{}, err
	}
	// Asked before anything is created: a refused migration changes nothing.
	if err := noRoleRunning(ctx, cfg, cn, log); err != nil {
		return Migration{}, err
	}
	// The topics as the roles create them: the same partition counts, so
	// that the roles find them as their own.
	items := itemsSpec(cfg)
	cl := changelogSpec(cfg, items.Partitions)
	if err := kafkastate.Ensure(ctx, cn, cl, log); err != nil {
		return Migration{}, err
	}
	ft := FeedTopics(cfg)
	if err := feedtopics.Ensure(ctx, cn, ft, log); err != nil {
		return Migration{}, err
	}
	fs, err := feedtopics.OpenState(ctx, cn, ft, log, nil)
	if err != nil {
		return Migration{}, err
	}
	defer fs.Close()
	// held only decides the refusal: --force writes over whatever is there,
	// so it reads no feed_state partition (a fetcher's deployment may hold
	// thousands of feeds' states).
	held := 0
	for p := 0; p < ft.Partitions && !force; p++ {
		states, _, err := fs.Load(ctx, p)
		if err != nil {
			return Migration{}, err
		}
		held += len(states)
	}
	// One items partition: its changelog partition is 0.
	const partition = 0
	sl, err := kafkastate.Open(ctx, cn, cl.Topic, partition, kafkastate.Options{Log: log})
	if err != nil {
		return Migration{}, err
	}
	defer sl.Close()
	had := 0
	if err := sl.Restore(ctx, func(e state.Entry) error {
		if e.Value != nil {
			had++
		}
		return nil
	}); err != nil {
		return Migration{}, err
	}
	if (had > 0 || held > 0) && !force {
		return Migration{}, fmt.Errorf("%w: %s/%d holds %d entries and %s %d feeds' poll state (a processor or fetcher ran, or the state "+
			"was migrated before); nothing written. Migrating over them would put the run's older state over theirs: "+
			"--force does, if that is what you want", ErrTargetHoldsState, cl.Topic, partition, had, ft.State(), held)
	}
	m := Migration{Changelog: cl.Topic, Partition: partition, Entries: map[state.Table]int{}, FeedState: ft.State()}
	const chunk = 1000 // entries per append: a Kafka produce request of a bounded size
	for i := 0; i < len(entries); i += chunk {
		batch := entries[i:min(i+chunk, len(entries))]
		if err := sl.Append(ctx, batch); err != nil {
			return m, fmt.Errorf("migrate state: %w (%d of %d entries written; run it again with --force)", err, i, len(entries))
		}
		for _, e := range batch {
			m.Entries[e.Table]++
		}
	}
	urls := make([]string, 0, len(feeds))
	for u := range feeds {
		urls = append(urls, u)
	}
	sort.Strings(urls)
	for _, u := range urls {
		if err := fs.Save(ctx, u, feeds[u]); err != nil {
			return m, fmt.Errorf("migrate feed state: %w (run it again with --force)", err)
		}
		m.Feeds = append(m.Feeds, u)
	}
	return m, nil
}

// ErrRolesRunning refuses a migration while a processor, a fetcher or a run
// in role all is a member of its group: a processor restored its state before
// the migration's entries came and would append beside them, a fetcher polls
// with what it loaded, and a run in role all publishes beside them.
var ErrRolesRunning = errors.New("wirestream runs against these brokers and topic_prefix")

// noRoleRunning asks the coordinator for the members of the processors', the
// fetchers' and the role-all groups, as `wirestream status` does, and refuses
// (ErrRolesRunning) when any has one. A stopped instance leaves its group at
// once; a crashed one stays a member until its session ends.
func noRoleRunning(ctx context.Context, cfg config.Config, cn kafka.Conn, log *slog.Logger) error {
	groups, err := clusterstatus.Read(ctx, cn, StatusGroups(cfg, false), log)
	if err != nil {
		return fmt.Errorf("migrate: could not ask which roles run: %w", err)
	}
	var running []string
	for _, g := range groups {
		for _, m := range g.Members {
			running = append(running, fmt.Sprintf("%s in %s", m.Instance, g.Role))
		}
	}
	if len(running) > 0 {
		return fmt.Errorf("%w: %s; nothing written. Stop them first (a crashed one counts until its session ends, "+
			"cluster.session_timeout), then migrate", ErrRolesRunning, strings.Join(running, ", "))
	}
	return nil
}

// readFileState restores the file log in dataDir and folds it: the live
// entries of the stages' tables (each key's last value, at the place of
// that value in the log, so that their order is the run's; keys the log
// deleted are left out), and each feed's poll state by URL.
func readFileState(ctx context.Context, dataDir string, cfg state.Config, log *slog.Logger) ([]state.Entry, map[string][]byte, error) {
	fl, err := state.OpenFile(dataDir, cfg, nil, log)
	if err != nil {
		return nil, nil, fmt.Errorf("%w (stop the run in role all first)", err)
	}
	defer fl.Close()
	type key struct {
		t state.Table
		k string
	}
	var all []state.Entry
	last := map[key]int{}
	feeds := map[string][]byte{}
	err = fl.Restore(ctx, func(e state.Entry) error {
		var v []byte
		if e.Value != nil {
			v = append([]byte{}, e.Value...)
		}
		if e.Table == state.Feeds {
			if v == nil {
				delete(feeds, string(e.Key))
			} else {
				feeds[string(e.Key)] = v
			}
			return nil
		}
		k := key{e.Table, string(e.Key)}
		last[k] = len(all)
		all = append(all, state.Entry{Table: e.Table, Key: []byte(k.k), Value: v})
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("read the state of %s: %w", dataDir, err)
	}
	live := all[:0]
	for i, e := range all {
		if e.Value != nil && last[key{e.Table, string(e.Key)}] == i {
			live = append(live, e)
		}
	}
	return live, feeds, nil
}
