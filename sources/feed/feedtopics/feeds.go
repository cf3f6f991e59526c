package feedtopics

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/wirestream/wirestream/internal/kafkatable"
	"github.com/wirestream/wirestream/pipeline/record"
	wkafka "github.com/wirestream/wirestream/sinks/kafka"
	"github.com/wirestream/wirestream/sources/feed"
)

// FeedList is the feeds topic.
type FeedList struct {
	t   *kafkatable.Table
	w   *kafkatable.Writer
	log *slog.Logger
	// state, when set (CarryState), receives the poll state of a spelling
	// Push or Add folds into another.
	state *FeedState
}

// CarryState has Push and Add copy the poll state (validators, backoff,
// next poll) of each spelling they fold into another to the spelling
// kept, before the list changes, so the feed is not polled once without
// validators. Close closes s too.
func (f *FeedList) CarryState(s *FeedState) { f.state = s }

// OpenFeeds opens the feeds topic of t, which must exist (Ensure). log and m may be nil.
func OpenFeeds(ctx context.Context, cn wkafka.Conn, t Topics, log *slog.Logger, m *kafkatable.Metrics) (*FeedList, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	tb, err := kafkatable.Open(ctx, cn, t.Feeds(), kafkatable.Options{}, log, m)
	if err != nil {
		return nil, fmt.Errorf("feed list: %w", err)
	}
	return &FeedList{t: tb, w: tb.NewWriter(), log: log}, nil
}

// Close releases the feed list's connections.
func (f *FeedList) Close() error {
	err := errors.Join(f.w.Close(), f.t.Close())
	if f.state != nil {
		err = errors.Join(err, f.state.Close())
	}
	return err
}

// carryState copies, for each kept URL of folds, the poll state of the
// first of its folded spellings that has one, unless the kept URL has its
// own. The list is written after it: a fetcher that starts polling the
// kept URL finds the state (Store.CatchUp).
func (f *FeedList) carryState(ctx context.Context, folds map[string][]string) error {
	if f.state == nil || len(folds) == 0 {
		return nil
	}
	loaded := map[int]map[string][]byte{}
	stateOf := func(url string) ([]byte, error) {
		p := f.state.PartitionOf(url)
		m, ok := loaded[p]
		if !ok {
			var err error
			if m, _, err = f.state.Load(ctx, p); err != nil {
				return nil, err
			}
			loaded[p] = m
		}
		return m[f.state.key(url)], nil
	}
	for _, kept := range slices.Sorted(maps.Keys(folds)) {
		own, err := stateOf(kept)
		if err != nil {
			return fmt.Errorf("carry the poll state over to %s: %w", record.RedactURL(kept), err)
		}
		if own != nil {
			continue
		}
		for _, old := range folds[kept] {
			st, err := stateOf(old)
			if err != nil {
				return fmt.Errorf("carry the poll state over to %s: %w", record.RedactURL(kept), err)
			}
			if st == nil {
				continue
			}
			if err := f.state.Save(ctx, kept, st); err != nil {
				return fmt.Errorf("carry the poll state over to %s: %w", record.RedactURL(kept), err)
			}
			f.log.Info("carried the poll state of a folded spelling over", "feed_url", record.RedactURL(kept), "from", record.RedactURL(old))
			break
		}
	}
	return nil
}

// Partitions returns the feeds topic's partition count.
func (f *FeedList) Partitions() int { return f.t.Partitions() }

// PartitionOf returns the partition that holds the feed with this URL (and its state).
func (f *FeedList) PartitionOf(url string) int { return f.t.PartitionOf([]byte(url)) }

// Topic returns the feeds topic's name (the one fetchers join a group on).
func (f *FeedList) Topic() string { return f.t.Topic() }

// snapshot reads the whole topic: the raw value of every feed, by URL.
func (f *FeedList) snapshot(ctx context.Context) (map[string][]byte, error) {
	cur, err := f.t.LoadAll(ctx)
	if err != nil {
		return nil, fmt.Errorf("read feed list %s: %w", f.t.Topic(), err)
	}
	return cur, nil
}

// List returns the feeds in the topic now, sorted by URL, and one error per value that is not a
// valid feed (such an entry is left out of the list; Push repairs or removes it).
func (f *FeedList) List(ctx context.Context) ([]feed.Spec, []error, error) {
	cur, err := f.snapshot(ctx)
	if err != nil {
		return nil, nil, err
	}
	specs := make([]feed.Spec, 0, len(cur))
	var bad []error
	for _, url := range slices.Sorted(maps.Keys(cur)) {
		s, err := DecodeSpec([]byte(url), cur[url])
		if err != nil {
			bad = append(bad, err)
			continue
		}
		specs = append(specs, s)
	}
	return specs, bad, nil
}

// Changes says what a Push changed (or, dry, would change). URLs are sorted.
type Changes struct {
	Added, Updated, Removed []string
	Unchanged               int
	// Respelled maps a wanted URL of Updated to the other spellings the
	// topic listed it under (another case of host, a default port, a
	// fragment: one request, see feed.RequestKey), sorted. Their entries
	// are removed, folded into the wanted one: the feed is not dropped, and
	// they are not in Removed.
	Respelled map[string][]string
}

// Empty reports whether nothing changed.
func (c Changes) Empty() bool { return len(c.Added)+len(c.Updated)+len(c.Removed) == 0 }

func (c Changes) String() string {
	return fmt.Sprintf("%d added, %d updated, %d removed, %d unchanged",
		len(c.Added), len(c.Updated), len(c.Removed), c.Unchanged)
}

// Lines are the changes as push prints them, one feed a line: "+ URL"
// added, "~ URL" updated, "- URL" removed; a password in a URL is said
// as xxxxx (record.RedactURL), as logs say it.
func (c Changes) Lines() []string {
	var out []string
	for _, l := range []struct {
		sign string
		urls []string
	}{{"+", c.Added}, {"~", c.Updated}, {"-", c.Removed}} {
		for _, u := range l.urls {
			was := ""
			if old := c.Respelled[u]; len(old) > 0 {
				was = " (listed before as " + strings.Join(record.RedactURLs(old), " and ") + ": the same request, one entry now)"
			}
			out = append(out, l.sign+" "+record.RedactURL(u)+was)
		}
	}
	return out
}

// Diff compares the topic's raw values (by URL) with the wanted feeds and returns the changes
// and the writes that make the topic match: a put for each added or changed feed, a tombstone
// for each feed (or invalid entry) not wanted. URLs compare as the requests they make
// (feed.RequestKey), as the config's feeds do: a wanted feed the topic lists under other
// spellings is updated to the wanted one (a put of it unless listed so already, a tombstone
// of each other key), not added beside them, and two wanted spellings of one feed are
// refused. Every wanted feed must be valid.
func Diff(current map[string][]byte, want []feed.Spec) (Changes, []kafkatable.Entry, error) {
	var errs []error
	wanted := make(map[string][]byte, len(want))
	byKey := make(map[string]string, len(want)) // request key → wanted URL
	for _, s := range want {
		if err := s.Validate(); err != nil {
			errs = append(errs, err)
			continue
		}
		key := feed.RequestKey(s.URL)
		if first, dup := byKey[key]; dup {
			also := ""
			if first != s.URL {
				also = fmt.Sprintf(" (as %q: one request)", record.RedactURL(first))
			}
			errs = append(errs, fmt.Errorf("feeds[%s]: listed twice%s", record.RedactURL(s.URL), also))
			continue
		}
		v, err := EncodeSpec(s)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		wanted[s.URL], byKey[key] = v, s.URL
	}
	if err := errors.Join(errs...); err != nil {
		return Changes{}, nil, err
	}
	// Current entries under other spellings of a wanted feed: the feed is
	// updated (folded into one entry under the wanted spelling), not added
	// beside them, and they are not removed feeds.
	respelled := map[string][]string{}
	oldSpelling := map[string]bool{}
	for _, url := range slices.Sorted(maps.Keys(current)) {
		if w, ok := byKey[feed.RequestKey(url)]; ok && url != w {
			respelled[w] = append(respelled[w], url)
			oldSpelling[url] = true
		}
	}
	var ch Changes
	var writes []kafkatable.Entry
	for _, url := range slices.Sorted(maps.Keys(wanted)) {
		old, exists := current[url]
		changed := !exists || string(old) != string(wanted[url])
		switch {
		case len(respelled[url]) > 0:
			ch.Updated = append(ch.Updated, url)
			if ch.Respelled == nil {
				ch.Respelled = map[string][]string{}
			}
			ch.Respelled[url] = respelled[url]
		case !exists:
			ch.Added = append(ch.Added, url)
		case changed:
			ch.Updated = append(ch.Updated, url)
		default:
			ch.Unchanged++
			continue
		}
		if changed {
			writes = append(writes, kafkatable.Entry{Key: []byte(url), Value: wanted[url]})
		}
	}
	for _, url := range slices.Sorted(maps.Keys(current)) {
		if _, keep := wanted[url]; keep {
			continue
		}
		if !oldSpelling[url] {
			ch.Removed = append(ch.Removed, url)
		}
		writes = append(writes, kafkatable.Entry{Key: []byte(url)})
	}
	return ch, writes, nil
}

// Push makes the topic hold exactly the given feeds: adds the new ones, rewrites the changed
// ones, and removes (tombstones) the rest, including entries that are not valid feeds. With
// dryRun it writes nothing and only reports. Running it again after a failure converges.
func (f *FeedList) Push(ctx context.Context, specs []feed.Spec, dryRun bool) (Changes, error) {
	cur, err := f.snapshot(ctx)
	if err != nil {
		return Changes{}, err
	}
	ch, writes, err := Diff(cur, specs)
	if err != nil {
		return Changes{}, fmt.Errorf("push feed list: %w", err)
	}
	if dryRun || len(writes) == 0 {
		return ch, nil
	}
	if err := f.carryState(ctx, ch.Respelled); err != nil {
		return Changes{}, fmt.Errorf("push feed list (nothing written): %w", err)
	}
	if err := f.w.Write(ctx, writes...); err != nil {
		return ch, fmt.Errorf("push feed list (%s planned; some may be written, push again): %w", ch, err)
	}
	gone := slices.Clone(ch.Removed)
	for _, old := range ch.Respelled { // their state was carried over
		gone = append(gone, old...)
	}
	if err := f.dropState(ctx, gone); err != nil {
		return ch, fmt.Errorf("push feed list (written): %w", err)
	}
	f.log.Info("pushed feed list", "topic", f.t.Topic(), "added", len(ch.Added), "updated", len(ch.Updated),
		"removed", len(ch.Removed), "unchanged", ch.Unchanged)
	return ch, nil
}

// Change is what Add or Remove did to one feed.
type Change int

const (
	Unchanged Change = iota // the topic already said so
	Added
	Updated
	Removed
)

func (c Change) String() string {
	return [...]string{"unchanged", "added", "updated", "removed"}[c]
}

// listedAs returns the URLs under which the topic lists the feed whose request url makes
// (feed.RequestKey), url itself first when it is one of them, and their raw values. The
// whole topic is read: another spelling of a URL may sit in another partition.
func (f *FeedList) listedAs(ctx context.Context, url string) ([]string, map[string][]byte, error) {
	cur, err := f.snapshot(ctx)
	if err != nil {
		return nil, nil, err
	}
	key := feed.RequestKey(url)
	var urls []string
	for _, u := range slices.Sorted(maps.Keys(cur)) {
		if feed.RequestKey(u) == key {
			urls = append(urls, u)
		}
	}
	if i := slices.Index(urls, url); i > 0 {
		urls[0], urls[i] = urls[i], urls[0]
	}
	return urls, cur, nil
}

// Get returns the feed the list holds under a spelling of url's request (feed.RequestKey), as
// listed (its URL the list's spelling); ok is false when it holds none, or only an entry that
// is not a valid feed.
func (f *FeedList) Get(ctx context.Context, url string) (s feed.Spec, ok bool, err error) {
	urls, cur, err := f.listedAs(ctx, url)
	if err != nil || len(urls) == 0 {
		return feed.Spec{}, false, err
	}
	s, err = DecodeSpec([]byte(urls[0]), cur[urls[0]])
	return s, err == nil, nil
}

// Add puts one feed in the list, or replaces its settings if the list has it already: the
// settings given are the ones wanted. A feed is "already there" under any spelling of its URL
// that makes the same request (feed.RequestKey), as in a config file: then its settings are
// written under the spelling the list holds (the one given, if it is among them), which keeps
// its partition and its poll state, rather than a second entry that would be polled twice.
// Every other spelling the list holds is removed in the same write, as Remove does, and
// returned as folded. listed is the URL the feed is listed under afterwards.
func (f *FeedList) Add(ctx context.Context, s feed.Spec) (change Change, listed string, folded []string, err error) {
	if err := s.Validate(); err != nil {
		return Unchanged, "", nil, fmt.Errorf("add feed: %w", err)
	}
	urls, cur, err := f.listedAs(ctx, s.URL)
	if err != nil {
		return Unchanged, "", nil, err
	}
	if len(urls) > 0 {
		s.URL, folded = urls[0], urls[1:]
	}
	v, err := EncodeSpec(s)
	if err != nil {
		return Unchanged, "", nil, err
	}
	old, listedBefore := cur[s.URL]
	var entries []kafkatable.Entry
	if string(old) != string(v) {
		entries = append(entries, kafkatable.Entry{Key: []byte(s.URL), Value: v})
	}
	for _, u := range folded {
		entries = append(entries, kafkatable.Entry{Key: []byte(u)})
	}
	switch {
	case len(entries) == 0:
		return Unchanged, s.URL, nil, nil
	case listedBefore:
		change = Updated
	default:
		change = Added
	}
	if len(folded) > 0 {
		if err := f.carryState(ctx, map[string][]string{s.URL: folded}); err != nil {
			return Unchanged, "", nil, fmt.Errorf("add feed %s (nothing written): %w", record.RedactURL(s.URL), err)
		}
	}
	if err := f.w.Write(ctx, entries...); err != nil {
		return Unchanged, "", nil, fmt.Errorf("add feed %s: %w", record.RedactURL(s.URL), err)
	}
	if err := f.dropState(ctx, folded); err != nil { // carried over to s.URL
		return change, s.URL, folded, fmt.Errorf("add feed %s: %w", record.RedactURL(s.URL), err)
	}
	return change, s.URL, folded, nil
}

// Remove takes one feed out of the list, under every spelling of its URL that makes the same
// request (feed.RequestKey), and returns the URLs it removed (Unchanged and none if it was not
// in the list).
func (f *FeedList) Remove(ctx context.Context, url string) (Change, []string, error) {
	urls, _, err := f.listedAs(ctx, url)
	if err != nil {
		return Unchanged, nil, err
	}
	if len(urls) == 0 {
		// Not listed (any more): its poll state may still be in feed_state,
		// where a tombstone that failed left it (StateLeftError).
		if err := f.dropState(ctx, []string{url}); err != nil {
			return Unchanged, nil, fmt.Errorf("feed %s is not in the list: %w", record.RedactURL(url), err)
		}
		return Unchanged, nil, nil
	}
	entries := make([]kafkatable.Entry, len(urls))
	for i, u := range urls {
		entries[i] = kafkatable.Entry{Key: []byte(u)}
	}
	if err := f.w.Write(ctx, entries...); err != nil {
		return Unchanged, nil, fmt.Errorf("remove feed %s: %w", record.RedactURL(url), err)
	}
	if err := f.dropState(ctx, urls); err != nil {
		return Removed, urls, fmt.Errorf("removed feed %s from the list: %w", record.RedactURL(url), err)
	}
	return Removed, urls, nil
}

// dropState tombstones the poll state of feeds the list no longer holds
// (with CarryState; Push, Add and Remove call it once the list is
// written). A fetcher polling the feed when it was removed stops it once
// it reads the removal; a poll it had in flight then may still save the
// state once more.
//
// The list is written by then, so a run again finds nothing to change and
// would not try again: a failed tombstone is tried stateDropAttempts times,
// each under stateDropTimeout of its own (the list's write may have spent
// the caller's deadline; a cancel still stops it), and then reported as a
// StateLeftError, which says how to drop the state later.
func (f *FeedList) dropState(ctx context.Context, urls []string) error {
	if f.state == nil || len(urls) == 0 {
		return nil
	}
	left := &StateLeftError{URLs: urls, Topic: f.state.t.Topic()}
	for left.Tries < stateDropAttempts {
		if left.Tries > 0 {
			f.log.Warn("feed state: tombstones failed; trying again", "feeds", strings.Join(record.RedactURLs(urls), ", "),
				"attempt", left.Tries+1, "err", left.Err)
			wait, done := ownBound(ctx, time.Duration(left.Tries)*stateDropBackoff)
			<-wait.Done()
			done()
		}
		if errors.Is(ctx.Err(), context.Canceled) {
			left.Err = errors.Join(left.Err, ctx.Err())
			break
		}
		actx, done := ownBound(ctx, stateDropTimeout)
		left.Err = f.state.Delete(actx, urls...)
		left.Tries++
		done()
		if left.Err == nil {
			return nil
		}
	}
	return left
}

const (
	stateDropAttempts = 3
	stateDropTimeout  = 20 * time.Second
	stateDropBackoff  = time.Second
)

// ownBound is a context that ends d from now or when ctx is cancelled, but not when ctx's
// deadline passes: for work after a write the caller's deadline may have been spent on.
func ownBound(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	bound, cancel := context.WithTimeout(context.WithoutCancel(ctx), d)
	stop := context.AfterFunc(ctx, func() {
		if errors.Is(ctx.Err(), context.Canceled) {
			cancel()
		}
	})
	return bound, func() { stop(); cancel() }
}

// StateLeftError says that feeds were taken out of the list but their poll
// state could not be tombstoned in feed_state: nothing polls it, but a feed
// added again under the URL would start from it (old validators, failures,
// backoff). Remove of a URL the list no longer holds drops its state.
type StateLeftError struct {
	URLs  []string // as listed; Error says them redacted
	Topic string
	Tries int
	Err   error // the last try's (its text redacted: FeedState.Delete)
}

func (e *StateLeftError) Error() string {
	return fmt.Sprintf("the poll state of %s is left in %s after %d tries — nothing polls it, but the feed added again "+
		"under its URL would start from it; `wirestream feeds remove --kafka --missing-ok URL` drops it: %v",
		strings.Join(record.RedactURLs(e.URLs), ", "), e.Topic, e.Tries, e.Err)
}

func (e *StateLeftError) Unwrap() error { return e.Err }

// Update is one change to a partition's feeds, as Follow reports it.
type Update struct {
	URL string
	// Spec is the feed's settings, or nil when the fetcher must stop polling it: it was
	// removed, or (Err set) its value is not a valid feed.
	Spec   *feed.Spec
	Err    error
	Offset int64
}

// Follow hands fn the feeds of partition p as they are now (one Update per feed, none for a
// feed added and removed again), then calls caughtUp (the fetcher now knows every feed of p),
// and then hands fn every later change, one by one, until ctx ends, calling settled (if not
// nil) after each read's changes: once per batch of them, where a fetcher acts on the batch.
// A fetcher follows each partition it owns.
func (f *FeedList) Follow(ctx context.Context, p int, fn func(Update), caughtUp, settled func()) error {
	now := map[string]kafkatable.Record{}
	next, err := f.t.Restore(ctx, p, kafkatable.FirstOffset, func(r kafkatable.Record) error {
		if r.Value == nil {
			delete(now, string(r.Key))
		} else {
			r.Key, r.Value = slices.Clone(r.Key), slices.Clone(r.Value)
			now[string(r.Key)] = r
		}
		return nil
	})
	if err == nil {
		for _, url := range slices.Sorted(maps.Keys(now)) {
			fn(update(now[url]))
		}
		if caughtUp != nil {
			caughtUp()
		}
		var batch func() error
		if settled != nil {
			batch = func() error { settled(); return nil }
		}
		err = f.t.FollowBatches(ctx, p, next, func(r kafkatable.Record) error {
			fn(update(r))
			return nil
		}, nil, batch)
	}
	if err != nil && ctx.Err() == nil {
		return fmt.Errorf("follow feed list %s/%d: %w", f.t.Topic(), p, err)
	}
	return err
}

func update(r kafkatable.Record) Update {
	u := Update{URL: string(r.Key), Offset: r.Offset}
	if r.Value != nil {
		s, err := DecodeSpec(r.Key, r.Value)
		if err != nil {
			u.Err = err
		} else {
			u.Spec = &s
		}
	}
	return u
}
