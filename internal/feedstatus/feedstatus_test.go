package feedstatus

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/wirestream/wirestream/internal/fuzzcap"
	"github.com/wirestream/wirestream/internal/testkit/devkafka"
	"github.com/wirestream/wirestream/internal/testkit/golden"
	"github.com/wirestream/wirestream/pipeline/record"
)

func TestMain(m *testing.M) {
	fuzzcap.MinimizeFor(3 * time.Second) // FuzzTable's seeds are whole records
	goleak.VerifyTestMain(m)
}

var t0 = time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC)

func status(url, name string, h record.Health, at time.Duration, tags ...string) *record.FeedStatus {
	s := &record.FeedStatus{Type: record.TypeFeedStatus, ID: url, SchemaVersion: record.SchemaVersion, FeedURL: url, Name: name,
		Tags: tags, Health: h, LastAttempt: t0.Add(at), NextPoll: t0.Add(at + 5*time.Minute), ItemsFound: 20, ItemsNew: 2}
	if h == record.HealthOK {
		ok := s.LastAttempt
		s.LastSuccess = &ok
	} else {
		s.ItemsFound, s.ItemsNew = 0, 0
		s.LastErrorClass, s.LastError, s.ConsecutiveFailures = "http_5xx", "fetch "+url+": HTTP 503\nService Unavailable", 4
		if h == record.HealthDegraded {
			s.ConsecutiveFailures = 1
		}
	}
	return s
}

// keyed is a feed_status record and the Kafka key it was written under.
type keyed struct {
	key string
	s   *record.FeedStatus
}

// readKeyed takes records into latest in order, each under its key in partition 0, as Read
// takes the topic's.
func readKeyed(t *testing.T, tab *Table, latest map[string]record.FeedStatus, records ...keyed) {
	t.Helper()
	for _, r := range records {
		readOn(t, tab, latest, 0, r.key, r.s)
	}
}

// readOn takes a record of partition p under key into latest, as Read does; s nil is a
// tombstone.
func readOn(t *testing.T, tab *Table, latest map[string]record.FeedStatus, p int, key string, s *record.FeedStatus) {
	t.Helper()
	if s == nil {
		tab.read(latest, p, []byte(key), nil)
		return
	}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	tab.read(latest, p, []byte(key), b)
}

// listedTable is the table of records, read in order each under its key, compared with the
// feed list wirestream.feeds holding urls.
func listedTable(t *testing.T, urls []string, records ...keyed) Table {
	t.Helper()
	tab := Table{StatusInterval: time.Hour}
	latest := map[string]record.FeedStatus{}
	readKeyed(t, &tab, latest, records...)
	tab.latest = latest
	tab.CompareWith(NewList(TopicList("wirestream.feeds"), "the feed list wirestream.feeds", urls))
	return tab
}

// printed is what feeds status prints of tab at now: the table, then --json's lines.
func printed(t *testing.T, tab Table, now time.Time) string {
	t.Helper()
	var out bytes.Buffer
	if err := WriteTable(&out, tab, now); err != nil {
		t.Fatal(err)
	}
	if err := WriteJSON(&out, tab); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// The table is the topic's latest record per feed — a feed's older states
// are replaced by newer ones — worst health first, filtered by health and
// tag, and printed one aligned line per feed.
func TestReadTheLatestStateOfEachFeed(t *testing.T) {
	brokers := devkafka.Start(t)
	a, b, c := "https://a.example/rss", "https://b.example/atom", "https://c.example/feed.json"
	cfg := devkafka.Publish(t, brokers,
		status(a, "Alpha <World>", record.HealthFailing, 0, "world"),
		status(b, "", record.HealthDegraded, time.Minute, "tech"),
		status(c, "Gamma", record.HealthOK, 0, "world"),
		status(a, "Alpha <World>", record.HealthOK, 10*time.Minute, "world"), // a recovered
		status(c, "Gamma", record.HealthFailing, 10*time.Minute, "world"),    // c broke
	)
	cases := []struct {
		name   string
		filter Filter
		want   []string // feed URLs, in order
	}{
		{"every feed, the one that needs a look first", Filter{}, []string{c, b, a}},
		{"failing only", Filter{Health: []record.Health{record.HealthFailing}}, []string{c}},
		{"a tag", Filter{Tag: "WORLD"}, []string{c, a}},
		{"a health and a tag", Filter{Health: []record.Health{record.HealthOK, record.HealthDegraded}, Tag: "world"}, []string{a}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tab, err := Read(t.Context(), cfg, tc.filter)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, s := range tab.Feeds {
				got = append(got, s.FeedURL)
			}
			if strings.Join(got, " ") != strings.Join(tc.want, " ") || tab.Total != 3 {
				t.Errorf("feeds %v of %d, want %v of 3", got, tab.Total, tc.want)
			}
		})
	}

	tab, err := Read(t.Context(), cfg, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	tab.StatusInterval = time.Hour
	if err := WriteTable(&out, tab, t0.Add(12*time.Minute)); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "testdata/table.golden", out.Bytes())

	out.Reset()
	if err := WriteJSON(&out, tab); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	var first record.FeedStatus
	if len(lines) != 3 || json.Unmarshal([]byte(lines[0]), &first) != nil || first.FeedURL != c || first.Health != record.HealthFailing {
		t.Errorf("--json: %d lines, first %+v; want 3 records, c failing first", len(lines), first)
	}
}

func TestReadBeforeAnyFeedWasPolled(t *testing.T) {
	cfg := devkafka.Publish(t, devkafka.Start(t)) // the topics, no records
	tab, err := Read(t.Context(), cfg, Filter{})
	if err != nil || tab.Total != 0 || len(tab.Feeds) != 0 {
		t.Errorf("Read of an empty topic = %+v, %v; want an empty table", tab, err)
	}
	if tab.Missing != nil {
		t.Errorf("Missing = %v for a topic that exists", tab.Missing)
	}
}

// A topic the cluster lacks is an empty table too, but not a silent one:
// Missing names the topics of the same name under another prefix, so
// `feeds status` without the writer's --config does not read "no records
// yet, the poller publishes one after its first poll" while the feeds are
// polled under another prefix.
func TestReadOfAMissingTopicSaysWhichTopicsHaveItsName(t *testing.T) {
	cfg := devkafka.Publish(t, devkafka.Start(t)) // wirestream.feed_status
	cfg.TopicPrefix = "news."
	tab, err := Read(t.Context(), cfg, Filter{})
	if err != nil || tab.Total != 0 {
		t.Fatalf("Read = %+v, %v; want an empty table", tab, err)
	}
	if tab.Missing == nil || tab.Missing.Topic != "news.feed_status" || !slices.Equal(tab.Missing.Similar, []string{"wirestream.feed_status"}) {
		t.Errorf("Missing = %+v, want news.feed_status missing beside wirestream.feed_status", tab.Missing)
	}
}

// The LAST ERROR column is the error's class and the poller's message,
// the class said once: a parse failure's message starts "parse URL: …"
// (sources/feed fetchError), so the class is not put in front of it
// again; one feed is "1 feed".
func TestTheLastErrorColumnSaysEachThingOnce(t *testing.T) {
	url := "http://news.example/"
	s := status(url, "", record.HealthDegraded, 0)
	s.LastErrorClass = "parse"
	s.LastError = "parse " + url + ": not an RSS, Atom, JSON feed or ninjs document: it is an HTML page; the feed it announces is http://cdn.example/rss.xml"
	var out bytes.Buffer
	if err := WriteTable(&out, Table{Feeds: []record.FeedStatus{*s}, Total: 1}, t0); err != nil {
		t.Fatal(err)
	}
	want := "  parse " + url + ": not an RSS, Atom, JSON feed or ninjs document: it is an HTML page; the feed it announces is http://cdn.example/rss.xml (1 in a row)\n"
	if !strings.Contains(out.String(), want) || !strings.Contains(out.String(), "\n1 feed: 1 degraded\n") {
		t.Errorf("table:\n%s\nwant the last error as\n%s", out.String(), want)
	}
}

// A feed whose host is held back says so where its next poll goes, with
// why and until when, while the hold lasts; after it, its next poll.
func TestTheNextPollColumnSaysTheHostIsHeld(t *testing.T) {
	s := status("http://news.example/a", "", record.HealthDegraded, 0)
	until := t0.Add(4 * time.Minute)
	s.HostHeldUntil, s.HostHold = &until, "down: HTTP 502"
	for _, c := range []struct {
		now  time.Time
		want string
	}{
		{t0, "host held (down: HTTP 502) in 4m"},
		{t0.Add(4*time.Minute + 30*time.Second), "in 30s"},
	} {
		var out bytes.Buffer
		if err := WriteTable(&out, Table{Feeds: []record.FeedStatus{*s}, Total: 1}, c.now); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), c.want) || c.now.After(until) && strings.Contains(out.String(), "host held") {
			t.Errorf("at +%s the table is\n%s\nwant %q in it", c.now.Sub(t0), out.String(), c.want)
		}
	}
}

// A feed_status record is written on a change and otherwise only every
// status_interval, so its next poll passes while the feed polls on: the
// table said "due" for a feed polled a minute ago and for one nobody had
// polled for hours alike. It now says "due now" just after the time, a
// projection at the record's cadence while a newer record may still come,
// and "overdue" once one was due and none came.
func TestNextPollIsHonestOnceTheRecordsTimeHasPassed(t *testing.T) {
	polled := t0                                                                       // the record's last attempt
	s := record.FeedStatus{LastAttempt: polled, NextPoll: polled.Add(5 * time.Minute)} // every 5m
	cases := []struct {
		name string
		now  time.Time
		want string
	}{
		{"before its time", polled.Add(2 * time.Minute), "in 3m"},
		{"just past its time: waiting for a slot, or polling", polled.Add(5*time.Minute + 20*time.Second), "due now"},
		{"past its time, a newer record not due yet: projected at its cadence", polled.Add(13 * time.Minute), "~in 2m"},
		{"two cadences on", polled.Add(21 * time.Minute), "~in 4m"},
		{"a record was due an hour after the last and none came", polled.Add(2 * time.Hour), "overdue 1h"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := NextPoll(s, tc.now, time.Hour); got != tc.want {
				t.Errorf("NextPoll at +%s = %q, want %q", tc.now.Sub(polled), got, tc.want)
			}
		})
	}
	// A feed polled every 10 s (the demo's) whose record's next poll passed
	// 50 s ago has been polled since: projected, not "due now".
	fast := record.FeedStatus{LastAttempt: polled, NextPoll: polled.Add(10 * time.Second)}
	if got := NextPoll(fast, polled.Add(time.Minute), time.Hour); got != "~in 10s" {
		t.Errorf("NextPoll of a 10 s feed a minute on = %q, want ~in 10s", got)
	}
	// The live next poll of /status: well past is a poll that has not happened.
	if got := Until(polled, polled.Add(3*time.Minute)); got != "overdue 3m" {
		t.Errorf("Until 3m past = %q, want overdue 3m", got)
	}
	// The table shows it so.
	var out bytes.Buffer
	if err := WriteTable(&out, Table{Feeds: []record.FeedStatus{s}, Total: 1, StatusInterval: time.Hour}, polled.Add(13*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "  ~in 2m  ") {
		t.Errorf("table:\n%s\nwant NEXT POLL ~in 2m", out.String())
	}
}

// `feeds status` said LAST SUCCESS 38s ago where /status said 8s for the
// same feed: the table read the feed's last record, written 38 s before,
// and a poll that changes nothing writes none. A record of a success whose
// next poll has passed is followed by successes (a failure would have
// written a record): the latest is projected at the record's cadence,
// "~8s ago", as /status shows it live. A failing feed's last success, and
// one past the time a newer record was due, are the record's.
func TestLastSuccessAgreesWithTheLiveStatusOfAFeedPolledWithoutChange(t *testing.T) {
	polled := t0
	ok := record.FeedStatus{LastAttempt: polled, LastSuccess: &polled, NextPoll: polled.Add(10 * time.Second), Health: record.HealthOK}
	failing := ok
	failing.LastAttempt, failing.NextPoll = polled.Add(30*time.Second), polled.Add(40*time.Second)
	failing.Health, failing.LastErrorClass, failing.LastError = record.HealthDegraded, "http_5xx", "HTTP 503"
	cases := []struct {
		name string
		s    record.FeedStatus
		now  time.Time
		want string
	}{
		{"before its next poll: the record's", ok, polled.Add(8 * time.Second), "8s ago"},
		{"polled every 10 s, record 38 s old: the poll 8 s ago", ok, polled.Add(38 * time.Second), "~8s ago"},
		{"just past its next poll: that poll", ok, polled.Add(12 * time.Second), "~2s ago"},
		{"failing since: the record's last success", failing, polled.Add(58 * time.Second), "58s ago"},
		{"no record when one was due: the record's", ok, polled.Add(3 * time.Hour), "3h ago"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := LastSuccess(tc.s, tc.now, time.Hour); got != tc.want {
				t.Errorf("LastSuccess at +%s = %q, want %q", tc.now.Sub(polled), got, tc.want)
			}
		})
	}
	// The live view of the same feed (/status: Ago of the board's last
	// success, here the poll at +30s) reads the same as the table.
	live := polled.Add(30 * time.Second)
	if table, page := LastSuccess(ok, polled.Add(38*time.Second), time.Hour), Ago(&live, polled.Add(38*time.Second)); table != "~"+page {
		t.Errorf("table %q, /status %q: want the same time, the table's marked projected", table, page)
	}
	var out bytes.Buffer
	if err := WriteTable(&out, Table{Feeds: []record.FeedStatus{ok}, Total: 1, StatusInterval: time.Hour}, polled.Add(38*time.Second)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "ok      ~8s ago       ~in 2s") || !strings.Contains(out.String(), "\n~: projected from the feed's last feed_status record") {
		t.Errorf("table:\n%s\nwant LAST SUCCESS ~8s ago, NEXT POLL ~in 2s and the note on ~", out.String())
	}
}

// A next poll under a second ahead is due, not "in 0s": a newcomer's
// `feeds status` showed "in 0s" beside another feed's "due now", as the
// seconds are cut, not rounded. The projection says the same.
func TestANextPollUnderASecondAheadIsDueNow(t *testing.T) {
	polled := t0
	if got := Until(polled.Add(400*time.Millisecond), polled); got != "due now" {
		t.Errorf("Until 0.4 s ahead = %q, want due now", got)
	}
	if got := Until(polled.Add(time.Second), polled); got != "in 1s" {
		t.Errorf("Until 1 s ahead = %q, want in 1s", got)
	}
	s := record.FeedStatus{LastAttempt: polled, NextPoll: polled.Add(10 * time.Second)}
	if got := NextPoll(s, polled.Add(59*time.Second+600*time.Millisecond), time.Hour); got != "due now" {
		t.Errorf("NextPoll projected 0.4 s ahead = %q, want due now", got)
	}
	if got := NextPoll(s, polled.Add(9600*time.Millisecond), time.Hour); got != "due now" {
		t.Errorf("NextPoll 0.4 s ahead = %q, want due now", got)
	}
}
