package feed

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

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
