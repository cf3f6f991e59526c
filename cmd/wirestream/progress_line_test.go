package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/internal/daemon"
	"github.com/wirestream/wirestream/internal/runprogress"
	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
)

// The progress line reads series by name from the registry run builds: a
// renamed metric, or one its role does not export, would make a figure a
// silent 0.
func TestTheProgressLineReadsOnlySeriesItsRoleExports(t *testing.T) {
	for _, role := range []string{config.RoleAll, config.RoleFetch, config.RoleProcess} {
		names := metricNames(func(r prometheus.Registerer) { daemon.NewMetricsOf(r, version, role) })
		for _, n := range runprogress.Reads(role) {
			if !slices.Contains(names, n) {
				t.Errorf("role %s: the progress line reads %s, which the role does not export", role, n)
			}
		}
	}
}

// progressFeed serves one RSS document of three stories with an ETag, and
// counts the answers it gave: 200s and 304s.
type progressFeed struct {
	srv           *httptest.Server
	ok, unchanged atomic.Int64
}

func newProgressFeed(t *testing.T) *progressFeed {
	f := &progressFeed{}
	now := time.Now().UTC()
	var items strings.Builder
	for i, s := range []struct{ title, text string }{
		{"Harbour authority approves dredging of the eastern channel", "The port board voted to deepen the eastern shipping channel by two metres before the spring season."},
		{"Regional orchestra names a new principal conductor", "The orchestra's trustees chose a conductor from Lisbon after a two-year search across Europe."},
		{"Drought forces farmers to sell cattle early", "Ranchers in the southern valley are sending herds to auction months ahead of schedule as pastures dry out."},
	} {
		fmt.Fprintf(&items, "<item><title>%s</title><link>https://progress.example.com/%d</link><guid>https://progress.example.com/%d</guid><pubDate>%s</pubDate><description>%s</description></item>",
			s.title, i, i, now.Add(-time.Duration(i+1)*time.Minute).Format(time.RFC1123Z), s.text)
	}
	doc := `<?xml version="1.0"?><rss version="2.0"><channel><title>Progress Gazette</title><link>https://progress.example.com/</link><description>d</description>` + items.String() + `</channel></rss>`
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"v1"`)
		if r.Header.Get("If-None-Match") == `"v1"` {
			f.unchanged.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		f.ok.Add(1)
		w.Header().Set("Content-Type", "application/rss+xml")
		_, _ = w.Write([]byte(doc))
	}))
	t.Cleanup(f.srv.Close)
	return f
}

// progressLines decodes the progress lines of a JSON log and sums each
// count over them.
func progressLines(t *testing.T, log string) (lines []map[string]any, sum map[string]int) {
	sum = map[string]int{}
	for l := range strings.SplitSeq(log, "\n") {
		if !strings.Contains(l, `"msg":"progress"`) {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("a progress line that is not JSON: %q", l)
		}
		lines = append(lines, m)
		for k, v := range m {
			if n, ok := v.(float64); ok {
				sum[k] += int(n)
			}
		}
	}
	return lines, sum
}

// A run in role all against a local feed logs the progress line with
// what happened: the feed's 200 and 304 answers as polls, its three
// stories as new items once, and the records Kafka acknowledged — the same
// counts /metrics gives. On a real broker (scripts/kafka.sh; skipped
// loudly without one, failed under CI=true); every wait bounded.
func TestE2EARoleAllRunsProgressLineCountsWhatHappened(t *testing.T) {
	brokers := kafkatest.Brokers(t)
	feed := newProgressFeed(t)
	c := newE2EConfig(t, brokers, nil)
	c.Feeds = []string{feed.srv.URL + "/feed.xml"}
	c.ProgressInterval = 2 * time.Second
	d := startDaemon(t, c.write(t, t.TempDir()), "--instance", "progress-1")

	// Wait for the three stories and a 304 in the lines, then for one more
	// line: nothing may be counted twice across lines.
	var lines []map[string]any
	var sum map[string]int
	e2eEventually(t, 90*time.Second, func() bool {
		lines, sum = progressLines(t, d.log.String())
		return sum["new"] >= 3 && sum["polls_not_modified"] >= 1
	}, func() string { return fmt.Sprintf("progress lines: %v", lines) })
	seen := len(lines)
	e2eEventually(t, 30*time.Second, func() bool {
		lines, sum = progressLines(t, d.log.String())
		return len(lines) > seen
	}, func() string { return "no progress line after the stories" })
	items := d.metric("wirestream_pipeline_items_total", `outcome="new"`)
	records := d.metric("wirestream_pipeline_records_total")
	lines, sum = progressLines(t, d.log.String())

	if sum["new"] != 3 || int(items) != 3 {
		t.Errorf("new stories: %d in the lines, %v on /metrics, want 3 in both", sum["new"], items)
	}
	if sum["polls_ok"] < 1 || int64(sum["polls_ok"]) > feed.ok.Load() {
		t.Errorf("polls_ok summed %d, the feed answered 200 %d times", sum["polls_ok"], feed.ok.Load())
	}
	if int64(sum["polls_not_modified"]) > feed.unchanged.Load() {
		t.Errorf("polls_not_modified summed %d, the feed answered 304 %d times", sum["polls_not_modified"], feed.unchanged.Load())
	}
	if sum["polls_failed"] != 0 || sum["dead_letters"] != 0 {
		t.Errorf("failures counted on a healthy feed: %v", sum)
	}
	// Three stories and the feed's feed_status at least; no more than
	// /metrics counted by the time of the last line read.
	if sum["records_acked"] < 4 || float64(sum["records_acked"]) > records {
		t.Errorf("records_acked summed %d, /metrics %v, want 4 <= lines <= metrics", sum["records_acked"], records)
	}
	for _, l := range lines {
		if l["level"] != "INFO" || l["role"] != "all" || l["instance"] != "progress-1" || l["interval"] == nil {
			t.Errorf("a progress line without its level, role, instance or interval: %v", l)
		}
		if _, ok := l["items_read"]; ok {
			t.Errorf("role all's line has a processor's items_read: %v", l)
		}
	}

	d.signal(syscall.SIGTERM)
	if code := d.wait(60 * time.Second); code != 0 {
		t.Fatalf("the run exited %d after SIGTERM", code)
	}
	out := d.log.String()
	if last := strings.LastIndex(out, `"msg":"progress"`); last > strings.Index(out, "wirestream stopped cleanly") {
		t.Errorf("a progress line after \"wirestream stopped cleanly\":\n%s", d.log.Tail(5))
	}
}

// validate's plan says how often run logs the progress line, and when it
// does not.
func TestValidateSaysHowOftenTheProgressLineComes(t *testing.T) {
	for body, want := range map[string]string{
		"":                                "progress line: every 1m0s (log.progress_interval)",
		"log:\n  progress_interval: 5m\n": "progress line: every 5m0s (log.progress_interval)",
		"log:\n  progress_interval: 0s\n": "progress line: off (log.progress_interval: 0s)",
	} {
		path := filepath.Join(t.TempDir(), "wirestream.yaml")
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		code, out, stderr := runCLI(t, "", "validate", "--config", path)
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("validate of %q exited %d, want %q in:\n%s%s", body, code, want, out, stderr)
		}
	}
}
