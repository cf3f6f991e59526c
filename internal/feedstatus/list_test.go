package feedstatus

import (
	"bytes"
	"encoding/json"
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
	list := NewList("the feed list wirestream.feeds", []string{failing, ok, "https://listed.example/not-polled-yet"})

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
