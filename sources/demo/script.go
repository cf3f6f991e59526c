package demo

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"
)

// scriptLength is the nominal length of the scripted timeline. Every
// non-negative "at" in content/*.yaml is a point on this 3-minute scale and
// is stretched or squeezed to Options.Duration; negative "at" values are the
// outlets' backlog and stay real offsets (hours before the demo started).
const scriptLength = 3 * time.Minute

//go:embed content/*.yaml
var contentFS embed.FS

// Feed formats an outlet can serve.
const (
	formatRSS  = "rss"
	formatAtom = "atom"
	formatJSON = "json"
)

// outlet is one publisher and the feed it serves.
type outlet struct {
	ID          string `yaml:"id"`
	Name        string `yaml:"name"`
	Format      string `yaml:"format"`
	Language    string `yaml:"language"`
	Home        string `yaml:"home"`
	Description string `yaml:"description"`
	// Link and GUID are patterns with {run}, {id}, {slug}, {section} and
	// {date}; an empty GUID means the link is the GUID (isPermaLink).
	Link     string `yaml:"link"`
	GUID     string `yaml:"guid"`
	Images   string `yaml:"images"`    // URL prefix for story images
	ImageTag string `yaml:"image_tag"` // RSS only: media:thumbnail, media:content or enclosure
	Style    string `yaml:"style"`     // full, escaped (RSS only) or summary
}

// Outlet styles: how much of a story a feed carries.
const (
	styleFull    = "full"    // summary plus full HTML text
	styleEscaped = "escaped" // full text as entity-escaped HTML in the RSS description
	styleSummary = "summary" // the standfirst only (JSON: full text as content_text)
)

// revision replaces a story's headline (and optionally its body) later in
// the timeline, under the same GUID and link.
type revision struct {
	At    time.Duration `yaml:"at"`
	Title string        `yaml:"title"`
	Body  string        `yaml:"body"`
}

// story is one item as written in content/*.yaml. A story with Republish
// set is a wire republication: its body is the original's, edited by
// Lead, Footer, Drop and Replace, so it stays a near-duplicate.
type story struct {
	ID         string        `yaml:"id"`
	Outlet     string        `yaml:"outlet"`
	At         time.Duration `yaml:"at"`
	Event      string        `yaml:"event"` // set from the file; "" for background news
	Section    string        `yaml:"section"`
	Author     string        `yaml:"author"`
	Categories []string      `yaml:"categories"`
	Image      string        `yaml:"image"`
	Title      string        `yaml:"title"`
	Summary    string        `yaml:"summary"`
	Body       string        `yaml:"body"`
	Revise     *revision     `yaml:"revise"`

	Republish string      `yaml:"republish"`
	Lead      string      `yaml:"lead"`    // paragraph put before the copied text (a dateline, a standfirst)
	Footer    string      `yaml:"footer"`  // paragraph put after it (credit line)
	Drop      []int       `yaml:"drop"`    // 1-based paragraphs of the original to cut
	Replace   [][2]string `yaml:"replace"` // word edits, applied in order
}

// beat is a line of narration logged when the timeline reaches it, so a
// newcomer watching the log knows what to look for downstream.
type beat struct {
	At   time.Duration `yaml:"at"`
	Note string        `yaml:"note"`
}

type eventFile struct {
	Event   string  `yaml:"event"`
	Title   string  `yaml:"title"`
	Stories []story `yaml:"stories"`
}

type timelineFile struct {
	Outlets []outlet `yaml:"outlets"`
	Beats   []beat   `yaml:"beats"`
}

// script is the whole demo content, validated and with republications
// resolved into full stories.
type script struct {
	outlets []outlet
	stories []story // file order; republications have Body filled in
	beats   []beat
	events  map[string]string // event id -> title
}

// loadScript reads and validates the embedded content, once: the script is
// read-only after that. It fails only on a broken content file, which the
// package tests catch.
var loadScript = sync.OnceValues(func() (*script, error) {
	return parseScript(contentFS)
})

func parseScript(fsys fs.FS) (*script, error) {
	var sc script
	sc.events = map[string]string{}

	raw, err := fs.ReadFile(fsys, "content/timeline.yaml")
	if err != nil {
		return nil, fmt.Errorf("demo content: read timeline: %w", err)
	}
	var tl timelineFile
	if err := strictYAML(raw, &tl); err != nil {
		return nil, fmt.Errorf("demo content: content/timeline.yaml: %w", err)
	}
	sc.outlets, sc.beats = tl.Outlets, tl.Beats

	names, err := fs.Glob(fsys, "content/*.yaml")
	if err != nil {
		return nil, fmt.Errorf("demo content: list files: %w", err)
	}
	for _, name := range names {
		if path.Base(name) == "timeline.yaml" {
			continue
		}
		raw, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("demo content: read %s: %w", name, err)
		}
		var ef eventFile
		if err := strictYAML(raw, &ef); err != nil {
			return nil, fmt.Errorf("demo content: %s: %w", name, err)
		}
		if ef.Event != "" {
			sc.events[ef.Event] = ef.Title
		}
		for _, st := range ef.Stories {
			st.Event = ef.Event
			sc.stories = append(sc.stories, st)
		}
	}
	if err := sc.resolve(); err != nil {
		return nil, fmt.Errorf("demo content: %w", err)
	}
	return &sc, nil
}

func strictYAML(raw []byte, v any) error {
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	return dec.Decode(v)
}

// resolve validates the script and fills in republished bodies.
func (sc *script) resolve() error {
	outlets := map[string]bool{}
	for _, o := range sc.outlets {
		switch {
		case o.ID == "" || o.Name == "" || o.Home == "" || o.Link == "":
			return fmt.Errorf("outlet %q: id, name, home and link are required", o.ID)
		case o.Format != formatRSS && o.Format != formatAtom && o.Format != formatJSON:
			return fmt.Errorf("outlet %q: format must be rss, atom or json, got %q", o.ID, o.Format)
		case o.Style != styleFull && o.Style != styleEscaped && o.Style != styleSummary:
			return fmt.Errorf("outlet %q: style must be full, escaped or summary, got %q", o.ID, o.Style)
		case o.Style == styleEscaped && o.Format != formatRSS:
			return fmt.Errorf("outlet %q: style escaped is for rss feeds only", o.ID)
		case outlets[o.ID]:
			return fmt.Errorf("outlet %q: defined twice", o.ID)
		}
		outlets[o.ID] = true
	}
	byID := map[string]*story{}
	for i := range sc.stories {
		st := &sc.stories[i]
		switch {
		case st.ID == "":
			return fmt.Errorf("story %d (%q): id is required", i, st.Title)
		case byID[st.ID] != nil:
			return fmt.Errorf("story %q: id used twice", st.ID)
		case !outlets[st.Outlet]:
			return fmt.Errorf("story %q: unknown outlet %q", st.ID, st.Outlet)
		case st.At > scriptLength:
			return fmt.Errorf("story %q: at must be <= %v, got %v", st.ID, scriptLength, st.At)
		case st.Revise != nil && (st.Revise.At <= st.At || st.Revise.At > scriptLength || st.Revise.Title == ""):
			return fmt.Errorf("story %q: revise needs a title and an at in (%v, %v]", st.ID, st.At, scriptLength)
		}
		byID[st.ID] = st
	}
	for i := range sc.stories {
		st := &sc.stories[i]
		if st.Republish == "" {
			if st.Title == "" || st.Body == "" {
				return fmt.Errorf("story %q: title and body are required", st.ID)
			}
			continue
		}
		orig := byID[st.Republish]
		switch {
		case orig == nil:
			return fmt.Errorf("story %q: republishes unknown story %q", st.ID, st.Republish)
		case orig.Republish != "":
			return fmt.Errorf("story %q: republishes %q, itself a republication", st.ID, st.Republish)
		case st.At <= orig.At:
			return fmt.Errorf("story %q: republished at %v, not after the original's %v", st.ID, st.At, orig.At)
		case st.Body != "":
			return fmt.Errorf("story %q: a republication takes its body from %q; use lead, footer, drop and replace", st.ID, orig.ID)
		}
		body, err := republishedBody(orig.Body, st)
		if err != nil {
			return fmt.Errorf("story %q: %w", st.ID, err)
		}
		st.Body = body
		if st.Title == "" {
			st.Title = orig.Title
		}
		if st.Event == "" {
			st.Event = orig.Event
		}
		if len(st.Categories) == 0 {
			st.Categories = orig.Categories
		}
		if st.Image == "" {
			st.Image = orig.Image
		}
	}
	slices.SortStableFunc(sc.beats, func(a, b beat) int { return int(a.At - b.At) })
	return nil
}

// republishedBody applies a republication's edits to the wire original.
func republishedBody(orig string, st *story) (string, error) {
	paras := paragraphs(orig)
	var kept []string
	if st.Lead != "" {
		kept = append(kept, st.Lead)
	}
	for i, p := range paras {
		if slices.Contains(st.Drop, i+1) {
			continue
		}
		kept = append(kept, p)
	}
	for _, d := range st.Drop {
		if d < 1 || d > len(paras) {
			return "", fmt.Errorf("drop %d: the original has %d paragraphs", d, len(paras))
		}
	}
	if st.Footer != "" {
		kept = append(kept, st.Footer)
	}
	body := strings.Join(kept, "\n\n")
	for _, r := range st.Replace {
		if !strings.Contains(body, r[0]) {
			return "", fmt.Errorf("replace %q: not in the original text", r[0])
		}
		body = strings.ReplaceAll(body, r[0], r[1])
	}
	if len(kept) == 0 {
		return "", errors.New("every paragraph was dropped")
	}
	return body, nil
}

// paragraphs splits a YAML block of text on blank lines and joins each
// paragraph's wrapped lines.
func paragraphs(text string) []string {
	var out []string
	for _, block := range strings.Split(strings.TrimSpace(text), "\n\n") {
		p := strings.Join(strings.Fields(block), " ")
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}
