package feedstatus

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// A feed the feed list no longer holds keeps its last feed_status record
// in the compacted topic (nothing deletes it): `feeds status` read it as
// polled — "failing … ~in 2m", "ok ~2s ago" — for up to status_interval
// and a poll interval after `feeds remove --kafka` (newcomer21). With the
// list, such a feed is shown "removed", last, with its record's last
// success and no next poll, counted under no health; --health selects it
// by that state; --json adds "removed": true; the listed feeds are shown
// as without a list.
func TestAFeedTheListNoLongerHoldsIsShownRemovedNotPolled(t *testing.T) {
	gone, failing, ok := "https://gone.example/missing.xml", "https://b.example/atom", "https://a.example/rss"
	latest := map[string]record.FeedStatus{}
	for _, s := range []*record.FeedStatus{
		status(gone, "", record.HealthFailing, 0), // removed while failing: its next poll passed at +5m
		status(failing, "", record.HealthFailing, time.Minute),
		status(ok, "Alpha", record.HealthOK, 0),
	} {
		latest[s.FeedURL] = *s
	}
	now := t0.Add(7 * time.Minute) // every record's next poll has passed: projected when polled
	list := NewList(TopicList("wirestream.feeds"), "the feed list wirestream.feeds", []string{failing, ok, "https://listed.example/not-polled-yet"})

	table := func(f Filter, list *List) (Table, string) {
		tab := Table{StatusInterval: time.Hour, latest: latest, filter: f}
		tab.CompareWith(list)
		var out bytes.Buffer
		if err := WriteTable(&out, tab, now); err != nil {
			t.Fatal(err)
		}
		return tab, out.String()
	}
	_, without := table(Filter{}, nil)
	tab, with := table(Filter{}, list)
	rows := strings.Split(with, "\n")
	if len(tab.Feeds) != 3 || tab.Feeds[2].FeedURL != gone || tab.IsRemoved(tab.Feeds[0]) || !tab.IsRemoved(tab.Feeds[2]) {
		t.Fatalf("feeds %v: want the removed one last, the only one marked", tab.Feeds)
	}
	if strings.Join(strings.Fields(rows[3])[:3], " ") != "removed never -" || strings.Contains(rows[3], "~") {
		t.Errorf("removed row %q: want STATE removed, its record's LAST SUCCESS, NEXT POLL -, nothing projected", rows[3])
	}
	if i := strings.Index(without, "\nfailing"); i < 0 || !strings.Contains(strings.SplitAfter(without[i+1:], gone)[0], "~in") {
		t.Errorf("without a list:\n%s\nwant the removed feed read as polled, failing ~in (the bug the list fixes)", without)
	}
	for i, feed := range []string{failing, ok} { // the listed feeds' rows are as without a list
		if !strings.Contains(rows[1+i], feed) || !strings.Contains(without, rows[1+i]) {
			t.Errorf("listed feed %s: row %q is not its row without a list:\n%s", feed, rows[1+i], without)
		}
	}
	if want := "3 feeds: 1 failing, 1 ok, 1 removed (not in the feed list wirestream.feeds)"; rows[4] != want {
		t.Errorf("summary %q, want %q", rows[4], want)
	}

	if tab, _ := table(Filter{Health: []record.Health{record.HealthFailing}}, list); len(tab.Feeds) != 1 || tab.Feeds[0].FeedURL != failing {
		t.Errorf("--health failing: %v, want only the listed failing feed", tab.Feeds)
	}
	if tab, out := table(Filter{Health: []record.Health{Removed}}, list); len(tab.Feeds) != 1 || tab.Feeds[0].FeedURL != gone ||
		!strings.Contains(out, "1 of 3 feeds shown: 1 removed (not in") {
		t.Errorf("--health removed: %v\n%s\nwant only the removed feed", tab.Feeds, out)
	}

	var js bytes.Buffer
	if err := WriteJSON(&js, tab); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(js.String()), "\n")
	var first, last map[string]any
	if len(lines) != 3 || json.Unmarshal([]byte(lines[0]), &first) != nil || json.Unmarshal([]byte(lines[2]), &last) != nil ||
		first["removed"] != nil || last["removed"] != true || last["feed_url"] != gone || last["health"] != "failing" {
		t.Errorf("--json:\n%s\nwant the removed feed's record with \"removed\": true, the others' as the topic holds them", js.String())
	}
}

// Several deployments (or lists) may share the topics: fetchers polling
// the Kafka list beside a single `run` polling its file. The role is a
// process's flag, so `feeds status` cannot know which list polls a feed;
// a record compared with the wrong list showed a feed still polled from
// the file "removed" because the Kafka list does not hold it. Each record
// now names its list (feed_list) and is compared with that list alone —
// not at all when the list was not read here (another machine's file) —
// while a record written before feed_list is compared as before, with
// the default list.
func TestARecordIsComparedWithTheListItNames(t *testing.T) {
	const (
		inTopic   = "https://topic.example/rss"   // in the Kafka list only
		inFile    = "https://file.example/rss"    // in the file only
		inNeither = "https://neither.example/rss" // removed from both
	)
	topic := NewList(TopicList("wirestream.feeds"), "the feed list wirestream.feeds", []string{inTopic})
	file := NewList(FileList("/etc/wirestream.yaml"), "the feeds of /etc/wirestream.yaml", []string{inFile})
	named := func(url, list string) *record.FeedStatus {
		s := status(url, "", record.HealthOK, 0)
		s.ID, s.FeedURL, s.FeedList = url+" @"+list, url, list // distinct keys: one feed, several records
		return s
	}
	cases := []struct {
		s       *record.FeedStatus
		removed bool
		from    string
	}{
		{named(inTopic, topic.ID), false, ""},
		{named(inFile, file.ID), false, ""}, // compared with the Kafka list it was "removed": the bug
		{named(inFile, topic.ID), true, topic.Name},
		{named(inTopic, file.ID), true, file.Name},
		{named(inNeither, topic.ID), true, topic.Name},
		{named(inNeither, FileList("/srv/other/wirestream.yaml")), false, ""}, // its list is not read here
		{named(inNeither, "demo"), false, ""},
		{named(inFile, ""), true, topic.Name}, // before feed_list: the default list, as before
		{named(inTopic, ""), false, ""},
	}
	latest := map[string]record.FeedStatus{}
	for _, c := range cases {
		latest[c.s.ID] = *c.s
	}
	tab := Table{StatusInterval: time.Hour, latest: latest}
	tab.CompareWith(topic, topic, file)
	for _, c := range cases {
		got := tab.removedFrom(*c.s)
		if (got != nil) != c.removed || (got != nil && got.Name != c.from) {
			t.Errorf("%s polled from %q: removed from %v; want removed %v (from %q)", c.s.FeedURL, c.s.FeedList, got, c.removed, c.from)
		}
	}
	if want := "9 feeds: 5 ok, 4 removed (not in the feed list wirestream.feeds nor the feeds of /etc/wirestream.yaml)"; Summary(tab) != want {
		t.Errorf("summary %q, want %q", Summary(tab), want)
	}
	// With no list read, only the records before feed_list are compared,
	// with the default: none here.
	tab.CompareWith(nil)
	for _, s := range tab.Feeds {
		if tab.IsRemoved(s) {
			t.Errorf("%s (%q) marked removed with no list read", s.FeedURL, s.FeedList)
		}
	}
}

// A path names the same list however it is written on the same machine:
// run's --config and feeds status's may differ by a relative path or a
// link.
func TestAFileListIsNamedByItsAbsolutePath(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "wirestream.yaml")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.yaml")
	if err := os.Symlink(path, link); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	want := FileList(path)
	for _, p := range []string{"wirestream.yaml", "./wirestream.yaml", "../" + filepath.Base(dir) + "/wirestream.yaml", link} {
		if got := FileList(p); got != want {
			t.Errorf("FileList(%q) = %q, want %q", p, got, want)
		}
	}
	if !strings.HasPrefix(want, "file /") || FileList(filepath.Join(dir, "other.yaml")) == want {
		t.Errorf("FileList = %q: want \"file \" and an absolute path, another file another list", want)
	}
}
