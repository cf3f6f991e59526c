package feed

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// keyedMemStore is a memStore that keys states by record.FeedKey with a memo of its own, as
// feedtopics.Store does (it never computes a key here: the test asks who did).
type keyedMemStore struct {
	*memStore
	keys record.FeedKeys
}

func (s *keyedMemStore) FeedKeys() *record.FeedKeys { return &s.keys }

// A fetcher's poller keyed feed_status records by record.FeedKey through a memo of its own,
// and its feed_state store keyed the feed's poll state by the same key through another: a
// URL with a secret was hashed (PBKDF2, ≈ 1.7 ms of CPU on purpose) twice, and each poll
// looked it up in two memos. A store that keeps FeedKeys lends its memo to the poller: the
// feed's key is in that one memo once the feed is polled.
func TestThePollerKeysFeedsThroughTheStoresMemo(t *testing.T) {
	srv := newServerOn(t, "127.0.0.8", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write([]byte(`<rss version="2.0"><channel><title>t</title><item><guid>1</guid><title>a</title><link>http://x.example/1</link></item></channel></rss>`))
	}))
	url := "http://" + strings.TrimPrefix(srv.URL, "http://") + "/paid?token=S3CRET"
	cfg := DefaultConfig()
	cfg.AllowNetworks = []string{"127.0.0.8"}
	cfg.StartSpread = 0
	store := &keyedMemStore{memStore: newMemStore()}
	p, err := NewPoller(cfg, []Spec{{URL: url}}, store, nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	stop := runAcking(t, p)
	deadline := time.Now().Add(30 * time.Second) // a guard against hanging, not a timing assertion
	h := p.Health()
	for ; len(h) != 1 || h[0].Health == ""; h = p.Health() {
		if time.Now().After(deadline) {
			t.Fatalf("Health() after 30 s: %+v, want the feed polled", h)
		}
		time.Sleep(20 * time.Millisecond)
	}
	stop()
	if got := h[0].RecordKey(); got != record.FeedKey(url) {
		t.Errorf("feed_status key %q, want FeedKey %q", got, record.FeedKey(url))
	}
	if n := store.keys.Len(); n != 1 {
		t.Errorf("the store's memo holds %d keys after the poll; want the feed's, computed by the poller there", n)
	}
}
