package feedstatus

import (
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// A feed URL may hold a space (feed.CheckHTTPURL takes one in the path or the query), so a
// space alone does not tell a FeedKey's hash from an earlier release's key: a record a release
// before round 33 keyed by the URL as written, "…/my feed?q=a &key=S3CRET…", was taken for an
// account whose hash is what follows its last space. It was shown as a second line of its feed,
// "removed" though the list holds the feed, and told apart by "(account &key=S3C)": the start
// of the secret. It is the earlier release's record of the one feed, folded with today's.
func TestAnEarlierKeyWithASpaceIsNoAccount(t *testing.T) {
	configured := "https://paid.example/my feed?q=a &key=S3CRETXYZ"
	said := record.RedactURL(configured)
	tab := listedTable(t, []string{configured},
		keyed{configured, status(configured, "", record.HealthFailing, 0)},                // before round 33: the URL as written
		keyed{record.FeedKey(configured), status(said, "", record.HealthOK, time.Minute)}, // today's
	)
	out := printed(t, tab, t0.Add(time.Hour))
	if strings.Contains(out, "S3C") {
		t.Errorf("feeds status says the start of the secret:\n%s", out)
	}
	if len(tab.Feeds) != 1 || tab.Feeds[0].Health != record.HealthOK || tab.IsRemoved(tab.Feeds[0]) {
		t.Errorf("want the one feed, listed, at its latest record; got:\n%s", out)
	}
}
