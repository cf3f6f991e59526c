package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// trial is one run: the wirestream measurement and its limits.
type trial struct {
	Run         runResult `json:"run"`
	Wrk304      float64   `json:"wrk_304_rps"`
	Wrk200      float64   `json:"wrk_200_rps"`
	Kcat        float64   `json:"kcat_records_per_s"`
	KcatN       int       `json:"kcat_records"`
	Prefill     int       `json:"prefill"`
	PrefillSpan string    `json:"prefill_span,omitempty"` // young or history (prefillSpanUsage)
	Text        string    `json:"text"`                   // the stories' text: news or template
}

type orchestration struct {
	fix         *fixtureOptions
	hosts       int
	brokers     string
	config      string
	interval    time.Duration
	warmup      time.Duration
	duration    time.Duration
	runs        int
	prefill     int
	prefillDir  string
	prefillSpan string
	baseline    bool
	wrkFor      time.Duration
	kcatMin     int
	cpuProf     string
	memProf     string
	peakProf    string
	trace       string
	latLog      string
	split       bool
	runGC       bool // the measured child applies run's collector setting
	untilDone   bool // each run's window ends when every offered item is answered
	jsonOut     string
	keep        bool
}

func orchestrate(ctx context.Context, args []string, stdout io.Writer, log *slog.Logger) error {
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	var o orchestration
	o.fix = fixtureFlags(fs)
	fs.IntVar(&o.hosts, "hosts", 8, "loopback hosts the feeds are spread over (127.0.0.10, .11, …)")
	fs.StringVar(&o.brokers, "brokers", os.Getenv("KAFKA_BROKERS"), "Kafka brokers, loopback only (default $KAFKA_BROKERS)")
	fs.StringVar(&o.config, "config", "", "wirestream config file (e.g. to try dedupe.minhashes or pipeline.max_in_flight_batches)")
	fs.DurationVar(&o.interval, "interval", time.Second, "poll interval of every feed (min = max)")
	fs.DurationVar(&o.warmup, "warmup", 10*time.Second, "time before the measurement window (first polls, connections)")
	fs.DurationVar(&o.duration, "duration", 20*time.Second, "measurement window")
	fs.IntVar(&o.runs, "runs", 3, "runs; the table shows medians")
	fs.BoolVar(&o.runGC, "run-gc", true, runGCUsage)
	fs.BoolVar(&o.split, "split", false, "run wirestream as one fetcher and one processor (items through the items topic, state in the changelog) instead of role all")
	fs.IntVar(&o.prefill, "prefill", 0, "stories remembered in state before each run (e.g. 1000000)")
	fs.StringVar(&o.prefillDir, "prefill-dir", "", "reuse (or create) the prefilled state here instead of a temp dir")
	fs.StringVar(&o.prefillSpan, "prefill-span", spanYoung, prefillSpanUsage)
	fs.BoolVar(&o.baseline, "baseline", true, "measure the limits: wrk on the fixture server, kcat on the broker")
	fs.DurationVar(&o.wrkFor, "wrk-duration", 5*time.Second, "length of each wrk run")
	fs.IntVar(&o.kcatMin, "kcat-records", 100_000, "records kcat produces (the dump is repeated to reach it)")
	fs.StringVar(&o.cpuProf, "cpuprofile", "", "write a CPU profile of each run's window to `FILE`.N")
	fs.StringVar(&o.trace, "trace", "", "write an execution trace (go tool trace) of each run's window to `FILE`.N")
	fs.StringVar(&o.latLog, "latency-log", "", "write each new story's fetch → ack and its parts (ms; tab-separated, by ack time in the window) to `FILE`.N, and beside it FILE.N.timeline: every 20 ms whether a state snapshot was being written and the GCs so far, to line slow spells up with them")
	fs.StringVar(&o.memProf, "memprofile", "", "write a heap profile at the end of each run's window to `FILE`.N")
	fs.StringVar(&o.peakProf, "peakprofile", "", "write a heap profile to `FILE`.N each time the run's RSS passes its last profiled high by 16 MiB, over the last one: the profile nearest the peak RSS, as of the collection before it (none is forced)")
	fs.StringVar(&o.jsonOut, "json", "", "also write every run's figures as JSON to `FILE`")
	fs.BoolVar(&o.keep, "keep", false, "keep the temp dir and each run's state dir in it (state.N, dumps)")
	fs.BoolVar(&o.untilDone, "until-done", false, "run to completion: the feeds offer their first page only (-change-share 0) and each run's window, from the start (-warmup 0), ends when every item has come out as a story or a duplicate record, or at -duration (default 30m, at most 1h); the report says what was lost or answered twice")
	if err := fs.Parse(args); err != nil {
		return err
	}
	maxWindow := 10 * time.Minute
	if o.untilDone {
		if err := untilDoneDefaults(fs, &o); err != nil {
			return err
		}
		maxWindow = time.Hour
	}
	switch {
	case o.runs < 1 || o.runs > 10:
		return fmt.Errorf("-runs: must be 1..10, got %d", o.runs)
	case o.duration <= 0 || o.duration > maxWindow || o.warmup < 0 || o.warmup > 10*time.Minute:
		return fmt.Errorf("-duration must be in (0, %s] and -warmup in [0, 10m]", maxWindow)
	case o.fix.Feeds < 1 || o.fix.Feeds > 100_000:
		return fmt.Errorf("-feeds: must be 1..100000, got %d", o.fix.Feeds)
	case o.hosts < 1 || o.hosts > 200:
		return fmt.Errorf("-hosts: must be 1..200, got %d", o.hosts)
	case o.prefill < 0 || o.prefill > 5_000_000:
		return fmt.Errorf("-prefill: must be 0..5000000, got %d", o.prefill)
	case o.prefillSpan != spanYoung && o.prefillSpan != spanHistory:
		return fmt.Errorf("-prefill-span: want %s or %s, got %q", spanYoung, spanHistory, o.prefillSpan)
	}
	if err := checkText(o.fix.Text); err != nil {
		return err
	}
	brokers := strings.Split(o.brokers, ",")
	if o.brokers == "" {
		brokers = nil
	}
	if err := checkLoopback(brokers); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "wirestream-loadtest-")
	if err != nil {
		return err
	}
	if o.keep {
		log.Info("keeping temp dir", "dir", tmp)
	} else {
		defer os.RemoveAll(tmp)
	}

	// The fixture server: one child for all runs.
	sctx, stopServer := context.WithCancel(ctx)
	defer stopServer()
	srv, out, in, err := startChild(sctx, append([]string{"serve", "-hosts", fmt.Sprint(o.hosts)}, o.fix.args()...)...)
	if err != nil {
		return fmt.Errorf("start fixture server: %w", err)
	}
	defer func() {
		in.Close() // the child exits when its stdin closes
		_ = srv.Wait()
	}()
	var hello struct{ Bases []string }
	line, err := out.ReadBytes('\n')
	if err != nil {
		return fmt.Errorf("fixture server: %w", err)
	}
	if err := json.Unmarshal(line, &hello); err != nil || len(hello.Bases) == 0 {
		return fmt.Errorf("fixture server said %q: %v", line, err)
	}
	log.Info("fixture server up", "feeds", o.fix.Feeds, "hosts", hello.Bases)

	prefillDir := ""
	if o.prefill > 0 {
		prefillDir = o.prefillDir
		if prefillDir == "" {
			prefillDir = filepath.Join(tmp, "prefill")
		}
		// .complete names the text the stories were made of and the span
		// they were spread over: a state prefilled with one text and
		// served the other would measure neither, and one of the other
		// span would measure the other history.
		reuse, err := prefilledWith(prefillDir, o.fix.Text, o.prefillSpan)
		switch {
		case err != nil:
			return err
		case !reuse:
			log.Info("prefilling state", "stories", o.prefill, "dir", prefillDir, "text", o.fix.Text, "span", o.prefillSpan)
			if err := runChild(ctx, nil, "prefill", "-config", o.config, "-state", prefillDir,
				"-stories", fmt.Sprint(o.prefill), "-body-words", fmt.Sprint(o.fix.BodyWords), "-text", o.fix.Text,
				"-span", o.prefillSpan); err != nil {
				return fmt.Errorf("prefill: %w", err) // the child marks the directory when it finishes
			}
		default:
			log.Info("reusing prefilled state", "dir", prefillDir, "text", o.fix.Text, "span", o.prefillSpan)
		}
	}

	var trials []trial
	// the process id too: two runs started in the same second would share
	// topics and consumer groups, and measure each other's stories
	stamp := fmt.Sprintf("%s-%d", time.Now().Format("20060102-150405"), os.Getpid())
	for i := range o.runs {
		t := trial{Prefill: o.prefill, PrefillSpan: o.prefillSpan, Text: o.fix.Text}
		if o.baseline {
			// Paths of the feeds on the first host, as the poller would ask for them.
			var paths []string
			for f := 0; f < o.fix.Feeds && len(paths) < 2000; f += o.hosts {
				paths = append(paths, fmt.Sprintf("/feeds/%d.xml", f))
			}
			if t.Wrk304, err = runWrk(ctx, hello.Bases[0], paths, true, o.wrkFor, tmp); err != nil {
				return err
			}
			if t.Wrk200, err = runWrk(ctx, hello.Bases[0], paths, false, o.wrkFor, tmp); err != nil {
				return err
			}
		}
		state := filepath.Join(tmp, fmt.Sprintf("state.%d", i))
		if prefillDir != "" {
			if err := copyDir(prefillDir, state); err != nil {
				return fmt.Errorf("copy prefilled state: %w", err)
			}
		}
		prefix := fmt.Sprintf("loadtest.%s.%d.", stamp, i)
		dump := filepath.Join(tmp, fmt.Sprintf("dump.%d.tsv", i))
		margs := []string{"measure", "-config", o.config, "-state", state, "-brokers", strings.Join(brokers, ","),
			"-prefix", prefix, "-bases", strings.Join(hello.Bases, ","), "-feeds", fmt.Sprint(o.fix.Feeds),
			"-interval", o.interval.String(), "-warmup", o.warmup.String(), "-duration", o.duration.String(),
			"-dump", dump, fmt.Sprintf("-run-gc=%t", o.runGC)}
		if o.untilDone {
			margs = append(margs, "-until-done", fmt.Sprint(o.fix.Items))
		}
		if o.cpuProf != "" {
			margs = append(margs, "-cpuprofile", fmt.Sprintf("%s.%d", o.cpuProf, i))
		}
		if o.trace != "" {
			margs = append(margs, "-trace", fmt.Sprintf("%s.%d", o.trace, i))
		}
		if o.latLog != "" {
			margs = append(margs, "-latency-log", fmt.Sprintf("%s.%d", o.latLog, i))
		}
		if o.split {
			margs = append(margs, "-split")
		}
		if o.memProf != "" {
			margs = append(margs, "-memprofile", fmt.Sprintf("%s.%d", o.memProf, i))
		}
		if o.peakProf != "" {
			margs = append(margs, "-peakprofile", fmt.Sprintf("%s.%d", o.peakProf, i))
		}
		log.Info("run", "n", i+1, "of", o.runs, "feeds", o.fix.Feeds, "window", o.duration)
		if err := runChild(ctx, &t.Run, margs...); err != nil {
			return fmt.Errorf("run %d: %w", i+1, err)
		}
		if o.baseline {
			cfg, err := loadConfig(o.config)
			if err != nil {
				return err
			}
			parts := cfg.Kafka.Topic(record.TypeStory).Partitions
			if t.Kcat, t.KcatN, err = runKcat(ctx, brokers, prefix+"kcat", parts, dump, o.kcatMin, cfg.Kafka.Compression, tmp); err != nil {
				return err
			}
		}
		if !o.keep { // -keep keeps each run's state too: a busy state to restore (rst44, dedsnap45)
			_ = os.RemoveAll(state)
		}
		log.Info("run done", "n", i+1, "polls_per_s", t.Run.Polls/t.Run.WindowSeconds,
			"stories_per_s", float64(t.Run.Stories)/t.Run.WindowSeconds, "p99_ms", t.Run.P99ms,
			"items_published", t.Run.ItemsPublished, "items_missed", t.Run.ItemsMissed, "gap_polls", t.Run.GapPolls,
			"peak_rss_mb", t.Run.PeakRSSMB, "gcs", t.Run.GCs, "cpu_per_1k", t.Run.CPUSeconds/max(float64(t.Run.Stories), 1)*1000, "wrk_304", t.Wrk304, "kcat", t.Kcat)
		trials = append(trials, t)
	}
	if o.jsonOut != "" {
		b, _ := json.MarshalIndent(trials, "", "  ")
		if err := os.WriteFile(o.jsonOut, b, 0o644); err != nil {
			return err
		}
	}
	writeReport(stdout, o, trials)
	return nil
}

// untilDoneDefaults sets what -until-done means: nothing published after
// the first page, the window from the start, a bound of 30 minutes; it
// refuses a -change-share or -warmup given otherwise, which would make
// "done" never come or leave the start out.
func untilDoneDefaults(fs *flag.FlagSet, o *orchestration) error {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if set["change-share"] && o.fix.Share != 0 {
		return errors.New("-until-done: the feeds publish their first page only; -change-share must be 0")
	}
	if set["warmup"] && o.warmup != 0 {
		return errors.New("-until-done: the window is the whole run; -warmup must be 0")
	}
	o.fix.Share, o.warmup = 0, 0
	if !set["duration"] {
		o.duration = 30 * time.Minute
	}
	return nil
}

// prefilledWith says whether dir holds a finished prefill of text's
// stories spread over span, and refuses one of the other text or span.
func prefilledWith(dir, text, span string) (bool, error) {
	done, err := os.ReadFile(filepath.Join(dir, ".complete"))
	if err != nil {
		return false, nil
	}
	hadText, hadSpan := readPrefillMark(string(done))
	if hadText != text {
		return false, fmt.Errorf("-prefill-dir %s holds stories of the %s text, not of -text %s: give each text its own directory", dir, hadText, text)
	}
	if hadSpan != span {
		return false, fmt.Errorf("-prefill-dir %s holds stories spread as %s, not as -prefill-span %s: give each span its own directory", dir, hadSpan, span)
	}
	return true, nil
}

// readPrefillMark reads a .complete (markPrefilled): the text, then the
// span when it is not the default. An empty mark is from before round
// 28, when every prefill was of the template text; one without a span
// from before round 47, when every prefill was young.
func readPrefillMark(mark string) (text, span string) {
	text, span, _ = strings.Cut(strings.TrimSpace(mark), " ")
	if text == "" {
		text = textTemplate
	}
	if span == "" {
		span = spanYoung
	}
	return text, span
}

// runChild runs this binary with args and decodes its stdout into v.
func runChild(ctx context.Context, v any, args ...string) error {
	cmd, out, in, err := startChild(ctx, args...)
	if err != nil {
		return err
	}
	in.Close()
	b, rerr := io.ReadAll(out)
	if err := cmd.Wait(); err != nil {
		return err
	}
	if rerr != nil {
		return rerr
	}
	if v == nil {
		return nil
	}
	return json.Unmarshal(b, v)
}
