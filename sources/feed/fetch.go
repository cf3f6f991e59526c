package feed

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/wirestream/wirestream/pipeline/record"
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
	// Unframed: the body had no Content-Length and no chunked encoding
	// (HTTP/1.0, or "Connection: close"), so it ended where the server
	// closed the connection, and a cut cannot be told from its end.
	Unframed bool
}

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
	// connectTimeout is also the TLSHandshakeTimeout, likewise unnamed.
	connectTimeout time.Duration
	// gzips keeps gzip readers between fetches: a new one allocates its
	// 32 KiB window and tables every time, ~2% of the harness's bytes.
	gzips sync.Pool
	// bufs keeps the buffers bodies are read into: reading into a fresh
	// one grew it by doubling, ~2.5 times the body in garbage a poll (8 %
	// of the harness's allocated bytes). The body itself is copied out at
	// its size, so nothing a poll keeps points into a pooled buffer.
	bufs sync.Pool
	// guard is the dialer's; each fetch follows its redirects' hops
	// (netguard.Guard.Follow).
	guard *netguard.Guard
}

// maxResponseHeaderBytes bounds a response's headers (the transport's
// default is 10 MB): a feed's are a few kilobytes, and a server sending
// megabytes of them costs memory per poll as a body would.
const maxResponseHeaderBytes = 256 << 10

// maxValidatorBytes bounds an ETag or Last-Modified kept: both are saved
// in the feed's state after every poll and sent back with every request.
// Real ones are tens of bytes (an HTTP date is 29); a longer one is not
// kept, as if the server had sent none, and the body hash stands in.
const maxValidatorBytes = 1 << 10

func validator(v string) string {
	if len(v) > maxValidatorBytes {
		return ""
	}
	return v
}

// statusLine is the server's "503 Service Unavailable" as an error says
// it: its reason phrase is the server's own text, which reaches the log,
// feed_status and a terminal running feeds status, so control characters
// (a terminal's escape sequences) are dropped and it is cut at 200 bytes.
func statusLine(s string) string {
	return record.Truncate(dropControls(s), 200)
}

// dropControls is s without its control characters: a server's or a
// publisher's text as the log, feed_status or a terminal may show it.
func dropControls(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
}

// maxPooledBuf bounds the buffers kept for reuse: a rare large body is
// not held on to for every poll after it.
const maxPooledBuf = 1 << 20

func newFetcher(cfg Config, guard *netguard.Guard) *fetcher {
	dialer := &net.Dialer{
		Timeout:   cfg.ConnectTimeout,
		KeepAlive: 30 * time.Second,
		// Control's check, and a redirect's connection from a public
		// address into a network only allow_networks admits refused.
		ControlContext: guard.ControlContext,
	}
	tr := &http.Transport{
		Proxy:                  nil, // a proxy would put the guard in front of the proxy, not the feed
		DialContext:            dialer.DialContext,
		ForceAttemptHTTP2:      true,
		TLSHandshakeTimeout:    cfg.ConnectTimeout,
		ResponseHeaderTimeout:  cfg.HeaderTimeout,
		DisableCompression:     true, // we decompress ourselves to cap the decoded size
		MaxIdleConns:           cfg.GlobalConcurrency,
		MaxIdleConnsPerHost:    cfg.PerHostConcurrency,
		MaxConnsPerHost:        cfg.PerHostConcurrency,
		IdleConnTimeout:        90 * time.Second,
		MaxResponseHeaderBytes: maxResponseHeaderBytes,
	}
	f := &fetcher{transport: tr, userAgent: cfg.UserAgent, maxBody: cfg.MaxBodyBytes,
		headerTimeout: cfg.HeaderTimeout, connectTimeout: cfg.ConnectTimeout, guard: guard}
	maxRedirects := cfg.MaxRedirects
	f.client = &http.Client{
		Transport: tr,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if err := redirectLoop(via, req); err != nil {
				return err
			}
			if len(via) > maxRedirects {
				return redirectsError(via, req, maxRedirects)
			}
			if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
				return fmt.Errorf("redirect to %s: %w", req.URL.Scheme, errSchemeNotAllowed)
			}
			// net/http refers each hop to the URL before it, query and
			// all: a feed URL's token (?token=, ?api_key=) would go to
			// whatever host the redirect names. A poller refers from no
			// page.
			req.Header.Del("Referer")
			// allow_networks opens a network for the feeds served there,
			// not for a public feed's redirect into it.
			if err := guard.CheckRedirect(req); err != nil {
				return err
			}
			// Configured headers may carry credentials: they go to the
			// feed's host, never to wherever it redirects, and never in
			// clear text after TLS.
			if !headersFollow(via[0].URL, req.URL) {
				for name := range via[0].Header {
					if !standardHeader(name) {
						req.Header.Del(name)
					}
				}
			}
			// Last, once the redirect is to be followed: the new host's
			// slot, waited for if it is busy.
			if h := holdOf(req.Context()); h != nil {
				return h.moveTo(req.Context(), hostKeyOf(req.URL), req.Response)
			}
			return nil
		},
	}
	return f
}

// headersFollow reports whether a feed's configured headers, which may
// carry its credentials, go to a request for to when they went to one for
// from: on the same host, and not from https to http — curl's rule
// (CVE-2022-27774), but for a change from http to https, where they had
// gone in clear already and a feed whose host moved to https would lose
// its access.
func headersFollow(from, to *url.URL) bool {
	return strings.EqualFold(from.Host, to.Host) && !(strings.EqualFold(from.Scheme, "https") && strings.EqualFold(to.Scheme, "http"))
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
	host string       // HostKey: the per-host limit's key
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
	t.static = staticHeader(headers, userAgent)
	return t
}

// plainHeaders holds, by User-Agent, the static header of the feeds that
// configure no headers of their own — nearly all of them. It is shared:
// built per feed it was ≈ 700 bytes a feed of the idle heap, and the
// headers handed to a request are never changed (fetchTarget).
var plainHeaders sync.Map // user agent → http.Header

// staticHeader is the header every poll of a feed sends: its configured
// headers, User-Agent, Accept, Accept-Encoding.
func staticHeader(headers map[string]string, userAgent string) http.Header {
	if len(headers) == 0 {
		if h, ok := plainHeaders.Load(userAgent); ok {
			return h.(http.Header)
		}
	}
	h := make(http.Header, len(headers)+3)
	for k, v := range headers {
		h.Set(k, v)
	}
	h.Set("User-Agent", userAgent)
	h.Set("Accept", accept)
	h.Set("Accept-Encoding", "gzip, deflate")
	if len(headers) == 0 {
		shared, _ := plainHeaders.LoadOrStore(userAgent, h)
		return shared.(http.Header)
	}
	return h
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
	req := t.req.WithContext(f.guard.Follow(ctx))
	req.Header = t.header(fr.ETag, fr.LastModified)
	res := &fetchResult{Conditional: fr.ETag != "" || fr.LastModified != ""}
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, &fetchError{Class: classify(err), URL: fr.URL, Err: f.nameLimit(err)}
	}
	defer resp.Body.Close()

	res.Status = resp.StatusCode
	res.FinalURL = fr.URL
	if resp.Request != req { // redirected
		res.FinalURL = resp.Request.URL.String()
	}
	res.Moved = permanentlyMoved(resp)
	res.ETag = validator(resp.Header.Get("ETag"))
	res.LastModified = validator(resp.Header.Get("Last-Modified"))
	res.ContentType = resp.Header.Get("Content-Type")
	res.Unframed = resp.ProtoMajor == 1 && resp.ContentLength < 0 && !slices.Contains(resp.TransferEncoding, "chunked")
	now := time.Now()
	res.CacheFor = cacheLifetime(resp.Header, now)
	// Relative targets resolve without the feed URL's userinfo, as the
	// document's links do (linkBase): a self or hub URL is saved in the
	// poll state and handed to a hub.
	res.Links = parseLinkHeader(resp.Header.Values("Link"), withoutUserinfo(resp.Request.URL))

	switch {
	case resp.StatusCode == http.StatusNotModified && !res.Conditional:
		// Not modified since nothing: no validator was sent, so the
		// server (or a cache before it) answers every poll without the
		// feed. Taken as "no change", the feed would look ok with no item
		// ever; it is a failure, backed off and reported.
		_, _ = io.CopyN(io.Discard, resp.Body, 4<<10)
		return nil, &fetchError{Status: resp.StatusCode, Class: ClassRedirect, URL: fr.URL,
			Err: fmt.Errorf("HTTP %s to a request that sent no validator", statusLine(resp.Status))}
	case resp.StatusCode == http.StatusNotModified, resp.StatusCode == http.StatusGone:
		return res, nil
	case resp.StatusCode == http.StatusPartialContent && !wholeRange(resp.Header.Get("Content-Range")):
		// A part, to a request that asked for no range: parsed, it failed
		// as "not a feed" or as broken XML, which named neither cause.
		_, _ = io.CopyN(io.Discard, resp.Body, 4<<10)
		return nil, &fetchError{Status: resp.StatusCode, Class: ClassTruncated, URL: fr.URL,
			Err: fmt.Errorf("HTTP %s (Content-Range %q) to a request for the whole feed: only a part of it came",
				statusLine(resp.Status), record.Truncate(resp.Header.Get("Content-Range"), 100))}
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
	default:
		fe := &fetchError{Status: resp.StatusCode, URL: fr.URL, Err: fmt.Errorf("HTTP %s", statusLine(resp.Status))}
		switch {
		case resp.StatusCode > 599:
			// No HTTP status (RFC 9110 §15: 100–599): not a server error
			// to retry as one, an answer that is no HTTP.
			fe.Class = ClassProtocol
			fe.Err = fmt.Errorf("HTTP %s: no HTTP status (100–599)", statusLine(resp.Status))
		case resp.StatusCode >= 500:
			fe.Class = Class5xx
		case resp.StatusCode >= 400:
			fe.Class = Class4xx
		case resp.StatusCode >= 300:
			fe.Class = ClassRedirect
			if resp.Header.Get("Location") == "" && resp.StatusCode != http.StatusMultipleChoices {
				// net/http hands back a redirect it has nowhere to follow.
				fe.Err = fmt.Errorf("HTTP %s with no Location to follow", statusLine(resp.Status))
			}
		default: // a 1xx net/http hands back: 101 Switching Protocols to a GET
			fe.Class = ClassProtocol
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

// wholeRange reports whether a 206's Content-Range covers the whole
// representation ("bytes 0-405/406"): a server answering so to a request
// without Range has sent the feed whole.
func wholeRange(cr string) bool {
	unit, rest, ok := strings.Cut(strings.TrimSpace(cr), " ")
	if !ok || !strings.EqualFold(unit, "bytes") {
		return false
	}
	span, size, ok := strings.Cut(rest, "/")
	first, last, ok2 := strings.Cut(span, "-")
	if !ok || !ok2 || first != "0" {
		return false
	}
	l, err1 := strconv.ParseInt(last, 10, 64)
	n, err2 := strconv.ParseInt(size, 10, 64)
	return err1 == nil && err2 == nil && n > 0 && l == n-1
}
