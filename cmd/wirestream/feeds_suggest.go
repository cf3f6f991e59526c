package main

// What `feeds remove` says of a URL the list does not hold: a typo in a
// script must not pass silently, and the feed meant is usually one
// spelling away (http for https, a www., a trailing slash, a letter).

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/wirestream/wirestream/internal/editdist"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/sources/feed"
)

// notListedError is `feeds remove` of a URL the list (a file's feeds:,
// or the fetchers' topic) does not hold: exit 1, unless --missing-ok.
type notListedError struct {
	url, list string
	near      string // a listed URL close to url, or ""
	nearLine  int    // near's line in the file, or 0
}

func (e *notListedError) Error() string {
	msg := fmt.Sprintf("no feed %s is configured in %s: nothing removed", record.RedactURL(e.url), e.list)
	if e.near != "" {
		// Said as every feed URL is, its password as xxxxx: the line
		// number finds it in the file.
		near := record.RedactURL(e.near)
		if e.nearLine > 0 {
			near += fmt.Sprintf(" (line %d)", e.nearLine)
		}
		msg += fmt.Sprintf("; did you mean %s?", near)
	}
	return msg + " (--missing-ok makes a missing feed a success, for scripts that remove whatever is there)"
}

// specURLs is the URL of each spec, in order: what nearestFeed picks from.
func specURLs(specs []feed.Spec) []string {
	urls := make([]string, len(specs))
	for i, sp := range specs {
		urls[i] = sp.URL
	}
	return urls
}

// nearestFeed is the listed URL closest to raw once both are loosened
// (looseKey): the same loose key first, else one at most two edits away
// (a typo); "" when none is that close, or several are equally close.
func nearestFeed(raw string, listed []string) string {
	key := looseKey(raw)
	const far = 3 // edits: a slip is at most two
	best, bestD, tie := "", far, false
	for _, l := range listed {
		d := editdist.Bounded(key, looseKey(l), far)
		switch {
		case d == far:
		case d < bestD:
			best, bestD, tie = l, d, false
		case d == bestD && l != best:
			tie = true
		}
	}
	if tie {
		return ""
	}
	return best
}

// looseKey is feed.RequestKey less what a person mistypes or forgets but
// which makes another request: the scheme, a leading "www.", a trailing
// slash. Two URLs of one loose key are most likely one feed.
func looseKey(raw string) string {
	u, err := url.Parse(feed.RequestKey(strings.TrimSpace(raw)))
	if err != nil || u.Host == "" {
		return strings.ToLower(strings.TrimSpace(raw))
	}
	u.Scheme = ""
	u.Host = strings.TrimPrefix(u.Host, "www.")
	u.Path = strings.TrimSuffix(u.Path, "/")
	u.RawPath = ""
	return strings.TrimPrefix(u.String(), "//")
}
