package feed

import (
	"context"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// Health is what the status page shows of the feeds: each one's state as
// of its latest poll, its last error included, without touching the
// loops' own state.
func TestHealthShowsEachFeedAsOfItsLatestPoll(t *testing.T) {
	srv := newServerOn(t, "127.0.0.7", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/broken" {
			http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(rssDoc("Good", "g1", "g2", "g3"))
	}))
	cfg := DefaultConfig()
	cfg.AllowNetworks = []string{"127.0.0.7"}
	cfg.StartSpread = 0
	good, broken := srv.URL+"/good", srv.URL+"/broken"
	got, p := pollEach(t, cfg, []Spec{{URL: good, Name: "Good <b>news</b>", Tags: []string{"world"}}, {URL: broken}}, nil)
	b, g := got[0], got[1] // sorted by URL: /broken, /good
	if g.FeedURL != good || g.Health != record.HealthOK || g.ItemsFound != 3 || g.LastSuccess == nil ||
		g.Name != "Good <b>news</b>" || len(g.Tags) != 1 || g.Tags[0] != "world" || !g.NextPoll.After(g.LastAttempt) {
		t.Errorf("good feed = %+v, want ok with 3 items, its name and tags and a next poll", g)
	}
	if b.FeedURL != broken || b.Health != record.HealthDegraded || b.LastErrorClass != Class5xx ||
		b.HTTPStatus != 503 || b.ConsecutiveFailures != 1 || b.LastSuccess != nil {
		t.Errorf("broken feed = %+v, want degraded by one HTTP 503", b)
	}
	got[1].Tags[0] = "changed"
	if p.Health()[1].Tags[0] != "world" {
		t.Error("Health() shares its records with the poller")
	}
}

// pollEach runs a poller of specs until each feed was polled once, and
// returns p.Health() then (sorted by URL) and the poller; log may be nil.
func pollEach(t *testing.T, cfg Config, specs []Spec, log *slog.Logger) ([]record.FeedStatus, *Poller) {
	t.Helper()
	return pollEachWith(t, cfg, specs, log, nil)
}

// jsonLogFile is a JSON logger writing to a file of the test's, and the
// file's path, for tests that read back what a poll logged.
func jsonLogFile(t *testing.T) (string, *slog.Logger) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "log.json")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return path, slog.New(slog.NewJSONHandler(f, nil))
}

// pollEachWith is pollEach with setup (if not nil) applied to the poller
// before it runs.
func pollEachWith(t *testing.T, cfg Config, specs []Spec, log *slog.Logger, setup func(*Poller)) ([]record.FeedStatus, *Poller) {
	t.Helper()
	p, err := NewPoller(cfg, specs, newMemStore(), nil, log, nil)
	if err != nil {
		t.Fatal(err)
	}
	if setup != nil {
		setup(p)
	}
	t.Cleanup(runAcking(t, p))
	deadline := time.Now().Add(30 * time.Second) // a guard against hanging, not a timing assertion
	for {
		got := p.Health()
		if len(got) == len(specs) && !slices.ContainsFunc(got, func(s record.FeedStatus) bool { return s.Health == "" }) {
			return got, p
		}
		if time.Now().After(deadline) {
			t.Fatalf("Health() after 30 s: %+v, want every feed polled", got)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// runAcking runs p until the returned stop is called (which waits for
// it to end), acknowledging every batch it hands on as delivered.
func runAcking(t *testing.T, p *Poller) (stop func()) {
	t.Helper()
	return runSeeing(t, p, func(record.Batch) {})
}

// runSeeing is runAcking, showing seen every batch before its ack.
func runSeeing(t *testing.T, p *Poller, seen func(record.Batch)) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	out := make(chan record.Batch)
	var wg sync.WaitGroup
	wg.Go(func() { _ = p.Run(ctx, out) })
	wg.Go(func() {
		for {
			select {
			case b := <-out:
				seen(b)
				b.Ack(ctx, nil)
			case <-ctx.Done():
				return
			}
		}
	})
	return func() { cancel(); wg.Wait() }
}
