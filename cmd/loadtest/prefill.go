package main

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/pipeline/dedupe"
	"github.com/wirestream/wirestream/pipeline/normalize"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
)

// prefill remembers n synthetic stories in the state log under dir,
// through the same calls the pipeline makes (normalize, dedupe Check,
// Commit), first seen spread evenly over the span before now (spanOf), so
// that a later run starts as a long-running instance restarts: with n
// stories and their signatures in the log it restores.
//
// The stories come from feeds of a host the harness never serves
// (prefill.invalid), so they neither collide with nor dedupe the
// fixtures' items except by text, which the generator keeps apart.
func prefill(ctx context.Context, cfgFile, dir string, n, bodyWords int, text, span string, log *slog.Logger) error {
	cfg, err := loadConfig(cfgFile)
	if err != nil {
		return err
	}
	window, err := spanOf(span, cfg)
	if err != nil {
		return err
	}
	cfg.State.NoSync = true // a throwaway fill; the runs that follow use the configured setting
	stateLog, err := state.OpenFile(dir, cfg.State, nil, log)
	if err != nil {
		return err
	}
	now := time.Now()
	d, err := dedupe.New(cfg.Dedupe, dedupe.BoundsOf(cfg.State), nil)
	if err != nil {
		stateLog.Close()
		return err
	}
	store, err := state.Open(ctx, stateLog, state.Options{Log: log}, d)
	if err != nil {
		stateLog.Close()
		return err
	}
	defer store.Close()
	norm := normalize.New(cfg.Normalize, nil)
	const feeds = 10_000
	g := gen{seed: 0xfeed, feeds: feeds, bodyWords: bodyWords, text: text}
	const chunk = 2000

	// Generating and normalizing dominate; both cores do that while the
	// deduper (one goroutine, as in the pipeline) decides in order.
	type prepared struct {
		s    *record.Story
		text string
		at   time.Time
	}
	work := make(chan int)
	out := make(chan []prepared, 4)
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			for c := range work {
				ps := make([]prepared, 0, chunk)
				for i := c; i < min(c+chunk, n); i++ {
					f, seq := i%feeds, i/feeds+1
					base := fmt.Sprintf("http://f%d.prefill.invalid", f)
					it := g.item(base, f, seq)
					at := now.Add(-window + time.Duration(int64(window)/int64(n)*int64(i)))
					s, err := norm.Normalize(it.record(base+"/rss.xml", "Prefill outlet", at), at)
					if err != nil {
						continue
					}
					ps = append(ps, prepared{s, normalize.FingerprintText(s), at})
				}
				out <- ps
			}
		})
	}
	go func() {
		for c := 0; c < n; c += chunk {
			work <- c
		}
		close(work)
		wg.Wait()
		close(out)
	}()
	start := time.Now()
	done := 0
	// Chunks may arrive slightly out of first-seen order; the index does
	// not depend on it.
	for ps := range out {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("prefill stopped after %d stories: %w", done, err)
		}
		tx := d.Begin()
		for _, p := range ps {
			if _, err := tx.Check(p.s, p.text, p.at); err != nil {
				tx.Release()
				return err
			}
		}
		if err := tx.Commit(ctx, store); err != nil {
			return err
		}
		done += len(ps)
		if done%100_000 < chunk {
			log.Info("prefill", "stories", done, "of", n, "elapsed", time.Since(start).Round(time.Second).String())
		}
	}
	stories, copies, _ := d.Remembered()
	log.Info("prefill done", "entries", stories+copies, "dir", dir, "elapsed", time.Since(start).Round(time.Second).String())
	return nil
}

// The spans a prefill spreads its stories' first-seen times over.
const (
	// spanYoung puts every story inside dedupe.window (9/10 of it): each
	// one keeps its near-duplicate data, the near index's worst case and
	// the harness's default since the prefill began.
	spanYoung = "young"
	// spanHistory spreads them over 9/10 of state.seen_ttl (a week by
	// default), as a deployment's remembered stories arrive: only those
	// of the last dedupe.window keep near data (round 42, dedmem42:
	// 43 % of them at the defaults), the rest their exact keys.
	spanHistory = "history"
)

// spanOf is how far back before now a prefill of span spreads its
// stories; 9/10 of the bound, so that none is pruned or demoted while the
// run that follows starts.
func spanOf(span string, cfg config.Config) (time.Duration, error) {
	switch span {
	case spanYoung, "":
		return cfg.Dedupe.Window * 9 / 10, nil
	case spanHistory:
		return cfg.State.SeenTTL * 9 / 10, nil
	}
	return 0, fmt.Errorf("-prefill-span: want %s or %s, got %q", spanYoung, spanHistory, span)
}
