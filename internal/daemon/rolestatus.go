package daemon

import (
	"context"
	"time"

	"github.com/wirestream/wirestream/internal/opshttp"
	"github.com/wirestream/wirestream/pipeline/record"
)

// Status is the fetcher's live state for the /status page: the health of
// the feeds it polls now (its share of the feed list).
func (f *Fetcher) Status() opshttp.Status {
	return &statusView{poller: f.poll, m: f.m.Pipeline, started: time.Now(), now: time.Now}
}

// Status is the processor's live state for the /status page: while it is
// the active one, the live events and recent alerts of its pipeline; its
// throughput either way (a standby's stays at zero).
// StateReady is the processor's state check for /readyz: on the active
// processor, whether its state changelog takes appends (not while one
// retries a failure: a deleted topic, a partition without a leader);
// a standby has nothing to append and is ready.
func (p *Processor) StateReady(ctx context.Context) error {
	if a := p.current.Load(); a != nil && a.changelog != nil {
		return a.changelog.Ready(ctx)
	}
	return nil
}

func (p *Processor) Status() opshttp.Status {
	return &processorStatus{p: p, statusView: &statusView{m: p.m.Pipeline, started: time.Now(), now: time.Now}}
}

type processorStatus struct {
	p *Processor
	*statusView
}

func (s *processorStatus) Events(n int) []*record.Event {
	if a := s.p.current.Load(); a != nil && a.pl.Events != nil {
		return a.pl.Events.Live(n)
	}
	return nil
}

func (s *processorStatus) Alerts(n int) []record.Alert {
	if a := s.p.current.Load(); a != nil && a.pl.Spikes != nil {
		return a.pl.Spikes.Recent(n)
	}
	return nil
}
