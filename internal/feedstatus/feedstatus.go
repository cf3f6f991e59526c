// Package feedstatus reads the compacted feed_status topic into a table of
// feeds by health — `wirestream feeds status` — so that among thousands of
// feeds the failing ones are found at a glance, with their last error.
//
// It promises the latest state of each feed the topic holds (the record
// with the highest offset per key; a tombstone removes the feed), sorted
// with the feeds that need a look first, and never a silent gap: a value
// it cannot read is counted and reported, not skipped.
package feedstatus

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"

	"github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/internal/editdist"
	"github.com/wirestream/wirestream/internal/tail"
	"github.com/wirestream/wirestream/pipeline/record"
	kafkasink "github.com/wirestream/wirestream/sinks/kafka"
)

// Filter selects feeds; zero values select all.
type Filter struct {
	Health []record.Health // any of these
	Tag    string          // feeds with this tag (case-insensitive)
}

// match reports whether f selects s; a feed the list no longer holds is
// selected by its state, Removed, not by the health of its last poll.
func (f Filter) match(s record.FeedStatus, removed bool) bool {
	state := s.Health
	if removed {
		state = Removed
	}
	if len(f.Health) > 0 && !slices.Contains(f.Health, state) {
		return false
	}
	if f.Tag != "" && !slices.ContainsFunc(s.Tags, func(t string) bool { return strings.EqualFold(t, f.Tag) }) {
		return false
	}
	return true
}

// Table is the latest state of each feed in the topic.
type Table struct {
	Feeds []record.FeedStatus // filtered and sorted: worst health first
	Total int                 // feeds in the topic before filtering
	// Unreadable counts values that are not feed_status records of this
	// schema (another producer's, a newer version).
	Unreadable int
	// StatusInterval is the pollers' poller.status_interval: a feed that
	// polls without a change publishes a record only that often, so its
	// record's next poll may have passed while it polls on schedule. The
	// table tells that from a feed that stopped being polled with it
	// (NextPoll); 0 reads every passed next poll as overdue.
	StatusInterval time.Duration
	// Missing is set when the topic is not on the cluster (the table is
	// empty): it names the broker and the topics there of the same name
	// under another prefix, which an empty table alone does not tell.
	Missing *tail.MissingTopicError
	// List is the feed list compared with the records that name none
	// (feed_list, written before round 21), when known: a feed it does
	// not hold is shown Removed, last, its next poll not projected. nil
	// marks none of them.
	List *List
	// lists are the feed lists read, by ID: a record naming its list is
	// compared with that list alone, and marked by none when its list was
	// not read (another machine's file, another cluster's topic).
	lists map[string]*List
	// latestAt is, by feed (feedID), the key and partition of the record latest holds for it;
	// others are the live records of a feed that latest does not hold (an older one under
	// another key or in another partition), by key and partition. A key of an earlier release,
	// with the password, and today's, with xxxxx, name one feed, and a tombstone for the old
	// key must not drop today's record; and Kafka compacts each partition apart, so a key's
	// records in two partitions (written before and after partitions were added) are two, and
	// a tombstone (the start's, in the partition it found the key in) removes its own
	// partition's alone — the feed's newest other record is shown then. others is by feed
	// (feedID), then key and partition, and otherOf the feed each key and partition is kept
	// under: a record looks at its own feed's alone (after partitions were added every feed
	// has one, and a walk of all of them at each record made the fold quadratic).
	latestAt map[string]kafkasink.KeyOn
	others   map[string]map[kafkasink.KeyOn]record.FeedStatus
	otherOf  map[kafkasink.KeyOn]string

	latest map[string]record.FeedStatus // each feed's latest record, by feedID
	filter Filter
	// shared are the URLs more than one feed of the topic has (sharedURLs), before the
	// filter: an account shown alone is labelled as when its feed's others are shown.
	shared map[string]bool
}

// IsRemoved reports whether s is a feed its list no longer holds.
func (t Table) IsRemoved(s record.FeedStatus) bool { return t.removedFrom(s) != nil }

// removedFrom is the list s's feed was polled from when it no longer
// holds the feed; nil when it does, or is not known.
func (t Table) removedFrom(s record.FeedStatus) *List {
	l := t.List
	if s.FeedList != "" {
		l = t.lists[s.FeedList]
	}
	if l == nil || l.holds(s) {
		return nil
	}
	return l
}

// account is the hash of a feed_status key that is a FeedKey of a URL with a secret
// (record.CutAccountKey), which tells apart feeds whose URLs differ only in their secret (two
// accounts of one paid feed); "" for any other key.
func account(key string) string {
	_, hash, _ := record.CutAccountKey(key)
	return hash
}

// feedID is the feed a record under key is of, in the table: its key when that has an
// account hash (record.FeedKey), so two accounts of one feed are two feeds; otherwise
// feedURL, the feed's URL as logs say it (record.RedactURL), so an earlier release's record, under a key
// that says the secret or none of it, folds with the feed's (folded).
func feedID(key, feedURL string) string {
	if account(key) != "" {
		return key
	}
	return feedURL
}

// Read scans the feed_status topic of cfg to its current end and returns
// the latest state of each feed that f selects.
func Read(ctx context.Context, cfg kafkasink.Config, f Filter) (Table, error) {
	latest := map[string]record.FeedStatus{}
	var t Table
	err := tail.Scan(ctx, cfg, string(record.TypeFeedStatus), func(m kafka.Message) error {
		t.read(latest, m.Partition, m.Key, m.Value)
		return nil
	})
	if missing := (*tail.MissingTopicError)(nil); errors.As(err, &missing) {
		t.Missing, err = missing, nil // no poller has published yet: an empty table
	}
	if err != nil {
		return t, err // it names the topic
	}
	t.latest, t.filter = latest, f
	t.fill()
	return t, nil
}

// read takes one record of the topic, of partition under key, into latest: any producer may
// have written it (FuzzTable).
func (t *Table) read(latest map[string]record.FeedStatus, partition int, key, value []byte) {
	if value == nil { // a tombstone: that key's record in that partition is gone
		at := kafkasink.KeyOn{Key: string(key), Partition: partition}
		if id := feedID(at.Key, record.RedactURL(record.KeyURL(at.Key))); t.latestAt[id] == at {
			delete(latest, id)
			delete(t.latestAt, id)
			t.showNewestOther(latest, id)
		}
		t.dropOther(at)
		return
	}
	var s record.FeedStatus
	if err := json.Unmarshal(value, &s); err != nil || s.FeedURL == "" {
		t.Unreadable++
		return
	}
	// Records of earlier releases named a feed with the password of its
	// URL (in last_error too, before round 30): shown, and folded with
	// the records of today, without it.
	for _, u := range []string{s.FeedURL, s.MovedTo} {
		if r := record.RedactURL(u); r != u {
			s.LastError = strings.ReplaceAll(s.LastError, u, r)
		}
	}
	s.ID, s.FeedURL, s.MovedTo = record.RedactURL(s.ID), record.RedactURL(s.FeedURL), record.RedactURL(s.MovedTo)
	s.Key = string(key)
	at := kafkasink.KeyOn{Key: s.Key, Partition: partition}
	id := feedID(s.Key, s.FeedURL)
	if t.latestAt == nil {
		t.latestAt = map[string]kafkasink.KeyOn{}
	}
	t.dropOther(at)
	shown, ok := latest[id]
	switch {
	case !ok: // a new feed: none of its records kept aside (showNewestOther would have shown one)
		latest[id], t.latestAt[id] = s, at
	case t.latestAt[id] == at: // its shown record's next
		latest[id], t.latestAt[id] = s, at
		t.showNewestOther(latest, id)
	case !s.LastAttempt.Before(shown.LastAttempt):
		t.keepOther(t.latestAt[id], shown)
		latest[id], t.latestAt[id] = s, at
	default:
		t.keepOther(at, s)
	}
}

// keepOther keeps s, under at, among its feed's records not shown.
func (t *Table) keepOther(at kafkasink.KeyOn, s record.FeedStatus) {
	t.dropOther(at)
	if t.others == nil {
		t.others, t.otherOf = map[string]map[kafkasink.KeyOn]record.FeedStatus{}, map[kafkasink.KeyOn]string{}
	}
	id := feedID(s.Key, s.FeedURL)
	if t.others[id] == nil {
		t.others[id] = map[kafkasink.KeyOn]record.FeedStatus{}
	}
	t.others[id][at], t.otherOf[at] = s, id
}

// dropOther forgets the record kept under at, if any.
func (t *Table) dropOther(at kafkasink.KeyOn) {
	id, ok := t.otherOf[at]
	if !ok {
		return
	}
	delete(t.otherOf, at)
	delete(t.others[id], at)
	if len(t.others[id]) == 0 {
		delete(t.others, id)
	}
}

// showNewestOther shows in latest the newest of feed id's records not shown (others) when it
// is newer than the one shown, or when none is; the one it replaces is kept among the others.
// A feed has few others — an earlier release's key, a key in a second partition —, so the
// walk is short.
func (t *Table) showNewestOther(latest map[string]record.FeedStatus, id string) {
	mine := t.others[id]
	var best kafkasink.KeyOn
	found := false
	for at, o := range mine {
		if !found || o.LastAttempt.After(mine[best].LastAttempt) ||
			o.LastAttempt.Equal(mine[best].LastAttempt) && cmp.Or(strings.Compare(at.Key, best.Key), cmp.Compare(at.Partition, best.Partition)) > 0 {
			best, found = at, true
		}
	}
	if !found {
		return
	}
	o := mine[best]
	if shown, ok := latest[id]; ok {
		if shown.LastAttempt.After(o.LastAttempt) {
			return
		}
		t.keepOther(t.latestAt[id], shown)
	}
	t.dropOther(best)
	latest[id], t.latestAt[id] = o, best
}

// folded is each feed's latest record: latest's, with an earlier release's record (under a
// key without an account hash) folded into the one feed of its URL that has one, the later
// record standing for both under today's key. When several accounts share the URL, the old
// record cannot say whose it is, and stays a line of its own until the start tombstones it.
func folded(latest map[string]record.FeedStatus) []record.FeedStatus {
	accounts := map[string][]string{} // URL as said → the feedIDs of its accounts
	for id, s := range latest {
		if account(s.Key) != "" {
			accounts[s.FeedURL] = append(accounts[s.FeedURL], id)
		}
	}
	feeds := make(map[string]record.FeedStatus, len(latest))
	for id, s := range latest {
		if ids := accounts[s.FeedURL]; account(s.Key) == "" && len(ids) == 1 {
			if today := latest[ids[0]]; s.LastAttempt.After(today.LastAttempt) {
				s.Key = today.Key
				feeds[ids[0]] = s
			}
			continue
		}
		if _, done := feeds[id]; !done {
			feeds[id] = s
		}
	}
	out := make([]record.FeedStatus, 0, len(feeds))
	for _, s := range feeds {
		out = append(out, s)
	}
	return out
}

// CompareWith marks as Removed each feed its feed list no longer holds,
// and selects and orders the table's feeds again by their state. A
// record naming its list (feed_list) is compared with the list of read
// (byDefault included) of that ID alone, and with none when none is: a
// list shared by several deployments is judged exactly. A record naming
// none, written before feed_list existed, is compared with byDefault —
// the one list feeds status compared every feed with before.
func (t *Table) CompareWith(byDefault *List, read ...*List) {
	t.List, t.lists = byDefault, map[string]*List{}
	for _, l := range slices.Concat(read, []*List{byDefault}) {
		if l != nil {
			t.lists[l.ID] = l
		}
	}
	t.fill()
}

// fill sets the table's feeds to those of its latest records that its
// filter selects, in the order they are shown: the feeds that need a look
// first (Sort), then the ones the list no longer holds. Each feed is
// looked up in its list once, and the two groups are sorted apart: Sort
// orders by URL and key last, and no two feeds of folded share both (an
// account is its key, any other feed its URL), so the order is the one
// sorting all and then moving the removed last would give.
func (t *Table) fill() {
	feeds := folded(t.latest)
	t.Total = len(feeds)
	t.shared = sharedURLs(feeds)
	var listed, removed []record.FeedStatus
	for _, s := range feeds {
		gone := t.IsRemoved(s)
		switch {
		case !t.filter.match(s, gone):
		case gone:
			removed = append(removed, s)
		default:
			listed = append(listed, s)
		}
	}
	Sort(listed)
	Sort(removed)
	t.Feeds = append(listed, removed...)
}

// HealthOrder lists the healths, the ones that need a look first ("" is a
// feed not polled yet): the order Sort puts feeds in.
var HealthOrder = []record.Health{record.HealthFailing, record.HealthGone, record.HealthDegraded, "", record.HealthOK}

// Sort puts failing feeds first, then gone, degraded, not yet polled and
// ok; within one health, the most consecutive failures first, then by
// URL (and key: two accounts of one feed). The CLI's table and the status
// page list feeds in this order.
func Sort(feeds []record.FeedStatus) {
	slices.SortFunc(feeds, func(a, b record.FeedStatus) int {
		return cmp.Or(cmp.Compare(severity(a.Health), severity(b.Health)), cmp.Compare(b.ConsecutiveFailures, a.ConsecutiveFailures),
			strings.Compare(a.FeedURL, b.FeedURL), strings.Compare(a.Key, b.Key))
	})
}

// WriteTable prints t for people: one feed a line, aligned, times relative
// to now, the last error last (it is the long column), and a summary.
func WriteTable(w io.Writer, t Table, now time.Time) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "HEALTH\tLAST SUCCESS\tNEXT POLL\tITEMS\tFEED\tLAST ERROR")
	projected := false
	shared := t.sharedURLs()
	for _, s := range t.Feeds {
		feed := s.FeedURL
		if a := shownAccount(shared, s); a != "" {
			feed += " (account " + a + ")"
		}
		if s.Name != "" {
			feed = s.Name + " <" + feed + ">"
		}
		lastErr := "-"
		if s.LastError != "" {
			lastErr = fmt.Sprintf("%s (%d in a row)", oneLine(s.LastErrorText()), s.ConsecutiveFailures)
		}
		items := fmt.Sprintf("%d", s.ItemsFound)
		if s.ItemsNew > 0 {
			items += fmt.Sprintf(" (%d new)", s.ItemsNew)
		}
		state, last, next := oneLine(string(s.Health)), LastSuccess(s, now, t.StatusInterval), NextPoll(s, now, t.StatusInterval)
		if held := HostHeld(s, now); held != "" {
			next = held
		}
		if t.IsRemoved(s) {
			// Not polled: its record's times are the news, nothing is projected.
			state, last, next = string(Removed), Ago(s.LastSuccess, now), "-"
		}
		projected = projected || strings.HasPrefix(last, "~") || strings.HasPrefix(next, "~")
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", state, last, next, items, oneLine(feed), lastErr)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if _, err := fmt.Fprintln(w, Summary(t)); err != nil || !projected {
		return err
	}
	_, err := fmt.Fprintln(w, projectedNote)
	return err
}

// sharedURLs are the URLs (as said) more than one of feeds has: accounts of one feed, told
// apart in the table by their key's hash (shownAccount), which says nothing of their secret.
func sharedURLs(feeds []record.FeedStatus) map[string]bool {
	seen, shared := map[string]bool{}, map[string]bool{}
	for _, s := range feeds {
		shared[s.FeedURL] = seen[s.FeedURL]
		seen[s.FeedURL] = true
	}
	return shared
}

// sharedURLs are the URLs more than one feed of the topic has: those fill found, or, for a
// table not filled from records, those its feeds share.
func (t Table) sharedURLs() map[string]bool {
	if t.shared != nil {
		return t.shared
	}
	return sharedURLs(t.Feeds)
}

// Accounts is, by key (FeedStatus.Key), what tells each of feeds apart from the other
// accounts of its feed (shownAccount), for the feeds whose URL another of feeds has: /status
// labels its lines as the table does, from all the feeds it has, whatever its filter shows.
func Accounts(feeds []record.FeedStatus) map[string]string {
	shared := sharedURLs(feeds)
	labels := map[string]string{}
	for _, s := range feeds {
		if a := shownAccount(shared, s); a != "" {
			labels[s.Key] = a
		}
	}
	return labels
}

// shownAccount is what tells s apart from the other accounts of its feed, which shared
// (sharedURLs) says there are: the first 8 hex digits of its key's account hash,
// enough to tell a feed's few accounts apart and the same on every line and run (the key's
// hash is); "" when no other has its URL or its key has no account hash.
func shownAccount(shared map[string]bool, s record.FeedStatus) string {
	if !shared[s.FeedURL] {
		return ""
	}
	a := account(s.Key)
	return a[:min(8, len(a))]
}

// projectedNote says what a "~" time is, under a table that shows one.
const projectedNote = "~: projected from the feed's last feed_status record at its poll interval (a poll that leaves health, error and warnings as they were publishes none, new items or not: ITEMS are that record's poll's); /status on the ops listener shows the live times"

// tagNote says, when --tag selected nothing because no feed carries that
// tag at all, which tags there are, and the one most likely meant: "0 of
// 7 feeds shown" alone left round 31's newcomer, who typed --tag shippin,
// to guess. "" when some feed carries it (its health filtered it out) or
// no tag was asked for.
func (t Table) tagNote() string {
	if t.filter.Tag == "" || len(t.Feeds) > 0 {
		return ""
	}
	var tags []string
	for _, s := range t.latest {
		for _, tag := range s.Tags {
			if strings.EqualFold(tag, t.filter.Tag) {
				return ""
			}
			if tag = strings.ToLower(tag); !slices.Contains(tags, tag) {
				tags = append(tags, tag)
			}
		}
	}
	if len(tags) == 0 {
		return fmt.Sprintf("; no feed is tagged %q: no feed there has a tag", t.filter.Tag)
	}
	slices.Sort(tags)
	note := fmt.Sprintf("; no feed is tagged %q (the tags: %s)", t.filter.Tag, strings.Join(tags, ", "))
	if near := editdist.Closest(strings.ToLower(t.filter.Tag), tags, 3); near != "" {
		note += fmt.Sprintf(": did you mean %s?", near)
	}
	return note
}

// Summary is "3 of 23 feeds shown: 1 failing, 2 degraded", and "1
// removed (not in the feed list wirestream.feeds)" for feeds no longer
// listed, which count under no health.
func Summary(t Table) string {
	counts := map[record.Health]int{}
	for _, s := range t.Feeds {
		if t.IsRemoved(s) {
			counts[Removed]++
			continue
		}
		counts[s.Health]++
	}
	var parts []string
	for _, h := range []record.Health{record.HealthFailing, record.HealthGone, record.HealthDegraded, record.HealthOK} {
		if counts[h] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[h], h))
		}
	}
	head := fmt.Sprintf("%d feeds", t.Total)
	if t.Total == 1 {
		head = "1 feed"
	}
	if len(t.Feeds) != t.Total {
		head = fmt.Sprintf("%d of %d feeds shown", len(t.Feeds), t.Total)
	}
	if n := counts[Removed]; n > 0 {
		var names []string
		for _, s := range t.Feeds {
			if l := t.removedFrom(s); l != nil && !slices.Contains(names, l.Name) {
				names = append(names, l.Name)
			}
		}
		slices.Sort(names)
		parts = append(parts, fmt.Sprintf("%d removed (not in %s)", n, strings.Join(names, " nor ")))
	}
	if len(parts) > 0 {
		head += ": " + strings.Join(parts, ", ")
	}
	if t.Unreadable > 0 {
		head += fmt.Sprintf(" (%d records in the topic could not be read as feed_status)", t.Unreadable)
	}
	return head + t.tagNote()
}

// WriteJSON prints each feed's latest feed_status record, one per line,
// as the topic holds it (for jq), with "removed": true added to the
// record of a feed the list no longer holds, and "account" (shownAccount)
// to the record of a feed whose URL another account shares.
func WriteJSON(w io.Writer, t Table) error {
	enc := json.NewEncoder(w)
	shared := t.sharedURLs()
	for _, s := range t.Feeds {
		v := any(s)
		removed, accountOf := t.IsRemoved(s), shownAccount(shared, s)
		if removed || accountOf != "" {
			v = struct {
				record.FeedStatus
				Removed bool   `json:"removed,omitempty"`
				Account string `json:"account,omitempty"`
			}{s, removed, accountOf}
		}
		if err := enc.Encode(v); err != nil {
			return err
		}
	}
	return nil
}

// Ago is "3m ago", or "never" for no time.
func Ago(t *time.Time, now time.Time) string {
	if t == nil || t.IsZero() {
		return "never"
	}
	return roughly(now.Sub(*t)) + " ago"
}

// dueGrace is how long past its time a poll is "due now" rather than
// overdue: it may be waiting for its host's or the poller's slot.
const dueGrace = time.Minute

// Until is "in 40s"; "due now" for a time under a second ahead (it read
// "in 0s") or just past; "overdue 3m" for one further past; "-" for no
// time. It reads a live next poll (the status page's): one well past is a
// poll that has not happened.
func Until(t, now time.Time) string {
	switch {
	case t.IsZero():
		return "-"
	case t.Sub(now) >= time.Second:
		return "in " + roughly(t.Sub(now))
	case t.After(now) || now.Sub(t) < dueGrace:
		return "due now"
	}
	return "overdue " + roughly(now.Sub(t))
}

// HostHeld says a feed's host is held back, "host held (down: HTTP 502)
// in 4m", while the record's host_held_until has not passed; "" otherwise.
// The feed's next request waits for that hold, whatever its next poll
// says: the table and /status show it in its place.
func HostHeld(s record.FeedStatus, now time.Time) string {
	if s.HostHeldUntil == nil || !s.HostHeldUntil.After(now) {
		return ""
	}
	return "host held (" + oneLine(s.HostHold) + ") " + Until(*s.HostHeldUntil, now)
}

// NextPoll is the next poll of a feed as its latest feed_status record
// tells it at now. A record is written when the feed's health, error or
// warnings change and otherwise only every statusInterval, so a next poll
// that has passed usually means the feed was polled since without a
// change to publish: while a newer record may still be to come, the next
// poll is projected at the record's cadence (its next poll less its last
// attempt), shown "~in 2m". Past that, no record came when one was due:
// "overdue 3m" since the record's next poll (a stopped or stuck poller).
// Just past, it is "due now".
func NextPoll(s record.FeedStatus, now time.Time, statusInterval time.Duration) string {
	t := s.NextPoll
	if t.IsZero() || t.After(now) {
		return Until(t, now)
	}
	cadence := t.Sub(s.LastAttempt)
	if late := now.Sub(t); late < dueGrace && (cadence <= 0 || late < cadence) {
		return "due now" // a feed polled every few seconds is past that: projected below
	}
	last, ok := projectedPoll(s, now, statusInterval)
	if !ok {
		return Until(t, now)
	}
	if left := last.Add(cadence).Sub(now); left >= time.Second {
		return "~in " + roughly(left)
	}
	return "due now"
}

// LastSuccess is a feed's last success as its latest feed_status record
// tells it at now. A poll that succeeds without a change publishes no
// record (a failure does: its error changes), so a record of a success
// whose next poll has passed, while a newer record may still come, is
// followed by polls that succeeded too: the latest of them is projected
// at the record's cadence, "~8s ago", as NextPoll projects the next, and
// agrees with /status (the live last success) but for the cadence's
// drift. Otherwise it is the record's, "38s ago": a failing feed's last
// success, or one no poller has polled since.
func LastSuccess(s record.FeedStatus, now time.Time, statusInterval time.Duration) string {
	if s.LastSuccess != nil && s.LastError == "" && !s.LastSuccess.Before(s.LastAttempt) {
		if last, ok := projectedPoll(s, now, statusInterval); ok {
			return "~" + roughly(now.Sub(last)) + " ago"
		}
	}
	return Ago(s.LastSuccess, now)
}

// projectedPoll is the latest poll at or before now that the record's
// cadence (its next poll less its last attempt) projects from its next
// poll, when that has passed and a newer record may still come (within
// statusInterval of the record, a cadence and dueGrace on); ok is false
// otherwise: the record's own times are then the news.
func projectedPoll(s record.FeedStatus, now time.Time, statusInterval time.Duration) (time.Time, bool) {
	t := s.NextPoll
	cadence := t.Sub(s.LastAttempt)
	if t.IsZero() || t.After(now) || statusInterval <= 0 || cadence <= 0 ||
		now.After(s.LastAttempt.Add(statusInterval+cadence+dueGrace)) {
		return time.Time{}, false
	}
	return t.Add(now.Sub(t) / cadence * cadence), true
}

// roughly is a duration to the unit that matters: 40s, 12m, 5h, 3d.
func roughly(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh", int(d.Hours()))
	}
	return fmt.Sprintf("%dd", int(d.Hours()/24))
}

// severity is h's place in HealthOrder; an unknown health sorts last.
func severity(h record.Health) int {
	if i := slices.Index(HealthOrder, h); i >= 0 {
		return i
	}
	return len(HealthOrder)
}

// oneLine keeps a cell on its line and the terminal's state as it was:
// errors and names may hold newlines, and a record's text — a server's
// reason phrase in last_error, or anything another producer wrote to the
// topic — may hold escape sequences; control characters become spaces.
func oneLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }), " ")
}
