package main

// End-to-end tests of continuity across restarts (issue 10, "Done when"):
// the binary keeps a live event's id and the spike baselines when it is
// stopped and started again on its data directory, and `process
// --data-dir` over two halves of an archive gives what one run over all of
// it gives.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/internal/testkit/archive"
	"github.com/wirestream/wirestream/pipeline/record"
)

// newsServer serves one RSS feed per outlet from items the test adds.
type newsServer struct {
	srv   *httptest.Server
	mu    sync.Mutex
	items map[int][]fixtureItem
}

func newNewsServer(t *testing.T) *newsServer {
	n := &newsServer{items: map[int][]fixtureItem{}}
	n.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var i int
		if _, err := fmt.Sscanf(r.URL.Path, "/feeds/%d.xml", &i); err != nil || i >= len(fixturePublishers) {
			http.NotFound(w, r)
			return
		}
		n.mu.Lock()
		items := append([]fixtureItem(nil), n.items[i]...)
		n.mu.Unlock()
		w.Header().Set("Content-Type", "application/rss+xml")
		_, _ = w.Write(rssDocument(fixturePublishers[i], n.url(i), items))
	}))
	t.Cleanup(n.srv.Close)
	return n
}

func (n *newsServer) url(i int) string { return fmt.Sprintf("%s/feeds/%d.xml", n.srv.URL, i) }

// add publishes a story on outlet i.
func (n *newsServer) add(i int, slug string, published time.Time, title, summary string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	p := fixturePublishers[i]
	n.items[i] = append(n.items[i], fixtureItem{
		Feed: i, GUID: p.Host + "/" + slug, Link: "https://" + p.Host + "/news/" + slug,
		Title: title, Summary: summary, Paras: []string{summary}, Published: published, Category: "news",
	})
}

func (n *newsServer) count() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	c := 0
	for _, its := range n.items {
		c += len(its)
	}
	return c
}

// Issue 10, "Done when": a restart of the single process keeps the events
// and the spike baselines. A story that continues an event live before the
// restart joins that event's id after it, and a burst after the restart is
// judged against the baselines (and the warm-up) learned before it: a
// fresh detector would still be warming up and stay silent.
func TestE2ERestartKeepsEventsAndSpikeBaselines(t *testing.T) {
	t.Parallel()
	news := newNewsServer(t)
	now := time.Now().UTC().Truncate(time.Minute)
	ago := func(m int) time.Time { return now.Add(-time.Duration(m) * time.Minute) }

	// Before the restart: forty minutes of ordinary news, one story a
	// minute from four outlets, among them a storm.
	news.add(0, "storm", ago(40), "Storm Eowyn batters Ireland with record winds",
		"Storm Eowyn batters Ireland with record winds as a million homes lose power, the electricity board said.")
	quiet := []struct{ title, summary string }{
		{"Council approves budget for city parks", "The council approved the budget for new playgrounds and maintenance of the city parks."},
		{"Rail strike called off after late talks", "Unions called off the rail strike after talks that ran late into the night."},
		{"Museum returns bronzes to Nigeria", "The museum handed back thirty bronzes in a ceremony attended by Nigerian officials."},
		{"Tennis star withdraws with back injury", "The world number two pulled out of the final an hour before the match."},
		{"Central bank holds interest rates", "The central bank kept its deposit rate at four percent as inflation eased slowly."},
	}
	for m := 39; m >= 20; m-- {
		q := quiet[m%len(quiet)]
		news.add(m%4, fmt.Sprintf("quiet-%d", m), ago(m), fmt.Sprintf("%s (%d)", q.title, m), fmt.Sprintf("%s Report number %d.", q.summary, m))
	}
	before := news.count()

	addr := freeAddr(t)
	cfg := e2eConfig{DataDir: filepath.Join(t.TempDir(), "data"), EmbeddedAddr: addr, ShutdownTimeout: 30 * time.Second, MaxInFlight: 4,
		// One-minute buckets and ten minutes of warm-up, so the test's
		// hour of event time is enough; alerts need three outlets.
		Extra: "spikes:\n  bucket: 1m\n  warmup: 10m\n  baseline_half_life: 1h\n  clear_after: 1m\n"}
	for i := 0; i < 4; i++ {
		cfg.Feeds, cfg.Names = append(cfg.Feeds, news.url(i)), append(cfg.Names, fixturePublishers[i].Name)
	}
	cfgPath := cfg.write(t, t.TempDir())
	brokers := []string{addr}
	topics := func(typ record.Type) string { return topicOf("wirestream.", typ) }

	d := startDaemon(t, cfgPath)
	e2eEventually(t, 90*time.Second, func() bool { return d.storiesAcked() >= before }, func() string {
		return fmt.Sprintf("first run: %d of %d stories acknowledged", d.storiesAcked(), before)
	})
	stormEvent := eventOf(t, readTopic(t, brokers, topics(record.TypeStory)), "Storm Eowyn batters")
	d.signal(syscall.SIGTERM)
	if code := d.wait(cfg.ShutdownTimeout + 10*time.Second); code != 0 {
		t.Fatalf("first run exited %d", code)
	}

	// While it was stopped: the storm goes on in another outlet, and four
	// outlets burst out over one company ten minutes ago.
	news.add(1, "storm-2", ago(15), "Storm Eowyn: a million homes in Ireland without power",
		"Record winds from Storm Eowyn left a million homes in Ireland without power, the electricity board said.")
	for i, title := range []string{
		"Acme Motors recalls electric vans over brake fault",
		"Acme Motors van recall: brake fault found by regulators",
		"Brake fault forces Acme Motors to recall vans",
		"Acme Motors shares fall after van recall",
		"What the Acme Motors recall means for van owners",
		"Acme Motors chief apologises for brake fault",
	} {
		news.add(i%4, fmt.Sprintf("acme-%d", i), ago(10).Add(time.Duration(i)*5*time.Second), title,
			title+". Acme Motors said the recall covers electric vans built last year.")
	}
	after := news.count() - before

	d2 := startDaemon(t, cfgPath) // the embedded broker is new and empty: what it holds is this run's
	e2eEventually(t, 90*time.Second, func() bool { return d2.storiesAcked() >= after }, func() string {
		return fmt.Sprintf("second run: %d of %d stories acknowledged", d2.storiesAcked(), after)
	})
	// Then a later story moves event time past the burst's minute, which
	// closes (were it in the same poll, the other outlets' stories of the
	// burst could come after it and count in a later bucket).
	news.add(3, "later", ago(2), "Ferry services resume after repairs", "Ferry services between the islands resumed after repairs to the harbour wall.")
	e2eEventually(t, 60*time.Second, func() bool { return d2.storiesAcked() >= after+1 }, func() string {
		return "second run: the later story was not acknowledged"
	})
	stories := readTopic(t, brokers, topics(record.TypeStory))
	if got := eventOf(t, stories, "a million homes in Ireland"); got != stormEvent {
		t.Errorf("the storm's second story joined event %q after the restart, want the live event %q it had before", got, stormEvent)
	}
	var firing []string
	e2eEventually(t, 60*time.Second, func() bool {
		firing = firing[:0]
		for _, m := range readTopic(t, brokers, topics(record.TypeAlert)) {
			var a record.Alert
			if json.Unmarshal(m.Value, &a) == nil && a.State == record.AlertFiring && strings.Contains(strings.ToLower(a.Term), "acme") {
				firing = append(firing, fmt.Sprintf("%s (stories %d, baseline %.3f)", a.ID, a.Stories, a.Baseline))
			}
		}
		return len(firing) > 0
	}, func() string {
		return "no firing alert on Acme after the restart: the detector forgot its warm-up and baselines"
	})
	t.Logf("after the restart: the storm stayed event %s; alerts %v", stormEvent, firing)
	d2.signal(syscall.SIGTERM)
	d2.wait(cfg.ShutdownTimeout + 10*time.Second)
}

// eventOf returns the event id of the story whose title contains title.
func eventOf(t *testing.T, msgs []kafka.Message, title string) string {
	t.Helper()
	for _, m := range msgs {
		var s record.Story
		if json.Unmarshal(m.Value, &s) == nil && strings.Contains(s.Title, title) {
			if s.EventID == "" {
				t.Fatalf("story %q has no event id", s.Title)
			}
			return s.EventID
		}
	}
	t.Fatalf("no story titled %q among %d", title, len(msgs))
	return ""
}

// Issue 10, "Done when": two `process --data-dir D` runs over the two
// halves of an archive give the same stories, events — with the same ids
// and revisions — and alerts as one run over all of it.
func TestE2EProcessOverTwoHalvesWithADataDirIsOneRun(t *testing.T) {
	t.Parallel()
	polls := archive.Polls()
	tmp := t.TempDir()
	writeItems := func(name string, polls []archive.Poll) string {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		for _, p := range polls {
			for _, it := range p.Batch().Items {
				if err := enc.Encode(it); err != nil {
					t.Fatal(err)
				}
			}
		}
		path := filepath.Join(tmp, name)
		if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	all := writeItems("all.jsonl", polls)
	half := len(polls) / 2
	first, second := writeItems("first.jsonl", polls[:half]), writeItems("second.jsonl", polls[half:])

	process := func(dataDir, in string) []record.Record {
		t.Helper()
		ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
		defer cancel()
		out := in + ".out"
		args := []string{"process", "--log-format", "json", "--progress", "never", "--out", out}
		if dataDir != "" {
			args = append(args, "--data-dir", dataDir)
		}
		cmd := exec.CommandContext(ctx, wirestreamBinary(t), append(args, in)...)
		cmd.Env = e2eEnv()
		var logs bytes.Buffer
		cmd.Stdout, cmd.Stderr = &logs, &logs
		if err := runTied(cmd); err != nil {
			t.Fatalf("wirestream %s: %v\n%s", strings.Join(args, " "), err, lastLines(logs.String(), 20))
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		var recs []record.Record
		for _, line := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
			r, err := decodeRecord(line)
			if err != nil {
				t.Fatalf("%s: %v", out, err)
			}
			recs = append(recs, r)
		}
		return recs
	}
	// One run over everything, with a data directory too, so both end at
	// the archive's last event time.
	one := archive.OutcomeOf(process(filepath.Join(tmp, "one"), all))
	dir := filepath.Join(tmp, "halves")
	halves := archive.OutcomeOf(append(process(dir, first), process(dir, second)...))
	archive.RequireSame(t, "one", one, "halves", halves)
	if len(one.Final) < 4 || len(one.StoryEvent) < 10 {
		t.Fatalf("the archive gave %d events and %d stories: the comparison proves little", len(one.Final), len(one.StoryEvent))
	}
}

// decodeRecord reads one JSONL record by its type.
func decodeRecord(line []byte) (record.Record, error) {
	var head struct{ Type record.Type }
	if err := json.Unmarshal(line, &head); err != nil {
		return nil, err
	}
	var r record.Record
	switch head.Type {
	case record.TypeStory:
		r = &record.Story{}
	case record.TypeDuplicate:
		r = &record.Duplicate{}
	case record.TypeEvent:
		r = &record.Event{}
	case record.TypeAlert:
		r = &record.Alert{}
	case record.TypeDeadLetter:
		r = &record.DeadLetter{}
	default:
		return nil, fmt.Errorf("record of type %q", head.Type)
	}
	return r, json.Unmarshal(line, r)
}
