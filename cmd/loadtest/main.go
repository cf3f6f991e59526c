// Command loadtest measures wirestream end to end against its limits on the
// machine it runs on. It serves N generated news feeds from loopback (a
// child process, so its CPU and memory are not counted as wirestream's),
// runs wirestream's own packages — poller, pipeline, state log, Kafka
// sink — in a fresh child process per run against a real broker, and
// reports feed polls/s, new stories/s acknowledged by Kafka, fetch → ack
// latency, CPU per 1,000 stories, peak RSS and state size. Beside each
// figure it puts the limit measured in the same run: wrk against the
// fixture server for polls/s, kcat producing the same records to the same
// broker for records/s.
//
// The stories' text is news-like by default (-text news: internal/newstext's
// word model, whose stories meet about as many near-duplicate candidates
// as real news does); -text template serves the sentence-template text that
// rounds 11–27 measured, to reproduce their figures.
//
//	go run ./cmd/loadtest -brokers 127.0.0.1:49092 -feeds 1000 -runs 3
//	go run ./cmd/loadtest -text template -brokers 127.0.0.1:49092 -feeds 1000 -runs 3
//	scripts/loadtest.sh            # broker start, harness, broker stop
//
// It only ever targets loopback addresses, and every run is bounded by
// -warmup + -duration.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/wirestream/wirestream/internal/eval/datasets"
	"github.com/wirestream/wirestream/internal/eval/dedupeeval"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	var err error
	sub := ""
	if len(os.Args) > 1 && !strings.HasPrefix(os.Args[1], "-") {
		sub = os.Args[1]
	}
	switch sub {
	case "":
		err = orchestrate(ctx, os.Args[1:], os.Stdout, log)
	case "serve":
		err = serveCmd(ctx, os.Args[2:], os.Stdin, os.Stdout)
	case "measure":
		err = measureCmd(ctx, os.Args[2:], os.Stdout)
	case "prefill":
		err = prefillCmd(ctx, os.Args[2:], log)
	case "eval-dedupe":
		err = evalDedupeCmd(os.Args[2:], os.Stdout)
	case "ceiling":
		err = ceilingCmd(ctx, os.Args[2:], os.Stdout)
	case "ceiling-parse":
		err = ceilingParseCmd(os.Args[2:], os.Stdout)
	case "restore":
		err = restoreCmd(ctx, os.Args[2:], os.Stdout, log)
	case "restore-child":
		err = restoreChildCmd(ctx, os.Args[2:], os.Stdout)
	default:
		err = fmt.Errorf("unknown subcommand %q (want none, serve, measure, prefill, eval-dedupe, ceiling or restore)", sub)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

// fixtureFlags are shared by the orchestrator and the serve child.
func fixtureFlags(fs *flag.FlagSet) *fixtureOptions {
	o := &fixtureOptions{}
	fs.Uint64Var(&o.Seed, "seed", 1, "generator seed")
	fs.IntVar(&o.Feeds, "feeds", 1000, "number of feeds served")
	fs.IntVar(&o.Items, "items", 10, "items per feed document")
	fs.IntVar(&o.PerChange, "per-change", 2, "new items a changing feed publishes in a round")
	fs.Float64Var(&o.Share, "change-share", 0.2, "share of feeds that publish each round")
	fs.Float64Var(&o.FastShare, "fast-share", 0, "share of feeds that publish every round (the others at -change-share): fast and slow feeds side by side")
	fs.DurationVar(&o.Round, "round", time.Second, "length of a publishing round")
	fs.IntVar(&o.BodyWords, "body-words", 120, "words of content:encoded per item (0: summaries only)")
	fs.Float64Var(&o.CopyShare, "copy-share", 0.1, "share of items that republish another feed's story (wire copies; with -text news half of them edited)")
	fs.StringVar(&o.Text, "text", textNews, "the stories' text: news (a word model with news statistics) or template (rounds 11–27's sentence templates, to reproduce their figures)")
	fs.BoolVar(&o.Gzip, "gzip", true, "serve gzip bodies to clients that accept them")
	return o
}

func (o fixtureOptions) args() []string {
	return []string{
		"-seed", fmt.Sprint(o.Seed), "-feeds", fmt.Sprint(o.Feeds), "-items", fmt.Sprint(o.Items),
		"-per-change", fmt.Sprint(o.PerChange), "-change-share", fmt.Sprint(o.Share), "-fast-share", fmt.Sprint(o.FastShare), "-round", o.Round.String(),
		"-body-words", fmt.Sprint(o.BodyWords), "-copy-share", fmt.Sprint(o.CopyShare), fmt.Sprintf("-gzip=%t", o.Gzip), "-text", o.Text,
	}
}

func checkText(t string) error {
	if t != textNews && t != textTemplate {
		return fmt.Errorf("-text: want %s or %s, got %q", textNews, textTemplate, t)
	}
	return nil
}

// serveCmd is the fixture server child: it prints its base URLs as one JSON
// line and serves until its stdin closes (the parent ended).
func serveCmd(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	o := fixtureFlags(fs)
	hosts := fs.Int("hosts", 8, "loopback hosts (127.0.0.10, .11, …)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := checkText(o.Text); err != nil {
		return err
	}
	ls, bases, err := listenLoopback(*hosts)
	if err != nil {
		return err
	}
	x := newFixtures(*o, bases, time.Now())
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		_, _ = io.Copy(io.Discard, stdin)
		cancel()
	}()
	if err := json.NewEncoder(stdout).Encode(map[string]any{"bases": bases}); err != nil {
		return err
	}
	return serve(ctx, ls, x)
}

func measureCmd(ctx context.Context, args []string, stdout io.Writer) error {
	o, err := parseMeasure(args)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	res, err := measure(ctx, o, log)
	if err != nil {
		return err
	}
	return json.NewEncoder(stdout).Encode(res)
}

// parseMeasure reads the measure child's flags.
func parseMeasure(args []string) (runOptions, error) {
	fs := flag.NewFlagSet("measure", flag.ContinueOnError)
	var o runOptions
	var bases, brokers string
	var feeds int
	fs.StringVar(&o.ConfigFile, "config", "", "wirestream config file")
	fs.StringVar(&o.StateDir, "state", "", "state directory")
	fs.StringVar(&brokers, "brokers", "", "brokers")
	fs.StringVar(&o.Prefix, "prefix", "", "topic prefix")
	fs.StringVar(&bases, "bases", "", "fixture base URLs")
	fs.IntVar(&feeds, "feeds", 0, "feeds")
	fs.DurationVar(&o.Interval, "interval", time.Second, "poll interval")
	fs.DurationVar(&o.Warmup, "warmup", 10*time.Second, "warm-up")
	fs.DurationVar(&o.Duration, "duration", 20*time.Second, "window")
	fs.StringVar(&o.DumpFile, "dump", "", "dump file")
	fs.IntVar(&o.DumpMax, "dump-max", 50_000, "records to dump")
	fs.StringVar(&o.CPUProfile, "cpuprofile", "", "CPU profile of the window")
	fs.StringVar(&o.MemProfile, "memprofile", "", "heap profile at the window's end")
	fs.StringVar(&o.PeakProfile, "peakprofile", "", "heap profile each time RSS passes its last profiled high by 16 MiB (the file keeps the last)")
	fs.StringVar(&o.Trace, "trace", "", "execution trace of the window")
	fs.BoolVar(&o.Split, "split", false, "a fetcher and a processor instead of role all")
	fs.StringVar(&o.LatencyLog, "latency-log", "", "each new story's latency parts, tab-separated")
	fs.BoolVar(&o.RunGC, "run-gc", true, runGCUsage)
	fs.IntVar(&o.UntilDone, "until-done", 0, "items per feed page: end the window when every item has been answered (0: at -duration)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	o.Brokers = strings.Split(brokers, ",")
	bs := strings.Split(bases, ",")
	o.StatsURL = bs[0] + "/stats"
	for f := range feeds {
		o.FeedURLs = append(o.FeedURLs, fmt.Sprintf("%s/feeds/%d.xml", bs[f%len(bs)], f))
	}
	return o, nil
}

func prefillCmd(ctx context.Context, args []string, log *slog.Logger) error {
	fs := flag.NewFlagSet("prefill", flag.ContinueOnError)
	cfg := fs.String("config", "", "wirestream config file (dedupe.minhashes/bands decide the signatures)")
	dir := fs.String("state", "", "state directory to fill")
	n := fs.Int("stories", 1_000_000, "stories to remember")
	words := fs.Int("body-words", 120, "words per story body")
	text := fs.String("text", textNews, "the stories' text: news or template")
	span := fs.String("span", spanYoung, prefillSpanUsage)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := checkText(*text); err != nil {
		return err
	}
	if *dir == "" {
		return errors.New("prefill: -state is required")
	}
	if err := prefill(ctx, *cfg, *dir, *n, *words, *text, *span, log); err != nil {
		return err
	}
	return markPrefilled(*dir, *text, *span)
}

const prefillSpanUsage = "the prefilled stories' first-seen times, spread evenly: " + spanYoung +
	" (over 9/10 of dedupe.window: every one young, the near index's worst case) or " + spanHistory +
	" (over 9/10 of state.seen_ttl, a week by default, as a deployment's remembered stories arrive)"

// markPrefilled writes dir's .complete, naming the text its stories were
// made of and, past the default, the span they were spread over
// (prefilledWith reads it): only a prefill that finished writes it,
// whether the harness started it or a person did, so a run given that
// -prefill-dir reuses the state instead of prefilling it again.
func markPrefilled(dir, text, span string) error {
	mark := text
	if span != spanYoung && span != "" {
		mark += " " + span
	}
	return os.WriteFile(filepath.Join(dir, ".complete"), []byte(mark+"\n"), 0o644)
}

// evalDedupeCmd runs the labelled dedupe evaluation with the dedupe
// section of a config file, so settings are tried without code changes.
func evalDedupeCmd(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("eval-dedupe", flag.ContinueOnError)
	cfgFile := fs.String("config", "", "wirestream config file")
	data := fs.String("data", "", "labelled data directory (default: the first shared/data above the working directory)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, err := loadConfig(*cfgFile)
	if err != nil {
		return err
	}
	dir := *data
	if dir == "" {
		if dir, err = datasets.Find("."); err != nil {
			return err
		}
	}
	_, err = dedupeeval.Evaluate(dir, cfg.Dedupe, stdout)
	return err
}

// startChild runs this binary with args; stdout is read by the caller.
func startChild(ctx context.Context, args ...string) (*exec.Cmd, *bufio.Reader, io.WriteCloser, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, nil, nil, err
	}
	cmd := exec.CommandContext(ctx, self, args...)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, nil, nil, err
	}
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, nil, nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, nil, nil, err
	}
	return cmd, bufio.NewReader(out), in, nil
}

func copyDir(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		t := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(t, 0o755)
		}
		return exec.Command("cp", "--reflink=auto", p, t).Run()
	})
}
