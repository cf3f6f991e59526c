package demo

import (
	"regexp"
	"slices"
	"strings"
	"time"
)

// feedWindow is how many items a feed lists, newest first, as most news
// feeds do: older stories fall off the end as new ones arrive.
const feedWindow = 20

// entry is a story placed on the wall clock of one run: its GUID, link and
// the moment it appears (which is also its published date).
type entry struct {
	*story
	outlet    *outlet
	guid      string
	link      string
	published time.Time
	revisedAt time.Time // zero when the story is never revised
}

// timeline is the script laid out from a start time at a given speed.
type timeline struct {
	start   time.Time
	scale   float64 // real seconds per nominal script second
	run     string
	outlets []*outlet
	entries map[string][]*entry // outlet id -> entries, newest first
	beats   []beat
}

func newTimeline(sc *script, start time.Time, duration time.Duration, run string) *timeline {
	tl := &timeline{
		start:   start.UTC().Truncate(time.Second),
		scale:   float64(duration) / float64(scriptLength),
		run:     run,
		entries: map[string][]*entry{},
		beats:   sc.beats,
	}
	byID := map[string]*outlet{}
	for i := range sc.outlets {
		o := &sc.outlets[i]
		tl.outlets = append(tl.outlets, o)
		byID[o.ID] = o
	}
	for i := range sc.stories {
		st := &sc.stories[i]
		o := byID[st.Outlet]
		e := &entry{story: st, outlet: o, published: tl.at(st.At)}
		if st.Revise != nil {
			e.revisedAt = tl.at(st.Revise.At)
		}
		e.link = tl.expand(o.Link, e)
		e.guid = e.link
		if o.GUID != "" {
			e.guid = tl.expand(o.GUID, e)
		}
		tl.entries[o.ID] = append(tl.entries[o.ID], e)
	}
	for _, es := range tl.entries {
		slices.SortStableFunc(es, func(a, b *entry) int { return b.published.Compare(a.published) })
	}
	return tl
}

// at maps a script offset to the wall clock. Whole seconds only, so an item
// never becomes visible after a response whose Last-Modified already
// covered its second (If-Modified-Since has one-second resolution).
func (tl *timeline) at(d time.Duration) time.Time {
	if d < 0 {
		return tl.start.Add(d).Truncate(time.Second)
	}
	return tl.start.Add(time.Duration(float64(d) * tl.scale)).Truncate(time.Second)
}

// view is what one feed shows at one moment.
type view struct {
	items    []itemView
	modified time.Time // newest published or revision time shown
	key      viewKey
}

type itemView struct {
	*entry
	title   string
	body    string
	updated time.Time // zero unless revised
}

// viewKey identifies a view's content: a feed's items only ever arrive, and
// a revision only ever applies, so these two counts pin the content down.
type viewKey struct{ visible, revised int }

func (tl *timeline) view(outletID string, now time.Time) view {
	var v view
	for _, e := range tl.entries[outletID] {
		if e.published.After(now) {
			continue
		}
		v.key.visible++
		iv := itemView{entry: e, title: e.Title, body: e.Body}
		if !e.revisedAt.IsZero() && !e.revisedAt.After(now) {
			v.key.revised++
			iv.title, iv.updated = e.Revise.Title, e.revisedAt
			if e.Revise.Body != "" {
				iv.body = e.Revise.Body
			}
		}
		if len(v.items) < feedWindow {
			v.items = append(v.items, iv)
		}
	}
	for _, it := range v.items {
		v.modified = maxTime(v.modified, it.published)
		v.modified = maxTime(v.modified, it.updated)
	}
	if v.modified.IsZero() {
		v.modified = tl.start
	}
	return v
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

// slugify makes a URL slug from a headline, the way CMSes do: lower case,
// ASCII words joined by hyphens, at most eight words.
func slugify(title string) string {
	r := strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss", "é", "e", "è", "e", "ê", "e",
		"à", "a", "â", "a", "ç", "c", "î", "i", "ï", "i", "ô", "o", "û", "u", "ù", "u", "œ", "oe", "’", "", "'", "")
	s := nonSlug.ReplaceAllString(r.Replace(strings.ToLower(title)), "-")
	words := strings.Split(strings.Trim(s, "-"), "-")
	if len(words) > 8 {
		words = words[:8]
	}
	return strings.Join(words, "-")
}

func (tl *timeline) expand(pattern string, e *entry) string {
	section := e.Section
	if section == "" {
		section = "news"
	}
	return strings.NewReplacer(
		"{run}", tl.run,
		"{id}", e.ID,
		"{slug}", slugify(e.Title),
		"{section}", section,
		"{date}", e.published.Format("2006/01/02"),
	).Replace(pattern)
}
