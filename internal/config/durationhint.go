package config

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// durationPart is one number and the unit written after it, in the ways
// people write a duration that Go's parser does not take: "5 minutes",
// "10mins", "2 h", "90S", "1d", "1w".
var durationPart = regexp.MustCompile(`^\s*(\d+(?:\.\d+)?)\s*([a-zµ]*)\s*`)

// bareNumber is a number written without a unit: "30", "1.5".
var bareNumber = regexp.MustCompile(`^\d+(?:\.\d+)?$`)

// durationUnits maps the unit words people write to Go's units; days and
// weeks have no unit of their own in Go's durations and become hours.
var durationUnits = map[string]time.Duration{
	"ns": time.Nanosecond, "us": time.Microsecond, "µs": time.Microsecond,
	"ms": time.Millisecond, "msec": time.Millisecond, "millisecond": time.Millisecond, "milliseconds": time.Millisecond,
	"s": time.Second, "sec": time.Second, "secs": time.Second, "second": time.Second, "seconds": time.Second,
	"m": time.Minute, "min": time.Minute, "mins": time.Minute, "minute": time.Minute, "minutes": time.Minute,
	"h": time.Hour, "hr": time.Hour, "hrs": time.Hour, "hour": time.Hour, "hours": time.Hour,
	"d": 24 * time.Hour, "day": 24 * time.Hour, "days": 24 * time.Hour,
	"w": 7 * 24 * time.Hour, "wk": 7 * 24 * time.Hour, "week": 7 * 24 * time.Hour, "weeks": 7 * 24 * time.Hour,
}

// DurationHint is what a value that is no Go duration most likely means,
// written as one ("24h" for "1d", "5m" for "5 minutes", "1h30m" for
// "1h30", "0s" for "0"), or "" when it cannot tell; days reports that it
// turned days or weeks into hours. A bare number other than 0 has no unit
// to tell by: it gets seconds, and DurationProblemHint says the unit is
// missing.
func DurationHint(v string) (hint string, days bool) {
	s := strings.ToLower(strings.TrimSpace(v))
	if s == "" {
		return "", false
	}
	// Digits alone, not what ParseFloat takes ("inf", "1e3"): the hint
	// is the value with a unit after it, and must be a duration.
	if bareNumber.MatchString(s) {
		if f, _ := strconv.ParseFloat(s, 64); f == 0 {
			return "0s", false
		}
		return s + "s", false
	}
	if compact := strings.ReplaceAll(s, " ", ""); compact != v {
		if d, err := time.ParseDuration(compact); err == nil && d > 0 {
			return compact, false // "2 h", "90S"
		}
	}
	var total, last time.Duration
	for s != "" {
		m := durationPart.FindStringSubmatch(s)
		if m == nil {
			return "", false
		}
		u, ok := durationUnits[m[2]]
		switch {
		case m[2] == "" && last == time.Hour:
			u, ok = time.Minute, true // "1h30": a number after a unit is in the next smaller one
		case m[2] == "" && last == time.Minute:
			u, ok = time.Second, true
		}
		if !ok {
			return "", false
		}
		n, err := strconv.ParseFloat(m[1], 64)
		if err != nil {
			return "", false
		}
		days = days || u >= 24*time.Hour
		total += time.Duration(n * float64(u))
		last = u
		s = s[len(m[0]):]
	}
	if total <= 0 {
		return "", false
	}
	if h := ShortDuration(total); h != v {
		return h, days
	}
	return "", false // a duration already: the problem is elsewhere
}

// DurationProblemHint is the end of a "want a duration such as 90s or 10m,
// got X" problem, for a key or a flag: `: did you mean "24h"? (durations go
// no further than hours)`, `: a number needs its unit (s, m or h): did you
// mean "30s" or "30m"?`, or "" when DurationHint has nothing to say.
func DurationProblemHint(got string) string {
	h, days := DurationHint(got)
	switch {
	case h == "":
		return ""
	case h != "0s" && strings.TrimSuffix(h, "s") == strings.ToLower(strings.TrimSpace(got)):
		return fmt.Sprintf(": a number needs its unit (s, m or h): did you mean %q or %q?", h, strings.TrimSuffix(h, "s")+"m")
	case days:
		return fmt.Sprintf(": did you mean %q? (durations go no further than hours)", h)
	}
	return fmt.Sprintf(": did you mean %q?", h)
}
