package main

// `wirestream feeds push|add|remove|list`: the feed list that fetchers
// (run --role fetch) share lives in a compacted Kafka topic; these
// subcommands manage it.

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/internal/daemon"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/sources/feed"
	"github.com/wirestream/wirestream/sources/feed/feedtopics"
)

const feedsTopicForms = `
       wirestream feeds push --config FILE [--dry-run]
       wirestream feeds add --config FILE URL [--tag T]... [--name N] [--min-interval D] [--max-interval D]
       wirestream feeds remove --config FILE URL [--missing-ok]
       wirestream feeds add --kafka URL [--tag T]... [--name N] [--min-interval D] [--max-interval D]
       wirestream feeds remove --kafka URL [--missing-ok]
       wirestream feeds list [--json]`

const feedsTopicUsage = `
add and remove with --config FILE edit the "feeds:" list of that file,
the feeds "wirestream run" polls (from its next start): add writes a new
entry at the end of the list in its own layout, remove takes out the
entry's lines (every spelling of the URL that makes the same request);
add of a feed the file lists sets the settings given on that entry
(--tag replaces its tags; 0 or "" takes a key out) and keeps the rest
(headers included), as add --kafka does for a feed the topic lists;
every other line and comment stays as it is, and the result is validated
before it is written. A list they cannot edit line by line (a flow list
[...], an entry with an anchor) is refused with its line.

add of a feed the list holds with no setting to change says "unchanged"
and exits 0: adding is idempotent. remove of a URL the list does not hold
(under any spelling of the same request) is an error (exit 1) naming the
list and the closest feed it holds, as a typo must not pass in a script;
--missing-ok makes it a success for scripts that remove whatever is there.

With --kafka (or --brokers), or without --config,
push, add, remove and list manage the feed list of the fetchers
("wirestream run --role fetch") in the <topic_prefix>feeds topic of
kafka.brokers (the config's, --brokers or WIRESTREAM_KAFKA_BROKERS):
push makes it hold exactly the config's feeds (and OPML files'), adding,
updating and removing; add and remove change one feed. Fetchers pick the
change up while they run. Header values are stored as written: keep
secrets as ${VAR}, which each fetcher reads from its own environment.

Examples:
  wirestream feeds push --config wirestream.yaml --dry-run
  wirestream feeds add --config wirestream.yaml https://www.theguardian.com/world/rss --tag world
  wirestream feeds add https://www.theguardian.com/world/rss --tag world --brokers kafka-1:9092
  wirestream feeds list --config wirestream.yaml`

// feedsTopicCommands are the subcommands on the feed list topic.
var feedsTopicCommands = map[string]func(context.Context, *command, *cliEnv, []string) error{
	"push": feedsPush, "add": feedsAdd, "remove": feedsRemove, "list": feedsList,
}

// openFeedList loads the configuration from the common flags and opens
// the feed list topic, creating it if missing.
func openFeedList(ctx context.Context, env *cliEnv, common *commonFlags) (*feedtopics.FeedList, []feed.Spec, error) {
	cfg, err := common.load(env)
	if err != nil {
		return nil, nil, err
	}
	feeds, err := cfg.AllFeeds()
	if err != nil {
		return nil, nil, err
	}
	fl, err := openFeedListOf(ctx, env, cfg)
	return fl, feeds, err
}

// openFeedListOf opens the feed list topic of a loaded configuration.
func openFeedListOf(ctx context.Context, env *cliEnv, cfg config.Config) (*feedtopics.FeedList, error) {
	if len(cfg.Kafka.Brokers) == 0 {
		// A newcomer's "feeds add URL" means "poll this too": say where
		// that goes for run, not only that this list needs Kafka. And
		// "feeds list --config F" means "show F's feeds": name F, and
		// the command that prints them.
		where, file := "", "FILE"
		if cfg.Path() != "" {
			where, file = " in "+cfg.Path(), cfg.Path()
		}
		msg := "no kafka.brokers" + where + ": push, add, remove and list manage the feed list of the scale-out fetchers " +
			"(run --role fetch), which lives in Kafka (set kafka.brokers, --brokers or WIRESTREAM_KAFKA_BROKERS). " +
			"To have `wirestream run` poll a feed, list it under feeds: in its config file (`wirestream feeds add --config " + file + " URL` does), or merge an OPML file with `wirestream feeds import`"
		if cfg.Path() != "" {
			msg += "; `wirestream validate --config " + file + "` prints the feeds it lists"
		}
		return nil, errors.New(msg)
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	fl, err := daemon.OpenFeedList(ctx, cfg, newLogger(env.stderr, cfg.Log))
	if err != nil {
		err = fmt.Errorf("open the feed list: %w", err)
		if len(cfg.Kafka.Brokers) > 0 { // with none, the embedded broker's error says what to do
			err = withBrokerHint(err, cfg.Kafka.Brokers, false, brokersChosenBy(cfg))
		}
		return nil, err
	}
	return fl, nil
}

func feedsPush(ctx context.Context, c *command, env *cliEnv, args []string) error {
	fs, common := newReaderFlagSet(c, env)
	dryRun := fs.Bool("dry-run", false, "print what would change and change nothing")
	acceptKafkaFlag(fs, "push")
	if rest, err := parseFlags(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return noArguments("feeds push", rest)
	}
	if common.config == "" {
		return usagef("--config is required: the file whose feeds the list must hold")
	}
	fl, feeds, err := openFeedList(ctx, env, common)
	if err != nil {
		return err
	}
	defer fl.Close()
	warnSecrets(env.stderr, feeds)
	ch, err := fl.Push(ctx, feeds, *dryRun)
	var left *feedtopics.StateLeftError
	if err != nil && !errors.As(err, &left) {
		return err
	}
	verb := "pushed"
	if *dryRun {
		verb = "would push (dry run)"
	}
	fmt.Fprintf(env.stdout, "%s %s to %s: %s\n", verb, plural(len(feeds), "feed"), fl.Topic(), ch)
	for _, l := range ch.Lines() {
		fmt.Fprintf(env.stdout, "  %s\n", l)
	}
	return err // the list is pushed; a poll state left behind is still an error
}

// stringList is a repeatable flag whose value may also be a comma-separated
// list: `--tag labour,europe` is two tags, as `tags: [labour, europe]` is in
// the file. Before round 31 it wrote the one tag "labour,europe", quoted,
// without a word.
type stringList []string

func (s *stringList) String() string { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error {
	for _, part := range strings.Split(v, ",") {
		*s = append(*s, strings.TrimSpace(part))
	}
	return nil
}

func feedsAdd(ctx context.Context, c *command, env *cliEnv, args []string) error {
	fs, common := newReaderFlagSet(c, env)
	var tags stringList
	fs.Var(&tags, "tag", "a `tag` for the feed's stories (repeat, or separate with commas, for several)")
	name := fs.String("name", "", "the feed's display `name`")
	minI := fs.Duration("min-interval", 0, "the feed's shortest poll interval, at least poller.min_interval (0: the poller's)")
	maxI := fs.Duration("max-interval", 0, "the feed's longest poll interval, at least poller.min_interval (0: the poller's)")
	inKafka := fs.Bool("kafka", false, "add to the fetchers' feed list in Kafka (brokers from --brokers, the environment or --config's kafka.brokers), not to the --config file")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usagef("want: feeds add --config FILE URL [--tag T]..., or feeds add --kafka URL")
	}
	spec := feed.Spec{URL: rest[0], Name: *name, Tags: tags, MinInterval: *minI, MaxInterval: *maxI}
	if err := spec.Validate(); err != nil {
		// Spec's messages name a config entry, "feeds[URL].url: …" (a
		// password in URL as xxxxx); here the URL and the intervals were
		// typed, so name them as such.
		said := record.RedactURL(spec.URL)
		entry := "feeds[" + said + "]."
		msg := strings.ReplaceAll(err.Error(), entry+"url: ", fmt.Sprintf("url %q: ", said))
		for _, k := range []string{"min_interval", "max_interval"} {
			msg = strings.ReplaceAll(msg, entry+k+":", "--"+strings.ReplaceAll(k, "_", "-")+":")
		}
		return usagef("%s", strings.ReplaceAll(msg, entry, ""))
	}
	// A listed feed gets the settings given, and keeps the rest: an entry
	// may hold headers (and a file comments) add has no flag for.
	var given config.FeedUpdate
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "name":
			given.Name = &spec.Name
		case "tag":
			given.Tags = spec.Tags
		case "min-interval":
			given.MinInterval = &spec.MinInterval
		case "max-interval":
			given.MaxInterval = &spec.MaxInterval
		}
	})
	if editsFile(common, *inKafka) {
		return feedsAddToFile(env, common, spec, given)
	}
	cfg, err := common.load(env)
	if err != nil {
		return err
	}
	// The fetchers' floor is their own poller.min_interval; the one this
	// configuration sets (or the default) is the best this side knows.
	// Each fetcher also polls such a feed at its own floor, with a warning.
	if err := underFloor(spec, cfg.Poller, "the fetchers' feed list", "each fetcher polls a feed no more often than its own poller.min_interval"); err != nil {
		return err
	}
	fl, err := openFeedListOf(ctx, env, cfg)
	if err != nil {
		return err
	}
	defer fl.Close()
	if cur, ok, err := fl.Get(ctx, spec.URL); err != nil {
		return err
	} else if ok {
		// Before, the flags given were the whole entry: re-tagging a feed
		// dropped its headers (its Authorization), name and intervals.
		cur.URL = spec.URL
		spec = given.Apply(cur)
	}
	ch, listed, folded, err := fl.Add(ctx, spec)
	if err != nil {
		return err
	}
	as := ""
	if listed != spec.URL {
		// Another spelling of one request: validate refuses the pair in
		// a file, and two entries here would be polled twice.
		as = fmt.Sprintf(", listed as %s: the same request", record.RedactURL(listed))
	}
	if len(folded) > 0 {
		as += fmt.Sprintf("; also listed as %s, the same request: removed, one entry now", strings.Join(record.RedactURLs(folded), " and "))
	}
	fmt.Fprintf(env.stdout, "%s %s (partition %d of %s%s)\n", ch, record.RedactURL(spec.URL), fl.PartitionOf(listed), fl.Topic(), as)
	warnSecrets(env.stderr, []feed.Spec{spec})
	// As validate and feeds add --config do: localhost beside 127.0.0.1.
	// The list was written; a failure to read it back only loses the warning.
	if specs, _, err := fl.List(ctx); err == nil {
		warnLoopbackAliases(env.stderr, specs, listed)
	}
	return nil
}

func feedsRemove(ctx context.Context, c *command, env *cliEnv, args []string) error {
	fs, common := newReaderFlagSet(c, env)
	inKafka := fs.Bool("kafka", false, "remove from the fetchers' feed list in Kafka (brokers from --brokers, the environment or --config's kafka.brokers), not from the --config file")
	missingOK := fs.Bool("missing-ok", false, "a feed the list does not hold is a success (exit 0), not an error: for scripts that remove whatever is there")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usagef("want: feeds remove --config FILE URL, or feeds remove --kafka URL")
	}
	if editsFile(common, *inKafka) {
		return feedsRemoveFromFile(env, common, rest[0], *missingOK)
	}
	fl, _, err := openFeedList(ctx, env, common)
	if err != nil {
		return err
	}
	defer fl.Close()
	ch, urls, err := fl.Remove(ctx, rest[0])
	var left *feedtopics.StateLeftError
	if err != nil && (ch == feedtopics.Unchanged || !errors.As(err, &left)) {
		return err
	}
	if ch == feedtopics.Unchanged {
		if *missingOK {
			fmt.Fprintf(env.stdout, "%s is not in %s: nothing to remove\n", record.RedactURL(rest[0]), fl.Topic())
			return nil
		}
		e := &notListedError{url: rest[0], list: "the fetchers' feed list " + fl.Topic()}
		if specs, _, err := fl.List(ctx); err == nil {
			e.near = nearestFeed(rest[0], specURLs(specs))
		}
		return e
	}
	for _, u := range urls {
		fmt.Fprintf(env.stdout, "%s %s\n", ch, record.RedactURL(u))
	}
	return err // removed from the list; a poll state left behind is still an error
}

// acceptKafkaFlag lets push and list take --kafka as add and remove do: they
// only ever work on the fetchers' feed list in Kafka, and an operator who
// wrote `feeds add --kafka` types `feeds push --kafka` next.
func acceptKafkaFlag(fs *flag.FlagSet, verb string) {
	fs.Bool("kafka", false, "taken as add and remove take it; "+verb+" always works on the fetchers' feed list in Kafka")
}

func feedsList(ctx context.Context, c *command, env *cliEnv, args []string) error {
	fs, common := newReaderFlagSet(c, env)
	asJSON := fs.Bool("json", false, "one JSON object per feed")
	acceptKafkaFlag(fs, "list")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return noArguments("feeds list", rest)
	}
	fl, _, err := openFeedList(ctx, env, common)
	if err != nil {
		return err
	}
	defer fl.Close()
	specs, bad, err := fl.List(ctx)
	if err != nil {
		return err
	}
	for _, s := range specs {
		if *asJSON {
			line, err := json.Marshal(listedFeed{URL: s.URL, Name: s.Name, Tags: s.Tags, MinInterval: durationOrEmpty(s.MinInterval),
				MaxInterval: durationOrEmpty(s.MaxInterval), Headers: s.Headers, Partition: fl.PartitionOf(s.URL)})
			if err != nil {
				return err
			}
			fmt.Fprintf(env.stdout, "%s\n", line)
			continue
		}
		fmt.Fprintf(env.stdout, "%-3d %s\n", fl.PartitionOf(s.URL), feedLines([]feed.Spec{s})[0])
	}
	for _, e := range bad {
		fmt.Fprintf(env.stderr, "not a valid feed (fetchers skip it; push repairs or removes it): %v\n", e)
	}
	if !*asJSON {
		fmt.Fprintf(env.stderr, "%s in %s (partition, url, name, tags)\n", plural(len(specs), "feed"), fl.Topic())
	}
	return nil
}

// listedFeed is one line of `feeds list --json`.
type listedFeed struct {
	URL         string            `json:"url"`
	Name        string            `json:"name,omitempty"`
	Tags        []string          `json:"tags,omitempty"`
	MinInterval string            `json:"min_interval,omitempty"`
	MaxInterval string            `json:"max_interval,omitempty"`
	Headers     map[string]string `json:"headers,omitempty"` // as stored: ${VAR} references unexpanded
	Partition   int               `json:"partition"`
}

func durationOrEmpty(d time.Duration) string {
	if d == 0 {
		return ""
	}
	return d.String()
}

// underFloor refuses an interval flag below poller.min_interval, the floor
// no feed is polled under (feed.Config.BelowFloor), naming the flag.
func underFloor(s feed.Spec, poller feed.Config, list, hint string) error {
	var bad []string
	for _, f := range []struct {
		flag string
		d    time.Duration
	}{{"--min-interval", s.MinInterval}, {"--max-interval", s.MaxInterval}} {
		if f.d > 0 && f.d < poller.MinInterval {
			bad = append(bad, fmt.Sprintf("%s %s", f.flag, f.d))
		}
	}
	if len(bad) == 0 {
		return nil
	}
	return usagef("%s: below poller.min_interval (%s), the floor of every feed's polls in %s: a feed's interval may only raise it (%s)",
		strings.Join(bad, " and "), poller.MinInterval, list, hint)
}
