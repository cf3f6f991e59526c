package feed

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/net/html/charset"

	"github.com/wirestream/wirestream/pipeline/record"
)

// opmlOutline keeps every attribute: real files spell xmlUrl as xmlURL or
// xmlurl, and put the name in text, title or both.
type opmlOutline struct {
	Attrs    []xml.Attr    `xml:",any,attr"`
	Outlines []opmlOutline `xml:"outline"`
}

func (o opmlOutline) attr(name string) string {
	for _, a := range o.Attrs {
		if strings.EqualFold(a.Name.Local, name) {
			return strings.TrimSpace(a.Value)
		}
	}
	return ""
}

func (o opmlOutline) name() string {
	if t := o.attr("title"); t != "" {
		return t
	}
	return o.attr("text")
}

type opmlDoc struct {
	XMLName xml.Name      // checked after decoding, to name what the root is instead
	Body    []opmlOutline `xml:"body>outline"`
}

// maxOPMLFeeds bounds what one file can add, so a hostile or broken file
// cannot make the poller start millions of loops.
const maxOPMLFeeds = 100_000

// ParseOPML reads an OPML 1.0 or 2.0 subscription list. Outlines nest:
// the titles of an outline's ancestors become its tags, as do the paths of
// an OPML 2.0 category attribute ("/News/World,Tech" → News, World, Tech).
// Every feed outline needs an xmlUrl with an http or https URL; outlines
// without one are folders (or notes) and add no feed. A URL listed twice
// becomes one Spec with the tags of both.
func ParseOPML(r io.Reader) ([]Spec, error) {
	specs, _, err := ParseOPMLRepeats(r)
	return specs, err
}

// OPMLRepeat is a feed outline whose URL an earlier outline of the same
// file already listed: it adds no feed, only its tags (and its name, when
// the first had none) to the first one's.
type OPMLRepeat struct {
	URL  string
	Name string
	Tags []string // the repeat's own tags
}

// ParseOPMLRepeats is ParseOPML that also says which outlines it merged
// into an earlier one, so an import can tell the user.
func ParseOPMLRepeats(r io.Reader) ([]Spec, []OPMLRepeat, error) {
	dec := xml.NewDecoder(r)
	dec.CharsetReader = charset.NewReaderLabel
	dec.Strict = false
	var doc opmlDoc
	if err := dec.Decode(&doc); err != nil {
		return nil, nil, fmt.Errorf("opml: read document: %w", err)
	}
	if root := doc.XMLName.Local; root != "opml" {
		// encoding/xml's "expected element type <opml> but have <rss>" did
		// not tell a newcomer importing a feed file that it is a feed.
		what := ""
		switch root {
		case "rss", "feed", "RDF":
			what = ": a feed, not an OPML list of feeds"
		}
		return nil, nil, fmt.Errorf("opml: read document: its root element is <%s>, not <opml>%s", root, what)
	}
	var specs []Spec
	var repeats []OPMLRepeat
	index := map[string]int{}
	var errs []error
	var walk func(outs []opmlOutline, tags []string, depth int)
	walk = func(outs []opmlOutline, tags []string, depth int) {
		if depth > 32 {
			errs = append(errs, errors.New("opml: outlines nested deeper than 32 levels"))
			return
		}
		for _, o := range outs {
			feedURL := o.attr("xmlUrl")
			if feedURL == "" {
				if name := o.name(); name != "" && len(o.Outlines) > 0 {
					walk(o.Outlines, appendTag(tags, name), depth+1)
				} else {
					walk(o.Outlines, tags, depth+1)
				}
				continue
			}
			if err := CheckHTTPURL(feedURL); err != nil {
				errs = append(errs, fmt.Errorf("opml: outline %q: xmlUrl %q: %w", o.name(), record.RedactURL(feedURL), err))
				continue
			}
			own := append([]string(nil), tags...)
			for _, c := range strings.Split(o.attr("category"), ",") {
				for _, part := range strings.Split(c, "/") {
					own = appendTag(own, part)
				}
			}
			if i, ok := index[feedURL]; ok {
				repeats = append(repeats, OPMLRepeat{URL: feedURL, Name: o.name(), Tags: own})
				for _, t := range own {
					specs[i].Tags = appendTag(specs[i].Tags, t)
				}
				if specs[i].Name == "" {
					specs[i].Name = o.name()
				}
				continue
			}
			if len(specs) >= maxOPMLFeeds {
				errs = append(errs, fmt.Errorf("opml: more than %d feeds", maxOPMLFeeds))
				return
			}
			index[feedURL] = len(specs)
			specs = append(specs, Spec{URL: feedURL, Name: o.name(), Tags: own})
			// A feed outline may itself hold outlines (some readers nest
			// per-feed notes); they are walked with the same tags.
			walk(o.Outlines, tags, depth+1)
		}
	}
	walk(doc.Body, nil, 0)
	if err := errors.Join(errs...); err != nil {
		return nil, nil, err
	}
	return specs, repeats, nil
}

func appendTag(tags []string, t string) []string {
	t = strings.TrimSpace(t)
	if t == "" {
		return tags
	}
	for _, x := range tags {
		if strings.EqualFold(x, t) {
			return tags
		}
	}
	return append(append([]string(nil), tags...), t)
}
