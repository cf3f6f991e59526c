package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/wirestream/wirestream/internal/daemon"
	"github.com/wirestream/wirestream/pipeline"
	"github.com/wirestream/wirestream/pipeline/dedupe"
	"github.com/wirestream/wirestream/pipeline/normalize"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
	"github.com/wirestream/wirestream/sinks/jsonl"
	"github.com/wirestream/wirestream/sources/feed"
)

func processCommand() *command {
	c := &command{name: "process", summary: "run the pipeline offline over files, writing JSONL", usage: `Usage: wirestream process [flags] [FILE ...]

Runs the same pipeline as "run" (normalize, dedupe, enrich, events, spikes)
over feed documents (RSS, Atom, JSON Feed files) and/or JSONL files of
items (one JSON object per line in the item schema), and writes one JSON
record per line — story, duplicate, event, alert, dead_letter — each with
its "type" and "id". "-" or no file reads JSONL items from stdin. A file
ending in .jsonl or .ndjson is read as items; anything else as a feed.
For backfills, for testing a configuration, and for evaluation.

State is kept in memory unless --data-dir is given, so two runs over the
same input give the same output.

Examples:
  wirestream process feed1.xml feed2.json > records.jsonl
  cat items.jsonl | wirestream process --out records.jsonl
  wirestream process --data-dir ./state --config wirestream.yaml backfill/*.xml`}
	c.run = func(ctx context.Context, env *cliEnv, args []string) error {
		fs := newFlagSet(c, env)
		var common commonFlags
		common.register(fs, false)
		out := fs.String("out", "", "write records to `file` instead of stdout")
		dataDir := fs.String("data-dir", "", "keep dedupe state in `directory` across runs (default: in memory)")
		batchSize := fs.Int("batch", 200, "items per pipeline batch")
		progress := fs.String("progress", "auto", "progress on stderr: auto (only on a terminal), always, never")
		files, err := parseFlags(fs, args)
		if err != nil {
			return err
		}
		if *batchSize < 1 {
			return usagef("--batch must be ≥ 1")
		}
		cfg, err := common.load(env)
		if err != nil {
			return err
		}
		log := newLogger(env.stderr, cfg.Log)

		m := daemon.NewMetrics(prometheus.NewRegistry(), version)
		// Without --data-dir, state lives in memory: two runs over the same
		// input give the same output.
		var store state.Store = state.NewMemory(cfg.State)
		if *dataDir != "" {
			b, err := state.OpenBolt(*dataDir, cfg.State, m.State)
			if err != nil {
				return err
			}
			store = b
		}
		defer store.Close()

		var w io.Writer = env.stdout
		var sink *jsonl.Sink
		if *out != "" {
			sink, err = jsonl.Open(*out)
			if err != nil {
				return err
			}
		} else {
			sink = jsonl.New(w)
		}
		defer sink.Close(context.WithoutCancel(ctx))

		prog := newProgress(env.stderr, *progress, *out == "")
		counting := &countingSink{next: sink, prog: prog}
		stages, err := daemon.NewStages(cfg, m)
		if err != nil {
			return err
		}
		deduper, err := dedupe.New(cfg.Dedupe, store, m.Dedupe, time.Now())
		if err != nil {
			return err
		}
		pl, err := pipeline.New(cfg.Pipeline, pipeline.Deps{
			Normalizer: normalize.New(cfg.Normalize),
			Dedupe:     deduper,
			Store:      store,
			Enricher:   stages.Enricher,
			Events:     stages.Events,
			Spikes:     stages.Spikes,
			Sink:       counting,
			Log:        log.With("component", "pipeline"),
		}, m.Pipeline)
		if err != nil {
			return err
		}
		if len(files) == 0 {
			files = []string{"-"}
		}
		// A broken input file must not stop the others: it becomes a dead
		// letter, and the exit status says something was left out.
		var failed []string
		for _, f := range files {
			err := processFile(ctx, env, pl, counting, f, *batchSize, prog)
			var ie *inputError
			switch {
			case errors.As(err, &ie):
				log.Error("input skipped", "file", f, "err", ie.err)
				failed = append(failed, f)
				dl := record.NewDeadLetter(record.StageRead, f, "", ie, time.Now())
				if err := counting.Write(ctx, []record.Record{dl}); err != nil {
					return err
				}
			case err != nil:
				return err
			}
		}
		if err := pl.Flush(ctx, time.Now().Add(cfg.Spikes.Bucket)); err != nil {
			return err
		}
		prog.done()
		if len(failed) > 0 {
			return fmt.Errorf("%d of %d inputs could not be read (each is a dead letter in the output): %s", len(failed), len(files), strings.Join(failed, ", "))
		}
		return nil
	}
	return c
}

// processFile feeds one input file through the pipeline in batches.
func processFile(ctx context.Context, env *cliEnv, pl *pipeline.Pipeline, sink pipeline.Sink, name string, batchSize int, prog *progress) error {
	var r io.Reader
	if name == "-" {
		r = env.stdin
	} else {
		fh, err := os.Open(name)
		if err != nil {
			return &inputError{fmt.Errorf("open input: %w", err)}
		}
		defer fh.Close()
		r = fh
	}
	ext := strings.ToLower(filepath.Ext(name))
	if name == "-" || ext == ".jsonl" || ext == ".ndjson" {
		return processJSONL(ctx, pl, sink, name, r, batchSize, prog)
	}
	body, err := io.ReadAll(io.LimitReader(r, 256<<20))
	if err != nil {
		return &inputError{fmt.Errorf("read %s: %w", name, err)}
	}
	// A file has no feed URL. The channel's own site link, when it has
	// one, stands in: relative item links resolve against it, and ids
	// derived from it are the same on every machine (a local path is not).
	fetched := time.Now().UTC()
	feedURL := "file:///" + filepath.Base(name)
	doc, err := feed.Parse(body, "", feedURL, fetched)
	if err != nil {
		return &inputError{fmt.Errorf("parse feed %s: %w", name, err)}
	}
	if u, perr := url.Parse(doc.Link); perr == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
		if doc, err = feed.Parse(body, "", doc.Link, fetched); err != nil {
			return &inputError{fmt.Errorf("parse feed %s: %w", name, err)}
		}
	}
	items := doc.Items
	for len(items) > 0 {
		n := min(batchSize, len(items))
		b := record.Batch{Feed: items[0].Feed, Items: items[:n]}
		prog.items(n)
		if err := pl.Process(ctx, b); err != nil {
			return err
		}
		items = items[n:]
	}
	return nil
}

// processJSONL reads items line by line; a line that is not an item goes
// to the dead letters with its line number instead of stopping the run.
func processJSONL(ctx context.Context, pl *pipeline.Pipeline, sink pipeline.Sink, name string, r io.Reader, batchSize int, prog *progress) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<20), 64<<20)
	var batch []record.Item
	var bad []record.Record
	flush := func() error {
		if len(batch) == 0 && len(bad) == 0 {
			return nil
		}
		prog.items(len(batch))
		b := record.Batch{Items: batch}
		if len(batch) > 0 {
			b.Feed = batch[0].Feed
		}
		if len(bad) > 0 {
			if err := sink.Write(ctx, bad); err != nil {
				return err
			}
		}
		if len(batch) > 0 {
			if err := pl.Process(ctx, b); err != nil {
				return err
			}
		}
		batch, bad = nil, nil
		return nil
	}
	line := 0
	for sc.Scan() {
		line++
		raw := bytes.TrimSpace(sc.Bytes())
		if len(raw) == 0 {
			continue
		}
		var it record.Item
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&it); err != nil {
			bad = append(bad, record.NewDeadLetter(record.StageRead, fmt.Sprintf("%s:%d", name, line), "",
				fmt.Errorf("%s line %d: not an item: %w", name, line, err), time.Now()).WithPayload(raw))
			continue
		}
		if it.FetchedAt.IsZero() {
			it.FetchedAt = time.Now().UTC()
		}
		// A batch is one feed's, as a poll would give it: flush before an
		// item of another feed joins, and when the batch is full.
		if len(batch) > 0 && batch[0].Feed.URL != it.Feed.URL {
			if err := flush(); err != nil {
				return err
			}
		}
		if batch = append(batch, it); len(batch) >= batchSize {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read %s line %d: %w", name, line+1, err)
	}
	return flush()
}

// countingSink passes records on and counts them by type for progress.
type countingSink struct {
	next pipeline.Sink
	prog *progress
}

func (c *countingSink) Write(ctx context.Context, recs []record.Record) error {
	if err := c.next.Write(ctx, recs); err != nil {
		return err
	}
	for _, r := range recs {
		c.prog.record(r.RecordType())
	}
	return nil
}

// inputError is an input file that could not be read or parsed: the run
// goes on without it.
type inputError struct{ err error }

func (e *inputError) Error() string { return e.err.Error() }
func (e *inputError) Unwrap() error { return e.err }
