package feed

import (
	"net/http"
	"strings"
	"testing"

	"github.com/wirestream/wirestream/pipeline/record"
)

// Two feeds whose URLs differ only in their secret — two accounts of one paid feed, ?token=A
// and ?token=B, or one user name with two passwords — were named alike (record.RedactURL:
// ?token=xxxxx), and feed_status is keyed by that name: each feed's record overwrote the
// other's in the compacted topic, which kept one account's health for both. Their records now
// have keys of their own (the name and the feed_state hash, record.FeedKey), which say no
// secret; a feed without one keeps its URL as its key.
func TestFeedsThatDifferOnlyInTheirSecretHaveFeedStatusKeysOfTheirOwn(t *testing.T) {
	srv := newServerOn(t, "127.0.0.8", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write([]byte(`<rss version="2.0"><channel><title>t</title><item><guid>1</guid><title>a</title><link>http://x.example/1</link></item></channel></rss>`))
	}))
	host := strings.TrimPrefix(srv.URL, "http://")
	const secretA, secretB = "ACCOUNT-A-SECRET", "ACCOUNT-B-SECRET"
	pairs := [][2]string{
		{"http://" + host + "/paid?token=" + secretA, "http://" + host + "/paid?token=" + secretB},
		{"http://reader:" + secretA + "@" + host + "/members", "http://reader:" + secretB + "@" + host + "/members"},
		{"http://" + secretA + ":@" + host + "/api", "http://" + secretB + ":@" + host + "/api"},
	}
	open := "http://" + host + "/open"
	specs := []Spec{{URL: open}}
	for _, p := range pairs {
		specs = append(specs, Spec{URL: p[0]}, Spec{URL: p[1]})
	}
	cfg := DefaultConfig()
	cfg.AllowNetworks = []string{"127.0.0.8"}
	cfg.StartSpread = 0
	got, _ := pollEach(t, cfg, specs, nil)
	keys := map[string][]string{} // key → the feeds' names
	for _, s := range got {
		k := s.RecordKey()
		if strings.Contains(k, secretA) || strings.Contains(k, secretB) {
			t.Errorf("feed_status key %q says a secret", k)
		}
		keys[k] = append(keys[k], s.FeedURL)
	}
	if len(keys) != len(specs) {
		t.Errorf("%d feed_status keys for %d feeds: %q", len(keys), len(specs), keys)
	}
	if _, ok := keys[open]; !ok {
		t.Errorf("a feed without a secret is not keyed by its URL %s: %q", open, keys)
	}
	for _, p := range pairs {
		if k := record.FeedKey(p[0]); !strings.HasPrefix(k, record.RedactURL(p[0])+" ") {
			t.Errorf("FeedKey(%s) = %q, want the name, a space and a hash", record.RedactURL(p[0]), k)
		}
	}
}
