package normalize

import (
	"reflect"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/wirestream/wirestream/pipeline/record"
)

// Shrink cuts the raw text of an item that does not fit where a source
// must hand it over whole — the fetch role's message on the items topic,
// under kafka.max_message_bytes — down to what Normalize keeps of it, so
// that the story a processor makes of the cut item is the story the whole
// item makes in a single process: the same id, text, content hash and
// Truncated flags. fits says whether an item fits. Shrink returns the item
// to hand over and whether it fits; the caller's item is not changed.
//
// The line fields (title, publisher, feed title, each author, category and
// subject name, media text) are cut to just over the prefix Normalize's
// first step keeps of them: that step then makes the very cut, and notes
// it, as it does for the whole item. If the item still does not fit, the
// longer of content and description is halved until it does. Either way
// the cut item is normalized and compared with the whole: a cut that would
// change the story is not made, and the item is handed back whole, not
// fitting (the fetcher then dead-letters it as too large, as before).
// The GUID and the link are identities and never cut.
func (n *Normalizer) Shrink(it record.Item, fits func(*record.Item) bool) (record.Item, bool) {
	if fits(&it) {
		return it, true
	}
	cut := it
	preShrink(&cut)
	for !fits(&cut) {
		f := &cut.Content
		if len(cut.Description) > len(cut.Content) {
			f = &cut.Description
		}
		if len(*f) < 2*maxMediaText {
			return it, false // what is left is not the text
		}
		*f = record.Prefix(*f, len(*f)/2)
	}
	// One first-seen time for both, so the comparison sees only the text.
	now := time.Now()
	whole, errWhole := n.normalizeQuiet(it, now)
	short, errShort := n.normalizeQuiet(cut, now)
	if errWhole != nil || errShort != nil || !reflect.DeepEqual(whole, short) {
		return it, false
	}
	return cut, true
}

// normalizeQuiet is Normalize without counting the story in the metrics:
// Shrink's trial runs are not stories.
func (n *Normalizer) normalizeQuiet(it record.Item, now time.Time) (*record.Story, error) {
	quiet := *n
	quiet.m = NewMetrics(nil)
	return quiet.normalize(it, now, nil)
}

// preShrink cuts each raw line field longer than preCut's prefix to that
// prefix and a few bytes more: preCut still finds it too long, so it cuts
// it to the same prefix and notes the field, exactly as for the whole.
func preShrink(it *record.Item) {
	keep := func(s string, n int) string {
		if len(s) <= preCutFactor*n {
			return s
		}
		return record.Prefix(s, preCutFactor*n+utf8.UTFMax)
	}
	it.Title = keep(it.Title, maxTitleBytes)
	it.Publisher = keep(it.Publisher, maxNameBytes)
	it.Feed.Title = keep(it.Feed.Title, maxNameBytes)
	list := func(in []string) []string {
		out := slices.Clone(in)
		for i := range out {
			out[i] = keep(out[i], maxNameBytes)
		}
		return out
	}
	it.Authors = list(it.Authors)
	it.Categories = list(it.Categories)
	it.Subjects = slices.Clone(it.Subjects)
	for i := range it.Subjects {
		it.Subjects[i].Name = keep(it.Subjects[i].Name, maxNameBytes)
	}
	it.Media = slices.Clone(it.Media)
	for i := range it.Media {
		m := &it.Media[i]
		m.Title, m.Credit, m.Captions = keep(m.Title, maxMediaText), keep(m.Credit, maxMediaText), keep(m.Captions, maxMediaText)
	}
}
