package opshttp

import (
	_ "embed"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/wirestream/wirestream/internal/feedstatus"
	"github.com/wirestream/wirestream/pipeline/record"
)

// Status is a read-only view of a running daemon's live state, which the
// /status page shows. The daemon provides it (internal/daemon) from the
// poller, the event clusterer, the spike detector and the pipeline's
// counters; a part this process does not run is simply empty.
type Status interface {
	// Feeds is each polled feed's state as of its latest poll.
	Feeds() []record.FeedStatus
	// Events is up to n live events, most stories first.
	Events(n int) []*record.Event
	// Alerts is up to n of the latest alerts, newest first.
	Alerts(n int) []record.Alert
	// Throughput is the pipeline's counts and rates.
	Throughput() Throughput
}

// Describer is a Status that says what its instance is: its id, its role
// and, for a processor, whether it is the active one. The page shows it
// under its heading: without it a fetcher's, a standby's and an idle
// active processor's pages looked alike, empty tables and zero counts.
type Describer interface {
	Describe() string
}

// Pacer is a Status whose process polls feeds: whether its poller keeps
// the feeds' schedules. A saturated poller loses stories with every feed
// healthy and every poll a success; only its lag and its gaps say so,
// and the page names it as the bottleneck then.
type Pacer interface {
	// Pace is false where this process runs no poller.
	Pace() (Pace, bool)
}

// Pace is what the page shows of the poller's schedule.
type Pace struct {
	Behind bool   // the poller is the bottleneck: the page says so, with Advice
	Line   string // what the last minute saw: polls, late ones, lag, waiting polls, gaps
	Advice string // what to do about a poller that is behind
}

// Throughput is what the pipeline has done since Since.
type Throughput struct {
	Since time.Time
	// Window is what the per-minute rates were measured over: the last
	// minute or so, or everything since Since early in a run.
	Window   time.Duration
	Counts   []Count
	InFlight int // batches written to the sink and not yet acknowledged
}

// Count is one counter: items decided, or records published of one type.
type Count struct {
	Name      string
	Total     float64
	PerMinute float64
}

// SetStatus makes /status show s. Until it is called /status answers 503
// (the daemon is still starting).
func (s *Server) SetStatus(st Status) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.status = st
}

// Page limits: the page is for finding the feeds that need a look, not a
// dump of ten thousand rows.
const (
	statusRefresh  = 5 * time.Second
	pageEvents     = 20
	pageAlerts     = 20
	pageHealthyMax = 50 // ok feeds listed after every unhealthy one
)

//go:embed status.html
var statusHTML string

var statusPage = template.Must(template.New("status").Funcs(template.FuncMap{
	"ago":   func(t time.Time) string { return feedstatus.Ago(&t, time.Now()) },
	"since": func(t *time.Time) string { return feedstatus.Ago(t, time.Now()) },
	"until": func(t time.Time) string { return feedstatus.Until(t, time.Now()) },
	"held":  func(s record.FeedStatus) string { return feedstatus.HostHeld(s, time.Now()) },
	"rate":  func(f float64) string { return fmt.Sprintf("%.1f", f) },
	"total": func(f float64) string { return fmt.Sprintf("%.0f", f) },
	"secs":  func(d time.Duration) int { return int(d / time.Second) },
	"join":  func(ss []string) string { return strings.Join(ss, ", ") },
}).Parse(statusHTML))

// healthName is how the page names a health; "" is a feed not polled yet.
func healthName(h record.Health) string {
	if h == "" {
		return "pending"
	}
	return string(h)
}

type feedGroup struct {
	Health string
	Count  int
}

type statusData struct {
	Now     time.Time
	Refresh time.Duration
	About   string // Describer's line, when the Status has one
	Health  string
	// HealthShown is Health's healths as the page names them ("failing
	// and degraded"); UnknownHealth those of its names no health has,
	// said with Healths, the names there are.
	HealthShown, UnknownHealth, Healths string
	Tag                                 string
	Groups                              []feedGroup
	Total                               int
	Feeds                               []record.FeedStatus
	// Accounts labels, by key, the feeds whose URL another account shares (feedstatus.Accounts).
	Accounts map[string]string
	Hidden   int // ok feeds not listed
	Events   []*record.Event
	Alerts   []record.Alert
	Through  Throughput
	Pace     *Pace // nil where this process polls no feeds
	Uptime   time.Duration
	TagNames []string
}

func (s *Server) statusPage(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	st := s.status
	s.mu.Unlock()
	if st == nil {
		http.Error(w, "starting: the pipeline is not running yet", http.StatusServiceUnavailable)
		return
	}
	now := time.Now()
	d := statusData{Now: now, Refresh: statusRefresh, Health: r.URL.Query().Get("health"), Tag: r.URL.Query().Get("tag")}
	if ds, ok := st.(Describer); ok {
		d.About = ds.Describe()
	}
	healths, unknown := healthFilter(d.Health)
	d.HealthShown, d.UnknownHealth = joinAnd(healths), joinAnd(unknown)
	if unknown != nil {
		d.Healths = joinOr(healthNames())
	}
	feeds := st.Feeds()
	d.Total = len(feeds)
	d.Accounts = feedstatus.Accounts(feeds)
	counts := map[string]int{}
	tags := map[string]bool{}
	var shown []record.FeedStatus
	for _, f := range feeds {
		counts[healthName(f.Health)]++
		for _, t := range f.Tags {
			tags[t] = true
		}
		if (d.Health == "" || slices.Contains(healths, healthName(f.Health))) && (d.Tag == "" || slices.Contains(f.Tags, d.Tag)) {
			shown = append(shown, f)
		}
	}
	for _, h := range feedstatus.HealthOrder {
		if n := counts[healthName(h)]; n > 0 {
			d.Groups = append(d.Groups, feedGroup{Health: healthName(h), Count: n})
		}
	}
	for t := range tags {
		d.TagNames = append(d.TagNames, t)
	}
	slices.Sort(d.TagNames)
	feedstatus.Sort(shown)
	// Every feed that needs a look; healthy ones (sorted last) only up to
	// a limit, unless they were asked for.
	limit := len(shown)
	if bad := unhealthy(shown); d.Health == "" && limit-bad > pageHealthyMax {
		limit = bad + pageHealthyMax
	}
	d.Feeds, d.Hidden = shown[:limit], len(shown)-limit
	d.Events = st.Events(pageEvents)
	d.Alerts = st.Alerts(pageAlerts)
	d.Through = st.Throughput()
	if pc, ok := st.(Pacer); ok {
		if p, ok := pc.Pace(); ok {
			d.Pace = &p
		}
	}
	if !d.Through.Since.IsZero() {
		d.Uptime = now.Sub(d.Through.Since).Round(time.Second)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	// Nothing on the page comes from elsewhere: no scripts, no styles or
	// images from other origins, no forms.
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if err := statusPage.Execute(w, d); err != nil {
		s.log.Error("render /status", "err", err)
	}
}

// healthFilter reads ?health=: one health or several, comma-separated,
// as `feeds status --health failing,degraded` takes them; names no health
// has are returned apart, for the page to say so rather than show "no
// feeds match".
func healthFilter(q string) (healths, unknown []string) {
	if q == "" {
		return nil, nil
	}
	for h := range strings.SplitSeq(q, ",") {
		switch h = strings.TrimSpace(h); {
		case h == "":
		case slices.Contains(healthNames(), h):
			healths = append(healths, h)
		default:
			unknown = append(unknown, h)
		}
	}
	return healths, unknown
}

// healthNames are the healths the page shows, in its order.
func healthNames() []string {
	out := make([]string, len(feedstatus.HealthOrder))
	for i, h := range feedstatus.HealthOrder {
		out[i] = healthName(h)
	}
	return out
}

// joinAnd is "a", "a and b", "a, b and c"; joinOr the same with "or".
func joinAnd(s []string) string { return joinLast(s, " and ") }
func joinOr(s []string) string  { return joinLast(s, " or ") }

func joinLast(s []string, last string) string {
	if len(s) < 2 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + last + s[len(s)-1]
}

// unhealthy counts the feeds that are not ok.
func unhealthy(sorted []record.FeedStatus) int {
	n := 0
	for _, f := range sorted {
		if f.Health != record.HealthOK {
			n++
		}
	}
	return n
}
