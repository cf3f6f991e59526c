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
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func fetchOK(t *testing.T, f *fetcher, req fetchRequest) *fetchResult {
	t.Helper()
	res, err := f.fetch(context.Background(), req)
	if err != nil {
		t.Fatalf("fetch %s: %v", req.URL, err)
	}
	return res
}

func wantClass(t *testing.T, err error, class string) *fetchError {
	t.Helper()
	var fe *fetchError
	if !errors.As(err, &fe) {
		t.Fatalf("err = %v, want a fetchError of class %s", err, class)
	}
	if fe.Class != class {
		t.Fatalf("class = %s (%v), want %s", fe.Class, fe.Err, class)
	}
	return fe
}

func TestFetchConditionalGET(t *testing.T) {
	body := readFixture(t, "bbc-world.xml")
	var sawUA, sawAE string
	srv := newServerOn(t, "127.0.0.2", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sawUA, sawAE = r.UserAgent(), r.Header.Get("Accept-Encoding")
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Tue, 14 May 2024 09:12:40 GMT")
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=300")
		w.Write(body)
	}))
	f := newTestFetcher(t, testFetcherConfig("127.0.0.2"))
	first := fetchOK(t, f, fetchRequest{URL: srv.URL + "/rss.xml"})
	if first.Status != 200 || first.ETag != `"v1"` || !bytes.Equal(first.Body, body) || first.CacheFor != 5*time.Minute || first.Conditional {
		t.Fatalf("first = %+v", first)
	}
	if !strings.HasPrefix(sawUA, "wirestream/") || sawAE != "gzip, deflate" {
		t.Errorf("User-Agent %q, Accept-Encoding %q", sawUA, sawAE)
	}
	second := fetchOK(t, f, fetchRequest{URL: srv.URL + "/rss.xml", ETag: first.ETag, LastModified: first.LastModified})
	if second.Status != http.StatusNotModified || !second.Conditional || len(second.Body) != 0 {
		t.Fatalf("second = %+v", second)
	}
}

// A body is read into a pooled buffer: the bytes a fetch returns must be
// its own, unchanged by the fetches after it, gzip or not.
func TestFetchBodiesOutliveLaterFetches(t *testing.T) {
	bodies := map[string][]byte{"/a": bytes.Repeat([]byte("a"), 3000), "/b": bytes.Repeat([]byte("b"), 5000)}
	srv := newServerOn(t, "127.0.0.2", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body := bodies[r.URL.Path]
		if r.URL.Query().Get("gz") != "" {
			var zb bytes.Buffer
			zw := gzip.NewWriter(&zb)
			zw.Write(body)
			zw.Close()
			w.Header().Set("Content-Encoding", "gzip")
			body = zb.Bytes()
		}
		w.Write(body)
	}))
	f := newTestFetcher(t, testFetcherConfig("127.0.0.2"))
	for _, q := range []string{"", "?gz=1"} {
		var kept [][]byte
		for range 3 {
			for _, path := range []string{"/a", "/b"} {
				kept = append(kept, fetchOK(t, f, fetchRequest{URL: srv.URL + path + q}).Body)
			}
		}
		for i, got := range kept {
			if want := bodies[[]string{"/a", "/b"}[i%2]]; !bytes.Equal(got, want) {
				t.Fatalf("%q: body %d changed after later fetches: %d bytes, starts %q", q, i, len(got), got[:min(len(got), 8)])
			}
		}
	}
}

func TestFetchStatusHandling(t *testing.T) {
	var hits atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/429", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "120")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	mux.HandleFunc("/503", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", time.Now().Add(time.Hour).UTC().Format(http.TimeFormat))
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	mux.HandleFunc("/500", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "boom", 500) })
	mux.HandleFunc("/404", http.NotFound)
	mux.HandleFunc("/410", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusGone) })
	mux.HandleFunc("/301", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/308", http.StatusMovedPermanently) })
	mux.HandleFunc("/308", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/final", http.StatusPermanentRedirect)
	})
	mux.HandleFunc("/302", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/final", http.StatusFound) })
	mux.HandleFunc("/301-then-302", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/302", http.StatusMovedPermanently) })
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Redirect(w, r, "/loop", http.StatusFound)
	})
	mux.HandleFunc("/chain/{n}", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.PathValue("n"))
		http.Redirect(w, r, fmt.Sprintf("/chain/%d", n+1), http.StatusFound)
	})
	mux.HandleFunc("/final", func(w http.ResponseWriter, r *http.Request) { w.Write(readFixture(t, "npr.json")) })
	srv := newServerOn(t, "127.0.0.2", mux)
	f := newTestFetcher(t, testFetcherConfig("127.0.0.2"))

	t.Run("429 carries Retry-After seconds", func(t *testing.T) {
		_, err := f.fetch(context.Background(), fetchRequest{URL: srv.URL + "/429"})
		fe := wantClass(t, err, Class4xx)
		if fe.Status != 429 || fe.RetryAfter != 2*time.Minute {
			t.Fatalf("status %d retry-after %s", fe.Status, fe.RetryAfter)
		}
	})
	t.Run("503 carries Retry-After as an HTTP date", func(t *testing.T) {
		_, err := f.fetch(context.Background(), fetchRequest{URL: srv.URL + "/503"})
		fe := wantClass(t, err, Class5xx)
		if fe.RetryAfter < 58*time.Minute || fe.RetryAfter > time.Hour {
			t.Fatalf("retry-after %s, want about 1h", fe.RetryAfter)
		}
	})
	t.Run("500 is a server error", func(t *testing.T) {
		_, err := f.fetch(context.Background(), fetchRequest{URL: srv.URL + "/500"})
		wantClass(t, err, Class5xx)
	})
	t.Run("404 is a client error", func(t *testing.T) {
		_, err := f.fetch(context.Background(), fetchRequest{URL: srv.URL + "/404"})
		wantClass(t, err, Class4xx)
	})
	t.Run("410 is returned as a result, not an error", func(t *testing.T) {
		if res := fetchOK(t, f, fetchRequest{URL: srv.URL + "/410"}); res.Status != 410 {
			t.Fatalf("status %d", res.Status)
		}
	})
	t.Run("301 then 308 moves the feed", func(t *testing.T) {
		res := fetchOK(t, f, fetchRequest{URL: srv.URL + "/301"})
		if !res.Moved || res.FinalURL != srv.URL+"/final" {
			t.Fatalf("moved %v final %s", res.Moved, res.FinalURL)
		}
	})
	t.Run("302 does not move the feed", func(t *testing.T) {
		if res := fetchOK(t, f, fetchRequest{URL: srv.URL + "/302"}); res.Moved {
			t.Fatal("302 counted as permanent")
		}
	})
	t.Run("a temporary hop after a permanent one does not move the feed", func(t *testing.T) {
		if res := fetchOK(t, f, fetchRequest{URL: srv.URL + "/301-then-302"}); res.Moved {
			t.Fatal("301 then 302 counted as permanent")
		}
	})
	t.Run("a redirect loop stops at its first repeat", func(t *testing.T) {
		_, err := f.fetch(context.Background(), fetchRequest{URL: srv.URL + "/loop"})
		wantClass(t, err, ClassRedirect)
		if n := hits.Load(); n != 1 {
			t.Errorf("server saw %d requests, want 1: the redirect to itself is not followed", n)
		}
		// The error says it is a loop, and where it goes, with absolute
		// URLs.
		want := "fetch " + srv.URL + "/loop: redirect loop: " + srv.URL + "/loop → " + srv.URL + "/loop (stopped at its first repeat): too many redirects"
		if err == nil || err.Error() != want {
			t.Errorf("redirect loop error\n got: %v\nwant: %s", err, want)
		}
	})
	t.Run("too many redirects name every hop", func(t *testing.T) {
		_, err := f.fetch(context.Background(), fetchRequest{URL: srv.URL + "/chain/0"})
		wantClass(t, err, ClassRedirect)
		hops := make([]string, 7)
		for i := range hops {
			hops[i] = fmt.Sprintf("%s/chain/%d", srv.URL, i)
		}
		want := "fetch " + srv.URL + "/chain/0: more than poller.max_redirects (5): " + strings.Join(hops, " → ") + ": too many redirects"
		if err == nil || err.Error() != want {
			t.Errorf("redirect chain error\n got: %v\nwant: %s", err, want)
		}
	})
}

func TestFetchBodyLimits(t *testing.T) {
	var bomb bytes.Buffer
	zw := gzip.NewWriter(&bomb)
	zero := make([]byte, 1<<20)
	for range 8 { // 8 MiB of zeros in ~8 KiB, 8 times the cap
		zw.Write(zero)
	}
	zw.Close()
	feed := readFixture(t, "guardian-world.xml")
	var zl, raw bytes.Buffer
	w1 := zlib.NewWriter(&zl)
	w1.Write(feed)
	w1.Close()
	w2, _ := flate.NewWriter(&raw, 5)
	w2.Write(feed)
	w2.Close()

	mux := http.NewServeMux()
	mux.HandleFunc("/bomb", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(bomb.Bytes())
	})
	mux.HandleFunc("/endless", func(w http.ResponseWriter, r *http.Request) {
		chunk := bytes.Repeat([]byte("<item><title>again</title></item>\n"), 100)
		for r.Context().Err() == nil {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	mux.HandleFunc("/declared-huge", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", fmt.Sprint(2<<20))
		w.Write(make([]byte, 1024))
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`<?xml version="1.0"?><rss version="2.0"><channel>`))
		w.(http.Flusher).Flush()
		<-r.Context().Done() // never finishes: the poll timeout must end it
	})
	mux.HandleFunc("/zlib", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "deflate")
		w.Write(zl.Bytes())
	})
	mux.HandleFunc("/raw-deflate", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "deflate")
		w.Write(raw.Bytes())
	})
	srv := newServerOn(t, "127.0.0.2", mux)
	f := newTestFetcher(t, testFetcherConfig("127.0.0.2"))

	t.Run("a gzip bomb stops at the decoded cap", func(t *testing.T) {
		_, err := f.fetch(context.Background(), fetchRequest{URL: srv.URL + "/bomb"})
		wantClass(t, err, ClassTooLarge)
		// The error names the setting to raise, and its value.
		if want := "fetch " + srv.URL + "/bomb: body over poller.max_body_bytes (1048576): too large"; err == nil || err.Error() != want {
			t.Errorf("error\n got: %v\nwant: %s", err, want)
		}
	})
	t.Run("an endless body stops at the cap", func(t *testing.T) {
		_, err := f.fetch(context.Background(), fetchRequest{URL: srv.URL + "/endless"})
		wantClass(t, err, ClassTooLarge)
		// The error names the setting to raise, and its value.
		if want := "fetch " + srv.URL + "/endless: body over poller.max_body_bytes (1048576): too large"; err == nil || err.Error() != want {
			t.Errorf("error\n got: %v\nwant: %s", err, want)
		}
	})
	t.Run("a Content-Length over the cap is refused before reading", func(t *testing.T) {
		_, err := f.fetch(context.Background(), fetchRequest{URL: srv.URL + "/declared-huge"})
		wantClass(t, err, ClassTooLarge)
		// The error names the setting to raise, and its value.
		if want := "fetch " + srv.URL + "/declared-huge: Content-Length 2097152 over poller.max_body_bytes (1048576): too large"; err == nil || err.Error() != want {
			t.Errorf("error\n got: %v\nwant: %s", err, want)
		}
	})
	t.Run("a slow body ends with the poll timeout", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		defer cancel()
		_, err := f.fetch(ctx, fetchRequest{URL: srv.URL + "/slow"})
		wantClass(t, err, ClassTimeout)
	})
	t.Run("zlib deflate is decoded", func(t *testing.T) {
		if res := fetchOK(t, f, fetchRequest{URL: srv.URL + "/zlib"}); !bytes.Equal(res.Body, feed) {
			t.Fatal("body differs")
		}
	})
	t.Run("raw deflate is decoded", func(t *testing.T) {
		res := fetchOK(t, f, fetchRequest{URL: srv.URL + "/raw-deflate"})
		if !bytes.Equal(res.Body, feed) || res.WireBytes >= int64(len(feed)) {
			t.Fatalf("body differs or wire bytes %d not compressed", res.WireBytes)
		}
	})
}

// A body that breaks off after the response began is "truncated", not a
// connection failure; a Content-Encoding we cannot read, or a compressed
// body that does not decompress, is "encoding", not a parse error: the
// feed was never parsed. (Hostile-feed test, issue 13 point 9.)
func TestFetchClassifiesBrokenBodies(t *testing.T) {
	feed := readFixture(t, "guardian-world.xml")
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(feed)
	zw.Close()
	hijack := func(w http.ResponseWriter, head string, body []byte) {
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			panic(err)
		}
		defer conn.Close()
		buf.WriteString(head)
		buf.Write(body)
		buf.Flush()
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/short", func(w http.ResponseWriter, r *http.Request) {
		hijack(w, fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: %d\r\n\r\n", len(feed)), feed[:len(feed)/2])
	})
	mux.HandleFunc("/short-chunked", func(w http.ResponseWriter, r *http.Request) {
		hijack(w, "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nTransfer-Encoding: chunked\r\n\r\n", []byte("400\r\n"+string(feed[:100])))
	})
	mux.HandleFunc("/short-gzip", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(gz.Bytes()[:gz.Len()/2])
	})
	mux.HandleFunc("/brotli", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "br")
		w.Write(feed)
	})
	mux.HandleFunc("/not-gzip", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(feed)
	})
	mux.HandleFunc("/corrupt-gzip", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		b := bytes.Clone(gz.Bytes())
		for i := 20; i < len(b)-8; i += 7 {
			b[i] ^= 0x5a
		}
		w.Write(b)
	})
	srv := newServerOn(t, "127.0.0.2", mux)
	f := newTestFetcher(t, testFetcherConfig("127.0.0.2"))
	for _, c := range []struct{ name, path, class string }{
		{"a body shorter than its Content-Length is truncated", "/short", ClassTruncated},
		{"a chunked body cut off is truncated", "/short-chunked", ClassTruncated},
		{"a gzip stream cut off is truncated", "/short-gzip", ClassTruncated},
		{"an unsupported Content-Encoding is an encoding error", "/brotli", ClassEncoding},
		{"a body that is not the gzip it claims is an encoding error", "/not-gzip", ClassEncoding},
		{"a corrupt gzip body is an encoding error", "/corrupt-gzip", ClassEncoding},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := f.fetch(context.Background(), fetchRequest{URL: srv.URL + c.path})
			wantClass(t, err, c.class)
		})
	}
}

func TestFetchGuard(t *testing.T) {
	// A real server on 127.0.0.1: if the guard failed, it would be reached.
	var reached atomic.Int32
	inner := newServerOn(t, "127.0.0.1", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached.Add(1)
		w.Write(readFixture(t, "bbc-world.xml"))
	}))
	var sawToken atomic.Value
	other := newServerOn(t, "127.0.0.3", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sawToken.Store(r.Header.Get("X-Api-Key"))
		w.Write(readFixture(t, "bbc-world.xml"))
	}))
	mux := http.NewServeMux()
	mux.HandleFunc("/to-loopback", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, inner.URL+"/", http.StatusFound) })
	mux.HandleFunc("/to-metadata", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusFound)
	})
	mux.HandleFunc("/to-file", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
	})
	mux.HandleFunc("/to-other-host", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, other.URL+"/", http.StatusFound) })
	srv := newServerOn(t, "127.0.0.2", mux)
	f := newTestFetcher(t, testFetcherConfig("127.0.0.2", "127.0.0.3"))

	cases := []struct{ name, url string }{
		{"a redirect to 127.0.0.1 is refused", srv.URL + "/to-loopback"},
		{"a redirect to the cloud metadata address is refused", srv.URL + "/to-metadata"},
		{"a redirect to a file URL is refused", srv.URL + "/to-file"},
		{"a direct URL on 127.0.0.1 is refused", inner.URL + "/"},
		{"a direct URL on localhost is refused after resolution", strings.Replace(inner.URL, "127.0.0.1", "localhost", 1) + "/"},
		{"a non-http scheme is refused", "gopher://127.0.0.2/"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := f.fetch(context.Background(), fetchRequest{URL: c.url})
			wantClass(t, err, ClassBlocked)
		})
	}
	if n := reached.Load(); n != 0 {
		t.Fatalf("the refused server was reached %d times", n)
	}
	t.Run("configured headers are not forwarded to another host", func(t *testing.T) {
		fetchOK(t, f, fetchRequest{URL: srv.URL + "/to-other-host", Headers: map[string]string{"X-Api-Key": "secret"}})
		if v, _ := sawToken.Load().(string); v != "" {
			t.Fatalf("redirect target received X-Api-Key %q", v)
		}
	})
	t.Run("a refused connection is a connect error", func(t *testing.T) {
		ln, _ := net.Listen("tcp", "127.0.0.2:0")
		addr := ln.Addr().String()
		ln.Close()
		_, err := f.fetch(context.Background(), fetchRequest{URL: "http://" + addr + "/"})
		wantClass(t, err, ClassConnect)
	})
}

func TestClassify(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"a DNS failure", &net.OpError{Op: "dial", Err: &net.DNSError{Err: "no such host", Name: "x.invalid", IsNotFound: true}}, ClassDNS},
		{"a DNS timeout is still DNS", &net.DNSError{Err: "timeout", IsTimeout: true}, ClassDNS},
		{"a deadline", fmt.Errorf("get: %w", context.DeadlineExceeded), ClassTimeout},
		{"a TLS handshake failure", errors.New("remote error: tls: handshake failure"), ClassTLS},
		{"a refused dial", &net.OpError{Op: "dial", Err: errors.New("connection refused")}, ClassConnect},
		{"a body over the cap", fmt.Errorf("read: %w", errTooLarge), ClassTooLarge},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := classify(c.err); got != c.want {
				t.Fatalf("classify(%v) = %s, want %s", c.err, got, c.want)
			}
		})
	}
}

func TestCacheLifetimeAndRetryAfter(t *testing.T) {
	now := time.Date(2024, 5, 14, 9, 0, 0, 0, time.UTC)
	h := func(kv ...string) http.Header {
		out := http.Header{}
		for i := 0; i < len(kv); i += 2 {
			out.Set(kv[i], kv[i+1])
		}
		return out
	}
	cacheCases := []struct {
		name string
		h    http.Header
		want time.Duration
	}{
		{"max-age minus Age", h("Cache-Control", "public, max-age=600", "Age", "100"), 500 * time.Second},
		{"no-cache wins over max-age", h("Cache-Control", "no-cache, max-age=600"), 0},
		{"Expires relative to Date", h("Expires", "Tue, 14 May 2024 09:30:00 GMT", "Date", "Tue, 14 May 2024 09:00:00 GMT"), 30 * time.Minute},
		{"an Expires in the past", h("Expires", "Tue, 14 May 2024 08:00:00 GMT"), 0},
		{"a malformed Expires", h("Expires", "0"), 0},
	}
	for _, c := range cacheCases {
		t.Run(c.name, func(t *testing.T) {
			if got := cacheLifetime(c.h, now); got != c.want {
				t.Fatalf("got %s, want %s", got, c.want)
			}
		})
	}
	if got := RetryAfter("Tue, 14 May 2024 09:10:00 GMT", now); got != 10*time.Minute {
		t.Errorf("RetryAfter(date) = %s", got)
	}
	if got := RetryAfter("soon", now); got != 0 {
		t.Errorf("RetryAfter(garbage) = %s", got)
	}
}

// FuzzFetchParse drives the fetch→parse path without sockets: a response
// with a fuzzed Content-Encoding and body goes through the capped decoder
// and the parser.
func FuzzFetchParse(f *testing.F) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(readFixture(f, "bbc-world.xml"))
	zw.Close()
	f.Add(gz.Bytes(), "gzip", "application/rss+xml")
	f.Add(readFixture(f, "ap-topnews.atom"), "", "application/atom+xml")
	f.Add(readFixture(f, "lenta-cp1251.xml"), "identity", "text/xml; charset=windows-1251")
	f.Add([]byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01}, "deflate", "")
	var gz2 bytes.Buffer
	zw = gzip.NewWriter(&gz2)
	zw.Write(gz.Bytes())
	zw.Close()
	f.Add(gz2.Bytes(), "gzip, gzip", "application/rss+xml")
	// Bytes after the stream's last member; a second member cut in its header.
	f.Add(append(bytes.Clone(gz.Bytes()), "\r\n<!-- cache -->"...), "gzip", "application/rss+xml")
	f.Add(append(bytes.Clone(gz.Bytes()), 0x1f, 0x8b, 8), "gzip", "application/rss+xml")
	fe := &fetcher{maxBody: 64 << 10}
	f.Fuzz(func(t *testing.T, body []byte, encoding, contentType string) {
		resp := &http.Response{Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(body))}
		resp.Header.Set("Content-Encoding", encoding)
		decoded, wire, err := fe.readBody(resp)
		if wire > fe.maxBody+1 {
			t.Fatalf("read %d wire bytes past the cap", wire)
		}
		if err != nil {
			return
		}
		if int64(len(decoded)) > fe.maxBody {
			t.Fatalf("decoded %d bytes past the cap", len(decoded))
		}
		_, _ = Parse(decoded, contentType, "https://fuzz.example/feed", fetchedAt)
	})
}
