package state

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
)

// FileName is the database file inside the data directory.
const FileName = "wirestream-state.db"

var (
	bStories = []byte("stories") // key → JSON Seen
	bByTime  = []byte("by_time") // last seen (8 B big-endian ns) + key → nil: TTL and LRU order
	bAliases = []byte("aliases") // alias key → story id
	bFP      = []byte("fingerprints")
	bFeeds   = []byte("feeds")
	buckets  = [][]byte{bStories, bByTime, bAliases, bFP, bFeeds}
)

// pruneChunk bounds one pruning transaction, so a large expiry never
// holds the writer (and so the pipeline's commits) for long.
const pruneChunk = 5000

// Bolt is the Store on a bbolt file: one writer transaction per Apply,
// fsynced before it returns, so a crash leaves the last complete batch.
type Bolt struct {
	db  *bolt.DB
	cfg Config
	m   *Metrics
}

var _ Store = (*Bolt)(nil)

// OpenBolt opens (creating if needed) the state database in dir, reporting
// to m (nil: unregistered metrics). A second process on the same dir fails
// after a second instead of waiting for the lock forever.
func OpenBolt(dir string, cfg Config, m *Metrics) (*Bolt, error) {
	if m == nil {
		m = NewMetrics(nil)
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("open state: create data dir %s: %w", dir, err)
	}
	path := filepath.Join(dir, FileName)
	db, err := bolt.Open(path, 0o600, &bolt.Options{
		Timeout:      time.Second,
		NoSync:       cfg.NoSync,
		FreelistType: bolt.FreelistMapType, // O(1) page allocation once the file has churned
	})
	if err != nil {
		return nil, fmt.Errorf("open state %s: %w", path, err)
	}
	if err := db.Update(func(tx *bolt.Tx) error {
		for _, name := range buckets {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		db.Close()
		return nil, fmt.Errorf("open state %s: create buckets: %w", path, err)
	}
	b := &Bolt{db: db, cfg: cfg, m: m}
	b.refreshGauges()
	return b, nil
}

// Path is the database file.
func (b *Bolt) Path() string { return b.db.Path() }

// Close closes the database; every Apply that returned is already durable.
func (b *Bolt) Close() error {
	if err := b.db.Close(); err != nil {
		return fmt.Errorf("close state %s: %w", b.db.Path(), err)
	}
	return nil
}

func (b *Bolt) Story(key string) (Seen, bool, error) {
	var s Seen
	var ok bool
	err := b.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bStories).Get([]byte(key))
		if v == nil {
			return nil
		}
		ok = true
		return json.Unmarshal(v, &s)
	})
	if err != nil {
		return Seen{}, false, fmt.Errorf("state: read story %q: %w", key, err)
	}
	return s, ok, nil
}

func (b *Bolt) Alias(key string) (string, bool, error) {
	var id string
	var ok bool
	err := b.db.View(func(tx *bolt.Tx) error {
		if v := tx.Bucket(bAliases).Get([]byte(key)); v != nil {
			id, ok = string(v), true
		}
		return nil
	})
	if err != nil {
		return "", false, fmt.Errorf("state: read alias: %w", err)
	}
	return id, ok, nil
}

func (b *Bolt) Fingerprints(since time.Time, fn func(Fingerprint) error) error {
	err := b.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bFP).Cursor()
		for k, v := c.Seek(timeKey(since, "")); k != nil; k, v = c.Next() {
			if len(k) < 8 {
				continue
			}
			if err := fn(Fingerprint{
				StoryID:   string(k[8:]),
				FirstSeen: time.Unix(0, int64(binary.BigEndian.Uint64(k))).UTC(),
				Sig:       bytes.Clone(v),
			}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("state: load fingerprints: %w", err)
	}
	return nil
}

// Apply writes c in one fsynced transaction.
func (b *Bolt) Apply(c Changes) error {
	if c.Empty() {
		return nil
	}
	start := time.Now()
	err := b.db.Update(func(tx *bolt.Tx) error {
		st, bt, al, fp := tx.Bucket(bStories), tx.Bucket(bByTime), tx.Bucket(bAliases), tx.Bucket(bFP)
		for key, s := range c.Stories {
			k := []byte(key)
			if old := st.Get(k); old != nil {
				var o Seen
				if err := json.Unmarshal(old, &o); err == nil {
					if err := bt.Delete(timeKey(o.LastSeen, key)); err != nil {
						return err
					}
					s.Aliases = union(o.Aliases, s.Aliases)
					if o.FirstSeen.Before(s.FirstSeen) {
						s.FirstSeen = o.FirstSeen
					}
				}
			} else if err := st.SetSequence(st.Sequence() + 1); err != nil {
				return err
			}
			v, err := json.Marshal(s)
			if err != nil {
				return err
			}
			if err := st.Put(k, v); err != nil {
				return err
			}
			if err := bt.Put(timeKey(s.LastSeen, key), nil); err != nil {
				return err
			}
		}
		for k, id := range c.Aliases {
			if err := al.Put([]byte(k), []byte(id)); err != nil {
				return err
			}
		}
		for _, f := range c.Fingerprints {
			if err := fp.Put(timeKey(f.FirstSeen, f.StoryID), f.Sig); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("state: commit %d stories to %s: %w", len(c.Stories), b.db.Path(), err)
	}
	b.m.CommitDuration.Observe(time.Since(start).Seconds())
	return nil
}

func (b *Bolt) LoadFeedState(url string) ([]byte, error) {
	var out []byte
	err := b.db.View(func(tx *bolt.Tx) error {
		out = bytes.Clone(tx.Bucket(bFeeds).Get([]byte(url)))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("state: load feed state of %s: %w", url, err)
	}
	return out, nil
}

func (b *Bolt) SaveFeedState(url string, data []byte) error {
	err := b.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bFeeds).Put([]byte(url), bytes.Clone(data))
	})
	if err != nil {
		return fmt.Errorf("state: save feed state of %s: %w", url, err)
	}
	return nil
}

// Prune drops stories not seen within SeenTTL, then the least recently
// seen beyond MaxEntries, then fingerprints older than FingerprintTTL. It
// works in chunks of small transactions so commits interleave.
func (b *Bolt) Prune(now time.Time) (PruneStats, error) {
	var ps PruneStats
	cutoff := timeKey(now.Add(-b.cfg.SeenTTL), "")
	for {
		n, err := b.pruneStories(func(k []byte, _ uint64, _ int) bool {
			return bytes.Compare(k, cutoff) < 0
		})
		ps.Stories += n
		if err != nil {
			return ps, err
		}
		if n < pruneChunk {
			break
		}
	}
	for {
		n, err := b.pruneStories(func(_ []byte, count uint64, i int) bool {
			return count-uint64(i) > uint64(b.cfg.MaxEntries)
		})
		ps.Evicted += n
		if err != nil {
			return ps, err
		}
		if n < pruneChunk {
			break
		}
	}
	fpCut := timeKey(now.Add(-b.cfg.FingerprintTTL), "")
	for {
		var keys [][]byte
		err := b.db.Update(func(tx *bolt.Tx) error {
			c := tx.Bucket(bFP).Cursor()
			for k, _ := c.First(); k != nil && len(keys) < pruneChunk && bytes.Compare(k, fpCut) < 0; k, _ = c.Next() {
				keys = append(keys, bytes.Clone(k))
			}
			for _, k := range keys {
				if err := tx.Bucket(bFP).Delete(k); err != nil {
					return err
				}
			}
			return nil
		})
		ps.Fingerprints += len(keys)
		if err != nil {
			return ps, fmt.Errorf("state: prune fingerprints: %w", err)
		}
		if len(keys) < pruneChunk {
			break
		}
	}
	b.m.Pruned.WithLabelValues("ttl").Add(float64(ps.Stories))
	b.m.Pruned.WithLabelValues("evicted").Add(float64(ps.Evicted))
	b.m.Pruned.WithLabelValues("fingerprint").Add(float64(ps.Fingerprints))
	b.refreshGauges()
	return ps, nil
}

// pruneStories deletes, oldest first, up to pruneChunk entries while
// drop(by_time key, entry count, deleted so far) says so.
func (b *Bolt) pruneStories(drop func(k []byte, count uint64, i int) bool) (int, error) {
	n := 0
	err := b.db.Update(func(tx *bolt.Tx) error {
		st := tx.Bucket(bStories)
		count := st.Sequence()
		var keys [][]byte
		c := tx.Bucket(bByTime).Cursor()
		for k, _ := c.First(); k != nil && len(keys) < pruneChunk && drop(k, count, len(keys)); k, _ = c.Next() {
			keys = append(keys, bytes.Clone(k))
		}
		for _, k := range keys {
			if err := deleteEntry(tx, k); err != nil {
				return err
			}
		}
		n = len(keys)
		return nil
	})
	if err != nil {
		return n, fmt.Errorf("state: prune stories: %w", err)
	}
	return n, nil
}

// deleteEntry removes a story (by its by_time key) with its aliases and
// fingerprint.
func deleteEntry(tx *bolt.Tx, timeK []byte) error {
	st := tx.Bucket(bStories)
	if err := tx.Bucket(bByTime).Delete(timeK); err != nil {
		return err
	}
	key := timeK[8:]
	v := st.Get(key)
	if v == nil {
		return nil
	}
	var s Seen
	if err := json.Unmarshal(v, &s); err == nil {
		al := tx.Bucket(bAliases)
		for _, a := range s.Aliases {
			// An alias may since point at another story; leave that one.
			if id := al.Get([]byte(a)); id != nil && string(id) == s.ID {
				if err := al.Delete([]byte(a)); err != nil {
					return err
				}
			}
		}
		if s.DuplicateOf == "" {
			if err := tx.Bucket(bFP).Delete(timeKey(s.FirstSeen, s.ID)); err != nil {
				return err
			}
		}
	}
	if err := st.Delete(key); err != nil {
		return err
	}
	if n := st.Sequence(); n > 0 {
		return st.SetSequence(n - 1)
	}
	return nil
}

// refreshGauges walks the buckets for key counts. It is O(pages), so it
// runs after Prune, not after every commit.
func (b *Bolt) refreshGauges() {
	m := b.m
	_ = b.db.View(func(tx *bolt.Tx) error {
		for _, name := range buckets {
			m.Keys.WithLabelValues(string(name)).Set(float64(tx.Bucket(name).Stats().KeyN))
		}
		m.FileSize.Set(float64(tx.Size()))
		return nil
	})
}

// Count returns the number of remembered entries (stories and duplicates).
func (b *Bolt) Count() (int, error) {
	var n uint64
	err := b.db.View(func(tx *bolt.Tx) error {
		n = tx.Bucket(bStories).Sequence()
		return nil
	})
	return int(n), err
}

// timeKey orders keys by time, then by key: big-endian nanoseconds sort
// bytewise like time. Times before 1970 clamp to 0.
func timeKey(t time.Time, key string) []byte {
	b := make([]byte, 8+len(key))
	ns := t.UnixNano()
	if ns < 0 || t.IsZero() {
		ns = 0
	}
	binary.BigEndian.PutUint64(b, uint64(ns))
	copy(b[8:], key)
	return b
}

func union(a, b []string) []string {
	if len(a) == 0 {
		return b
	}
	out := append([]string(nil), a...)
	for _, x := range b {
		found := false
		for _, y := range a {
			if x == y {
				found = true
				break
			}
		}
		if !found {
			out = append(out, x)
		}
	}
	return out
}

// Ready reports whether the store can be read, for /readyz: a closed or
// broken database file fails a read transaction.
func (b *Bolt) Ready(context.Context) error {
	return b.db.View(func(*bolt.Tx) error { return nil })
}
