package feedtopics

import (
	"cmp"
	"context"
	"log/slog"
	"maps"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/cenkalti/backoff/v4"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/wirestream/wirestream/internal/kafkagroup"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/sources/feed"
)

// Assigner is a feed.Assigner for one fetcher of several: through its group member on the
// feeds topic it owns some partitions, and it hands the poller every feed on them. For a
// gained partition it first loads the feeds' poll state into the Store, then reads the
// partition's feeds, and only then adds them to the assignment, so a feed that moved resumes
// with its validators and backoff. A lost partition's feeds leave the assignment and its
// state leaves the Store. Feeds added, changed or removed in the topic reach the assignment
// while the fetcher runs. Once a gained partition's list is read, the poll states its load
// found for feeds the list does not hold, unwritten for OrphanStateAge, are dropped
// (Store.DropOrphans).
type Assigner struct {
	feeds  *FeedList
	store  *Store
	member *kafkagroup.Member
	log    *slog.Logger

	mu    sync.Mutex
	parts map[int]*partition // owned partitions
	out   chan []feed.Spec

	// Orphans counts the poll states dropped for feeds no longer listed; nil counts nothing.
	Orphans prometheus.Counter

	loaded func(p int)      // tests: called once partition p's state is loaded, before its list is read
	swept  func(p int)      // tests: called once partition p's orphan states were looked for
	now    func() time.Time // tests: the clock OrphanStateAge is measured by
}

// OrphanStateAge is how long a poll state whose feed is not listed stays in feed_state
// unwritten before a fetcher that gains its partition drops it. A state is written at each
// poll, so this is about how long its feed has been gone; it spares a state just written
// for a feed being added (CarryState writes it before the list entry) and leaves a day to
// see, in the logs, what a removal took.
const OrphanStateAge = 24 * time.Hour

// partition is one owned partition's follower and what it has read.
type partition struct {
	cancel context.CancelFunc
	done   chan struct{}
	ready  bool // state loaded and feed list caught up
	feeds  map[string]feed.Spec
}

// NewAssigner returns an assigner that reads feeds from f, keeps their state in store, and
// owns partitions through member, whose group must be on f.Topic(). log may be nil.
func NewAssigner(f *FeedList, store *Store, member *kafkagroup.Member, log *slog.Logger) *Assigner {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Assigner{feeds: f, store: store, member: member, log: log,
		parts: map[int]*partition{}, out: make(chan []feed.Spec, 1), now: time.Now}
}

// Assign joins the group and sends the complete assignment every time it changes; a receiver
// that falls behind gets only the latest. The static list is ignored: the topic is the list.
// The channel closes once ctx ended and every partition was released, or when membership
// failed for good (logged), after an empty assignment.
func (a *Assigner) Assign(ctx context.Context, _ []feed.Spec) (<-chan []feed.Spec, error) {
	go func() {
		defer close(a.out)
		err := a.member.Run(ctx, kafkagroup.Handler{Assigned: func(ctx context.Context, as kafkagroup.Assignment) {
			a.assigned(ctx, as)
		}})
		a.release(a.owned()) // Run released everything already; this covers its early errors
		if err != nil {
			a.log.Error("fetcher group membership failed; polling nothing", "err", err)
		}
	}()
	return a.out, nil
}

func (a *Assigner) assigned(ctx context.Context, as kafkagroup.Assignment) {
	a.release(as.Lost[a.feeds.Topic()])
	for _, p := range as.Gained[a.feeds.Topic()] {
		pctx, cancel := context.WithCancel(ctx)
		pt := &partition{cancel: cancel, done: make(chan struct{}), feeds: map[string]feed.Spec{}}
		a.mu.Lock()
		a.parts[p] = pt
		a.mu.Unlock()
		go a.follow(pctx, p, pt)
	}
}

// release stops following the partitions, drops their feeds from the assignment and their
// state from the store.
func (a *Assigner) release(ps []int) {
	for _, p := range ps {
		a.mu.Lock()
		pt := a.parts[p]
		delete(a.parts, p)
		a.mu.Unlock()
		if pt == nil {
			continue
		}
		pt.cancel()
		<-pt.done
		a.emit()
		a.store.Drop(p)
	}
}

func (a *Assigner) owned() []int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Collect(maps.Keys(a.parts))
}

// follow loads partition p's state, then follows its feeds until ctx ends, retrying errors.
func (a *Assigner) follow(ctx context.Context, p int, pt *partition) {
	defer close(pt.done)
	b := backoff.NewExponentialBackOff()
	b.InitialInterval, b.MaxInterval, b.MaxElapsedTime = 250*time.Millisecond, 10*time.Second, 0
	retry := func(what string, err error) bool {
		wait := b.NextBackOff()
		a.log.Warn("fetcher: "+what+" failed; retrying", "partition", p, "err", err, "retry_in", wait)
		select {
		case <-ctx.Done():
			return false
		case <-time.After(wait):
			return true
		}
	}
	for {
		err := a.store.Load(ctx, p)
		if err == nil {
			break
		}
		if ctx.Err() != nil || !retry("loading feed state", err) {
			return
		}
	}
	if a.loaded != nil {
		a.loaded(p)
	}
	for ctx.Err() == nil {
		// The partition's feeds as read so far; it replaces pt.feeds once caught up, so a
		// retry after an error does not shrink the assignment while it re-reads.
		reading := map[string]feed.Spec{}
		// Entries of the list that are no valid feed: not polled, but their state is kept.
		invalid := map[string]bool{}
		caught := false
		// Once caught up, a read's changes are applied as they come but handed to the poller
		// once the read is settled; feeds new to p are held back until then, and their state
		// caught up on once for all of them (a push of thousands of feeds is a few reads of
		// the list, and as many of the state partition, not one per feed).
		fresh := map[string]feed.Spec{}
		changed := false
		err := a.feeds.Follow(ctx, p, func(u Update) {
			a.mu.Lock()
			defer a.mu.Unlock()
			_, known := reading[u.URL]
			delete(invalid, u.URL)
			switch {
			case u.Spec != nil && caught && !known:
				fresh[u.URL] = *u.Spec
			case u.Spec != nil:
				reading[u.URL] = *u.Spec
			default:
				delete(reading, u.URL)
				delete(fresh, u.URL)
				if u.Err == nil { // removed from the list: so is its state (FeedList.dropState)
					a.store.Forget(u.URL)
				}
				if u.Err != nil {
					invalid[u.URL] = true
					a.log.Warn("feed list entry is not a valid feed; not polling it", "feed_url", record.RedactURL(u.URL), "err", u.Err)
				}
			}
			changed = changed || caught
		}, func() {
			// A feed the list gained between the state's load and now may come with a
			// state written after the load (a `feeds push` that folded a spelling writes
			// the kept URL's state, then its list entry): read what p gained, once per
			// read of the list, so the first poll has it. It also covers a re-read after
			// an error, which may meet feeds added meanwhile.
			if err := a.store.CatchUp(ctx, p); err != nil && ctx.Err() == nil {
				a.log.Warn("fetcher: reading the feed state written while the feed list loaded failed; feeds added meanwhile are polled without it",
					"partition", p, "err", err)
			}
			a.mu.Lock()
			pt.feeds, pt.ready, caught = reading, true, true
			listed := slices.AppendSeq(slices.Collect(maps.Keys(reading)), maps.Keys(invalid))
			a.mu.Unlock()
			a.emit()
			a.dropOrphans(ctx, p, listed)
		}, func() {
			if len(fresh) > 0 {
				// Feeds added while p is owned: their state may have been written after p's
				// was loaded (a folded spelling's, FeedList.CarryState).
				if err := a.store.CatchUp(ctx, p); err != nil && ctx.Err() == nil {
					a.log.Warn("fetcher: reading new feeds' state failed; they are polled without it",
						"partition", p, "feeds", len(fresh), "err", err)
				}
				a.mu.Lock()
				maps.Copy(reading, fresh)
				a.mu.Unlock()
				clear(fresh)
			}
			if changed {
				changed = false
				a.emit()
			}
		})
		if ctx.Err() != nil || !retry("following the feed list", err) {
			return
		}
	}
}

// dropOrphans drops the poll states partition p's load read for feeds not listed, once
// (Store.DropOrphans), and says what it dropped.
func (a *Assigner) dropOrphans(ctx context.Context, p int, listed []string) {
	if a.swept != nil {
		defer a.swept(p)
	}
	dropped, err := a.store.DropOrphans(ctx, p, listed, a.now().Add(-OrphanStateAge))
	if err != nil {
		if ctx.Err() == nil {
			a.log.Warn("feed state: the poll state of feeds no longer in the list left in place; a later gain of the partition tries again",
				"partition", p, "err", err)
		}
		return
	}
	if len(dropped) == 0 {
		return
	}
	if a.Orphans != nil {
		a.Orphans.Add(float64(len(dropped)))
	}
	a.log.Info("feed state: dropped the poll state of feeds no longer in the list", "partition", p, "feeds", len(dropped),
		"unwritten_for", OrphanStateAge.String(), "keys", strings.Join(saidKeys(dropped[:min(len(dropped), 10)]), ", "))
}

// saidKeys is how a log line or an error (keysSaidIn) names feed_state keys: a StateKey hides a
// URL's secrets (its hash follows after a space), but a key an earlier
// release wrote may say one (a secret query parameter before round 34,
// moved only once a load or sweep got to it), so it is redacted here.
//
// A hashed key's user name is hidden too (xxxxx@): round 33 keyed a token given as the user
// name with an empty password (TOKEN:@host) as TOKEN:xxxxx@, which only its feed's URL tells
// from a user name and password, and an orphan's feed is no longer listed. The hash names
// the state.
func saidKeys(keys []string) []string {
	said := make([]string, len(keys))
	for i, k := range keys {
		u, hash, hashed := record.CutFeedHash(k)
		if !hashed {
			said[i] = record.RedactURL(k)
			continue
		}
		said[i] = withUserinfoHidden(record.RedactURL(u)) + " " + hash
	}
	return said
}

// withUserinfoHidden is u with its userinfo said as xxxxx@, u itself without userinfo.
func withUserinfoHidden(u string) string {
	p, err := url.Parse(u)
	if err != nil || p.User == nil {
		return u
	}
	p.User = url.User("xxxxx")
	return p.String()
}

// emit replaces the pending assignment with the current one.
func (a *Assigner) emit() {
	a.mu.Lock()
	defer a.mu.Unlock()
	var specs []feed.Spec
	for _, pt := range a.parts {
		if pt.ready {
			specs = slices.AppendSeq(specs, maps.Values(pt.feeds))
		}
	}
	slices.SortFunc(specs, func(x, y feed.Spec) int { return cmp.Compare(x.URL, y.URL) })
	select {
	case <-a.out: // the receiver has not taken the previous one: it is stale now
	default:
	}
	a.out <- specs
}

var _ feed.Assigner = (*Assigner)(nil)
