package dedupeeval

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/wirestream/wirestream/pipeline/dedupe"
	"github.com/wirestream/wirestream/pipeline/normalize"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
)

// LeadWords is the least a lead excerpt of an article has, for the
// summary-and-full-text pairs of EvaluateClaims.
const LeadWords = 40

// ClaimResult is what EvaluateClaims counts: pairs of items under one
// URL, the first from another feed, and what became of the second.
type ClaimResult struct {
	Republished       int // edited republications: a wire's first, the site's later
	CopyOnHost        int // … the site's a copy, its feed on its URL's host
	CopyOnFeedHost    int // … the site's a copy, its feed on a feed host
	Different         int // different articles: another feed's first, the site's later
	PublishedOnHost   int // … the site's story published (not a copy), its feed on its host
	PublishedFeedHost int // … the same, its feed on a feed host
	Leads             int // a lead excerpt first, the full text later
	LeadCopyOffHost   int // … a copy, both feeds off the URL's host
	LeadCopySite      int // … a copy, both feeds the site's
}

// EvaluateClaims measures dedupe's rule for an exact URL that two feeds
// list (pipeline/dedupe/claim.go) on the labelled set: whether another
// feed that lists a site's URL first, under another article's text,
// suppresses the site's story, and whether a republication, or a
// summary and its full text, under the URL stay one story. It runs the
// production path, a fresh Deduper per pair, and writes a report to w.
func EvaluateClaims(dataDir string, cfg dedupe.Config, w io.Writer) (ClaimResult, error) {
	arts, err := LoadArticles(filepath.Join(dataDir, "wikiref220"))
	if err != nil {
		return ClaimResult{}, fmt.Errorf("evaluate url claims: %w", err)
	}
	const (
		url      = "https://www.site.example/2026/story"
		site     = "https://www.site.example/rss"
		section  = "https://site.example/world/rss"
		feedHost = "https://feeds.feedhost.example/site"
		wire     = "https://wire.example/feed"
		other    = "https://other.example/feed"
	)
	texts := map[string]string{}
	ft := func(body string) string {
		t, ok := texts[body]
		if !ok {
			t = normalize.FingerprintText(&record.Story{Body: body})
			texts[body] = t
		}
		return t
	}
	id := normalize.StoryID(url, "", "")
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	// second reports whether b, from feed fb, is a copy of a from fa.
	second := func(fa, a, fb, b string) (bool, error) {
		d, err := dedupe.New(cfg, dedupe.BoundsOf(state.DefaultConfig()), nil)
		if err != nil {
			return false, err
		}
		tx := d.Begin()
		defer tx.Release()
		mk := func(feed, guid, text string) *record.Story {
			return &record.Story{ID: id, GUID: guid, Feed: record.FeedRef{URL: feed}, URL: url, CanonicalURL: url, Body: text, ContentHash: feed + "\x00" + text}
		}
		if _, err := tx.Check(mk(fa, "first-1", a), ft(a), now); err != nil {
			return false, err
		}
		dec, err := tx.Check(mk(fb, "second-1", b), ft(b), now.Add(time.Hour))
		return dec.Kind == dedupe.KindDuplicate, err
	}
	var r ClaimResult
	count := func(n *int, fa, a, fb, b string, want bool) error {
		got, err := second(fa, a, fb, b)
		if got == want {
			*n++
		}
		return err
	}
	for _, p := range BuildPairs(arts, Seed, PerArticle) {
		if p.Dup {
			r.Republished++
			if err := count(&r.CopyOnHost, wire, p.B, site, p.A, true); err != nil {
				return r, err
			}
			if err := count(&r.CopyOnFeedHost, wire, p.B, feedHost, p.A, true); err != nil {
				return r, err
			}
			continue
		}
		r.Different++
		if err := count(&r.PublishedOnHost, other, p.B, site, p.A, false); err != nil {
			return r, err
		}
		if err := count(&r.PublishedFeedHost, other, p.B, feedHost, p.A, false); err != nil {
			return r, err
		}
	}
	for _, a := range arts {
		lead, full := leadOf(a), a.Text()
		if lead == "" {
			continue
		}
		r.Leads++
		if err := count(&r.LeadCopyOffHost, other, lead, feedHost, full, true); err != nil {
			return r, err
		}
		if err := count(&r.LeadCopySite, section, lead, site, full, true); err != nil {
			return r, err
		}
	}
	if w != nil {
		r.Write(w)
	}
	return r, nil
}

// leadOf is an article's first paragraphs up to LeadWords words, "" when
// that is the whole article.
func leadOf(a Article) string {
	n := 0
	for i, p := range a.Paras {
		n += len(strings.Fields(p))
		if n >= LeadWords {
			if i == len(a.Paras)-1 {
				return ""
			}
			return strings.Join(a.Paras[:i+1], "\n\n")
		}
	}
	return ""
}

func (r ClaimResult) Write(w io.Writer) {
	fmt.Fprintf(w, "one URL listed by two feeds (WikiRef220; the other feed's item first, then the site's; site feed on the URL's host / on a feed host)\n")
	fmt.Fprintf(w, "  edited republication, a wire's first: the site's a copy %d/%d / %d/%d\n", r.CopyOnHost, r.Republished, r.CopyOnFeedHost, r.Republished)
	fmt.Fprintf(w, "  different article, another feed's first: the site's story published %d/%d / %d/%d\n", r.PublishedOnHost, r.Different, r.PublishedFeedHost, r.Different)
	fmt.Fprintf(w, "  lead of %d+ words first, the full text later: a copy %d/%d (both feeds the site's) / %d/%d (both off its host)\n", LeadWords, r.LeadCopySite, r.Leads, r.LeadCopyOffHost, r.Leads)
}
