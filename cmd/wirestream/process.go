package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/wirestream/wirestream/internal/daemon"
	"github.com/wirestream/wirestream/pipeline"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/sinks/encode"
	"github.com/wirestream/wirestream/sinks/jsonl"
	"github.com/wirestream/wirestream/sources/feed"
)

func processCommand() *command {
	c := &command{name: "process", summary: "run the pipeline offline over files, writing JSONL", usage: `Usage: wirestream process [flags] [FILE ...]

Runs the same pipeline as "run" (normalize, dedupe, enrich, events, spikes)
over feed documents (RSS, Atom, JSON Feed or ninjs wire JSON files) and/or
JSONL files of items (one JSON object per line in the item schema), and
writes one JSON record per line — story, duplicate, event, alert,
dead_letter — each with its "type" and "id"; with --format ninjs (or
output.format: ninjs) stories are IPTC ninjs 3.1 objects instead. "-" or
no file reads stdin: JSONL items, or one feed document (curl -s URL |
wirestream process), told apart by its first line. A file ending in
.jsonl or .ndjson is read as items; anything else as a feed. For backfills, for testing a
configuration, and for evaluation.

State is kept in memory unless --data-dir is given, so two runs over the
same input give the same output. With --data-dir the state — remembered
stories, live events, spike baselines, what enrichment learned — carries
on from one run to the next: two runs over the two halves of an archive
give the stories, events (with their ids) and alerts of one run over all
of it. Such a run stops at its input's own time: the last spike bucket and
the live events stay open for the next run instead of closing.

The wall-clock stamps — first_seen, fetched_at (of an item without its
own), seen_at, events' first_seen/last_seen, dead letters' times — read
the time of the run, so two runs differ in them. --clock INSTANT (RFC
3339) makes every one read that instant instead: a reproducible run, the
same input giving the same bytes, to replay an archive or diff outputs.
Give an instant no earlier than the input's latest item: a date more
than normalize.future_skew ahead of the clock is clamped to it, and
the run ends with a warning counting the stories clamped.

Examples:
  wirestream process feed1.xml feed2.json > records.jsonl
  cat items.jsonl | wirestream process --out records.jsonl
  wirestream process --data-dir ./state --config wirestream.yaml backfill/*.xml
  wirestream process --format ninjs wire-items.json > stories.ninjs.jsonl
  wirestream process --clock 2026-12-06T00:00:00Z archive/*.xml > replay.jsonl`}
	c.run = func(ctx context.Context, env *cliEnv, args []string) error {
		fs, common := newCommonFlagSet(c, env, false)
		out := fs.String("out", "", "append records to `file` (created if missing) instead of writing them to stdout")
		dataDir := fs.String("data-dir", "", "keep the state (dedupe, events, spikes) in `directory` across runs (default: in memory)")
		batchSize := fs.Int("batch", 200, "items per pipeline batch")
		progress := fs.String("progress", "auto", "progress on stderr: auto (only on a terminal), always, never")
		format := fs.String("format", "", "write stories as `format`: native records or ninjs (overrides output.format)")
		clock := fs.String("clock", "", "stamp every wall-clock time (first_seen, fetched_at, seen_at, last_seen, …) as `instant` (RFC 3339): a reproducible run (default: the time of the run)")
		var maxItems optionalCount
		fs.Var(&maxItems, "max-items", "read at most `n` items per feed file, the rest one dead letter; 0: all (default: poller.max_items)")
		files, err := parseFlags(fs, args)
		if err != nil {
			return err
		}
		if *batchSize < 1 {
			return usagef("--batch must be ≥ 1")
		}
		now, err := clockOf(fs, *clock)
		if err != nil {
			return err
		}
		cfg, err := common.load(env)
		if err != nil {
			return err
		}
		defer applyRuntime(cfg.Runtime, processGCPercent, env.lookupEnv, containerMemoryMax())()
		log := newLogger(env.stderr, cfg.Log)
		if env.goLog != nil {
			env.goLog.install(log)
		}
		if *format != "" {
			cfg.Output.Format = *format
		}
		// A feed file on disk is the operator's own archive, not a hostile
		// server's: backfills of thousands of items say so with --max-items 0.
		limit := readLimit{setting: feed.MaxItemsSetting, max: cfg.Poller.MaxItems}
		if maxItems.set {
			cfg.Poller.MaxItems = maxItems.n
			limit = readLimit{setting: "--max-items", max: maxItems.n}
		}
		enc, err := encode.New(cfg.Output.Format)
		if err != nil {
			return usagef("--format: %v", err)
		}

		var sink *jsonl.Sink
		if *out != "" {
			if fi, err := os.Stat(*out); err == nil && fi.Mode().IsRegular() && fi.Size() > 0 {
				// --out appends (a --data-dir run over the next day's
				// input adds to the same file); a rerun without one wrote
				// every record a second time, silently, where `> F`
				// would have replaced the file.
				fmt.Fprintf(env.stderr, "process: --out appends to %s, which holds %s already: its records stay before this run's; remove it first to start over\n",
					*out, byteSize(fi.Size()))
			}
			if sink, err = jsonl.Open(*out, enc); err != nil {
				return err
			}
		} else {
			sink = jsonl.New(env.stdout, enc)
		}
		defer sink.Close(context.WithoutCancel(ctx))
		if readsTerminal(env.stdin, files) {
			// A bare `wirestream process` at a prompt sat silent, waiting
			// for input one had meant to give as a file or a URL.
			fmt.Fprintln(env.stderr, "process: reading stdin, a terminal: type or paste JSONL items or one feed document and end with Ctrl-D; or give FILE… (a URL: curl -s URL | wirestream process)")
		}
		prog := newProgress(env.stderr, *progress, *out == "")
		counting := &countingSink{next: sink, prog: prog}
		if now != nil {
			counting.clock = now()
		}
		res, err := daemon.Process(ctx, cfg, daemon.ProcessOptions{
			Files:     files,
			Stdin:     env.stdin,
			DataDir:   *dataDir,
			BatchSize: *batchSize,
			// The dead letter names the setting the user set.
			MaxItemsSetting: limit.setting,
			Sink:            counting,
			Metrics:         daemon.NewMetrics(prometheus.NewRegistry(), version),
			Log:             log,
			Taken:           prog.items,
			Now:             now,
		})
		prog.done()
		written := prog.counts()
		if err != nil && res.Tally.Items == 0 && len(written) == 0 && len(res.FilesNotRead) == 0 {
			// It never ran (its state could not be opened): a summary of
			// nothing, "state in DIR (kept across runs)", read as a run.
			return err
		}
		summary := processSummary(res, written, counting.refusedByStage(), limit, *dataDir)
		if err != nil && !errors.As(err, new(*daemon.InputsNotReadError)) {
			// The error is the run's last line (dispatch prints it); the
			// summary and warnings before it say they are a stopped run's
			// (a run that only could not read some inputs went to its end).
			summary = "process: stopped by the error below: " + strings.TrimPrefix(summary, "process: ")
		}
		fmt.Fprintln(env.stderr, summary)
		if n := counting.clampedByClock(); n > 0 {
			fmt.Fprintln(env.stderr, clampWarning(n, *clock, cfg.Normalize.FutureSkew))
		}
		return err
	}
	return c
}

// clockOf is the wall clock --clock asks for: nil (time.Now) when the
// flag is not given, else the one instant it names, in UTC as every stamp
// is. A fixed instant, rather than stamping each item from its own
// published time (a "--clock=event"), is the simplest clock that makes
// the output a function of the input alone: an item without a date, a
// dead letter of a line that is not an item, and the end-of-run flush
// have no event time of their own, and one instant needs no rule for
// them; the pipeline's decisions already run on event time (its spike
// buckets and event expiry), so only the stamps change.
func clockOf(fs *flag.FlagSet, value string) (func() time.Time, error) {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == "clock" })
	if !set {
		return nil, nil
	}
	at, err := time.Parse(time.RFC3339Nano, value)
	if err != nil {
		return nil, usagef("--clock %q: want an RFC 3339 instant, such as 2026-12-05T12:00:00Z", value)
	}
	at = at.UTC()
	return func() time.Time { return at }, nil
}

// clampWarning is the line a run ends with when --clock lay before some
// of its input's dates: each date more than normalize.future_skew past
// the instant was clamped to it, and only the stories' date_flags said so.
func clampWarning(n int, clock string, skew time.Duration) string {
	stories := fmt.Sprintf("%d stories", n)
	if n == 1 {
		stories = "1 story"
	}
	return fmt.Sprintf("process: warning: the dates of %s lay more than normalize.future_skew (%s) after --clock %s and were clamped to it (date_flags: future_clamped); give an instant after the input's newest date",
		stories, skew, clock)
}

// readsTerminal tells whether process reads stdin (no file, or "-") and
// stdin is a terminal.
func readsTerminal(stdin io.Reader, files []string) bool {
	if len(files) > 0 && !slices.Contains(files, "-") {
		return false
	}
	f, ok := stdin.(*os.File)
	return ok && isatty.IsTerminal(f.Fd())
}

// readLimit is the per-document item limit process applied, and the
// setting the user set it with, which the summary names.
type readLimit struct {
	setting string // "--max-items" or "poller.max_items"
	max     int
}

// processSummary is the line process ends with: what it read, what it
// wrote, and which state it decided against — in memory unless
// --data-dir was given, which is easy to miss and changes the output.
// The read stage's dead letters are counted as what each stands for: a
// line that is not an item, an entry repeating an earlier item of its
// feed document, a file not read, or the items of a feed document over
// the limit — one dead letter for up to all but limit.max of them, which
// "1 not items" hid.
func processSummary(res daemon.ProcessResult, byType map[record.Type]int, refused map[string]int, limit readLimit, dataDir string) string {
	t := res.Tally
	state := "state in memory (this run only; --data-dir DIR keeps it across runs)"
	if dataDir != "" {
		state = "state in " + dataDir + " (kept across runs)"
	}
	var out []string
	for _, typ := range record.Types {
		if n := byType[typ]; n > 0 {
			out = append(out, fmt.Sprintf("%d %s", n, typ))
		}
	}
	written := "no records"
	if len(out) > 0 {
		written = "records: " + strings.Join(out, ", ")
	}
	// Each file not read, each document cut and each repeated entry is one
	// read-stage dead letter; the rest of them are entries that are not
	// items.
	notItems := max(0, refused[record.StageRead]-len(res.FilesNotRead)-res.DocsCut-res.Repeats)
	if n := notItems + res.Repeats + refused[record.StageNormalize]; n > 0 {
		// The dead letters alone do not say that they are input refused,
		// nor where to look: a bad line among thousands went unnoticed.
		repeats := ""
		if res.Repeats > 0 {
			repeats = fmt.Sprintf(", %d repeating an earlier item of the same feed document", res.Repeats)
		}
		written += fmt.Sprintf("; refused %s (%d not items%s, %d not stories): each dead_letter's error says where and why",
			plural(n, "input"), notItems, repeats, refused[record.StageNormalize])
	}
	if res.ItemsCut > 0 {
		written += fmt.Sprintf("; did not read %s over the limit of %d (%s) in %s, a dead_letter per document (--max-items 0 reads them all)",
			plural(res.ItemsCut, "item"), limit.max, limit.setting, plural(res.DocsCut, "feed document"))
	}
	if n := len(res.FilesNotRead); n > 0 {
		written += fmt.Sprintf("; could not read %s (%s): its dead_letter says why", plural(n, "file"), strings.Join(res.FilesNotRead, ", "))
	}
	return fmt.Sprintf("process: %s decided (%d new, %s, %s, %d unchanged); wrote %s; %s",
		plural(t.Items, "item"), t.New, plural(t.Revisions, "revision"), plural(t.Duplicates, "duplicate"), t.Unchanged, written, state)
}

// countingSink passes records on and counts them by type for progress,
// and the dead letters of refused input by stage for the summary.
type countingSink struct {
	next pipeline.Sink
	prog *progress

	// clock is --clock's instant (zero without it): a story fetched then
	// whose dates were clamped was clamped by the flag.
	clock time.Time

	mu      sync.Mutex
	refused map[string]int
	clamped int
}

// clampedByClock counts the stories written so far whose dates were
// clamped to --clock's instant.
func (c *countingSink) clampedByClock() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.clamped
}

// refusedByStage counts the dead letters written so far by their stage.
func (c *countingSink) refusedByStage() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return maps.Clone(c.refused)
}

func (c *countingSink) Write(ctx context.Context, recs []record.Record) error {
	if err := c.next.Write(ctx, recs); err != nil {
		return err
	}
	for _, r := range recs {
		c.prog.record(r.RecordType())
		switch r := r.(type) {
		case *record.DeadLetter:
			c.mu.Lock()
			if c.refused == nil {
				c.refused = map[string]int{}
			}
			c.refused[r.Stage]++
			c.mu.Unlock()
		case *record.Story:
			if !c.clock.IsZero() && r.FetchedAt.Equal(c.clock) && slices.Contains(r.DateFlags, record.DateFutureClamped) {
				c.mu.Lock()
				c.clamped++
				c.mu.Unlock()
			}
		}
	}
	return nil
}

// optionalCount is a count flag that knows whether it was given, so
// --max-items can default to the configuration's poller.max_items without
// a made-up "(default -1)" in its help; a negative count is refused.
type optionalCount struct {
	n   int
	set bool
}

func (o *optionalCount) String() string {
	if o == nil || !o.set {
		return ""
	}
	return strconv.Itoa(o.n)
}

func (o *optionalCount) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil {
		return errors.New("want a whole number")
	}
	if n < 0 {
		return errors.New("want 0 (no limit) or more")
	}
	o.n, o.set = n, true
	return nil
}
