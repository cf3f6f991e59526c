package feed

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// A CMS that gives every item one GUID, on a real server, polled again
// and again with a body that changes on every request (a lastBuildDate):
// items told apart by link are each delivered once, items that share the
// link as well are one item and one dead letter per repeat, reported
// once; no later poll delivers any of them again, and a story added
// from the sixth request on is delivered, once.
func TestAFeedWhoseItemsShareOneGUIDDeliversEachStoryOnce(t *testing.T) {
	const ip = "127.0.0.18"
	var requests atomic.Int32
	srv := newServerOn(t, ip, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := requests.Add(1)
		var b strings.Builder
		fmt.Fprintf(&b, `<?xml version="1.0"?><rss version="2.0"><channel><title>One GUID</title><lastBuildDate>%s</lastBuildDate>`,
			time.Unix(int64(n), 0).UTC().Format(time.RFC1123Z))
		if n > 5 {
			b.WriteString(`<item><title>Late story</title><link>https://cms.example/late</link><guid>https://cms.example/</guid></item>`)
		}
		for i := range 20 {
			fmt.Fprintf(&b, `<item><title>Story %d</title><link>https://cms.example/%d</link><guid>https://cms.example/</guid></item>`, i, i)
		}
		for i := range 5 { // GUID and link shared: only the text differs
			fmt.Fprintf(&b, `<item><title>Notice %d</title><link>https://cms.example/notices</link><guid>https://cms.example/</guid></item>`, i)
		}
		b.WriteString(`</channel></rss>`)
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write([]byte(b.String()))
	}))
	cfg := DefaultConfig()
	cfg.AllowNetworks = []string{ip}
	cfg.StartSpread = 0
	cfg.MinInterval, cfg.DefaultInterval, cfg.MaxInterval = 20*time.Millisecond, 50*time.Millisecond, 100*time.Millisecond
	p, err := NewPoller(cfg, []Spec{{URL: srv.URL + "/rss"}}, newMemStore(), nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	out := make(chan record.Batch)
	var wg sync.WaitGroup
	defer func() { cancel(); wg.Wait() }()
	wg.Go(func() { _ = p.Run(ctx, out) })
	delivered := map[string]int{}
	dead := 0
	guard := time.After(30 * time.Second) // a guard against hanging, not a timing assertion
	for requests.Load() < 10 || delivered["Late story"] == 0 {
		select {
		case b := <-out:
			for _, it := range b.Items {
				delivered[it.Title]++
			}
			dead += len(b.DeadLetters)
			b.Ack(ctx, nil)
		case <-time.After(10 * time.Millisecond): // a poll with nothing new sends no batch
		case <-guard:
			t.Fatalf("%d requests, delivered %v in 30 s", requests.Load(), delivered)
		}
	}
	for i := range 20 {
		if n := delivered[fmt.Sprintf("Story %d", i)]; n != 1 {
			t.Errorf("Story %d delivered %d times over %d polls, want once", i, n, requests.Load())
		}
	}
	if delivered["Notice 0"] != 1 || delivered["Late story"] != 1 || len(delivered) != 22 {
		t.Errorf("delivered %v, want each of the 20 stories, the first notice and the late story once", delivered)
	}
	if dead != 4 {
		t.Errorf("%d dead letters over %d polls, want the 4 repeated notices once each", dead, requests.Load())
	}
}
