package feedstatus

import (
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
	tab := listedTable(t, []string{a},
		keyed{record.FeedKey(a), status(said, "", record.HealthFailing, 0)},
		keyed{record.FeedKey(b), status(said, "", record.HealthOK, time.Minute)})
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
	out := printed(t, tab, t0.Add(time.Hour))
	if strings.Contains(out, "S3CRET") {
		t.Errorf("feeds status says a secret:\n%s", out)
	}
	lines := strings.Split(out, "\n")
	if len(lines) < 3 || lines[1] == lines[2] {
		t.Fatalf("want two lines for the accounts:\n%s", out)
	}
	feedCol := func(line string) string { // from the URL to the next column
		line = line[strings.Index(line, "https://"):]
		return line[:strings.Index(line, "  ")]
	}
	if feedCol(lines[1]) == feedCol(lines[2]) {
		t.Errorf("the two accounts' lines do not tell them apart:\n%s", out)
	}
}

// An account shown alone — its feed's other account filtered out by --health or --tag — is
// still told apart: the label says which account of the feed the line is, whether or not the
// other is on screen (the last read of round 36 found the label only when both were shown).
func TestAnAccountShownAloneByTheFilterKeepsItsLabel(t *testing.T) {
	a, b := "https://paid.example/rss?token=ACCOUNT-A-S3CRET", "https://paid.example/rss?token=ACCOUNT-B-S3CRET"
	said := record.RedactURL(a)
	tab := Table{StatusInterval: time.Hour, filter: Filter{Health: []record.Health{record.HealthFailing}}}
	latest := map[string]record.FeedStatus{}
	readKeyed(t, &tab, latest,
		keyed{record.FeedKey(a), status(said, "", record.HealthFailing, 0)},
		keyed{record.FeedKey(b), status(said, "", record.HealthOK, time.Minute)})
	tab.latest = latest
	tab.CompareWith(nil)
	if len(tab.Feeds) != 1 {
		t.Fatalf("%d feeds shown, want the failing account alone: %+v", len(tab.Feeds), tab.Feeds)
	}
	out := printed(t, tab, t0.Add(time.Hour))
	if !strings.Contains(out, "(account ") || !strings.Contains(out, `"account":`) {
		t.Errorf("the account shown alone has no label in the table or --json:\n%s", out)
	}
	if strings.Contains(out, "S3CRET") {
		t.Errorf("feeds status says a secret:\n%s", out)
	}
}
