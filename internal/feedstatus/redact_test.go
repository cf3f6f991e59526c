package feedstatus

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// A feed whose URL holds a password is named with it as xxxxx in its
// feed_status records (round 31), while the feed list holds the URL as
// configured: `feeds status` compared the two as text and showed the
// polled feed "removed". A record of an earlier release, which named the
// feed with its password, is shown without it and folded with today's.
func TestAFeedWithAPasswordInItsURLIsListedAndNeverShownWithIt(t *testing.T) {
	configured := "https://user:s3cret@members.example/rss"
	named := "https://user:xxxxx@members.example/rss"
	old := status(configured, "", record.HealthFailing, 0)
	old.MovedTo = "https://user:s3cret@members.example/new"
	now := status(named, "", record.HealthOK, time.Minute)
	tab := listedTable(t, []string{configured}, keyed{old.FeedURL, old}, keyed{now.FeedURL, now})
	if len(tab.Feeds) != 1 || tab.Feeds[0].FeedURL != named || tab.Feeds[0].Health != record.HealthOK {
		t.Fatalf("feeds %+v: want the one feed, as %s, at its latest record", tab.Feeds, named)
	}
	if tab.IsRemoved(tab.Feeds[0]) {
		t.Errorf("the feed is shown removed, though the list holds it")
	}
	var out bytes.Buffer
	if err := WriteJSON(&out, tab); err != nil {
		t.Fatal(err)
	}
	latest := map[string]record.FeedStatus{}
	readKeyed(t, &tab, latest, keyed{configured, old})
	for _, s := range latest {
		j, _ := json.Marshal(s)
		out.Write(j)
	}
	if strings.Contains(out.String(), "s3cret") {
		t.Errorf("feeds status says the password:\n%s", out.String())
	}
}

// The README's way to drop the record an earlier release left under the
// password's key is a tombstone for that key. It removes that record, not
// the feed: the tombstone, read after the feed's records of today (under
// the xxxxx key), took those out of feeds status too, until the feed's
// health next changed.
func TestATombstoneForAnOldPasswordKeyLeavesTheFeedsRecordOfToday(t *testing.T) {
	configured := "https://user:s3cret@members.example/rss"
	named := "https://user:xxxxx@members.example/rss"
	var tab Table
	latest := map[string]record.FeedStatus{}
	readKeyed(t, &tab, latest,
		keyed{configured, status(configured, "", record.HealthFailing, 0)}, keyed{named, status(named, "", record.HealthOK, time.Minute)})
	tab.read(latest, 0, []byte(configured), nil)
	if s, ok := latest[named]; !ok || s.Health != record.HealthOK {
		t.Errorf("after the old key's tombstone the feed is %+v (%v); want its record of today", s, ok)
	}
	tab.read(latest, 0, []byte(named), nil)
	if len(latest) != 0 {
		t.Errorf("a tombstone for the feed's key of today left %+v", latest)
	}
}
