package opshttp

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/wirestream/wirestream/pipeline/record"
)

// fixedStatus is a daemon's live state frozen for the page's tests (the
// daemon's own, over the real poller, clusterer and detector, is tested in
// a browser by cmd/wirestream's end-to-end test).
type fixedStatus struct {
	feeds  []record.FeedStatus
	events []*record.Event
	alerts []record.Alert
}

func (f fixedStatus) Feeds() []record.FeedStatus   { return f.feeds }
func (f fixedStatus) Events(n int) []*record.Event { return f.events[:min(n, len(f.events))] }
func (f fixedStatus) Alerts(n int) []record.Alert  { return f.alerts[:min(n, len(f.alerts))] }
func (f fixedStatus) Throughput() Throughput {
	return Throughput{Since: time.Now().Add(-time.Hour), Window: time.Minute, InFlight: 2,
		Counts: []Count{{Name: "items decided", Total: 1234, PerMinute: 56.5}, {Name: "stories published", Total: 800, PerMinute: 20}}}
}

func serve(t *testing.T) (*Server, string) {
	t.Helper()
	s, err := New("127.0.0.1:0", prometheus.NewRegistry(), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	go func() { done <- s.Serve() }()
	t.Cleanup(func() {
		_ = s.Shutdown(context.Background())
		<-done
	})
	return s, "http://" + s.Addr()
}

func TestStatusPage(t *testing.T) {
	s, base := serve(t)
	if code, _ := get(t, base+"/status"); code != http.StatusServiceUnavailable {
		t.Errorf("/status before the daemon runs = %d, want 503", code)
	}
	now := time.Now()
	ok := now.Add(-3 * time.Minute)
	heldUntil := now.Add(4*time.Minute + 30*time.Second)
	st := fixedStatus{
		feeds: []record.FeedStatus{
			{FeedURL: "https://a-ok.example/rss", Name: "Fine & dandy", Health: record.HealthOK, LastSuccess: &ok, ItemsFound: 20, ItemsNew: 3, NextPoll: now.Add(time.Minute), Tags: []string{"world"}},
			{FeedURL: "https://evil.example/rss", Name: `<script>alert("x")</script>`, Health: record.HealthFailing, LastErrorClass: "parse",
				LastError: `parse https://evil.example/rss: XML syntax error: <img src=x onerror=alert(1)>`, ConsecutiveFailures: 7, NextPoll: now.Add(10 * time.Minute), Tags: []string{"tech"}},
			{FeedURL: "https://new.example/rss"},
			{FeedURL: "https://held.example/rss", Health: record.HealthDegraded, NextPoll: now.Add(-time.Minute), HostHeldUntil: &heldUntil, HostHold: "down: HTTP 502"},
		},
		events: []*record.Event{{ID: "ev_1", Title: "Port strike <b>ends</b>", StoryCount: 9, Republications: 4, PublisherCount: 5, LastSeen: now}},
		alerts: []record.Alert{{ID: "a1", TermName: "Zelensky", TermKind: "entity", State: record.AlertFiring, Stories: 11, Baseline: 0.4, Publishers: 8, At: now},
			{ID: "a2", TermName: "strike", TermKind: "keyword", Watched: true, State: record.AlertFiring, Stories: 3, Publishers: 3, At: now}},
	}
	for i := range 60 {
		st.feeds = append(st.feeds, record.FeedStatus{FeedURL: fmt.Sprintf("https://bulk.example/%02d", i), Health: record.HealthOK, LastSuccess: &ok})
	}
	s.SetStatus(st)

	resp, err := http.Get(base + "/status")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("Content-Security-Policy %q, want default-src 'none'", csp)
	}
	code, body := get(t, base+"/status")
	for _, want := range []string{
		`<meta http-equiv="refresh" content="5">`,
		"64 feeds:", "failing 1", "pending 1", "ok 61", "degraded 1",
		"host held (down: HTTP 502) in 4m", // the feed's next request waits for its host's hold
		`&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;`,
		`parse https://evil.example/rss: XML syntax error: &lt;img src=x onerror=alert(1)&gt;`,
		"Fine &amp; dandy", "Port strike &lt;b&gt;ends&lt;/b&gt;", "Zelensky", "firing",
		"items decided", "1234", "56.5", "and 11 more ok feeds",
		// A spikes.watch term's alert says so, as tail's line does.
		`strike <span class="muted">(keyword, watched)</span>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/status lacks %q", want)
		}
	}
	if strings.Contains(body, "parse: parse") {
		t.Error("/status says a parse failure's class twice (parse: parse URL: …)")
	}
	if code != 200 || strings.Contains(body, "<script>") || strings.Contains(body, "<img") || strings.Contains(body, "<b>ends") {
		t.Errorf("/status = %d; it must escape what feeds say", code)
	}
	// The failing feed comes before every healthy one.
	if strings.Index(body, "evil.example") > strings.Index(body, "a-ok.example") {
		t.Error("the failing feed is listed after a healthy one")
	}
	_, body = get(t, base+"/status?health=failing")
	if !strings.Contains(body, "evil.example") || strings.Contains(body, "a-ok.example") || !strings.Contains(body, "Showing failing feeds only") {
		t.Error("?health=failing does not show the failing feeds only")
	}
	_, body = get(t, base+"/status?tag=world")
	if !strings.Contains(body, "a-ok.example") || strings.Contains(body, "evil.example") {
		t.Error("?tag=world does not show the world feeds only")
	}
	_, body = get(t, base+"/status?health=ok")
	if strings.Count(body, "bulk.example") != 60 {
		t.Errorf("?health=ok lists %d of the 60 bulk feeds, want all", strings.Count(body, "bulk.example"))
	}
	// README's `feeds status --health failing,degraded` takes a list;
	// on the page it showed "Showing failing,degraded feeds only" and no
	// feed, and a misspelt health the same. A list shows each health's
	// feeds; a name no health has is said, with the names there are.
	_, body = get(t, base+"/status?health=failing,pending")
	if !strings.Contains(body, "evil.example") || strings.Contains(body, "a-ok.example") || !strings.Contains(body, "Showing failing and pending feeds only") {
		t.Error("?health=failing,pending does not show the failing and the pending feeds only")
	}
	_, body = get(t, base+"/status?health=failng")
	if !strings.Contains(body, "No health is called failng: failing, gone, degraded, pending or ok.") || strings.Contains(body, "Showing failng") {
		t.Error("?health=failng does not say there is no such health")
	}
}

// describedStatus is a role instance's state: it says what the instance is.
type describedStatus struct {
	fixedStatus
	about string
}

func (d describedStatus) Describe() string { return d.about }

// A fetcher's, a standby's and an idle active processor's pages looked
// alike (empty tables, zero counts): the page says what the instance is
// when its Status can tell, escaped as everything else (round 28,
// operator28).
func TestStatusPageSaysWhatTheInstanceIs(t *testing.T) {
	s, base := serve(t)
	s.SetStatus(describedStatus{about: "Instance p<2>, role process: standing by"})
	_, body := get(t, base+"/status")
	if !strings.Contains(body, `<p id="about">Instance p&lt;2&gt;, role process: standing by</p>`) {
		t.Errorf("/status does not say what the instance is:\n%s", body)
	}
	s.SetStatus(fixedStatus{})
	if _, body := get(t, base+"/status"); strings.Contains(body, `id="about"`) {
		t.Error("/status has an about line for a Status that says nothing of itself")
	}
}

// pacedStatus is a polling instance's state: it says whether its poller
// keeps its feeds' schedules.
type pacedStatus struct {
	fixedStatus
	pace Pace
	ok   bool
}

func (p pacedStatus) Pace() (Pace, bool) { return p.pace, p.ok }

// A saturated poller loses stories with every feed ok and every poll a
// success: the page names the poller as the bottleneck, with the fix,
// when it is behind, and shows its last minute either way.
func TestStatusPageNamesAPollerThatIsBehindAsTheBottleneck(t *testing.T) {
	s, base := serve(t)
	line := "40 of 50 polls in the last 1m0s started late (mean lag 3.2s, max 9s)"
	s.SetStatus(pacedStatus{ok: true, pace: Pace{Behind: true, Line: line, Advice: "add fetchers & lengthen intervals"}})
	_, body := get(t, base+"/status")
	for _, want := range []string{`id="poller-behind"`, "The poller is the bottleneck", "add fetchers &amp; lengthen intervals", line} {
		if !strings.Contains(body, want) {
			t.Errorf("/status of a poller that is behind lacks %q", want)
		}
	}
	s.SetStatus(pacedStatus{ok: true, pace: Pace{Line: "0 of 50 polls in the last 1m0s started late"}})
	_, body = get(t, base+"/status")
	if strings.Contains(body, "bottleneck") || !strings.Contains(body, "0 of 50 polls") {
		t.Error("/status of a poller that keeps up names it as the bottleneck, or does not show its last minute")
	}
	for _, st := range []Status{pacedStatus{}, fixedStatus{}} {
		s.SetStatus(st)
		if _, body := get(t, base+"/status"); strings.Contains(body, `id="poller"`) {
			t.Errorf("/status of %T that polls nothing has a poller section", st)
		}
	}
}
