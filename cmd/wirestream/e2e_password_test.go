package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
)

// A feed whose URL holds a password (https://user:secret@host/feed), polled by a fetcher
// and decided by a processor on a real broker: no record of any topic the roles write —
// stories, feed_status, the items between them, the processors' changelog — says the
// password, in its key, value or headers, nor do the fetcher's /status and /metrics or the
// roles' logs; the feed is named user:xxxxx@. Only the feed list (the feeds topic), which the feed is fetched from, keeps
// the URL as written (README); the fetchers' poll state (feed_state) is keyed by the URL
// redacted and a hash. The feed server refuses a request without the credentials: the
// feed is still fetched with them.
// Skipped loudly without a broker; every wait bounded.
func TestE2ENoTopicButTheFeedListCarriesAFeedURLsPassword(t *testing.T) {
	e2eSecretInAFeedURL(t, "user", "s3cret", "user:s3cret@", "user:xxxxx@")
}

// The same of a token given as the URL's user name (https://TOKEN@host/feed: GitHub, GitLab
// and many APIs take one so), which round 32 left in feed_state's keys, records, logs and
// /status: named xxxxx@. Neither the fetcher's nor the processor's log lines say it.
func TestE2ENoTopicButTheFeedListCarriesAFeedURLsToken(t *testing.T) {
	e2eSecretInAFeedURL(t, "ghpE2ETOKEN77", "", "ghpE2ETOKEN77@", "xxxxx@")
}

// The same of a token given as the user name with an empty password (https://TOKEN:@host/feed:
// GitHub's and Stripe's basic auth take one so), which round 33 said as TOKEN:xxxxx@ in
// records, feed_status, logs and feed_state's keys: named xxxxx@ since round 34.
func TestE2ENoTopicButTheFeedListCarriesATokenWithAnEmptyPassword(t *testing.T) {
	e2eSecretInAFeedURL(t, "sk_E2EEMPTY88", "", "sk_E2EEMPTY88:@", "xxxxx@")
}

// e2eSecretInAFeedURL runs the test above with a feed URL whose userinfo is userinfo
// (user and password as the feed server wants them), named as namedAs in everything the
// roles write; the secret is password, or the user name when there is none.
func e2eSecretInAFeedURL(t *testing.T, user, password, userinfo, namedAs string) {
	brokers := kafkatest.Brokers(t)
	secret := password
	if secret == "" {
		secret = user
	}
	const rss = `<?xml version="1.0"?><rss version="2.0"><channel><title>Members</title><link>/</link>
<item><title>Harbour council approves new ferry terminal</title><link>/story/1</link><description>The harbour council voted on Tuesday to approve a new ferry terminal.</description></item>
<item><title>Storm closes the coastal road for two days</title><link>/story/2</link><description>Heavy rain and wind closed the coastal road, the transport office said.</description></item>
</channel></rss>`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != user || p != password {
			http.Error(w, "who are you", http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write([]byte(rss))
	}))
	defer srv.Close()
	feedURL := strings.Replace(srv.URL, "http://", "http://"+userinfo, 1) + "/members.xml"

	prefix := uniquePrefix(t)
	tr := &kafka.Transport{} // its own: closed at the end, so no connection outlives the test
	t.Cleanup(tr.CloseIdleConnections)
	client := &kafka.Client{Addr: kafka.TCP(brokers...), Timeout: 10 * time.Second, Transport: tr}
	topics := func() []string {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		md, err := client.Metadata(ctx, &kafka.MetadataRequest{})
		if err != nil {
			t.Logf("list topics: %v", err)
			return nil
		}
		var out []string
		for _, tp := range md.Topics {
			if strings.HasPrefix(tp.Name, prefix) {
				out = append(out, tp.Name)
			}
		}
		return out
	}
	kafkatest.TopicPrefix(t, brokers, func(string) []string { return topics() })
	dir := t.TempDir()
	config := func(instance string) string {
		var b strings.Builder
		q := strconv.Quote
		fmt.Fprintf(&b, "instance: %s\ndata_dir: %s\nlisten: 127.0.0.1:0\nshutdown_timeout: 20s\n", q(instance), q(filepath.Join(dir, instance, "data")))
		b.WriteString("log:\n  format: json\n  level: info\n")
		fmt.Fprintf(&b, "kafka:\n  brokers: [%s]\n  topic_prefix: %s\n", strings.Join(yamlQuoteAll(brokers), ", "), q(prefix))
		b.WriteString("poller:\n  allow_networks: [\"127.0.0.0/8\"]\n  min_interval: 1s\n  start_spread: 1s\n  backoff_initial: 1s\n  backoff_max: 2s\n")
		b.WriteString("pipeline:\n  max_in_flight_batches: 4\n  maintenance_interval: 2s\n")
		b.WriteString("cluster:\n  feed_partitions: 2\n  replication_factor: 1\n  min_insync_replicas: 1\n")
		fmt.Fprintf(&b, "feeds:\n  - {url: %s, min_interval: 1s, max_interval: 2s}\n", q(feedURL))
		path := filepath.Join(dir, instance+".yaml")
		if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	if out := cli(t, "feeds", "push", "--config", config("admin")); !strings.Contains(out, "1 added") || strings.Contains(out, secret) {
		t.Fatalf("feeds push: %s", out)
	}
	fetcher := startDaemon(t, config("fetch-1"), "--role", "fetch", "--instance", "fetch-1")
	processor := startDaemon(t, config("process-1"), "--role", "process", "--instance", "process-1")

	stories := kafkatest.ReadAll(t, brokers, prefix+"stories", 2, 3*time.Minute)
	kafkatest.ReadAll(t, brokers, prefix+"feed_state", 1, time.Minute) // saved once the poll's batch was acked
	named := strings.Replace(feedURL, userinfo, namedAs, 1)
	if !strings.Contains(string(stories[0].Value), `"url":"`+named+`"`) {
		t.Errorf("a story's feed: %s\nwant its url %s", stories[0].Value, named)
	}
	for _, tp := range topics() {
		msgs := kafkatest.ReadAll(t, brokers, tp, 0, time.Minute)
		for _, m := range msgs {
			said := string(m.Key) + "\n" + string(m.Value)
			for _, h := range m.Headers {
				said += "\n" + h.Key + ": " + string(h.Value)
			}
			holds := strings.Contains(said, secret)
			switch tp {
			case prefix + "feeds":
				if !holds {
					t.Errorf("the feed list does not hold the URL as written: %s", said)
				}
			case prefix + "feed_state":
				// The value is the poll state (validators, seen items, where the feed
				// moved); the key names the feed redacted, with a hash of its URL.
				if strings.Contains(string(m.Key), secret) || strings.Contains(string(m.Value), secret) || !strings.HasPrefix(string(m.Key), named+" ") {
					t.Errorf("a feed_state record says the secret, or its key not the feed as %s: %q", named, m.Key)
				}
			default:
				if holds {
					t.Errorf("a record of %s says the secret:\n%s", tp, said)
				}
			}
		}
		t.Logf("%s: %d records", tp, len(msgs))
	}
	code, status, err := fetcher.get("/status")
	if err != nil || code != http.StatusOK {
		t.Fatalf("/status: %d, %v", code, err)
	}
	if strings.Contains(status, secret) || !strings.Contains(status, named) {
		t.Errorf("/status says the secret, or not the feed as %s:\n%s", named, status)
	}
	if code, metrics, err := fetcher.get("/metrics"); err != nil || code != http.StatusOK || strings.Contains(metrics, secret) {
		t.Errorf("/metrics (%d, %v) says the secret, or did not answer", code, err)
	}
	for role, d := range map[string]*e2eDaemon{"fetcher": fetcher, "processor": processor} {
		if log := d.log.String(); strings.Contains(log, secret) || !strings.Contains(log, `"msg"`) {
			t.Errorf("the %s's log says the secret, or is not there:\n%s", role, log)
		}
	}
}
