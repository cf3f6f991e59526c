// Package runprogress writes run's periodic "is it working?" line: once an
// interval (log.progress_interval), at INFO, what this instance did in it —
// a fetcher's polls by outcome and the items it published, a processor's
// items read and decided, the records Kafka acknowledged and its lag, role
// all both.
//
// Every figure is the difference between two gatherings of the instance's
// own Prometheus registry, the one /metrics serves: the line and a
// dashboard cannot disagree, and there is no second count to keep. An
// interval in which nothing moved is logged once, with a note; the ones
// after it are not, and the next line covers them all (its interval says
// how long), so an idle instance logs one line, not one a minute.
package runprogress

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// Roles, as config.Role* spells them.
const (
	RoleAll     = "all"
	RoleFetch   = "fetch"
	RoleProcess = "process"
)

// The series the line reads, by name.
const (
	polls          = "wirestream_feed_polls_total"
	pushes         = "wirestream_feed_pushes_total"
	itemsPublished = "wirestream_fetcher_items_published_total"
	itemsRead      = "wirestream_processor_items_read_total"
	pipelineItems  = "wirestream_pipeline_items_total"
	recordsAcked   = "wirestream_pipeline_records_total"
	lag            = "wirestream_processor_lag_records"
	active         = "wirestream_processor_active"
)

// Reads names the series role's line reads: each is one role exports
// (checked in cmd/wirestream against the registry run builds).
func Reads(role string) []string {
	switch role {
	case RoleFetch:
		return []string{polls, pushes, itemsPublished}
	case RoleProcess:
		return []string{itemsRead, pipelineItems, recordsAcked, lag, active}
	}
	return []string{polls, pushes, pipelineItems, recordsAcked}
}

// Counts are the registry's counters the line reads, summed over their
// labels as the line groups them, and two gauges of a processor.
type Counts struct {
	PollsOK          float64 // wirestream_feed_polls_total{outcome=new|no_new|identical}
	PollsNotModified float64 // wirestream_feed_polls_total{outcome=not_modified}
	PollsFailed      float64 // wirestream_feed_polls_total{outcome=error|gone}
	Pushes           float64 // wirestream_feed_pushes_total
	ItemsPublished   float64 // wirestream_fetcher_items_published_total
	ItemsRead        float64 // wirestream_processor_items_read_total
	Items            float64 // wirestream_pipeline_items_total, every outcome
	New              float64 // wirestream_pipeline_items_total{outcome=new}
	Revisions        float64 // … {outcome=revision}
	Duplicates       float64 // … {outcome=duplicate}
	Unchanged        float64 // … {outcome=unchanged}
	DeadLetters      float64 // … {outcome=dead_letter}
	RecordsAcked     float64 // wirestream_pipeline_records_total: acknowledged by the sink
	Lag              float64 // gauge wirestream_processor_lag_records
	Active           float64 // gauge wirestream_processor_active
}

// Read gathers g once and picks the series the line reads.
func Read(g prometheus.Gatherer) (Counts, error) {
	mfs, err := g.Gather()
	var c Counts
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			v := value(m)
			switch mf.GetName() {
			case polls:
				switch label(m, "outcome") {
				case "new", "no_new", "identical":
					c.PollsOK += v
				case "not_modified":
					c.PollsNotModified += v
				case "error", "gone":
					c.PollsFailed += v
				}
			case pushes:
				c.Pushes += v
			case itemsPublished:
				c.ItemsPublished += v
			case itemsRead:
				c.ItemsRead += v
			case pipelineItems:
				c.Items += v
				switch label(m, "outcome") {
				case "new":
					c.New += v
				case "revision":
					c.Revisions += v
				case "duplicate":
					c.Duplicates += v
				case "unchanged":
					c.Unchanged += v
				case "dead_letter":
					c.DeadLetters += v
				}
			case recordsAcked:
				c.RecordsAcked += v
			case lag:
				c.Lag = v
			case active:
				c.Active = v
			}
		}
	}
	// Gather reports a collector's error beside what the others gave: the
	// line is still worth writing from those.
	return c, err
}

func value(m *dto.Metric) float64 {
	switch {
	case m.GetCounter() != nil:
		return m.GetCounter().GetValue()
	case m.GetGauge() != nil:
		return m.GetGauge().GetValue()
	}
	return 0
}

func label(m *dto.Metric, name string) string {
	for _, l := range m.GetLabel() {
		if l.GetName() == name {
			return l.GetValue()
		}
	}
	return ""
}

// since is what moved from prev to c: the counters' differences, the
// gauges as they are now.
func (c Counts) since(prev Counts) Counts {
	return Counts{
		PollsOK:          c.PollsOK - prev.PollsOK,
		PollsNotModified: c.PollsNotModified - prev.PollsNotModified,
		PollsFailed:      c.PollsFailed - prev.PollsFailed,
		Pushes:           c.Pushes - prev.Pushes,
		ItemsPublished:   c.ItemsPublished - prev.ItemsPublished,
		ItemsRead:        c.ItemsRead - prev.ItemsRead,
		Items:            c.Items - prev.Items,
		New:              c.New - prev.New,
		Revisions:        c.Revisions - prev.Revisions,
		Duplicates:       c.Duplicates - prev.Duplicates,
		Unchanged:        c.Unchanged - prev.Unchanged,
		DeadLetters:      c.DeadLetters - prev.DeadLetters,
		RecordsAcked:     c.RecordsAcked - prev.RecordsAcked,
		Lag:              c.Lag,
		Active:           c.Active,
	}
}

// attrs are the line's attributes for role, of d, what moved in an
// interval of length every: the same keys in every line of a role, so a
// reader (or a grep) finds each figure in one place. Pushes appear only in
// an interval that had some: most feeds have no hub.
func attrs(role string, d Counts, every time.Duration) []any {
	n := func(f float64) int64 { return int64(f) }
	a := []any{"interval", every.Round(time.Second).String()}
	if role != RoleProcess {
		a = append(a, "polls_ok", n(d.PollsOK), "polls_not_modified", n(d.PollsNotModified), "polls_failed", n(d.PollsFailed))
		if d.Pushes != 0 {
			a = append(a, "pushes", n(d.Pushes))
		}
	}
	switch role {
	case RoleFetch:
		return append(a, "items_published", n(d.ItemsPublished))
	case RoleProcess:
		a = append(a, "items_read", n(d.ItemsRead))
	default:
		a = append(a, "items", n(d.Items))
	}
	a = append(a, "new", n(d.New), "revisions", n(d.Revisions), "duplicates", n(d.Duplicates),
		"unchanged", n(d.Unchanged), "dead_letters", n(d.DeadLetters), "records_acked", n(d.RecordsAcked))
	if role == RoleProcess {
		a = append(a, "lag", n(d.Lag))
		if d.Active == 0 {
			a = append(a, "standing_by", true)
		}
	}
	return a
}

// idle tells whether nothing moved in d for role since the reading prev:
// no count and, on a processor, nothing waiting (a lag with nothing read
// is news) and no change between active and standby (the last line said
// the other, and the quiet after an idle line would keep it).
func idle(role string, d, prev Counts) bool {
	moved := d.PollsOK + d.PollsNotModified + d.PollsFailed + d.Pushes + d.ItemsPublished + d.ItemsRead + d.Items + d.RecordsAcked
	return moved == 0 && (role != RoleProcess || d.Lag == 0 && (d.Active == 0) == (prev.Active == 0))
}

// Note is the idle line's note.
const Note = "nothing moved in this interval; idle intervals after it are not logged, and the next line covers them"

// Reporter writes the line. Build it with New, take its first reading
// with Start (or Tick at the start), then call Tick once an interval.
type Reporter struct {
	g    prometheus.Gatherer
	log  *slog.Logger
	role string

	prev   Counts
	prevAt time.Time
	quiet  bool // the last line logged was an idle one
}

// New returns a reporter of role's line from g, logged on log, its
// baseline read now.
func New(g prometheus.Gatherer, role string, log *slog.Logger, now time.Time) *Reporter {
	r := &Reporter{g: g, log: log, role: role, prevAt: now}
	r.prev, _ = Read(g)
	return r
}

// Tick logs the line for the interval that ends at now, unless it is an
// idle one after an idle line.
func (r *Reporter) Tick(now time.Time) {
	cur, err := Read(r.g)
	d := cur.since(r.prev)
	wasQuiet := r.quiet
	r.quiet = idle(r.role, d, r.prev)
	if r.quiet && wasQuiet {
		return // prev and prevAt stay: the next line covers this interval too
	}
	a := attrs(r.role, d, now.Sub(r.prevAt))
	if r.quiet {
		a = append(a, "note", Note)
	}
	if err != nil {
		// The figures are those the other collectors gave: an idle line
		// says so too, as it may be idle only in what could be read.
		a = append(a, "err", err)
	}
	r.log.Info("progress", a...)
	r.prev, r.prevAt = cur, now
}

// Start logs role's line every interval until the returned stop is
// called, which waits for the last one to end; every <= 0 logs none.
func Start(ctx context.Context, g prometheus.Gatherer, role string, every time.Duration, log *slog.Logger) (stop func()) {
	if every <= 0 {
		return func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	r := New(g, role, log, time.Now())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case now := <-t.C:
				r.Tick(now)
			}
		}
	}()
	return func() { cancel(); wg.Wait() }
}
