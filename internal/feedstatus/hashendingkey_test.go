package feedstatus

import (
	"strings"
	"testing"

	"github.com/wirestream/wirestream/pipeline/record"
)

// A URL without a secret that ends in a space and 32 hex digits has a FeedKey with a space
// after it, so that it cannot read as an account's key (round 37). Its record is filed under
// its URL; a tombstone under its key must remove it, as any feed's tombstone does. The last
// read of round 37 found the tombstone filed under the key as said — with the space — and the
// feed stayed on the table.
func TestATombstoneOfAHashEndingURLsKeyRemovesItsFeed(t *testing.T) {
	u := "https://example.org/rss " + strings.Repeat("ab", 16)
	key := record.FeedKey(u)
	if key == u {
		t.Fatalf("FeedKey(%q) is the URL itself; this test needs the key with its space", u)
	}
	tab := Table{}
	latest := map[string]record.FeedStatus{}
	readKeyed(t, &tab, latest, keyed{key, status(u, "", record.HealthOK, 0)})
	if len(latest) != 1 {
		t.Fatalf("%d feeds after its record, want 1: %+v", len(latest), latest)
	}
	readOn(t, &tab, latest, 0, key, nil)
	if len(latest) != 0 {
		t.Errorf("the feed stays after the tombstone of its key %q: %+v", key, latest)
	}
}
