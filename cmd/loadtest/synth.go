package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/pipeline/dedupe"
	"github.com/wirestream/wirestream/pipeline/normalize"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
)

// synthStory is the i-th of the restore benchmark's stories: an id, a
// GUID, a canonical URL and a body of bodyWords words drawn from a news-
// sized vocabulary, so it has the aliases and a signature a real story
// has, without the cost of rendering and normalizing a feed item (which
// the load harness's prefill pays). restore_bbolt.go.txt makes the same
// stories for the bbolt store: keep the two in step.
func synthStory(i, n, bodyWords int, vocab []string, now time.Time, window time.Duration) (*record.Story, string, time.Time) {
	feed := fmt.Sprintf("http://f%d.synth.invalid/rss.xml", i%10_000)
	link := fmt.Sprintf("http://f%d.synth.invalid/news/%d", i%10_000, i)
	sum := sha256.Sum256([]byte(link))
	r := rand.New(rand.NewPCG(uint64(i), 0x5eed))
	words := make([]string, bodyWords)
	for j := range words {
		words[j] = vocab[r.IntN(len(vocab))]
	}
	at := now.Add(-window + time.Duration(int64(window)/int64(n)*int64(i)))
	s := &record.Story{
		Type: record.TypeStory, ID: normalize.StoryID(link, link, feed), Feed: record.FeedRef{URL: feed},
		GUID: link, URL: link, CanonicalURL: link, Title: fmt.Sprintf("Story %d", i),
		ContentHash: hex.EncodeToString(sum[:]), FirstSeen: at,
	}
	return s, strings.Join(words, " "), at
}

func synthVocab() []string {
	v := make([]string, 30_000)
	for i := range v {
		v[i] = fmt.Sprintf("w%x", (uint64(i)*0x9e3779b97f4a7c15)>>36)
	}
	return v
}

// synthFill remembers n synthetic stories in the file log under dir,
// through dedupe's Check and Commit as the pipeline does.
func synthFill(ctx context.Context, dir string, n, bodyWords int, log *slog.Logger) error {
	cfg := config.Default()
	cfg.State.NoSync = true
	l, err := state.OpenFile(dir, cfg.State, nil, log)
	if err != nil {
		return err
	}
	d, err := dedupe.New(cfg.Dedupe, dedupe.BoundsOf(cfg.State), nil)
	if err != nil {
		l.Close()
		return err
	}
	st, err := state.Open(ctx, l, state.Options{Log: log}, d)
	if err != nil {
		l.Close()
		return err
	}
	defer st.Close()
	return synthCommit(ctx, d, st, 0, n, n, bodyWords, log)
}

// synthCommit remembers synthetic stories from..to-1 of total (which sets
// their times: spread over 90 % of the dedupe window, the last one now)
// through d's Check and Commit into st, 2000 a transaction.
func synthCommit(ctx context.Context, d *dedupe.Deduper, st *state.Store, from, to, total, bodyWords int, log *slog.Logger) error {
	cfg := config.Default()
	vocab := synthVocab()
	now := time.Now()
	window := cfg.Dedupe.Window * 9 / 10
	start := time.Now()
	for i := from; i < to; {
		tx := d.Begin()
		for end := min(i+2000, to); i < end; i++ {
			s, text, at := synthStory(i, total, bodyWords, vocab, now, window)
			if _, err := tx.Check(s, text, at); err != nil {
				tx.Release()
				return err
			}
		}
		if err := tx.Commit(ctx, st); err != nil {
			return err
		}
		if (i-from)%100_000 == 0 {
			log.Info("synthetic fill", "stories", i-from, "of", to-from, "elapsed", time.Since(start).Round(time.Second).String())
		}
	}
	return nil
}
