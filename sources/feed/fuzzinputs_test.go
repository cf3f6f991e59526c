package feed

import (
	"bytes"
	"net/http"
	"regexp"
	"strconv"
	"testing"
	"time"
)

// FuzzFreshnessHeaders: whatever a server sends in Cache-Control, Age,
// Expires, Date and Retry-After, the lifetime and the wait read from them
// are never negative, a delta is held to its cap (a year of max-age, 30
// days of Retry-After), and the next poll stays within the feed's bounds
// after a success and within [1 s, max_retry_after] (or the backoff, if
// longer) after a failure: a hostile header cannot stop a feed's polls
// nor make them hammer the server.
func FuzzFreshnessHeaders(f *testing.F) {
	f.Add("public, max-age=600", "100", "", "", "120")
	f.Add("no-cache, max-age=600", "", "Tue, 14 May 2024 09:30:00 GMT", "Tue, 14 May 2024 09:00:00 GMT", "Tue, 14 May 2024 09:10:00 GMT")
	f.Add(`max-age="9223372036854775807"`, "-5", "Fri, 31 Dec 9999 23:59:59 GMT", "Mon, 01 Jan 0001 00:00:00 GMT", "9223372036854775807")
	f.Add("MAX-AGE=1, no-store", "x", "0", "", "-1")
	now := time.Date(2024, 5, 14, 9, 0, 0, 0, time.UTC)
	cfg := DefaultConfig()
	f.Fuzz(func(t *testing.T, cacheControl, age, expires, date, retryAfter string) {
		h := http.Header{}
		for k, v := range map[string]string{"Cache-Control": cacheControl, "Age": age, "Expires": expires, "Date": date} {
			if v != "" {
				h.Set(k, v)
			}
		}
		life := cacheLifetime(h, now)
		if life < 0 {
			t.Fatalf("cache lifetime %s < 0", life)
		}
		if !bytes.Contains(bytes.ToLower([]byte(cacheControl)), []byte("max-age=")) && expires == "" && life != 0 {
			t.Fatalf("cache lifetime %s without max-age or Expires", life)
		}
		retry := RetryAfter(retryAfter, now)
		if retry < 0 {
			t.Fatalf("Retry-After %q read as %s < 0", retryAfter, retry)
		}
		if _, err := http.ParseTime(retryAfter); err != nil && retry > 30*24*time.Hour {
			t.Fatalf("Retry-After %q read as %s, past its 30-day cap", retryAfter, retry)
		}
		spec := Spec{URL: "https://fuzz.example/feed"}
		lo, hi := cfg.bounds(spec)
		st := &feedState{CacheFor: life, DocHint: 0}
		if d := successInterval(cfg, spec, st, now, false); d < lo || d > hi {
			t.Fatalf("a success with lifetime %s waits %s, outside [%s, %s]", life, d, lo, hi)
		}
		for _, backoff := range []time.Duration{0, time.Second, time.Hour, 24 * time.Hour} {
			if d := errorDelay(cfg, backoff, retry); d < time.Second || d > max(backoff, cfg.MaxRetryAfter, time.Second) {
				t.Fatalf("a failure with backoff %s and Retry-After %s waits %s", backoff, retry, d)
			}
		}
	})
}

// FuzzDecodeState: a feed's state record, read back from the state
// store (a Kafka changelog or a file a restart reads), is either
// refused — the feed starts afresh, unconditionally fetched once — or
// read into a state that encodes back to itself, as encoding/json
// encodes it (referenceEncode), whose schedule stays
// within the feed's bounds whatever its times and intervals say.
func FuzzDecodeState(f *testing.F) {
	st := feedState{V: stateVersion, ETag: `"e1"`, LastModified: "Tue, 14 May 2024 09:00:00 GMT", Seen: seenList{{1, 2}},
		Memo: memoListFrom([]memoEntry{{Key: 1}}), SeenAt: fetchedAt, Arrived: []time.Time{fetchedAt.Add(-time.Hour)},
		Recent: recentListOf([]time.Time{fetchedAt.Add(-2 * time.Hour), fetchedAt.Add(time.Hour)}), CacheFor: time.Hour, Undated: -time.Minute,
		DocHint: 1 << 62, NextPoll: fetchedAt, Failures: 3, Warnings: []string{"w"}}
	seed, err := st.encode()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte(`{"v":1,"recent":["0001-01-01T00:00:00Z","9999-12-31T23:59:59Z"],"undated":-9223372036854775808,"cache_for":9223372036854775807}`))
	f.Add([]byte(`{"v":2}`))
	f.Add([]byte(`{"v":1,"seen":{"a":1}}`))
	cfg := DefaultConfig()
	spec := Spec{URL: "https://fuzz.example/feed", MaxInterval: 3 * time.Hour}
	f.Fuzz(func(t *testing.T, data []byte) {
		st, err := decodeState(data)
		if st.V != stateVersion {
			t.Fatalf("decoded state of version %d (err %v)", st.V, err)
		}
		if err != nil {
			return
		}
		enc, err := st.encode()
		if err != nil {
			t.Fatalf("a decoded state does not encode: %v", err)
		}
		if ref, _ := referenceEncode(st); !bytes.Equal(enc, ref) {
			t.Fatalf("state encodes to\n%s\nencoding/json to\n%s", enc, ref)
		}
		again, err := decodeState(enc)
		if err != nil {
			t.Fatalf("an encoded state does not decode: %v", err)
		}
		if enc2, _ := again.encode(); !bytes.Equal(enc, enc2) {
			t.Fatalf("state does not survive a round trip:\n%s\n%s", enc, enc2)
		}
		lo, hi := cfg.bounds(spec)
		for _, gap := range []bool{false, true} {
			if d := successInterval(cfg, spec, &st, fetchedAt, gap); d < lo || d > hi {
				t.Fatalf("a success waits %s, outside [%s, %s]", d, lo, hi)
			}
		}
		if d := nextUndated(cfg, spec, st.Undated, false); d > hi {
			t.Fatalf("a feed without dates waits %s, past %s", d, hi)
		}
		c := st.clone()
		_ = c.rollback(st)
	})
}

// FuzzCheckHTTPURL: a feed URL from a config file, OPML or `feeds add`
// never panics the check, and the URL a refusal suggests ("did you mean
// …?") passes it: a suggestion that is refused in turn sends the user in
// a circle.
func FuzzCheckHTTPURL(f *testing.F) {
	for _, s := range []string{"https://example.com/rss", "htps://example.com/rss", "http//example.org/feed",
		"https:/example.org", "https:example.org", "http//localhost:8000/feed.xml", "http//[::1]:8000/x",
		"ftp://example.com", "feed:", "example.com/rss", "localhost:8000", "HTPS://X.org", "h://a.b", ":/", "http:///"} {
		f.Add(s)
	}
	meant := regexp.MustCompile(`did you mean ("(?:[^"\\]|\\.)*")\?$`)
	f.Fuzz(func(t *testing.T, raw string) {
		err := CheckHTTPURL(raw)
		if err == nil {
			return
		}
		m := meant.FindStringSubmatch(err.Error())
		if m == nil {
			return
		}
		u, uerr := strconv.Unquote(m[1])
		if uerr != nil {
			t.Fatalf("CheckHTTPURL(%q) suggests %s, not a quoted string: %v", raw, m[1], uerr)
		}
		if err := CheckHTTPURL(u); err != nil {
			t.Fatalf("CheckHTTPURL(%q) suggests %q, which it refuses: %v", raw, u, err)
		}
	})
}
