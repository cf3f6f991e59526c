package feedtopics

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/wirestream/wirestream/internal/kafkatable"
	"github.com/wirestream/wirestream/pipeline/record"
	wkafka "github.com/wirestream/wirestream/sinks/kafka"
	"github.com/wirestream/wirestream/sources/feed"
)

// FeedState is the feed_state topic: each feed's poll state under its StateKey, on the
// partition number of the feed in the feeds topic.
type FeedState struct {
	t   *kafkatable.Table
	log *slog.Logger
	// w writes on one partition each: a state lives on its feed's partition
	// (PartitionOf its URL), which a hashed key's own partition is not.
	w    []*kafkatable.Writer
	keys record.FeedKeys // StateKey of URLs with a secret (the hash is slow on purpose)
}

// OpenState opens the feed_state topic of t, which must exist (Ensure), and checks that it is
// co-partitioned with the feeds topic. log and m may be nil.
func OpenState(ctx context.Context, cn wkafka.Conn, t Topics, log *slog.Logger, m *kafkatable.Metrics) (*FeedState, error) {
	return openStateWith(ctx, cn, t, kafkatable.Options{}, log, m)
}

// openStateWith is OpenState with the feed_state table's options (a test's transport).
func openStateWith(ctx context.Context, cn wkafka.Conn, t Topics, opts kafkatable.Options, log *slog.Logger, m *kafkatable.Metrics) (*FeedState, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	st, err := kafkatable.Open(ctx, cn, t.State(), opts, log, m)
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
	s := &FeedState{t: st, log: log, w: make([]*kafkatable.Writer, st.Partitions())}
	for p := range s.w {
		if s.w[p], err = st.NewPartitionWriter(p); err != nil {
			s.Close()
			return nil, fmt.Errorf("feed state: %w", err)
		}
	}
	return s, nil
}

// Close releases the topic's connections.
func (s *FeedState) Close() error {
	var errs []error
	for _, w := range s.w {
		if w != nil {
			errs = append(errs, w.Close())
		}
	}
	return errors.Join(append(errs, s.t.Close())...)
}

// FeedKeys is the memo of the store's keys (StateKey is record.FeedKey): a poller keys its
// feed_status records through it (sources/feed's keyedStateStore), so a URL with a secret is
// hashed once per process.
func (st *Store) FeedKeys() *record.FeedKeys { return &st.s.keys }

// key is StateKey(url), computed once per URL.
func (s *FeedState) key(url string) string { return s.keys.Of(url) }

// Load reads partition p: the state of every feed on it, by StateKey, and the offset after
// the last record read. A state an earlier release left under a key that says a secret is
// read under the URL's StateKey (the later record wins when both keys are there); Load
// writes nothing, Store.Load moves it.
func (s *FeedState) Load(ctx context.Context, p int) (map[string][]byte, int64, error) {
	r, err := s.load(ctx, p)
	return r.states, r.next, err
}

// load is Load, with what read found besides the states.
func (s *FeedState) load(ctx context.Context, p int) (partitionRead, error) {
	r, err := s.read(ctx, p, kafkatable.FirstOffset)
	if err != nil {
		return partitionRead{}, fmt.Errorf("load feed state %s/%d: %w", s.t.Topic(), p, err)
	}
	return r, nil
}

// partitionRead is what read found in a partition.
type partitionRead struct {
	states  map[string][]byte // StateKey → the last live state
	written map[string]int64  // StateKey → when that state was written: its record's time, Unix ms
	old     map[string]string // an old key (one that says a secret, oldKeyMove) still live → its StateKey
	next    int64             // the offset after the last record read
}

// read reads partition p from offset from: the last live state of each key, by StateKey (an
// old key's under its StateKey, the later record winning when both keys are there), when it
// was written, the old keys live among them, and the offset after the last record read. Each
// key is folded by its own records first: a move's tombstone of the old key is not one of
// the new key's.
func (s *FeedState) read(ctx context.Context, p int, from int64) (partitionRead, error) {
	type at struct {
		value  []byte
		offset int64
		time   int64 // Unix ms: a third of a time.Time, for each state of a partition
	}
	last := map[string]at{}
	next, err := s.t.Restore(ctx, p, from, func(r kafkatable.Record) error {
		if r.Value == nil {
			delete(last, string(r.Key))
		} else {
			last[string(r.Key)] = at{slices.Clone(r.Value), r.Offset, r.Time.UnixMilli()}
		}
		return nil
	})
	if err != nil {
		return partitionRead{}, err
	}
	newest := make(map[string]at, len(last))
	r := partitionRead{old: map[string]string{}, next: next}
	for k, v := range last {
		if sk, old := oldKeyMove(k); old {
			r.old[k], k = sk, sk
		}
		if have, ok := newest[k]; !ok || v.offset > have.offset {
			newest[k] = v
		}
	}
	r.states = make(map[string][]byte, len(newest))
	r.written = make(map[string]int64, len(newest))
	for k, v := range newest {
		r.states[k], r.written[k] = v.value, v.time
	}
	return r, nil
}

// moveOldKeys writes each old key's state (as the read of partition p that ended at offset
// from found it) under its StateKey and then tombstones the old key, in one write to partition
// p, in that order: a write cut short leaves both, and the next load reads them again. It is a
// checked write, which lands a prefix of the entries: a write of many keys is several batches,
// and kafka-go's writer sends the next batch after one that failed, which could tombstone an
// old key whose state never reached its new one. Then it settles the move (settleMoves) and
// returns what that wrote again: StateKey → the state it holds now, nil when deleted.
func (s *FeedState) moveOldKeys(ctx context.Context, p int, from int64, states map[string][]byte, old map[string]string) (map[string][]byte, error) {
	if len(old) == 0 {
		return nil, nil
	}
	oldKeys := slices.Sorted(maps.Keys(old))
	entries := make([]kafkatable.Entry, 0, 2*len(oldKeys))
	for _, k := range oldKeys {
		entries = append(entries, kafkatable.Entry{Key: []byte(old[k]), Value: states[old[k]]})
	}
	for _, k := range oldKeys {
		entries = append(entries, kafkatable.Entry{Key: []byte(k)})
	}
	if err := s.w[p].WriteChecked(ctx, nil, entries...); err != nil {
		return nil, fmt.Errorf("move %d feeds' poll state in %s/%d to keys without their secrets: %w", len(old), s.t.Topic(), p,
			keysSaidIn{err, slices.Collect(maps.Keys(old))})
	}
	moved := make(map[string][]byte, len(old))
	for _, k := range old {
		moved[k] = states[k]
	}
	return s.settleMoves(ctx, p, from, moved)
}

// settleMoves puts back what a move undid: a key move copies the state a read of partition p
// found, and Kafka has no conditional write, so a record for its StateKey that landed between
// that read (which ended at offset from) and the move — the tombstone of a `feeds remove` or
// `feeds push` (Delete), another state (CarryState) — was written over by the older state:
// a removed feed's state came back, to stay until a sweep a day later or to be picked up by
// the feed added again. So once the move is acknowledged it reads p from from, past the move,
// in the partition's order, and writes the StateKey's record from before the move again
// (settledValue) when the move is its last record; a later record (a Delete after the move)
// stands. moved is StateKey → the state the move wrote; it returns the StateKeys written
// again and what they hold now (nil: deleted).
func (s *FeedState) settleMoves(ctx context.Context, p int, from int64, moved map[string][]byte) (map[string][]byte, error) {
	since := map[string][][]byte{} // StateKey → its records' values from from on, in order (nil: a tombstone)
	_, err := s.t.Restore(ctx, p, from, func(r kafkatable.Record) error {
		if _, ok := moved[string(r.Key)]; ok {
			since[string(r.Key)] = append(since[string(r.Key)], slices.Clone(r.Value))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read back the move of %d feeds' poll state in %s/%d: %w", len(moved), s.t.Topic(), p, err)
	}
	again := map[string][]byte{}
	for k, v := range moved {
		if w, ok := settledValue(since[k], v); ok {
			again[k] = w
		}
	}
	if len(again) == 0 {
		return nil, nil
	}
	keys := slices.Sorted(maps.Keys(again))
	entries := make([]kafkatable.Entry, len(keys))
	for i, k := range keys {
		entries[i] = kafkatable.Entry{Key: []byte(k), Value: again[k]}
	}
	if err := s.w[p].Write(ctx, entries...); err != nil {
		return nil, fmt.Errorf("write again %d poll states a key move in %s/%d wrote over: %w", len(keys), s.t.Topic(), p,
			keysSaidIn{err, keys})
	}
	s.log.Info("feed state: a key move raced a delete or a state written meanwhile; wrote their record again",
		"topic", s.t.Topic(), "partition", p, "feeds", len(keys))
	return again, nil
}

// settledValue is what a StateKey must hold after a move that wrote moved under it, given its
// records' values since the read the move was made from (nil: a tombstone): when the move's
// record is the last (the last value equal to moved: the move writes it once per old key) and
// a record other than the same state came before it, that record's value (nil: deleted), and
// true; false when nothing came between the read and the move, or something came after it.
func settledValue(since [][]byte, moved []byte) ([]byte, bool) {
	same := func(v []byte) bool { return v != nil && bytes.Equal(v, moved) }
	last := len(since) - 1
	if last < 0 || !same(since[last]) {
		return nil, false
	}
	for i := last - 1; i >= 0; i-- {
		if !same(since[i]) {
			return since[i], true
		}
	}
	return nil, false
}

// Save writes a feed's state (acks=all) on its feed's partition.
func (s *FeedState) Save(ctx context.Context, url string, state []byte) error {
	if state == nil {
		state = []byte{} // nil would be a tombstone
	}
	if err := s.w[s.PartitionOf(url)].Put(ctx, []byte(s.key(url)), state); err != nil {
		return fmt.Errorf("save feed state of %s: %w", record.RedactURL(url), err)
	}
	return nil
}

// Delete removes the poll state of feeds the list no longer holds: its StateKey, and each key
// an earlier release wrote for it that no fetcher has moved yet (the URL itself for a URL
// with a secret or one keyed with a space since round 37 that does not end in one, round 33's
// key where it differs: oldKeys). feed_state is compacted: a state left there outlives its feed until a fetcher that
// gains the partition drops it a day later (Store.DropOrphans), and meanwhile is picked up by a
// feed added again under the URL (old validators, failures, backoff).
func (s *FeedState) Delete(ctx context.Context, urls ...string) error {
	byPartition := map[int][]kafkatable.Entry{}
	for _, url := range urls {
		p, k := s.PartitionOf(url), s.key(url)
		byPartition[p] = append(byPartition[p], kafkatable.Entry{Key: []byte(k)})
		if k == url { // the URL is its own key, as it always was: no earlier key (record.FeedKey)
			continue
		}
		if hasSecret(url) { // its key before round 32–34; a URL without one has it in oldKeys or none
			byPartition[p] = append(byPartition[p], kafkatable.Entry{Key: []byte(url)})
		}
		for _, old := range s.oldKeys(url) {
			byPartition[p] = append(byPartition[p], kafkatable.Entry{Key: []byte(old)})
		}
	}
	var errs []error
	var keys []string
	for _, p := range slices.Sorted(maps.Keys(byPartition)) {
		for _, e := range byPartition[p] {
			keys = append(keys, string(e.Key))
		}
		if err := s.w[p].Write(ctx, byPartition[p]...); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("delete the poll state of %s from %s: %w", strings.Join(record.RedactURLs(urls), ", "), s.t.Topic(),
			keysSaidIn{err, keys})
	}
	return nil
}

// oldKeys are the keys rounds 32 and 33 wrote for url that are not its StateKey (round33Key),
// and that key as a restore moved it by its key alone (oldKeyMove) when that is not the
// StateKey either (a token as the user name with an empty password and a secret query
// parameter both). For a URL without a secret keyed with a space since round 37 (one that
// ends as an account's key does: record.FeedKey) it is the URL itself, its key before, which
// reads as an account's: only the URL tells it is old. But not for one that ends in a space:
// its key before is today's key of the URL one space shorter, another feed's, whose state the
// key alone does not tell from it (its state before round 37 is left to the sweep as an
// orphan's). None for any other URL without a secret.
func (s *FeedState) oldKeys(url string) []string {
	k := s.key(url)
	if k == url {
		return nil
	}
	if !hasSecret(url) {
		if strings.HasSuffix(url, " ") {
			return nil
		}
		return []string{url}
	}
	r33 := round33Key(url, k)
	if r33 == k || r33 == url {
		return nil
	}
	if moved, ok := oldKeyMove(r33); ok && moved != k {
		return []string{r33, moved}
	}
	return []string{r33}
}

// keysSaidIn is err with each of keys said as a log line says it (saidKeys): a table's write
// error names the key it could not write, and an old key (Delete's, the sweep's, moveOldKeys')
// may say a feed URL's secret.
type keysSaidIn struct {
	err  error
	keys []string
}

func (e keysSaidIn) Error() string {
	msg := e.err.Error()
	for i, said := range saidKeys(e.keys) {
		msg = strings.ReplaceAll(msg, e.keys[i], said)
	}
	return msg
}

func (e keysSaidIn) Unwrap() error { return e.err }

// PartitionOf returns the partition that holds url's state: the same as FeedList.PartitionOf.
func (s *FeedState) PartitionOf(url string) int { return s.t.PartitionOf([]byte(url)) }

// Store is a sources/feed.StateStore over the feed_state topic for the partitions one fetcher
// owns: Load a partition when it is gained, Drop it when it is lost. Saves go to Kafka first and
// are acknowledged by all in-sync replicas before the feed's loop moves on.
type Store struct {
	s       *FeedState
	timeout time.Duration
	mu      sync.Mutex
	states  map[int]map[string][]byte // partition → StateKey → state
	next    map[int]int64             // partition → the offset after the last record read
	// written is, until DropOrphans swept the partition, when each state its load read was
	// written: partition → StateKey → its record's time, Unix ms.
	written map[int]map[string]int64
}

// NewStore returns an empty store whose saves give up after timeout, or sooner when their
// context ends (a running feed loop's never does).
func (s *FeedState) NewStore(timeout time.Duration) *Store {
	return &Store{s: s, timeout: timeout, states: map[int]map[string][]byte{}, next: map[int]int64{},
		written: map[int]map[string]int64{}}
}

// Load reads partition p's states into the store, replacing what it held of p. A state an
// earlier release keyed by a key that says a secret (oldKeyMove) is moved to its StateKey (written,
// the old key tombstoned): the fetcher that gains a partition owns its writes. A move that
// fails is logged and tried again at the partition's next load; the store holds the state
// under its StateKey either way, and the feed's next save writes it there.
func (st *Store) Load(ctx context.Context, p int) error {
	r, err := st.s.load(ctx, p)
	if err != nil {
		return err
	}
	again, moveErr := st.s.moveOldKeys(ctx, p, r.next, r.states, r.old)
	for k, v := range again {
		if v == nil {
			delete(r.states, k)
			delete(r.written, k)
		} else {
			r.states[k] = v
		}
	}
	if moveErr != nil {
		st.s.log.Warn("feed state: old keys left in place", "err", moveErr)
	} else if len(r.old) > 0 {
		st.s.log.Info("feed state: moved poll states to keys without their feed URL's password",
			"topic", st.s.t.Topic(), "partition", p, "feeds", len(r.old))
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	st.states[p] = r.states
	st.next[p] = r.next
	delete(st.written, p)
	if moveErr == nil { // an old key left in place is a URL DropOrphans would not tombstone
		st.written[p] = r.written
	}
	return nil
}

// DropOrphans tombstones, once per load of partition p, the poll states the load read whose
// feed is not among listed (the partition's feed list, read after the load) and which were
// last written before cutoff, and returns their keys (a URL with a secret said as
// StateKey says it). First it moves the states under a key only a listed feed's URL tells
// is old (moveOldKeysOf). feed_state is compacted: a state whose feed left the list without its
// tombstone (one that failed, a poll in flight that saved it after the removal, a release
// before feeds remove dropped state) stayed for good, to be picked up by a feed added again
// under its URL. The cutoff spares a state just written for a feed being added, which
// CarryState writes before the list entry.
func (st *Store) DropOrphans(ctx context.Context, p int, listed []string, cutoff time.Time) ([]string, error) {
	st.mu.Lock()
	written := st.written[p]
	delete(st.written, p)
	st.mu.Unlock()
	if len(written) == 0 {
		return nil, nil
	}
	if err := st.moveOldKeysOf(ctx, p, listed, written); err != nil {
		return nil, err
	}
	keep := make(map[string]bool, len(listed))
	for _, u := range listed {
		keep[st.s.key(u)] = true
	}
	var orphans []string
	for k, at := range written {
		if !keep[k] && at < cutoff.UnixMilli() {
			orphans = append(orphans, k)
		}
	}
	if len(orphans) == 0 {
		return nil, nil
	}
	slices.Sort(orphans)
	entries := make([]kafkatable.Entry, len(orphans))
	for i, k := range orphans {
		entries[i] = kafkatable.Entry{Key: []byte(k)}
	}
	if err := st.s.w[p].Write(ctx, entries...); err != nil {
		return nil, fmt.Errorf("drop %d poll states of feeds no longer listed from %s/%d: %w", len(orphans), st.s.t.Topic(), p,
			keysSaidIn{err, orphans})
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if m, ok := st.states[p]; ok {
		for _, k := range orphans {
			delete(m, k)
		}
	}
	return orphans, nil
}

// moveOldKeysOf moves to their StateKey the states the load of partition p read under a key
// only a listed feed's URL tells is old (oldKeys: round 33's TOKEN:xxxxx@ key of a token with
// an empty password), and takes those keys out of written: the sweep does not drop them as
// orphans. A state the feed already saved under its StateKey is kept; the old key is
// tombstoned either way.
func (st *Store) moveOldKeysOf(ctx context.Context, p int, listed []string, written map[string]int64) error {
	candidates := map[string]string{} // old key → StateKey, computed outside the lock (the hash is slow)
	for _, u := range listed {
		for _, old := range st.s.oldKeys(u) { // none for a URL without a secret
			if _, read := written[old]; read {
				candidates[old] = st.s.key(u)
			}
		}
	}
	if len(candidates) == 0 {
		return nil
	}
	moves := map[string]string{}  // old key → StateKey
	states := map[string][]byte{} // StateKey → the state it gets
	st.mu.Lock()
	m := st.states[p] // nil once dropped: nothing is moved then
	from := st.next[p]
	for old, k := range candidates {
		v, ok := m[k]
		if ov, have := m[old]; have && (!ok || writtenLater(written, old, k)) {
			v, ok = ov, true
		}
		if !ok || v == nil {
			continue // a nil value would be a tombstone of the new key
		}
		moves[old] = k
		if _, have := states[k]; !have {
			states[k] = v
		}
	}
	st.mu.Unlock()
	if len(moves) == 0 {
		return nil
	}
	again, err := st.s.moveOldKeys(ctx, p, from, states, moves)
	if err != nil {
		return err
	}
	maps.Copy(states, again)
	st.s.log.Info("feed state: moved poll states to keys without their feed URL's token",
		"topic", st.s.t.Topic(), "partition", p, "feeds", len(moves))
	st.mu.Lock()
	defer st.mu.Unlock()
	for old, k := range moves {
		delete(written, old)
		if m, ok := st.states[p]; ok {
			_, have := m[k]
			if _, unsaved := m[old]; unsaved || !have { // a save since takes m[old] out
				m[k] = states[k]
			}
			if v, ok := again[k]; ok && v == nil { // deleted meanwhile (settleMoves)
				delete(m, k)
			}
			delete(m, old)
		}
	}
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
	r, err := st.s.read(ctx, p, from) // an old key as its StateKey: the next load moves it
	if oor := (*kafkatable.OffsetOutOfRangeError)(nil); errors.As(err, &oor) {
		// retention or a re-created topic moved the log: read it whole
		r, err = st.s.read(ctx, p, kafkatable.FirstOffset)
	}
	found, next := r.states, r.next
	if err != nil {
		return fmt.Errorf("catch up on feed state %s/%d: %w", st.s.t.Topic(), p, err)
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	m, ok := st.states[p]
	if !ok {
		return nil // dropped meanwhile
	}
	for k, v := range found {
		if _, have := m[k]; !have {
			m[k] = v
		}
	}
	if w, ok := st.written[p]; ok {
		// Not swept yet: a state written again since the load (a fold's carried state
		// ahead of its list entry) is as old as that write, not as the record the load read.
		maps.Copy(w, r.written)
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
		delete(m, st.s.key(url))
		for _, old := range st.s.oldKeys(url) { // LoadFeedState would read it
			delete(m, old)
		}
	}
}

// Drop forgets partition p's states (its feeds moved to another fetcher).
func (st *Store) Drop(p int) {
	st.mu.Lock()
	defer st.mu.Unlock()
	delete(st.states, p)
	delete(st.next, p)
	delete(st.written, p)
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
	k := st.s.key(url)
	v, ok := m[k]
	if k == url { // no secret: no old key
		return v, nil
	}
	for _, old := range st.s.oldKeys(url) { // not moved yet: the sweep moves it (moveOldKeysOf)
		if ov, have := m[old]; have && (!ok || writtenLater(st.written[p], old, k)) {
			return ov, nil
		}
	}
	return v, nil
}

// writtenLater reports whether the load that wrote written read old's state later than k's:
// an old key written again by an earlier release's fetcher (a rolling upgrade, a rollback)
// after the StateKey holds the feed's state, as read's fold of the other old keys says. A
// save since the load took the old keys' states out of the store (SaveFeedState): it is
// the latest.
func writtenLater(written map[string]int64, old, k string) bool {
	tOld, okOld := written[old]
	tk, ok := written[k]
	return okOld && ok && tOld > tk
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
		m[st.s.key(url)] = slices.Clone(data)
		for _, old := range st.s.oldKeys(url) { // the state saved is the latest: writtenLater
			delete(m, old)
		}
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
