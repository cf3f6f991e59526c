package daemon

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	"github.com/wirestream/wirestream/internal/testkit/websubtest"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/sources/feed"
	"github.com/wirestream/wirestream/sources/websub"
)

// hubbedFeed is a feed server whose RSS announces a WebSub hub; the test
// changes what it serves, as a publisher does before pinging its hub.
type hubbedFeed struct {
	srv   *httptest.Server
	hub   string
	mu    sync.Mutex
	items []string
	polls int
}

func (f *hubbedFeed) url() string { return f.srv.URL + "/rss" }

func (f *hubbedFeed) rss() []byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0"?><rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>Hubbed Wire</title>
<link>https://wire.example/</link><atom:link rel="hub" href="%s"/><atom:link rel="self" href="%s"/>`, f.hub, f.url())
	for _, it := range f.items {
		fmt.Fprintf(&b, `<item><title>%s</title><link>https://wire.example/%s</link><guid>%s</guid>
<description>%s was announced on Tuesday, officials said, after a week of talks between the parties involved.</description></item>`,
			it, strings.ReplaceAll(it, " ", "-"), strings.ReplaceAll(it, " ", "-"), it)
	}
	b.WriteString(`</channel></rss>`)
	return []byte(b.String())
}

func (f *hubbedFeed) set(items ...string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.items = items
}

// Issue 16, "Done when": a feed with a hub is subscribed, and an item the
// hub pushes reaches the stories topic of the real broker long before the
// next poll (polling is an hour apart here, so only the push can bring
// it); a forged delivery is refused and counted. The push → topic latency
// is logged: it is a figure, not an assertion (timings vary with the load
// of the machine).
func TestAPushedItemReachesTheStoriesTopic(t *testing.T) {
	brokers := kafkatest.Brokers(t)
	hub := websubtest.Start()
	defer hub.Close()
	f := &hubbedFeed{hub: hub.URL()}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.polls++
		f.mu.Unlock()
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(f.rss())
	}))
	defer f.srv.Close()
	f.set("Harbour strike halts freight")

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.ShutdownTimeout = 10 * time.Second
	cfg.Poller.AllowNetworks = []string{"127.0.0.0/8"} // the feed and the hub live on loopback here
	cfg.Poller.StartSpread = 0
	cfg.Kafka.Brokers = brokers
	cfg.Kafka.TopicPrefix = kafkatest.TopicPrefix(t, brokers, func(prefix string) []string {
		c := cfg.Kafka
		c.TopicPrefix = prefix
		return c.TopicNames()
	})
	cfg.WebSub.Enabled = true
	cfg.WebSub.PublicURL = "http://" + ln.Addr().String() + "/websub"
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	m := NewMetrics(prometheus.NewRegistry(), "test")
	log := slog.New(slog.DiscardHandler)
	hourly := feed.Spec{URL: f.url(), MinInterval: time.Hour, MaxInterval: time.Hour}
	d, err := New(t.Context(), cfg, Options{Feeds: []feed.Spec{hourly}, Metrics: m, Log: log, WebSubListener: ln})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	}()

	topic := cfg.Kafka.TopicName(record.TypeStory)
	sub := receiveWithin(t, hub.Verified(), "the hub's verification of the subscription")
	if sub.Topic != f.url() {
		t.Errorf("subscribed to %q, want the feed's self URL %q", sub.Topic, f.url())
	}
	kafkatest.ReadAll(t, brokers, topic, 1, 30*time.Second) // the first poll's story

	// A forger who knows the callback (but not the secret) is refused and
	// counted, and its item never reaches Kafka.
	f.set("Forged story about nothing", "Harbour strike halts freight")
	forged := f.rss()
	if dl := hub.Deliver(t.Context(), sub.Callback, "application/rss+xml", forged, websubtest.Sign("sha256", "guessed", forged)); dl.Err != nil {
		t.Fatal(dl.Err)
	}
	if n := testutil.ToFloat64(m.WebSub.Deliveries.WithLabelValues(websub.DeliveryBadSignature)); n != 1 {
		t.Errorf("wirestream_websub_deliveries_total{result=bad_signature} = %v, want 1", n)
	}

	f.set("Ferry services cancelled", "Harbour strike halts freight")
	pushedAt := time.Now()
	for _, dl := range hub.Publish(t.Context(), f.url(), "application/rss+xml", f.rss()) {
		if dl.Err != nil || dl.Status/100 != 2 {
			t.Fatalf("delivery: %+v", dl)
		}
	}
	msgs := kafkatest.ReadAll(t, brokers, topic, 2, 30*time.Second)
	seen := time.Since(pushedAt)
	var titles []string
	var produced time.Time
	for _, msg := range msgs {
		var s record.Story
		if err := json.Unmarshal(msg.Value, &s); err != nil {
			t.Fatal(err)
		}
		titles = append(titles, s.Title)
		if s.Title == "Ferry services cancelled" {
			produced = msg.Time
		}
	}
	if len(msgs) != 2 || produced.IsZero() || strings.Contains(strings.Join(titles, "|"), "Forged") {
		t.Fatalf("stories %q: want the polled one and the pushed one, never the forged one", titles)
	}
	t.Logf("push → stories topic: written %v after the hub's delivery, read back by the test after %v",
		produced.Sub(pushedAt).Round(time.Millisecond), seen.Round(time.Millisecond))
	f.mu.Lock()
	polls := f.polls
	f.mu.Unlock()
	if polls != 1 {
		t.Errorf("the feed was polled %d times: the pushed story must not have come from a poll", polls)
	}
	if n := testutil.ToFloat64(m.Poller.Pushes.WithLabelValues(feed.PushNew)); n != 1 {
		t.Errorf("wirestream_feed_pushes_total{outcome=new} = %v, want 1", n)
	}
}

func receiveWithin[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(30 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
	}
	var zero T
	return zero
}
