package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wirestream/wirestream/internal/newstext"
)

// fixtures serves N generated RSS feeds. Time is cut into rounds; in each
// round a deterministic share of the feeds publishes new items. A feed's
// document changes only when it publishes, so its ETag does too, and a
// conditional GET for an unchanged feed gets a 304 without a body — what
// well-run news sites do, and what makes polling cheap.
type fixtures struct {
	g        gen
	feeds    int
	items    int     // items per document
	perRound int     // new items per change
	share    float64 // share of feeds that change each round
	fast     float64 // share of feeds that change every round (fastFeed)
	round    time.Duration
	gzip     bool
	start    time.Time
	bases    []string // one per loopback host; feed f lives on bases[f%len]

	mu    sync.Mutex
	state []*feedDoc

	// What the poller was shown, counted as documents are served whole
	// (a 200): items served for the first time, and items that rolled
	// off a feed's document between two of its fetches unseen — the
	// poller came too late for them (fixtureCounts).
	firstServed atomic.Int64
	missed      atomic.Int64
	missedFast  atomic.Int64 // of missed, those of -fast-share feeds
}

// feedDoc is one feed's current document, rendered once per version.
type feedDoc struct {
	mu      sync.Mutex
	round   int // last round applied
	version int
	dates   []time.Time // publish time by seq-1, newest items only matter
	first   int         // seq of the oldest item in the document
	served  int         // highest seq a 200 has shown; the round-0 page counts as shown
	etag    string
	lastMod string
	body    []byte
	gz      []byte
}

type fixtureOptions struct {
	Seed      uint64
	Feeds     int
	Items     int
	PerChange int
	Share     float64
	FastShare float64 // feeds that publish every round, whatever Share says
	Round     time.Duration
	BodyWords int
	CopyShare float64
	Gzip      bool
	Text      string // textNews or textTemplate
}

func newFixtures(o fixtureOptions, bases []string, start time.Time) *fixtures {
	if o.Text != textTemplate {
		newstext.Default() // built now (≈ 0.15 s of CPU), not while the first polls wait
	}
	f := &fixtures{
		g:     gen{seed: o.Seed, feeds: o.Feeds, bodyWords: o.BodyWords, copyShare: o.CopyShare, text: o.Text},
		feeds: o.Feeds, items: o.Items, perRound: o.PerChange, share: o.Share, fast: o.FastShare, round: o.Round,
		gzip: o.Gzip, start: start, bases: bases, state: make([]*feedDoc, o.Feeds),
	}
	return f
}

// changes says whether feed f publishes in round r (r ≥ 1).
func (x *fixtures) changes(f, r int) bool {
	return x.fastFeed(f) || unit(mix(x.g.seed^0x5eed, uint64(f), uint64(r))) < x.share
}

// fastFeed says whether feed f is one of the -fast-share that publish
// every round: wire desks beside blogs, so that the feeds differ in how
// much a late poll loses (a uniform share makes every feed alike).
func (x *fixtures) fastFeed(f int) bool {
	return x.fast > 0 && unit(mix(x.g.seed^0xfa57, uint64(f), 0)) < x.fast
}

func (x *fixtures) base(f int) string { return x.bases[f%len(x.bases)] }

// URL is feed f's address.
func (x *fixtures) URL(f int) string { return fmt.Sprintf("%s/feeds/%d.xml", x.base(f), f) }

func (x *fixtures) roundAt(t time.Time) int { return int(t.Sub(x.start) / x.round) }

// doc brings feed f up to round r and returns it locked.
func (x *fixtures) doc(f, r int) *feedDoc {
	x.mu.Lock()
	d := x.state[f]
	if d == nil {
		d = &feedDoc{round: -1}
		x.state[f] = d
	}
	x.mu.Unlock()
	d.mu.Lock()
	if d.round < 0 {
		// Round 0: the feed already carries a full page of items
		// published over the past hours.
		d.round, d.version, d.served = 0, 1, x.items
		for i := range x.items {
			d.dates = append(d.dates, x.start.Add(-time.Duration(x.items-i)*17*time.Minute))
		}
		x.render(f, d)
	}
	changed := false
	for d.round < r {
		d.round++
		if x.changes(f, d.round) {
			d.version++
			at := x.start.Add(time.Duration(d.round) * x.round)
			for range x.perRound {
				d.dates = append(d.dates, at)
			}
			changed = true
		}
	}
	if changed {
		x.render(f, d)
	}
	return d
}

// render writes the RSS document for d's current version: the newest
// x.items items, newest first.
func (x *fixtures) render(f int, d *feedDoc) {
	n := len(d.dates)
	if n > x.items {
		d.dates = append(d.dates[:0:0], d.dates[n-x.items:]...)
	}
	// seqs are 1-based and never reused: seq of dates[i] is total-len+i+1.
	total := x.items + (d.version-1)*x.perRound
	first := total - len(d.dates) + 1
	d.first = first
	var b bytes.Buffer
	b.Grow(len(d.dates) * (x.g.bodyWords*8 + 600))
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>Loadtest Outlet %d</title>
<link>%s/</link>
<description>Generated news for the wirestream load harness</description>
<language>en</language>
`, f, x.base(f))
	for i := len(d.dates) - 1; i >= 0; i-- {
		seq := first + i
		it := x.g.item(x.base(f), f, seq)
		fmt.Fprintf(&b, "<item>\n<title>%s</title>\n<link>%s</link>\n<guid isPermaLink=\"false\">%s</guid>\n<pubDate>%s</pubDate>\n<dc:creator>Desk %d</dc:creator>\n<category>%s</category>\n<description>%s</description>\n",
			html.EscapeString(it.Title), html.EscapeString(it.Link), it.GUID,
			d.dates[i].UTC().Format(time.RFC1123Z), f%7, []string{"World", "Politics", "Business", "Science"}[seq%4],
			html.EscapeString(it.Summary))
		if len(it.Paras) > 0 {
			b.WriteString("<content:encoded><![CDATA[")
			for _, p := range it.Paras {
				b.WriteString("<p>")
				b.WriteString(html.EscapeString(p))
				b.WriteString("</p>")
			}
			b.WriteString("]]></content:encoded>\n")
		}
		b.WriteString("</item>\n")
	}
	b.WriteString("</channel>\n</rss>\n")
	d.body = b.Bytes()
	d.etag = `"f` + strconv.Itoa(f) + "v" + strconv.Itoa(d.version) + `"`
	d.lastMod = d.dates[len(d.dates)-1].UTC().Format(http.TimeFormat)
	d.gz = nil
	if x.gzip {
		var z bytes.Buffer
		w, _ := gzip.NewWriterLevel(&z, gzip.BestSpeed)
		_, _ = w.Write(d.body)
		_ = w.Close()
		d.gz = z.Bytes()
	}
}

// ServeHTTP answers GET /feeds/<n>.xml.
func (x *fixtures) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/stats" {
		h := w.Header()
		h.Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(x.counts(time.Now()))
		return
	}
	name, ok := strings.CutPrefix(r.URL.Path, "/feeds/")
	name, ok2 := strings.CutSuffix(name, ".xml")
	f, err := strconv.Atoi(name)
	if !ok || !ok2 || err != nil || f < 0 || f >= x.feeds {
		http.NotFound(w, r)
		return
	}
	d := x.doc(f, x.roundAt(time.Now()))
	etag, lastMod, body, gz := d.etag, d.lastMod, d.body, d.gz
	unchanged := notModified(r, etag, lastMod)
	if !unchanged {
		x.shown(f, d)
	}
	d.mu.Unlock()

	h := w.Header()
	h.Set("ETag", etag)
	h.Set("Last-Modified", lastMod)
	if unchanged {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", "application/rss+xml; charset=utf-8")
	if gz != nil && strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		h.Set("Content-Encoding", "gzip")
		h.Set("Vary", "Accept-Encoding")
		body = gz
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	_, _ = w.Write(body)
}

// shown counts a document served whole (d is locked): its items not
// served before, and the items published since the last one served
// that rolled off before this one — never shown to the poller.
func (x *fixtures) shown(f int, d *feedDoc) {
	last := d.first + len(d.dates) - 1
	if lost := int64(d.first - d.served - 1); lost > 0 {
		x.missed.Add(lost)
		if x.fastFeed(f) {
			x.missedFast.Add(lost)
		}
	}
	if last > d.served {
		x.firstServed.Add(int64(last - max(d.served, d.first-1)))
		d.served = last
	}
}

// fixtureCounts is what GET /stats answers: items the feeds published
// after the start (every round up to now, whether or not a fetch has
// brought a feed up to date), items first served, items missed.
type fixtureCounts struct {
	Published int64 `json:"published"`
	Served    int64 `json:"served"`
	Missed    int64 `json:"missed"`
	// MissedFast is the part of Missed lost by -fast-share feeds,
	// PublishedFast the part of Published they published.
	MissedFast    int64 `json:"missed_fast"`
	PublishedFast int64 `json:"published_fast"`
}

func (x *fixtures) counts(now time.Time) fixtureCounts {
	c := fixtureCounts{Served: x.firstServed.Load(), Missed: x.missed.Load(), MissedFast: x.missedFast.Load()}
	rounds := x.roundAt(now)
	for f := range x.feeds {
		for r := 1; r <= rounds; r++ {
			if x.changes(f, r) {
				c.Published += int64(x.perRound)
				if x.fastFeed(f) {
					c.PublishedFast += int64(x.perRound)
				}
			}
		}
	}
	return c
}

// notModified applies RFC 9110 §13.1: If-None-Match wins over
// If-Modified-Since; "*" matches any current representation.
func notModified(r *http.Request, etag, lastMod string) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for _, t := range strings.Split(inm, ",") {
			t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
			if t == "*" || t == etag {
				return true
			}
		}
		return false
	}
	if ims := r.Header.Get("If-Modified-Since"); ims != "" {
		since, err1 := http.ParseTime(ims)
		mod, err2 := http.ParseTime(lastMod)
		return err1 == nil && err2 == nil && !mod.After(since)
	}
	return false
}

// listenLoopback opens one listener per loopback host 127.0.0.10+i, so the
// poller's per-host concurrency limit applies as it would across sites.
func listenLoopback(hosts int) ([]net.Listener, []string, error) {
	var ls []net.Listener
	var bases []string
	for i := range hosts {
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.%d:0", 10+i))
		if err != nil {
			for _, o := range ls {
				o.Close()
			}
			return nil, nil, fmt.Errorf("listen on loopback host %d: %w", i, err)
		}
		ls = append(ls, l)
		bases = append(bases, "http://"+l.Addr().String())
	}
	return ls, bases, nil
}

// serve runs the fixture server on ls until ctx ends.
func serve(ctx context.Context, ls []net.Listener, h http.Handler) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, len(ls))
	for _, l := range ls {
		go func() { errc <- srv.Serve(l) }()
	}
	<-ctx.Done()
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := srv.Shutdown(sctx)
	for range ls {
		if e := <-errc; e != nil && !errors.Is(e, http.ErrServerClosed) && err == nil {
			err = e
		}
	}
	return err
}
