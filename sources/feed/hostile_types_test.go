package feed

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// pollItems polls every spec once through a real poller and returns the
// items of each feed's first batch, by feed URL.
func pollItems(t *testing.T, cfg Config, specs []Spec) map[string][]record.Item {
	t.Helper()
	p, err := NewPoller(cfg, specs, newMemStore(), nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return pollItemsWith(t, p, len(specs))
}

// pollItemsWith runs p until n of its feeds delivered a batch, and returns
// the items of each feed's first batch; p's health is the feeds' own once
// it returns.
func pollItemsWith(t *testing.T, p *Poller, n int) map[string][]record.Item {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	out := make(chan record.Batch)
	var wg sync.WaitGroup
	defer func() { cancel(); wg.Wait() }()
	wg.Go(func() { _ = p.Run(ctx, out) })
	got := map[string][]record.Item{}
	guard := time.After(30 * time.Second) // a guard against hanging, not a timing assertion
	for len(got) < n {
		select {
		case b := <-out:
			if _, ok := got[b.Feed.URL]; !ok {
				got[b.Feed.URL] = b.Items
			}
			b.Ack(ctx, nil)
		case <-guard:
			t.Fatalf("%d of %d feeds delivered a batch in 30 s: %+v", len(got), n, p.Health())
		}
	}
	return got
}

// A publisher's Content-Type may name the wrong type, the wrong charset,
// or nothing readable: the format is decided by the body, and the
// charset by the body's own declaration and bytes, so each of these feeds
// is read as the same bytes served right are, on a real server.
func TestAWrongContentTypeOrCharsetHeaderStillReadsTheFeed(t *testing.T) {
	const ip = "127.0.0.18"
	cases := []struct {
		path, file, contentType string
		wantTitle               string // the first item's; "" = as Parse reads the body with no Content-Type
	}{
		{"/rss-as-html", "bbc-world.xml", "text/html; charset=utf-8", ""},
		{"/atom-as-octets", "ap-topnews.atom", "application/octet-stream", ""},
		{"/json-feed-as-text", "npr.json", "text/plain", ""},
		{"/json-feed-as-xml", "npr.json", "application/rss+xml", ""},
		{"/ninjs-as-html", "wire-ninjs.json", "text/html", ""},
		{"/rss-unterminated-charset", "bbc-world.xml", `application/rss+xml; charset="utf-8`, ""},
		{"/rss-unknown-charset", "bbc-world.xml", "application/rss+xml; charset=x-no-such-charset", ""},
		{"/rss-no-media-type", "bbc-world.xml", ";;; =", ""},
		{"/cp1251-said-utf8", "lenta-cp1251.xml", "text/xml; charset=utf-8", "Центробанк сохранил ключевую ставку"},
		{"/latin1-said-utf8", "lemonde-latin1-declared-utf8.xml", "application/rss+xml; charset=utf-8", "Élection européenne : les têtes de liste débattent à Strasbourg"},
		{"/utf8-said-latin1", "lemonde-utf8-declared-latin1.xml", "text/xml; charset=iso-8859-1", "Élection européenne : les têtes de liste débattent à Strasbourg"},
	}
	mux := http.NewServeMux()
	for _, c := range cases {
		body := readFixture(t, c.file)
		mux.HandleFunc(c.path, func(w http.ResponseWriter, r *http.Request) {
			w.Header()["Content-Type"] = []string{c.contentType}
			w.Write(body)
		})
	}
	srv := newServerOn(t, ip, mux)
	cfg := DefaultConfig()
	cfg.AllowNetworks = []string{ip}
	cfg.StartSpread = 0
	var specs []Spec
	for _, c := range cases {
		specs = append(specs, Spec{URL: srv.URL + c.path})
	}
	got := pollItems(t, cfg, specs)
	for _, c := range cases {
		items := got[srv.URL+c.path]
		want := c.wantTitle
		wantN := -1
		if want == "" {
			doc, err := Parse(readFixture(t, c.file), "", srv.URL+c.path, fetchedAt)
			if err != nil || len(doc.Items) == 0 {
				t.Fatalf("%s: the fixture does not parse: %v", c.file, err)
			}
			want, wantN = doc.Items[0].Title, len(doc.Items)
		}
		if len(items) == 0 || items[0].Title != want || (wantN >= 0 && len(items) != wantN) {
			var first string
			if len(items) > 0 {
				first = items[0].Title
			}
			t.Errorf("%s (%s served as %q): %d items, the first %q; want %d, the first %q", c.path, c.file, c.contentType, len(items), first, wantN, want)
		}
	}
}
