package main

// End-to-end test of the scale-out roles (README "Scaling out", issue 10):
// the real binary as three fetchers and two processors against a real
// three-broker KRaft cluster — every topic with replication factor 3 and
// min.insync.replicas 2 — polling fixture feeds whose items keep arriving.
// The faults come in sequence on one cluster, because starting one costs a
// minute or more on a loaded two-core machine: kill -9 of a fetcher, kill -9
// of the active processor, kill -9 of a broker. What reached Kafka is read
// back at the end and counted by record id, as a consumer would.

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	"github.com/wirestream/wirestream/pipeline/record"
)

// scaleOut is one run of the scale-out roles: their shared settings and the
// feeds they poll.
type scaleOut struct {
	t       *testing.T
	dir     string
	brokers []string
	prefix  string
	feeds   []string
}

// config writes the configuration of one instance: its own listen address,
// data directory and user agent, the shared brokers, topics and feeds.
func (s *scaleOut) config(instance string) string {
	s.t.Helper()
	var b strings.Builder
	q := strconv.Quote
	fmt.Fprintf(&b, "instance: %s\ndata_dir: %s\nlisten: 127.0.0.1:0\nshutdown_timeout: 20s\n", q(instance), q(filepath.Join(s.dir, instance, "data")))
	b.WriteString("log:\n  format: json\n  level: info\n")
	fmt.Fprintf(&b, "kafka:\n  brokers: [%s]\n  topic_prefix: %s\n  topics:\n", strings.Join(yamlQuoteAll(s.brokers), ", "), q(s.prefix))
	for _, t := range []string{"stories", "duplicates", "events", "alerts", "feed_status", "dead_letters"} {
		fmt.Fprintf(&b, "    %s: {replication_factor: 3, min_insync_replicas: 2}\n", t)
	}
	fmt.Fprintf(&b, "poller:\n  user_agent: %s\n", q(userAgentOf(instance)))
	b.WriteString("  allow_networks: [\"127.0.0.0/8\"]\n  min_interval: 1s\n  start_spread: 1s\n  backoff_initial: 1s\n  backoff_max: 2s\n")
	b.WriteString("pipeline:\n  max_in_flight_batches: 4\n  maintenance_interval: 2s\n")
	b.WriteString("cluster:\n  feed_partitions: 6\n  replication_factor: 3\n  min_insync_replicas: 2\n")
	b.WriteString("feeds:\n")
	for _, u := range s.feeds {
		fmt.Fprintf(&b, "  - {url: %s, min_interval: 1s, max_interval: 2s}\n", q(u))
	}
	path := filepath.Join(s.dir, instance+".yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		s.t.Fatal(err)
	}
	return path
}

func userAgentOf(instance string) string { return "wirestream-e2e (" + instance + ")" }

// start runs one instance of role.
func (s *scaleOut) start(role, instance string) *e2eDaemon {
	s.t.Helper()
	return startDaemon(s.t, s.config(instance), "--role", role, "--instance", instance)
}

// cli runs a short wirestream command to its end and returns its output.
func cli(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command(wirestreamBinary(t), args...)
	cmd.Env = e2eEnv()
	out, err := combinedOutputTied(cmd)
	if err != nil {
		t.Fatalf("wirestream %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// eventFeed serves one outlet's coverage of one news event
// (testdata/e2e/event.txt): the first Initial stories from the start, then
// one more every Step, published as they appear. With held > 0 it shows
// at most the first held stories until Release; the others appear one
// every Step from then: a test that needs a story to appear after a given
// moment (a failover) has one however slow the machine was to get there.
type eventFeed struct {
	srv     *httptest.Server
	start   time.Time
	stories [][2]string // title, text
	initial int
	held    int
	step    time.Duration

	mu       sync.Mutex
	reqs     []fixtureRequest
	released time.Time // when Release was called; zero before
}

func newEventFeed(t *testing.T, initial, held int, step time.Duration) *eventFeed {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "e2e", "event.txt"))
	if err != nil {
		t.Fatal(err)
	}
	e := &eventFeed{initial: initial, held: held, step: step, start: time.Now()}
	for line := range strings.SplitSeq(string(data), "\n") {
		if title, text, ok := strings.Cut(line, "\t"); ok && !strings.HasPrefix(line, "#") {
			e.stories = append(e.stories, [2]string{title, text})
		}
	}
	e.srv = httptest.NewServer(http.HandlerFunc(e.serve))
	t.Cleanup(e.srv.Close)
	return e
}

func (e *eventFeed) URL() string { return e.srv.URL + "/harbour.xml" }
func (e *eventFeed) Link(i int) string {
	return fmt.Sprintf("https://harbour-news.example/2026/strike-%02d", i)
}
func (e *eventFeed) visibleAt(i int) time.Time {
	if e.held > 0 && i >= e.held {
		e.mu.Lock()
		released := e.released
		e.mu.Unlock()
		if released.IsZero() {
			return time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC) // not before Release
		}
		return released.Add(time.Duration(i-e.held+1) * e.step)
	}
	return e.start.Add(time.Duration(max(i-e.initial+1, 0)) * e.step)
}

// Release lets the held stories appear, one every step from now.
func (e *eventFeed) Release() {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.released.IsZero() {
		e.released = time.Now()
	}
}

// visible is how many stories the feed shows at now.
func (e *eventFeed) visible(now time.Time) int {
	n := 0
	for i := range e.stories {
		if !e.visibleAt(i).After(now) {
			n++
		}
	}
	return n
}

func (e *eventFeed) serve(w http.ResponseWriter, r *http.Request) {
	now := time.Now()
	e.mu.Lock()
	e.reqs = append(e.reqs, fixtureRequest{Feed: e.URL(), UserAgent: r.UserAgent(), At: now})
	e.mu.Unlock()
	esc := func(s string) string {
		var b strings.Builder
		_ = xml.EscapeText(&b, []byte(s))
		return b.String()
	}
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Harbour News</title><link>https://harbour-news.example/</link><language>en</language>`)
	for i := e.visible(now) - 1; i >= 0; i-- {
		pub := e.visibleAt(i).Add(-time.Duration(e.initial) * time.Minute)
		fmt.Fprintf(&b, "<item><title>%s</title><link>%s</link><guid>harbour-%02d</guid><pubDate>%s</pubDate><description>%s</description></item>",
			esc(e.stories[i][0]), e.Link(i), i, pub.UTC().Format(time.RFC1123Z), esc(e.stories[i][1]))
	}
	b.WriteString("</channel></rss>")
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	_, _ = w.Write([]byte(b.String()))
}

func (e *eventFeed) Requests() []fixtureRequest {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.reqs)
}

// pollersPerFeed is who polled each feed between from and to.
func pollersPerFeed(reqs []fixtureRequest, from, to time.Time) map[string]map[string]int {
	out := map[string]map[string]int{}
	for _, r := range reqs {
		if r.At.Before(from) || r.At.After(to) {
			continue
		}
		if out[r.Feed] == nil {
			out[r.Feed] = map[string]int{}
		}
		out[r.Feed][r.UserAgent]++
	}
	return out
}

// checkOnePollerPerFeed fails the test unless, between from and to, every
// feed was polled, and by one fetcher only.
func checkOnePollerPerFeed(t *testing.T, what string, feeds []string, reqs []fixtureRequest, from, to time.Time) map[string]map[string]int {
	t.Helper()
	per := pollersPerFeed(reqs, from, to)
	for _, f := range feeds {
		switch n := len(per[f]); {
		case n == 0:
			t.Errorf("%s: %s not polled at all in %v", what, f, to.Sub(from).Round(time.Second))
		case n > 1:
			t.Errorf("%s: %s polled by %d fetchers at once: %v", what, f, n, per[f])
		}
	}
	return per
}

// storyEvents reads the story records and returns each one's event id by
// URL.
func storyEvents(t *testing.T, brokers []string, topic string) map[string]string {
	t.Helper()
	return storyEventsOf(readTopic(t, brokers, topic))
}

// storyEventsOf is storyEvents of messages already read.
func storyEventsOf(msgs []kafka.Message) map[string]string {
	out := map[string]string{}
	for _, m := range msgs {
		var s struct {
			URL     string `json:"url"`
			EventID string `json:"event_id"`
		}
		if json.Unmarshal(m.Value, &s) == nil {
			out[s.URL] = s.EventID
		}
	}
	return out
}

// eventsMergedInto reads the event records and returns, for each event
// whose last record says it was merged into another, that other's id.
func eventsMergedInto(t *testing.T, brokers []string, topic string) map[string]string {
	t.Helper()
	last := map[string]string{}
	for _, m := range readTopic(t, brokers, topic) {
		var e struct {
			ID         string `json:"id"`
			MergedInto string `json:"merged_into"`
		}
		if json.Unmarshal(m.Value, &e) == nil && e.ID != "" {
			last[e.ID] = e.MergedInto
		}
	}
	for id, into := range last {
		if into == "" {
			delete(last, id)
		}
	}
	return last
}

// finalEvent follows id through merges (bounded: a cycle is a defect the
// comparison then reports).
func finalEvent(into map[string]string, id string) string {
	for range len(into) + 1 {
		next, ok := into[id]
		if !ok {
			break
		}
		id = next
	}
	return id
}

// storyIDs reads the story records and returns the story ids each URL was
// published under.
func storyIDs(t *testing.T, brokers []string, topic string) map[string]map[string]bool {
	t.Helper()
	out := map[string]map[string]bool{}
	for _, m := range readTopic(t, brokers, topic) {
		var s struct{ ID, URL string }
		if json.Unmarshal(m.Value, &s) == nil && s.URL != "" {
			if out[s.URL] == nil {
				out[s.URL] = map[string]bool{}
			}
			out[s.URL][s.ID] = true
		}
	}
	return out
}

// settled reports whether the fetchers share every partition of the feed
// list in one generation and poll every feed between them.
func settled(fetchers []*e2eDaemon, feeds int) bool {
	owned, assigned, gen := 0.0, 0.0, -1.0
	for _, f := range fetchers {
		g := f.metric("wirestream_group_generation")
		if gen >= 0 && g != gen {
			return false
		}
		gen = g
		owned += f.metric("wirestream_group_owned_partitions")
		assigned += f.metric("wirestream_feed_assigned")
	}
	return owned == 6 && int(assigned) == feeds
}

// feedPartitions reads the feed list's topic and returns the partition
// each of feeds is on.
func feedPartitions(t *testing.T, brokers []string, topic string, feeds []string) map[string]int {
	t.Helper()
	on := map[string]int{}
	for _, m := range readTopic(t, brokers, topic) {
		if m.Value == nil {
			delete(on, string(m.Key))
			continue
		}
		on[string(m.Key)] = m.Partition
	}
	for _, f := range feeds {
		if _, ok := on[f]; !ok {
			t.Fatalf("feed %s is not on %s: %v", f, topic, on)
		}
	}
	return on
}

// pollingTheLastAssignment says why the fetchers may not poll the feeds
// of the group's last assignment yet, or "" when they do: the group is
// stable with the live fetchers as its members, and each fetcher's
// /status lists exactly the feeds on the partitions the group assigned
// it. A feed is on /status from its loop's start to the loop's end
// (sources/feed/health.go), so every loop of the last assignment has
// started then and none of an earlier one is left to poll; a fixed wait
// after settled did not show that on a loaded machine.
func (s *scaleOut) pollingTheLastAssignment(ask string, fetchers map[string]*e2eDaemon, partitionOf map[string]int) string {
	s.t.Helper()
	g := statusOf(s.t, ask)["fetchers"]
	if g.State != "Stable" {
		return "the fetchers' group is " + g.State
	}
	owner := map[int]string{}
	var members []string
	for _, m := range g.Members {
		members = append(members, m.Instance)
		for _, p := range m.Partitions {
			owner[p] = m.Instance
		}
	}
	if slices.Sort(members); !slices.Equal(members, slices.Sorted(maps.Keys(fetchers))) {
		return fmt.Sprintf("the fetchers' group has members %v", members)
	}
	for id, f := range fetchers {
		code, body, err := f.get("/status")
		if err != nil || code != 200 {
			return fmt.Sprintf("%s /status: %d, %v", id, code, err)
		}
		for _, feedURL := range s.feeds {
			listed, assigned := strings.Contains(body, feedURL), owner[partitionOf[feedURL]] == id
			if listed != assigned {
				return fmt.Sprintf("%s polls %s: %v; the group assigned it partition %d: %v", id, feedURL, listed, partitionOf[feedURL], assigned)
			}
		}
	}
	return ""
}

func uniquePrefix(t *testing.T) string {
	b := make([]byte, 4)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return "e2escale" + hex.EncodeToString(b) + "."
}

// Issue 10, "Done when": 3 fetchers + 2 processors on 3 brokers, faults in
// sequence, nothing lost.
func TestE2EScaleOutSurvivesAFetcherAProcessorAndABrokerDying(t *testing.T) {
	began := time.Now()
	wirestreamBinary(t) // built before anything starts the clock of the feeds
	c := kafkatest.StartCluster(t, 3)
	clusterUp := time.Since(began)
	fx := newFixture(t, fixtureOptions{Feeds: 6, Items: 36, Initial: 3, Step: 5 * time.Second, Seed: 10})
	// The event's stories after the sixth wait for the processor's
	// failover: a story must appear after it. On their own clock alone
	// (the last at 2 min) they ran out before the failover at load
	// 30-46, and the standby had nothing new to publish.
	ev := newEventFeed(t, 2, 6, 10*time.Second)
	s := &scaleOut{t: t, dir: t.TempDir(), brokers: c.Brokers, prefix: uniquePrefix(t)}
	for i := range fx.opts.Feeds {
		s.feeds = append(s.feeds, fx.FeedURL(i))
	}
	s.feeds = append(s.feeds, ev.URL())
	requests := func() []fixtureRequest { return append(fx.Requests(), ev.Requests()...) }
	storiesTopic := topicOf(s.prefix, record.TypeStory)

	// The feed list goes into Kafka; the fetchers read it from there.
	ask := s.config("admin")
	fetchers := map[string]*e2eDaemon{}
	if out := cli(t, "feeds", "push", "--config", ask); !strings.Contains(out, "7 added") {
		t.Fatalf("feeds push: %s", out)
	}
	partitionOf := feedPartitions(t, c.Brokers, s.prefix+"feeds", s.feeds)
	// steadyFrom waits until the fetchers poll the feeds of the group's
	// last assignment, and returns when they did.
	steadyFrom := func(what string) time.Time {
		began, why := time.Now(), ""
		e2eEventually(t, 2*time.Minute, func() bool {
			why = s.pollingTheLastAssignment(ask, fetchers, partitionOf)
			return why == ""
		}, func() string { return what + " never polled the feeds of their group's last assignment: " + why })
		t.Logf("%s polled the feeds of their group's last assignment %v after they shared the feed list", what, time.Since(began).Round(time.Millisecond))
		return time.Now()
	}
	procs := map[string]*e2eDaemon{"process-1": s.start("process", "process-1")}
	e2eEventually(t, 90*time.Second, func() bool { return procs["process-1"].metric("wirestream_processor_active") == 1 },
		func() string { return "process-1 never became the active processor" })
	procs["process-2"] = s.start("process", "process-2")
	procs["process-2"].waitLog("consumer group generation", 60*time.Second)
	for _, id := range []string{"fetch-1", "fetch-2", "fetch-3"} {
		fetchers[id] = s.start("fetch", id)
	}
	live := func() []*e2eDaemon { return slices.Collect(maps.Values(fetchers)) }
	e2eEventually(t, 90*time.Second, func() bool { return settled(live(), len(s.feeds)) }, func() string {
		return "the three fetchers never shared the feed list between them"
	})

	// Steady state: every feed polled, by exactly one fetcher.
	steady := steadyFrom("the three fetchers")
	time.Sleep(12 * time.Second)
	per := checkOnePollerPerFeed(t, "three fetchers", s.feeds, requests(), steady, time.Now())
	feedsOf := map[string][]string{}
	for f, uas := range per {
		for ua := range uas {
			feedsOf[ua] = append(feedsOf[ua], f)
		}
	}
	// Each fetcher's /status lists the feeds it polls (its share, not the list).
	for id, f := range fetchers {
		code, body, err := f.get("/status")
		if err != nil || code != 200 {
			t.Errorf("%s /status: %d, %v", id, code, err)
			continue
		}
		for _, feedURL := range feedsOf[userAgentOf(id)] {
			if !strings.Contains(body, feedURL) {
				t.Errorf("%s /status does not list %s, a feed it polls", id, feedURL)
			}
		}
	}
	victim := "fetch-1"
	for id := range fetchers {
		if len(feedsOf[userAgentOf(id)]) > len(feedsOf[userAgentOf(victim)]) {
			victim = id
		}
	}

	// kill -9 of a fetcher: its feeds are polled by the others (in about
	// the group's session timeout; the time is logged, the bound is for a
	// hand-over that never comes).
	orphans := feedsOf[userAgentOf(victim)]
	fetchers[victim].kill()
	delete(fetchers, victim)
	killedFetcher := time.Now()
	var fetcherFailover time.Duration
	e2eEventually(t, 3*time.Minute, func() bool {
		fetcherFailover = 0
		for _, f := range orphans {
			var first time.Time
			for _, r := range requests() {
				if r.Feed == f && r.At.After(killedFetcher) {
					first = r.At
					break
				}
			}
			if first.IsZero() {
				return false
			}
			fetcherFailover = max(fetcherFailover, first.Sub(killedFetcher))
		}
		return true
	}, func() string {
		return fmt.Sprintf("the %d feeds of the killed %s were not polled again", len(orphans), victim)
	})
	t.Logf("the killed fetcher's feeds were polled again after %v", fetcherFailover)
	e2eEventually(t, 60*time.Second, func() bool { return settled(live(), len(s.feeds)) }, func() string {
		return "the two fetchers left never shared the feed list between them"
	})
	steady = steadyFrom("the two fetchers left")
	time.Sleep(10 * time.Second)
	checkOnePollerPerFeed(t, "two fetchers", s.feeds, requests(), steady, time.Now())

	// kill -9 of the active processor: the standby resumes, and
	// a story on the ongoing event joins the event it had before.
	var before map[string]string
	e2eEventually(t, 90*time.Second, func() bool {
		before = storyEvents(t, c.Brokers, storiesTopic)
		return before[ev.Link(0)] != "" && before[ev.Link(1)] != ""
	}, func() string { return "the event's first stories never reached the stories topic" })
	event := before[ev.Link(1)]
	idsBefore := storyIDs(t, c.Brokers, storiesTopic)
	active, standby := "process-1", "process-2"
	if procs[standby].metric("wirestream_processor_active") == 1 {
		active, standby = standby, active
	}
	storiesBefore := procs[standby].storiesAcked()
	procs[active].kill()
	killedProcessor := time.Now()
	ev.Release()
	var processorFailover time.Duration
	// The bound is for a takeover that never comes, not a speed target
	// (that is BENCHMARKS.md's): the standby restores the state from the
	// changelog first, which took 1m09s at load 35 on the shared box.
	e2eEventually(t, 5*time.Minute, func() bool {
		processorFailover = time.Since(killedProcessor)
		return procs[standby].metric("wirestream_processor_active") == 1 && procs[standby].storiesAcked() > storiesBefore
	}, func() string { return standby + " never took over and published a story" })
	// Of the failover, the standby's own activation (state restored,
	// pipeline built) is what wirestream_processor_activation_seconds
	// reports; the rest is the group's session timeout and rebalance.
	t.Logf("the standby processor published its first story %v after the active one was killed (its activation: %.3fs)",
		processorFailover, procs[standby].metric("wirestream_processor_activation_seconds_sum"))
	later := -1
	for i := range ev.stories {
		if ev.visibleAt(i).After(killedProcessor) {
			later = i
			break
		}
	}
	if later < 0 {
		t.Fatal("the event feed published nothing after the failover: lengthen it")
	}
	var after map[string]string
	e2eEventually(t, 2*time.Minute, func() bool {
		after = storyEvents(t, c.Brokers, storiesTopic)
		return after[ev.Link(later)] != ""
	}, func() string {
		return fmt.Sprintf("the event's story %d, published after the failover, never reached the stories topic", later)
	})
	// An event's id at emission may be merged into another later, as a
	// consumer reads merged_into (README): the story after the failover
	// joins the event its earlier ones ended in, followed through merges.
	if got := after[ev.Link(later)]; got != event {
		into := eventsMergedInto(t, c.Brokers, topicOf(s.prefix, record.TypeEvent))
		if finalEvent(into, got) != finalEvent(into, event) {
			var ids []string
			for i := range ev.stories {
				ids = append(ids, fmt.Sprintf("%d:%s", i, after[ev.Link(i)]))
			}
			t.Errorf("a story on the ongoing event published after the failover has event_id %s (merged into %q), want %s (merged into %q) as before it; the event feed's stories: %s; merges: %v",
				got, finalEvent(into, got), event, finalEvent(into, event), strings.Join(ids, " "), into)
		}
	}

	// kill -9 of a broker (the one leading the items partition): nothing
	// acknowledged is lost, and the roles carry on with the other two.
	itemsLeader := c.Partitions(t, s.prefix+"items")[0].Leader.ID
	c.KillNode(t, itemsLeader)
	killedBroker := time.Now()
	e2eEventually(t, 4*time.Minute, func() bool { return fx.AllServed() && ev.visible(time.Now()) == len(ev.stories) },
		func() string { return fmt.Sprintf("fixture served %d of %d items", len(fx.Served()), len(fx.All())) })
	var acc storyAccount
	var final map[string]string
	// The event feed's last story appears only now (its clock started at the
	// processor's kill), so it is waited for in the topic like the fixture's
	// items, within the same bound. Read once right after it appeared, a
	// story that landed 0.7 s later failed the test as lost (twice at load
	// ≈ 70; reproduced by lossflake with fewer fixture items).
	missingEvent := func() []int {
		var out []int
		for i := range ev.stories {
			if final[ev.Link(i)] == "" {
				out = append(out, i)
			}
		}
		return out
	}
	e2eEventually(t, 3*time.Minute, func() bool {
		// One read for both: read twice, a story landing between the reads
		// was in the check but not in the count the closing line prints (86
		// items served, "85 stories" in lossflake's runs, whose count was
		// read before the event's last story landed).
		msgs := readTopic(t, c.Brokers, storiesTopic)
		acc, final = accountStories(msgs), storyEventsOf(msgs)
		return len(acc.Missing(fx, fx.All())) == 0 && len(missingEvent()) == 0
	}, func() string {
		missing := acc.Missing(fx, fx.All())
		return fmt.Sprintf("%d of %d served stories not in %s:%s; the event's stories %v not in it", len(missing), len(fx.All()), storiesTopic, describeItems(missing), missingEvent())
	})
	for i := range ev.stories {
		if final[ev.Link(i)] == "" {
			t.Errorf("the event's story %d is not in %s", i, storiesTopic)
		}
	}
	acc.check(t)
	// The same story keeps its story id across the failover and the broker's
	// death: one id per URL, and the one it had before.
	idsAfter := storyIDs(t, c.Brokers, storiesTopic)
	for url, ids := range idsAfter {
		if len(ids) != 1 {
			t.Errorf("%s published under %d story ids: %v", url, len(ids), slices.Collect(maps.Keys(ids)))
		}
		for id := range idsBefore[url] {
			if !ids[id] || len(ids) != 1 {
				t.Errorf("%s had story id %s before the failover, %v after", url, id, slices.Collect(maps.Keys(ids)))
			}
		}
	}
	for id, d := range fetchers {
		stopCleanly(t, d, 20*time.Second)
		delete(fetchers, id)
	}
	stopCleanly(t, procs[standby], 20*time.Second)
	t.Logf("3 fetchers + 2 processors on 3 brokers (cluster up in %v): fetcher %s killed, its %d feeds polled again after %v; "+
		"processor %s killed, %s published again after %v; broker %d killed %v before the end; "+
		"%d items served, all %d stories in the topic: %d story messages, %d extra copies (same record-id); test took %v",
		clusterUp.Round(time.Second), victim, len(orphans), fetcherFailover.Round(100*time.Millisecond),
		active, standby, processorFailover.Round(100*time.Millisecond), itemsLeader, time.Since(killedBroker).Round(time.Second),
		len(fx.All())+len(ev.stories), len(acc.Copies), acc.Messages, acc.Duplicates(), time.Since(began).Round(time.Second))
}

// Issue 10, "Done when": --role all without brokers still starts the
// embedded broker and publishes to it.
func TestE2ERoleAllWithoutBrokersStartsTheEmbeddedBroker(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: builds and runs the binary")
	}
	fx := newFixture(t, fixtureOptions{Feeds: 1, Items: 3, Initial: 3, Step: time.Second, Seed: 11})
	cfg := newE2EConfig(t, nil, fx)
	cfg.EmbeddedAddr = "127.0.0.1:0"
	d := startDaemon(t, cfg.write(t, t.TempDir()), "--role", "all", "--instance", "solo")
	d.waitLog("embedded", 30*time.Second)
	e2eEventually(t, 60*time.Second, func() bool { return d.storiesAcked() == 3 }, func() string {
		return fmt.Sprintf("%d of 3 stories acknowledged by the embedded broker", d.storiesAcked())
	})
	if got := d.metric("wirestream_instance_info", `instance_id="solo"`, `role="all"`); got != 1 {
		t.Errorf("wirestream_instance_info{instance_id=solo,role=all} = %v, want 1", got)
	}
	d.signal(syscall.SIGTERM)
	if code := d.wait(45 * time.Second); code != 0 {
		t.Errorf("exit code %d after SIGTERM, want 0", code)
	}
}
