package feed

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// Rejected is an entry of a feed document that did not become an item.
// Sources publish it as a dead letter (DeadLetters): a feed's broken or
// repeated entries are reported, not dropped.
type Rejected struct {
	Reason string `json:"reason"` // RejectInvalid, RejectRepeated, RejectOverLimit
	Error  string `json:"error"`  // what, and where in the document
	// Key identifies the entry across polls of the feed (a hash of what
	// it holds), so a poller reports it once, not on every poll.
	Key  string       `json:"key"`
	Item *record.Item `json:"item,omitempty"` // when it was read (a repeat)
	Raw  string       `json:"raw,omitempty"`  // when it could not be (an invalid JSON Feed item), or what was left out
}

// Reasons an entry is rejected (label of wirestream_feed_items_rejected_total).
const (
	RejectInvalid   = "invalid"        // a JSON Feed item that is not one
	RejectRepeated  = "repeated"       // an item that repeats an earlier one of the same document
	RejectOverLimit = "over_max_items" // the items after poller.max_items, as one entry
)

// identity is what tells an item from the others of its feed: its GUID,
// else its link, else its title and date. (The poller's saved item keys
// are hashes of it: its form is kept across versions.)
func identity(it *record.Item) string {
	switch {
	case it.GUID != "":
		return it.GUID
	case it.Link != "":
		return it.Link
	}
	return it.Title + "\x00" + it.PublishedRaw
}

// describe names an item in an error message, briefly.
func describe(it *record.Item) string {
	switch {
	case it.GUID != "":
		return fmt.Sprintf("guid %q", record.Truncate(it.GUID, 200))
	case it.Link != "":
		return fmt.Sprintf("link %q", record.Truncate(it.Link, 200))
	}
	return fmt.Sprintf("title %q", record.Truncate(it.Title, 200))
}

// splitSharedGUIDs settles a GUID that items with different links share:
// it names several stories, so it identifies none of them. Those items
// lose it and are told apart by their links (counted in DuplicateGUIDs).
func (d *Document) splitSharedGUIDs() {
	links := map[string]map[string]bool{}
	for i := range d.Items {
		if g := d.Items[i].GUID; g != "" {
			if links[g] == nil {
				links[g] = map[string]bool{}
			}
			links[g][d.Items[i].Link] = true
		}
	}
	for i := range d.Items {
		if g := d.Items[i].GUID; g != "" && len(links[g]) > 1 {
			d.Items[i].GUID = ""
			d.DuplicateGUIDs++
		}
	}
}

// rejectRepeats rejects, with the reason, each item whose identity an
// earlier item of the document already has; the first is kept.
func (d *Document) rejectRepeats() {
	first := make(map[string]int, len(d.Items))
	kept := d.Items[:0]
	// By index: a range variable whose address the rejection keeps moved
	// every item (≈ 300 bytes) to the heap, an allocation per item read.
	// Writing kept[k] with k ≤ i never reaches an item not yet read.
	for i := range d.Items {
		it := &d.Items[i]
		id := identity(it)
		if j, seen := first[id]; seen {
			rep := *it // its own copy: kept's appends reuse d.Items' slots
			what := "same text"
			if contentHash(&rep) != contentHash(&kept[j]) {
				what = "different text: the first is read"
			}
			d.Rejected = append(d.Rejected, Rejected{Reason: RejectRepeated, Key: shortHash(RejectRepeated, id, formatHash(contentHash(&rep))),
				Error: fmt.Sprintf("item repeats item %d of the document (%s, %s)", j+1, describe(&rep), what), Item: &rep})
			continue
		}
		first[id] = len(kept)
		kept = append(kept, *it)
	}
	d.Items = kept
}

// Limit keeps the newest max items (newestFirst: by date, and items
// without one by their place, first first) and rejects the rest as one
// entry that lists them, so a 10,000-item document costs one dead letter,
// not ten thousand, and still says what was not read. The entries
// ParseAtMost left unbuilt (NotRead, the middle of the document) are
// counted in it, not listed: it read no more of them than where they end.
// Both a whole parse and ParseAtMost are limited here, by the one rule.
// skew is normalize.future_skew: a date later than an item's fetch plus
// skew ranks as none (itemDate).
//
// setting names the limit as the user set it ("poller.max_items", or
// process's "--max-items"), for the entry's message.
func (d *Document) Limit(max int, skew time.Duration, setting string) {
	if len(d.Items) <= max && d.NotRead == 0 {
		return
	}
	// Read at both ends only, a document whose dates are in no order may
	// hold newer items in the middle, unread: the entry says so rather
	// than call them the oldest.
	dates, isDated := itemDates(d.Items, skew)
	order := dateOrder(dates, isDated)
	unordered := d.NotRead > 0 && !order.newestAtAnEnd()
	read := len(d.Items)
	var over []record.Item
	if len(d.Items) > max {
		d.Items, over = newestFirst(d.Items, max, dates, isDated, order)
	}
	ids := make([]string, 0, len(over))
	for i := range over {
		ids = append(ids, describe(&over[i]))
	}
	raw, _ := json.Marshal(ids)
	keyParts := append([]string{RejectOverLimit}, ids...)
	if d.NotRead > 0 {
		// The unread entries are known by their number only: a feed that
		// grows by one past the read ones is a new overflow to report.
		keyParts = append(keyParts, "not read: "+strconv.Itoa(d.NotRead))
	}
	msg := overLimitMessage(overLimit{
		total: read + d.NotRead, max: max, setting: setting, kept: len(d.Items), read: read,
		notRead: d.NotRead, dated: order.n, unordered: unordered,
	})
	d.Rejected = append(d.Rejected, Rejected{Reason: RejectOverLimit, Key: shortHash(keyParts...), Error: msg, Raw: string(raw)})
}

// DeadLetters turns rejected entries of feedURL's document into dead
// letters (stage read), each carrying the item or the raw entry. The id
// of each is derived from the feed and the entry's Key, so the same entry
// reported again collapses with the first report; and from doc, when it
// is not empty: the document's own name (a file's, for `process`), as one
// site's archive files share its feed URL (their channel link) and the
// same bad entry in two of them is two dead letters. A live feed's polls
// pass "": its document is the feed.
func DeadLetters(feedURL, doc string, rs []Rejected, at time.Time) []*record.DeadLetter {
	out := make([]*record.DeadLetter, 0, len(rs))
	subject := feedURL
	if doc != "" {
		subject = doc + "\x00" + feedURL
	}
	for _, r := range rs {
		dl := record.NewDeadLetter(record.StageRead, subject+"\x00"+r.Key, feedURL, fmt.Errorf("feed %s: %s", feedURL, r.Error), at)
		switch {
		case r.Item != nil:
			dl.WithItem(*r.Item)
		case r.Raw != "":
			dl.WithPayload([]byte(r.Raw))
		}
		out = append(out, dl)
	}
	return out
}

// MaxItemsSetting names max_items as a configuration file sets it, for
// Limit's message; `process --max-items` passes its flag instead.
const MaxItemsSetting = "poller.max_items"

// overLimit is what Limit did to a document, for its entry's message.
type overLimit struct {
	total, max int
	setting    string
	kept, read int // items kept, of those read
	notRead    int // entries ParseAtMost left unbuilt, in the middle
	dated      int // of the items read, those with a date newestFirst believes
	unordered  bool
}

// overLimitMessage says which items Limit left out, as newestFirst chose
// them: "the N oldest" only where they are — a document without dates
// keeps its first, one with some undated items ranks each with its newer
// dated neighbour, and one read at both ends whose dates are in no order
// may hold newer items in its unread middle.
func overLimitMessage(o overLimit) string {
	head := fmt.Sprintf("the document has %d items, over the limit of %d (%s): ", o.total, o.max, o.setting)
	left := o.total - o.kept
	switch {
	case o.unordered:
		return head + fmt.Sprintf("the newest %d of the %d read at its two ends were kept; "+
			"its dates are in no order, so the %d between them, not read, may hold newer ones", o.kept, o.read, o.notRead)
	case o.dated == 0:
		return head + fmt.Sprintf("it has no dates, so its first %d were kept and the %d after them were not read", o.kept, left)
	case o.dated < o.read:
		return head + fmt.Sprintf("the %d oldest were not read (%d of its items have no date: each ranks with the newer of its dated neighbours)",
			left, o.read-o.dated)
	}
	return head + fmt.Sprintf("the %d oldest were not read", left)
}
