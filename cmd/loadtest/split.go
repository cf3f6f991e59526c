package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/internal/daemon"
	"github.com/wirestream/wirestream/pipeline"
	"github.com/wirestream/wirestream/sources/feed"
)

// wirestreamUnderTest is what a run measures: the single process (role
// all) or a fetcher and a processor (-roles split).
type wirestreamUnderTest interface {
	Run(ctx context.Context) error
	Remembered() int
	Close() error
}

// splitRoles is one fetcher and one processor in the measured process,
// wired as `wirestream run --role fetch` and `--role process` wire them:
// the feed list pushed to its topic, items through the items topic, the
// processor's state in the changelog. A story's fetch → ack then spans
// the fetcher's write, the processor's read of the items topic, the
// pipeline and the processor's write.
type splitRoles struct {
	f *daemon.Fetcher
	p *daemon.Processor
}

func newSplitRoles(ctx context.Context, cfg config.Config, feeds []feed.Spec, m *daemon.Metrics, log *slog.Logger,
	wrap func(pipeline.Sink) pipeline.Sink) (*splitRoles, error) {
	fl, err := daemon.OpenFeedList(ctx, cfg, log)
	if err != nil {
		return nil, err
	}
	_, err = fl.Push(ctx, feeds, false)
	if cerr := fl.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("push the feed list: %w", err)
	}
	s := &splitRoles{}
	if s.p, err = daemon.NewProcessor(ctx, cfg, m, log.With("role", "process")); err != nil {
		return nil, err
	}
	s.p.WrapSink(wrap)
	if s.f, err = daemon.NewFetcher(ctx, cfg, m, log.With("role", "fetch")); err != nil {
		s.p.Close()
		return nil, err
	}
	return s, nil
}

// Run runs both roles until ctx ends or one of them fails.
func (s *splitRoles) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i, run := range []func(context.Context) error{s.p.Run, s.f.Run} {
		wg.Go(func() {
			errs[i] = run(ctx)
			cancel()
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Remembered is not reported for the split roles: the processor's
// pipeline is rebuilt on every activation.
func (s *splitRoles) Remembered() int { return 0 }

func (s *splitRoles) Close() error { return errors.Join(s.f.Close(), s.p.Close()) }
