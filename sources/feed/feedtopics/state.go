package feedtopics

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/wirestream/wirestream/internal/kafkatable"
	"github.com/wirestream/wirestream/pipeline/record"
	wkafka "github.com/wirestream/wirestream/sinks/kafka"
	"github.com/wirestream/wirestream/sources/feed"
)

// FeedState is the feed_state topic: each feed's poll state under its URL, on the partition
// number of the feed in the feeds topic.
type FeedState struct {
	t *kafkatable.Table
	w *kafkatable.Writer
}

// OpenState opens the feed_state topic of t, which must exist (Ensure), and checks that it is
// co-partitioned with the feeds topic. log and m may be nil.
func OpenState(ctx context.Context, cn wkafka.Conn, t Topics, log *slog.Logger, m *kafkatable.Metrics) (*FeedState, error) {
	st, err := kafkatable.Open(ctx, cn, t.State(), kafkatable.Options{}, log, m)
	if err != nil {
		return nil, fmt.Errorf("feed state: %w", err)
	}
	feeds, err := kafkatable.Open(ctx, cn, t.Feeds(), kafkatable.Options{}, log, m)
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("feed state: %w", err)
	}
	feeds.Close()
	if st.Partitions() != feeds.Partitions() {
		st.Close()
		return nil, fmt.Errorf("feed state: %s has %d partitions and %s has %d: a feed's state must live on its feed's "+
			"partition number, so both need the same count (re-create %s with %d)",
			t.State(), st.Partitions(), t.Feeds(), feeds.Partitions(), t.State(), feeds.Partitions())
	}
	return &FeedState{t: st, w: st.NewWriter()}, nil
}

// Close releases the topic's connections.
func (s *FeedState) Close() error { return errors.Join(s.w.Close(), s.t.Close()) }

// Load reads partition p: the state of every feed on it, by URL, and the offset after the last
// record read.
func (s *FeedState) Load(ctx context.Context, p int) (map[string][]byte, int64, error) {
	out, next, err := s.t.Load(ctx, p)
	if err != nil {
		return nil, 0, fmt.Errorf("load feed state %s/%d: %w", s.t.Topic(), p, err)
	}
	return out, next, nil
}

// Save writes a feed's state (acks=all) on its feed's partition.
func (s *FeedState) Save(ctx context.Context, url string, state []byte) error {
	if state == nil {
		state = []byte{} // nil would be a tombstone
	}
	if err := s.w.Put(ctx, []byte(url), state); err != nil {
		return fmt.Errorf("save feed state of %s: %w", record.RedactURL(url), err)
	}
	return nil
}

// Delete removes a feed's state, for a feed removed from the list.
func (s *FeedState) Delete(ctx context.Context, url string) error {
	if err := s.w.Delete(ctx, []byte(url)); err != nil {
		return fmt.Errorf("delete feed state of %s: %w", record.RedactURL(url), err)
	}
	return nil
}

// PartitionOf returns the partition that holds url's state: the same as FeedList.PartitionOf.
func (s *FeedState) PartitionOf(url string) int { return s.t.PartitionOf([]byte(url)) }

// Store is a sources/feed.StateStore over the feed_state topic for the partitions one fetcher
// owns: Load a partition when it is gained, Drop it when it is lost. Saves go to Kafka first and
// are acknowledged by all in-sync replicas before the feed's loop moves on.
type Store struct {
	s       *FeedState
	timeout time.Duration
	mu      sync.Mutex
	states  map[int]map[string][]byte // partition → URL → state
	next    map[int]int64             // partition → the offset after the last record read
}

// NewStore returns an empty store whose saves give up after timeout, or sooner when their
// context ends (a running feed loop's never does).
func (s *FeedState) NewStore(timeout time.Duration) *Store {
	return &Store{s: s, timeout: timeout, states: map[int]map[string][]byte{}, next: map[int]int64{}}
}

// Load reads partition p's states into the store, replacing what it held of p.
func (st *Store) Load(ctx context.Context, p int) error {
	m, next, err := st.s.Load(ctx, p)
	if err != nil {
		return err
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	st.states[p] = m
	st.next[p] = next
	return nil
}

// CatchUp reads what partition p gained since it was loaded, for the
// states of feeds this fetcher has none of: a feed added to the list
// while the fetcher owns p may come with a state written just before
// (FeedList.CarryState: another spelling's, folded into it). A state the
// store holds is not replaced: the fetcher's own saves are the latest.
func (st *Store) CatchUp(ctx context.Context, p int) error {
	st.mu.Lock()
	from, ok := st.next[p]
	st.mu.Unlock()
	if !ok {
		return nil
	}
	found := map[string][]byte{}
	fold := func(r kafkatable.Record) error {
		if r.Value == nil {
			delete(found, string(r.Key))
		} else {
			found[string(r.Key)] = slices.Clone(r.Value)
		}
		return nil
	}
	next, err := st.s.t.Restore(ctx, p, from, fold)
	if oor := (*kafkatable.OffsetOutOfRangeError)(nil); errors.As(err, &oor) {
		clear(found) // retention or a re-created topic moved the log: read it whole
		next, err = st.s.t.Restore(ctx, p, kafkatable.FirstOffset, fold)
	}
	if err != nil {
		return fmt.Errorf("catch up on feed state %s/%d: %w", st.s.t.Topic(), p, err)
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	m, ok := st.states[p]
	if !ok {
		return nil // dropped meanwhile
	}
	for url, v := range found {
		if _, have := m[url]; !have {
			m[url] = v
		}
	}
	st.next[p] = max(st.next[p], next)
	return nil
}

// Forget drops url's state from the store, for a feed the list no longer
// holds: added again while this fetcher owns its partition, the feed
// starts from what feed_state holds then (nothing, once feeds remove or
// push tombstoned it), not from what the store kept — CatchUp leaves a
// state the store holds alone.
func (st *Store) Forget(url string) {
	p := st.s.PartitionOf(url)
	st.mu.Lock()
	defer st.mu.Unlock()
	if m, ok := st.states[p]; ok {
		delete(m, url)
	}
}

// Drop forgets partition p's states (its feeds moved to another fetcher).
func (st *Store) Drop(p int) {
	st.mu.Lock()
	defer st.mu.Unlock()
	delete(st.states, p)
	delete(st.next, p)
}

// LoadFeedState returns url's state, nil if none. A feed whose partition was not loaded is an
// error: its loop must not start afresh while its real state sits in Kafka.
func (st *Store) LoadFeedState(url string) ([]byte, error) {
	p := st.s.PartitionOf(url)
	st.mu.Lock()
	defer st.mu.Unlock()
	m, ok := st.states[p]
	if !ok {
		return nil, fmt.Errorf("feed state of %s: partition %d is not loaded on this fetcher", record.RedactURL(url), p)
	}
	return m[url], nil
}

// SaveFeedState writes url's state to Kafka and, once acknowledged, to the store. A feed whose
// partition this fetcher no longer owns is refused: its new owner's state must not be
// overwritten by the old owner's last poll.
func (st *Store) SaveFeedState(ctx context.Context, url string, data []byte) error {
	p := st.s.PartitionOf(url)
	if !st.owns(p) {
		return fmt.Errorf("save feed state of %s: partition %d %w", record.RedactURL(url), p, feed.ErrFeedMoved)
	}
	ctx, cancel := context.WithTimeout(ctx, st.timeout)
	defer cancel()
	if err := st.s.Save(ctx, url, data); err != nil {
		return err
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if m, ok := st.states[p]; ok {
		m[url] = slices.Clone(data)
	}
	return nil
}

func (st *Store) owns(p int) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	_, ok := st.states[p]
	return ok
}

var _ feed.StateStore = (*Store)(nil)
