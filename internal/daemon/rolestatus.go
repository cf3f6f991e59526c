package daemon

import (
	"context"
	"fmt"
	"time"

	"github.com/wirestream/wirestream/internal/opshttp"
	"github.com/wirestream/wirestream/pipeline/record"
)

// Status is the fetcher's live state for the /status page: the health of
// the feeds it polls now (its share of the feed list).
func (f *Fetcher) Status() opshttp.Status {
	return &fetcherStatus{f: f, statusView: &statusView{poller: f.poll, m: f.m.Pipeline,
		counters: fetcherCounters(f.m.Roles), started: time.Now(), now: time.Now}}
}

type fetcherStatus struct {
	f *Fetcher
	*statusView
}

func (s *fetcherStatus) Pace() (opshttp.Pace, bool) { return pollerPace(s.poller) }

func (s *fetcherStatus) Describe() string {
	return fmt.Sprintf("Instance %s, role fetch: it polls the feeds of the partitions of %s it owns and publishes their items to %s; the processors decide them.",
		s.f.cfg.InstanceID(), FeedTopics(s.f.cfg).Feeds(), s.f.items)
}

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

// Status is the processor's live state for the /status page: while it is
// the active one, the live events and recent alerts of its pipeline; its
// throughput either way (a standby's stays at zero).
func (p *Processor) Status() opshttp.Status {
	return &processorStatus{p: p, statusView: &statusView{m: p.m.Pipeline, counters: pipelineCounters(p.m.Pipeline),
		started: time.Now(), now: time.Now}}
}

// Describe says whether the processor is the active one, as
// wirestream_processor_active does: a standby's page is empty by design.
func (s *processorStatus) Describe() string {
	id := s.p.cfg.InstanceID()
	if gaugeValue(s.p.m.Roles.Active) == 1 {
		return fmt.Sprintf("Instance %s, role process: active — it owns the items partition and runs the pipeline.", id)
	}
	return fmt.Sprintf("Instance %s, role process: standing by — another processor owns the items partition, or it is being handed over; live events and alerts are on the active one's page.", id)
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
