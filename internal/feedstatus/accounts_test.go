package feedstatus

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// Two accounts of one paid feed — the same URL but for its secret (?token=A, ?token=B) — are
// two feeds: the poller keys their feed_status records apart (record.FeedKey, the URL as logs
// say it and a hash). `feeds status` keyed its table by the URL as logs say it and showed them
// as one line, the latest record's. Now each is a line of its own, told apart without its
// secret, and the list is asked about each: a list holding one account shows the other removed.
func TestTwoAccountsOfOneFeedAreTwoLinesWithoutTheirSecrets(t *testing.T) {
	a, b := "https://paid.example/rss?token=ACCOUNT-A-S3CRET", "https://paid.example/rss?token=ACCOUNT-B-S3CRET"
	said := record.RedactURL(a)
	tab := Table{StatusInterval: time.Hour}
	latest := map[string]record.FeedStatus{}
	for i, u := range []string{a, b} {
		s := status(said, "", []record.Health{record.HealthFailing, record.HealthOK}[i], time.Duration(i)*time.Minute)
		v, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		tab.read(latest, []byte(record.FeedKey(u)), v)
	}
	tab.latest = latest
	tab.CompareWith(NewList(TopicList("wirestream.feeds"), "the feed list wirestream.feeds", []string{a}))
	if len(tab.Feeds) != 2 {
		t.Fatalf("%d feeds shown, want the two accounts: %+v", len(tab.Feeds), tab.Feeds)
	}
	removed := 0
	for _, s := range tab.Feeds {
		if tab.IsRemoved(s) {
			removed++
		}
	}
	if removed != 1 {
		t.Errorf("%d accounts shown removed; the list holds one of the two", removed)
	}
	var out bytes.Buffer
	if err := WriteTable(&out, tab, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := WriteJSON(&out, tab); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "S3CRET") {
		t.Errorf("feeds status says a secret:\n%s", out.String())
	}
	lines := strings.Split(out.String(), "\n")
	if len(lines) < 3 || lines[1] == lines[2] {
		t.Fatalf("want two lines for the accounts:\n%s", out.String())
	}
	feedCol := func(line string) string { // from the URL to the next column
		line = line[strings.Index(line, "https://"):]
		return line[:strings.Index(line, "  ")]
	}
	if feedCol(lines[1]) == feedCol(lines[2]) {
		t.Errorf("the two accounts' lines do not tell them apart:\n%s", out.String())
	}
}
