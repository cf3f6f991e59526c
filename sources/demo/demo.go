// Package demo serves wirestream's bundled demo: an in-process HTTP server
// on loopback whose news-like feeds (RSS 2.0, Atom 1.0, JSON Feed 1.1 from
// eight fictional outlets) fill up along a scripted timeline, so that
// `wirestream run --demo` shows stories, wire republications, events and a
// keyword spike with no network and no setup.
//
// It promises: feeds that real-world parsers accept at every moment of the
// timeline; items that only ever arrive (newest first, last 20 per feed),
// with stable GUIDs and published dates taken from the timeline; one
// headline revised in place under its GUID; honest HTTP caching (strong
// ETag, Last-Modified, 304 on an unchanged conditional GET, a short
// Cache-Control max-age, gzip on request). The content is fictional and
// lives in content/*.yaml; the timeline is described in README.md.
package demo

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Options configure the demo server. The zero value is ready to use.
type Options struct {
	// Addr is the listen address; default "127.0.0.1:0" (a free port on
	// loopback, so the demo never touches the network).
	Addr string
	// Duration is how long the scripted timeline takes to unfold; default
	// 3m. After it the feeds stay as they are.
	Duration time.Duration
	// Now is the clock, for tests; default time.Now. The timeline starts at
	// Now() when Start is called.
	Now func() time.Time
	// Run is put into every GUID and link so that a second demo run is new
	// to a dedupe store that persisted the first; default: derived from the
	// start time.
	Run string
}

// Defaults.
const (
	DefaultAddr     = "127.0.0.1:0"
	DefaultDuration = 3 * time.Minute
)

// Server is a running demo feed server.
type Server struct {
	log     *slog.Logger
	now     func() time.Time
	tl      *timeline
	base    string // http://host:port
	maxAge  time.Duration
	srv     *http.Server
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	once    sync.Once
	closeEr error

	mu    sync.Mutex
	cache map[string]cached // outlet id -> last rendered view
}

type cached struct {
	key  viewKey
	body []byte
	gz   []byte
	etag string // strong ETag of the identity body, quoted
}

// Start listens on opts.Addr and serves the demo feeds until Close is
// called or ctx is done. The timeline starts now.
func Start(ctx context.Context, opts Options, log *slog.Logger) (*Server, error) {
	if opts.Addr == "" {
		opts.Addr = DefaultAddr
	}
	if opts.Duration == 0 {
		opts.Duration = DefaultDuration
	}
	if opts.Duration < 0 {
		return nil, fmt.Errorf("demo: duration must be > 0, got %v", opts.Duration)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	sc, err := loadScript()
	if err != nil {
		return nil, err
	}
	start := opts.Now()
	if opts.Run == "" {
		opts.Run = strconv.FormatInt(start.Unix(), 36)
	}
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", opts.Addr)
	if err != nil {
		return nil, fmt.Errorf("demo: listen on %s: %w", opts.Addr, err)
	}
	s := &Server{
		log:    log,
		now:    opts.Now,
		tl:     newTimeline(sc, start, opts.Duration, opts.Run),
		base:   "http://" + ln.Addr().String(),
		maxAge: maxAgeFor(opts.Duration),
		cache:  map[string]cached{},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /feeds/{file}", s.serveFeed)
	mux.HandleFunc("GET /opml.xml", s.serveOPML)
	mux.HandleFunc("GET /{$}", s.serveIndex)
	s.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}

	log.Info("demo feeds serving on loopback (fictional content)",
		"addr", s.base, "feeds", len(s.tl.outlets), "duration", opts.Duration, "run", opts.Run, "opml", s.base+"/opml.xml")
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	s.cancel = cancel
	s.wg.Add(3)
	go func() {
		defer s.wg.Done()
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("demo feed server stopped", "addr", s.base, "err", err)
		}
	}()
	go func() {
		defer s.wg.Done()
		narrate(runCtx, s.tl, s.now, log)
	}()
	go func() {
		defer s.wg.Done()
		select {
		case <-ctx.Done():
			s.shutdown()
		case <-runCtx.Done():
		}
	}()
	return s, nil
}

// maxAgeFor keeps Cache-Control short enough that a poller honouring it
// sees the timeline move: 10s for the default 3 minutes, less when faster.
func maxAgeFor(d time.Duration) time.Duration {
	return min(10*time.Second, max(time.Second, (d/18).Truncate(time.Second)))
}

// FeedURLs returns one URL per outlet feed, in a stable order.
func (s *Server) FeedURLs() []string {
	urls := make([]string, 0, len(s.tl.outlets))
	for _, o := range s.tl.outlets {
		urls = append(urls, s.feedURL(o))
	}
	return urls
}

func (s *Server) feedURL(o *outlet) string {
	ext := map[string]string{formatRSS: "xml", formatAtom: "atom", formatJSON: "json"}[o.Format]
	return s.base + "/feeds/" + o.ID + "." + ext
}

// PollInterval is how often a poller should come back to see the timeline
// move: the Cache-Control max-age the feeds send (10s at the default 3m).
// The RSS feeds also say <ttl>1</ttl>, the smallest a ttl can be, so a
// poller that treats ttl as a floor needs its maximum interval for demo
// feeds set to this.
func (s *Server) PollInterval() time.Duration { return s.maxAge }

// Close stops the server and the narration and waits for them. It is safe
// to call more than once.
func (s *Server) Close() error {
	s.shutdown()
	s.wg.Wait()
	return s.closeEr
}

func (s *Server) shutdown() {
	s.once.Do(func() {
		s.cancel()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if err := s.srv.Shutdown(ctx); err != nil {
			s.closeEr = fmt.Errorf("demo: shut down %s: %w", s.base, err)
			_ = s.srv.Close()
		}
	})
}

func (s *Server) outletFor(file string) *outlet {
	for _, o := range s.tl.outlets {
		if s.feedURL(o) == s.base+"/feeds/"+file {
			return o
		}
	}
	return nil
}

// serveFeed answers one feed request. http.ServeContent does the
// conditional-request logic (If-None-Match before If-Modified-Since, as RFC
// 9110 says), HEAD and ranges.
func (s *Server) serveFeed(w http.ResponseWriter, r *http.Request) {
	o := s.outletFor(r.PathValue("file"))
	if o == nil {
		http.NotFound(w, r)
		return
	}
	v := s.tl.view(o.ID, s.now())
	c, err := s.rendered(o, v)
	if err != nil {
		s.log.Error("demo feed render failed", "feed_url", s.feedURL(o), "err", err)
		http.Error(w, "render failed", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", map[string]string{
		formatRSS:  "application/rss+xml; charset=utf-8",
		formatAtom: "application/atom+xml; charset=utf-8",
		formatJSON: "application/feed+json; charset=utf-8",
	}[o.Format])
	h.Set("Cache-Control", "public, max-age="+strconv.Itoa(int(s.maxAge/time.Second)))
	h.Set("Vary", "Accept-Encoding")
	body, etag := c.body, c.etag
	if acceptsGzip(r.Header.Get("Accept-Encoding")) {
		// A gzip body is another representation, so another strong ETag.
		body, etag = c.gz, strings.TrimSuffix(c.etag, `"`)+`-gz"`
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("ETag", etag)
	http.ServeContent(w, r, "", v.modified, bytes.NewReader(body))
}

// rendered returns the feed body for v, rendering only when the view has
// changed since the last request: pollers mostly ask for unchanged feeds.
func (s *Server) rendered(o *outlet, v view) (cached, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.cache[o.ID]; ok && c.key == v.key {
		return c, nil
	}
	body, err := render(feedInfo{outlet: o, selfURL: s.feedURL(o), ttl: ttlFor(o)}, v)
	if err != nil {
		return cached{}, fmt.Errorf("render %s at %d items: %w", o.ID, v.key.visible, err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write(body) // writes to a bytes.Buffer cannot fail
	_ = zw.Close()
	sum := sha256.Sum256(body)
	c := cached{key: v.key, body: body, gz: gz.Bytes(), etag: `"` + hex.EncodeToString(sum[:10]) + `"`}
	s.cache[o.ID] = c
	return c, nil
}

// ttlFor is the RSS <ttl> in minutes; 1 is the smallest a feed can say.
func ttlFor(o *outlet) int {
	if o.Format == formatRSS {
		return 1
	}
	return 0
}

func acceptsGzip(header string) bool {
	for part := range strings.SplitSeq(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), "gzip") {
			continue
		}
		if q, ok := strings.CutPrefix(strings.ReplaceAll(params, " ", ""), "q="); ok {
			if f, err := strconv.ParseFloat(q, 64); err == nil && f == 0 {
				return false
			}
		}
		return true
	}
	return false
}

func (s *Server) serveIndex(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	now := s.now()
	fmt.Fprintf(w, "wirestream demo feeds (fictional content), timeline started %s\n\n", s.tl.start.Format(time.RFC3339))
	for _, o := range s.tl.outlets {
		v := s.tl.view(o.ID, now)
		fmt.Fprintf(w, "%-32s %-5s %3d items  %s\n", o.Name, o.Format, len(v.items), s.feedURL(o))
	}
	fmt.Fprintf(w, "\nOPML: %s/opml.xml\n", s.base)
}

func (s *Server) serveOPML(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/x-opml; charset=utf-8")
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<opml version="2.0"><head><title>wirestream demo</title></head><body>` + "\n")
	for _, o := range s.tl.outlets {
		typ := map[string]string{formatRSS: "rss", formatAtom: "atom", formatJSON: "json"}[o.Format]
		fmt.Fprintf(&b, `  <outline type="%s" text="%s" title="%s" xmlUrl="%s" htmlUrl="%s" language="%s"/>`+"\n",
			typ, html.EscapeString(o.Name), html.EscapeString(o.Name), html.EscapeString(s.feedURL(o)),
			html.EscapeString(o.Home), html.EscapeString(o.Language))
	}
	b.WriteString("</body></opml>\n")
	_, _ = w.Write([]byte(b.String()))
}
