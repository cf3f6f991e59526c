package feed

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/wirestream/wirestream/sources/feed/netguard"
)

// fetchRequest is one conditional GET.
type fetchRequest struct {
	URL          string
	ETag         string
	LastModified string
	Headers      map[string]string // expanded; never logged
	target       *fetchTarget      // URL and Headers prepared by the feed's loop; nil: prepared here
}

// fetchResult is a response the poller can act on: 2xx, 304 or 410.
type fetchResult struct {
	Status       int
	FinalURL     string // after redirects
	Moved        bool   // every redirect hop was 301 or 308: FinalURL replaces the stored URL
	ETag         string
	LastModified string
	ContentType  string
	Body         []byte // decoded (decompressed), at most MaxBodyBytes
	WireBytes    int64  // as read from the connection
	CacheFor     time.Duration
	Conditional  bool  // validators were sent
	Links        Links // WebSub hub and self from the Link header (RFC 8288)
}

// redirectsError says where a feed's redirects went when they passed
// poller.max_redirects: the hops up to the first address seen twice (a
// loop, which the feed's owner must fix), or all of them. The client's
// own "Get \"/next\": stopped after 10 redirects" names neither the loop
// nor the setting.
func redirectsError(via []*http.Request, next *http.Request, max int) error {
	hops := make([]string, 0, len(via)+1)
	seen := map[string]bool{}
	for _, r := range append(via, next) {
		u := r.URL.String()
		hops = append(hops, u)
		if seen[u] {
			return fmt.Errorf("redirect loop: %s (followed %d, poller.max_redirects): %w", strings.Join(hops, " → "), max, errTooManyRedirects)
		}
		seen[u] = true
	}
	return fmt.Errorf("more than poller.max_redirects (%d): %s: %w", max, strings.Join(hops, " → "), errTooManyRedirects)
}

// fetchError is a failed poll with its class (see record.FeedStatus).
type fetchError struct {
	Class      string
	Status     int
	RetryAfter time.Duration
	URL        string
	Err        error
}

// Error is the one place a poll's error message is built: "fetch URL:
// cause", which the log and feed_status's last_error carry. The class is
// not in it: both carry it beside the message (err_class,
// last_error_class), and every view of the message shows it. The URL is
// said once: the client's "Get \"URL\": …" around a transport error is
// dropped when it names the URL fetched, kept when it names where a
// redirect led.
func (e *fetchError) Error() string {
	cause := e.Err
	if ue, ok := cause.(*url.Error); ok && (ue.URL == e.URL || errors.Is(ue.Err, errTooManyRedirects)) {
		cause = ue.Err // a redirect error names every hop itself
	}
	return fmt.Sprintf("fetch %s: %v", e.URL, cause)
}
func (e *fetchError) Unwrap() error { return e.Err }

// Error classes.
const (
	ClassDNS       = "dns"
	ClassConnect   = "connect"
	ClassTLS       = "tls"
	ClassTimeout   = "timeout"
	ClassTruncated = "truncated" // the response came but its body broke off: short of Content-Length, a stream cut, a reset
	ClassEncoding  = "encoding"  // a Content-Encoding we cannot read, or a compressed body that does not decompress
	Class4xx       = "http_4xx"
	Class5xx       = "http_5xx"
	ClassTooLarge  = "too_large"
	ClassParse     = "parse"
	ClassBlocked   = "blocked"
	ClassRedirect  = "redirect" // too many redirects, or a redirect without a usable Location
)

var (
	errTooLarge          = errors.New("too large")
	errTooManyRedirects  = errors.New("too many redirects")
	errSchemeNotAllowed  = errors.New("only http and https are allowed")
	errUnsupportedCoding = errors.New("unsupported Content-Encoding")
	errGone              = errors.New("HTTP 410 Gone: the publisher removed this feed") // a 410 is no failure, but last_error says it as it says one
)

// fetcher is the hardened HTTP client. One per poller: its transport pools
// connections across feeds of the same host.
type fetcher struct {
	client    *http.Client
	transport *http.Transport
	userAgent string
	maxBody   int64
	// headerTimeout is the transport's ResponseHeaderTimeout, which its
	// own error ("timeout awaiting response headers") does not name.
	headerTimeout time.Duration
	// gzips keeps gzip readers between fetches: a new one allocates its
	// 32 KiB window and tables every time, ~2% of the harness's bytes.
	gzips sync.Pool
	// bufs keeps the buffers bodies are read into: reading into a fresh
	// one grew it by doubling, ~2.5 times the body in garbage a poll (8 %
	// of the harness's allocated bytes). The body itself is copied out at
	// its size, so nothing a poll keeps points into a pooled buffer.
	bufs sync.Pool
}

// maxPooledBuf bounds the buffers kept for reuse: a rare large body is
// not held on to for every poll after it.
const maxPooledBuf = 1 << 20

func newFetcher(cfg Config, guard *netguard.Guard) *fetcher {
	dialer := &net.Dialer{
		Timeout:   cfg.ConnectTimeout,
		KeepAlive: 30 * time.Second,
		Control:   guard.Control,
	}
	tr := &http.Transport{
		Proxy:                 nil, // a proxy would put the guard in front of the proxy, not the feed
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		TLSHandshakeTimeout:   cfg.ConnectTimeout,
		ResponseHeaderTimeout: cfg.HeaderTimeout,
		DisableCompression:    true, // we decompress ourselves to cap the decoded size
		MaxIdleConns:          cfg.GlobalConcurrency,
		MaxIdleConnsPerHost:   cfg.PerHostConcurrency,
		MaxConnsPerHost:       cfg.PerHostConcurrency,
		IdleConnTimeout:       90 * time.Second,
	}
	f := &fetcher{transport: tr, userAgent: cfg.UserAgent, maxBody: cfg.MaxBodyBytes, headerTimeout: cfg.HeaderTimeout}
	maxRedirects := cfg.MaxRedirects
	f.client = &http.Client{
		Transport: tr,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > maxRedirects {
				return redirectsError(via, req, maxRedirects)
			}
			if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
				return fmt.Errorf("redirect to %s: %w", req.URL.Scheme, errSchemeNotAllowed)
			}
			// Configured headers may carry credentials: they go to the
			// feed's host, never to wherever it redirects.
			if !strings.EqualFold(req.URL.Host, via[0].URL.Host) {
				for name := range via[0].Header {
					if !standardHeader(name) {
						req.Header.Del(name)
					}
				}
			}
			return nil
		},
	}
	return f
}

func standardHeader(name string) bool {
	switch http.CanonicalHeaderKey(name) {
	case "User-Agent", "Accept", "Accept-Encoding", "If-None-Match", "If-Modified-Since":
		return true
	}
	return false
}

func (f *fetcher) close() { f.transport.CloseIdleConnections() }

// fetchTarget is a feed URL prepared once for all its polls: parsed, its
// host key, and the request headers that stay the same from poll to poll.
// Parsing the URL and building the headers for every poll was ~10 % of
// the CPU of a 304 poll. A loop owns its target and polls one at a time;
// the headers handed to a request are never changed afterwards (a
// transport may still read them after a cancelled request returned), only
// replaced when the validators change.
type fetchTarget struct {
	raw  string
	host string       // hostKey: the per-host limit's key
	err  error        // the URL does not parse, or is not http(s)
	req  http.Request // GET of the URL without context and headers: each poll copies it

	static http.Header // configured headers, User-Agent, Accept, Accept-Encoding
	// cond is static plus the validators etag and lastModified, kept
	// while they stay the same: most polls send the validators of the
	// poll before.
	cond               http.Header
	etag, lastModified string
}

// accept is the Accept header of every poll.
const accept = "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8"

// newFetchTarget prepares raw with the feed's expanded headers.
func newFetchTarget(raw string, headers map[string]string, userAgent string) *fetchTarget {
	t := &fetchTarget{raw: raw, host: raw}
	u, err := url.Parse(raw)
	if err != nil {
		t.err = err
		return t
	}
	t.host = hostKeyOf(u)
	if u.Scheme != "http" && u.Scheme != "https" {
		t.err = errSchemeNotAllowed
		return t
	}
	// As http.NewRequest does: "host:" is "host".
	u.Host = strings.TrimSuffix(u.Host, ":")
	t.req = http.Request{Method: http.MethodGet, URL: u, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, Host: u.Host}
	h := make(http.Header, len(headers)+3)
	for k, v := range headers {
		h.Set(k, v)
	}
	h.Set("User-Agent", userAgent)
	h.Set("Accept", accept)
	h.Set("Accept-Encoding", "gzip, deflate")
	t.static = h
	return t
}

// header is the request header for a poll sending etag and lastModified
// (either may be empty).
func (t *fetchTarget) header(etag, lastModified string) http.Header {
	if etag == "" && lastModified == "" {
		return t.static
	}
	if t.cond == nil || etag != t.etag || lastModified != t.lastModified {
		h := make(http.Header, len(t.static)+2)
		for k, v := range t.static {
			h[k] = v
		}
		if etag != "" {
			h["If-None-Match"] = []string{etag}
		}
		if lastModified != "" {
			h["If-Modified-Since"] = []string{lastModified}
		}
		t.cond, t.etag, t.lastModified = h, etag, lastModified
	}
	return t.cond
}

// fetch performs one GET under ctx (which carries the whole-poll timeout).
// fr.target, when it is fr.URL's, saves preparing the request again.
func (f *fetcher) fetch(ctx context.Context, fr fetchRequest) (*fetchResult, error) {
	t := fr.target
	if t == nil || t.raw != fr.URL {
		t = newFetchTarget(fr.URL, fr.Headers, f.userAgent)
	}
	if t.err != nil {
		return nil, &fetchError{Class: ClassBlocked, URL: fr.URL, Err: t.err}
	}
	req := t.req.WithContext(ctx)
	req.Header = t.header(fr.ETag, fr.LastModified)
	res := &fetchResult{Conditional: fr.ETag != "" || fr.LastModified != ""}
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, &fetchError{Class: classify(err), URL: fr.URL, Err: f.nameTimeout(err)}
	}
	defer resp.Body.Close()

	res.Status = resp.StatusCode
	res.FinalURL = fr.URL
	if resp.Request != req { // redirected
		res.FinalURL = resp.Request.URL.String()
	}
	res.Moved = permanentlyMoved(resp)
	res.ETag = resp.Header.Get("ETag")
	res.LastModified = resp.Header.Get("Last-Modified")
	res.ContentType = resp.Header.Get("Content-Type")
	now := time.Now()
	res.CacheFor = cacheLifetime(resp.Header, now)
	res.Links = parseLinkHeader(resp.Header.Values("Link"), resp.Request.URL)

	switch {
	case resp.StatusCode == http.StatusNotModified, resp.StatusCode == http.StatusGone:
		return res, nil
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
	default:
		fe := &fetchError{Status: resp.StatusCode, URL: fr.URL, Err: fmt.Errorf("HTTP %s", resp.Status)}
		fe.Class = Class4xx
		if resp.StatusCode >= 500 {
			fe.Class = Class5xx
		} else if resp.StatusCode < 400 {
			fe.Class = ClassRedirect
		}
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
			fe.RetryAfter = RetryAfter(resp.Header.Get("Retry-After"), now)
		}
		// Drain a little so the connection can be reused.
		_, _ = io.CopyN(io.Discard, resp.Body, 4<<10)
		return nil, fe
	}

	if resp.ContentLength > f.maxBody {
		return nil, &fetchError{Class: ClassTooLarge, URL: fr.URL,
			Err: fmt.Errorf("Content-Length %d over poller.max_body_bytes (%d): %w", resp.ContentLength, f.maxBody, errTooLarge)}
	}
	body, wire, err := f.readBody(resp)
	res.WireBytes = wire
	if err != nil {
		return nil, &fetchError{Class: bodyErrorClass(err), URL: fr.URL, Err: err}
	}
	res.Body = body
	return res, nil
}

// bodyErrorClass classes a failure to read a body whose response had
// arrived: the transport worked, so it is never "connect"; and the body
// was never parsed, so it is never "parse".
func bodyErrorClass(err error) string {
	var corrupt flate.CorruptInputError
	switch {
	case errors.Is(err, errTooLarge):
		return ClassTooLarge
	case errors.Is(err, errUnsupportedCoding), errors.As(err, &corrupt),
		errors.Is(err, gzip.ErrHeader), errors.Is(err, gzip.ErrChecksum),
		errors.Is(err, zlib.ErrHeader), errors.Is(err, zlib.ErrChecksum), errors.Is(err, zlib.ErrDictionary):
		return ClassEncoding
	case classify(err) == ClassTimeout:
		return ClassTimeout
	}
	return ClassTruncated
}

// countingReader counts bytes read off the wire.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// readBody decompresses and caps the body. The cap applies to the wire
// bytes and, separately, to the decoded bytes: a 10 KiB gzip bomb that
// inflates to gigabytes stops at the limit.
func (f *fetcher) readBody(resp *http.Response) ([]byte, int64, error) {
	wire := &countingReader{r: io.LimitReader(resp.Body, f.maxBody+1)}
	var r io.Reader = wire
	switch strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding"))) {
	case "", "identity":
	case "gzip", "x-gzip":
		zr, err := f.gzipReader(wire)
		if err != nil {
			return nil, wire.n, fmt.Errorf("gzip body: %w", err)
		}
		defer f.gzips.Put(zr) // after the copy below; Reset drops wire
		r = zr
	case "deflate":
		// "deflate" is zlib-wrapped by the spec, raw by many servers.
		br := &peekReader{r: wire}
		hdr := br.peek(2)
		if len(hdr) == 2 && (uint16(hdr[0])<<8|uint16(hdr[1]))%31 == 0 && hdr[0]&0x0f == 8 {
			zr, err := zlib.NewReader(br)
			if err != nil {
				return nil, wire.n, fmt.Errorf("deflate body: %w", err)
			}
			defer zr.Close()
			r = zr
		} else {
			fr := flate.NewReader(br)
			defer fr.Close()
			r = fr
		}
	default:
		return nil, wire.n, fmt.Errorf("Content-Encoding %q: %w", resp.Header.Get("Content-Encoding"), errUnsupportedCoding)
	}
	buf, _ := f.bufs.Get().(*bytes.Buffer)
	if buf == nil {
		buf = new(bytes.Buffer)
	}
	defer func() {
		if buf.Cap() <= maxPooledBuf {
			buf.Reset()
			f.bufs.Put(buf)
		}
	}()
	n, err := io.Copy(buf, io.LimitReader(r, f.maxBody+1))
	if n > f.maxBody || wire.n > f.maxBody {
		return nil, wire.n, fmt.Errorf("body over poller.max_body_bytes (%d): %w", f.maxBody, errTooLarge)
	}
	if err != nil {
		return nil, wire.n, fmt.Errorf("read body (%d bytes so far): %w", wire.n, err)
	}
	if buf.Len() == 0 {
		return nil, wire.n, nil // as an unpooled empty buffer's Bytes was
	}
	return bytes.Clone(buf.Bytes()), wire.n, nil
}

// gzipReader takes a pooled gzip reader reset onto r, or a new one.
func (f *fetcher) gzipReader(r io.Reader) (*gzip.Reader, error) {
	if zr, ok := f.gzips.Get().(*gzip.Reader); ok {
		if err := zr.Reset(r); err != nil {
			f.gzips.Put(zr)
			return nil, err
		}
		return zr, nil
	}
	return gzip.NewReader(r)
}

// peekReader lets readBody look at the first bytes without losing them.
type peekReader struct {
	r   io.Reader
	buf []byte
}

func (p *peekReader) peek(n int) []byte {
	for len(p.buf) < n {
		b := make([]byte, n-len(p.buf))
		m, err := p.r.Read(b)
		p.buf = append(p.buf, b[:m]...)
		if err != nil {
			break
		}
	}
	return p.buf
}

func (p *peekReader) Read(b []byte) (int, error) {
	if len(p.buf) > 0 {
		n := copy(b, p.buf)
		p.buf = p.buf[n:]
		return n, nil
	}
	return p.r.Read(b)
}

// permanentlyMoved reports whether the response was reached through at
// least one redirect and every hop was permanent (301 or 308). A temporary
// hop anywhere means the original URL stays authoritative.
func permanentlyMoved(resp *http.Response) bool {
	hops := 0
	for r := resp.Request; r != nil && r.Response != nil; r = r.Response.Request {
		switch r.Response.StatusCode {
		case http.StatusMovedPermanently, http.StatusPermanentRedirect:
			hops++
		default:
			return false
		}
	}
	return hops > 0
}

// cacheLifetime reads Cache-Control max-age (minus Age) or, failing that,
// Expires relative to Date. Zero when absent or no-cache.
func cacheLifetime(h http.Header, now time.Time) time.Duration {
	cc := strings.ToLower(h.Get("Cache-Control"))
	if strings.Contains(cc, "no-cache") || strings.Contains(cc, "no-store") {
		for d := range strings.SplitSeq(cc, ",") {
			d = strings.TrimSpace(d)
			if d == "no-cache" || d == "no-store" {
				return 0
			}
		}
	}
	for d := range strings.SplitSeq(cc, ",") {
		d = strings.TrimSpace(d)
		if v, ok := strings.CutPrefix(d, "max-age="); ok {
			secs, err := strconv.ParseInt(strings.Trim(v, `"`), 10, 64)
			if err != nil || secs <= 0 {
				return 0
			}
			age, _ := strconv.ParseInt(h.Get("Age"), 10, 64)
			if age < 0 || age > secs {
				age = 0
			}
			return time.Duration(min(secs-age, 365*24*3600)) * time.Second
		}
	}
	if exp := h.Get("Expires"); exp != "" {
		t, err := http.ParseTime(exp)
		if err != nil {
			return 0
		}
		ref := now
		if d, err := http.ParseTime(h.Get("Date")); err == nil {
			ref = d
		}
		if d := t.Sub(ref); d > 0 {
			return d
		}
	}
	return 0
}

// RetryAfter reads a Retry-After value: delta-seconds or an HTTP date.
// Zero when absent, past or unreadable.
func RetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		return time.Duration(min(secs, 30*24*3600)) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
