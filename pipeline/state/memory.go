package state

import (
	"bytes"
	"sort"
	"sync"
	"time"
)

// Memory is a Store that forgets on exit: for `wirestream process` runs
// without a data directory, and for tests. It applies the same bounds as
// Bolt.
type Memory struct {
	mu      sync.Mutex
	cfg     Config
	stories map[string]Seen
	aliases map[string]string
	fps     map[string]Fingerprint // by story id
	feeds   map[string][]byte
}

var _ Store = (*Memory)(nil)

// NewMemory returns an empty in-memory store.
func NewMemory(cfg Config) *Memory {
	return &Memory{cfg: cfg, stories: map[string]Seen{}, aliases: map[string]string{}, fps: map[string]Fingerprint{}, feeds: map[string][]byte{}}
}

func (m *Memory) Story(key string) (Seen, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.stories[key]
	return s, ok, nil
}

func (m *Memory) Alias(key string) (string, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	id, ok := m.aliases[key]
	return id, ok, nil
}

func (m *Memory) Fingerprints(since time.Time, fn func(Fingerprint) error) error {
	m.mu.Lock()
	var fs []Fingerprint
	for _, f := range m.fps {
		if !f.FirstSeen.Before(since) {
			fs = append(fs, f)
		}
	}
	m.mu.Unlock()
	sort.Slice(fs, func(i, j int) bool {
		if !fs[i].FirstSeen.Equal(fs[j].FirstSeen) {
			return fs[i].FirstSeen.Before(fs[j].FirstSeen)
		}
		return fs[i].StoryID < fs[j].StoryID
	})
	for _, f := range fs {
		if err := fn(f); err != nil {
			return err
		}
	}
	return nil
}

func (m *Memory) Apply(c Changes) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for k, s := range c.Stories {
		if o, ok := m.stories[k]; ok {
			s.Aliases = union(o.Aliases, s.Aliases)
			if o.FirstSeen.Before(s.FirstSeen) {
				s.FirstSeen = o.FirstSeen
			}
		}
		m.stories[k] = s
	}
	for k, id := range c.Aliases {
		m.aliases[k] = id
	}
	for _, f := range c.Fingerprints {
		f.Sig = bytes.Clone(f.Sig)
		m.fps[f.StoryID] = f
	}
	return nil
}

func (m *Memory) LoadFeedState(url string) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return bytes.Clone(m.feeds[url]), nil
}

func (m *Memory) SaveFeedState(url string, data []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.feeds[url] = bytes.Clone(data)
	return nil
}

func (m *Memory) Prune(now time.Time) (PruneStats, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var ps PruneStats
	type kt struct {
		k string
		t time.Time
	}
	var order []kt
	for k, s := range m.stories {
		if s.LastSeen.Before(now.Add(-m.cfg.SeenTTL)) {
			m.drop(k, s)
			ps.Stories++
			continue
		}
		order = append(order, kt{k, s.LastSeen})
	}
	if over := len(order) - m.cfg.MaxEntries; over > 0 {
		// Oldest first, ties by key: the order Bolt's by_time index has.
		sort.Slice(order, func(i, j int) bool {
			if !order[i].t.Equal(order[j].t) {
				return order[i].t.Before(order[j].t)
			}
			return order[i].k < order[j].k
		})
		for _, e := range order[:over] {
			m.drop(e.k, m.stories[e.k])
			ps.Evicted++
		}
	}
	for id, f := range m.fps {
		if f.FirstSeen.Before(now.Add(-m.cfg.FingerprintTTL)) {
			delete(m.fps, id)
			ps.Fingerprints++
		}
	}
	return ps, nil
}

func (m *Memory) drop(k string, s Seen) {
	for _, a := range s.Aliases {
		if m.aliases[a] == s.ID {
			delete(m.aliases, a)
		}
	}
	if s.DuplicateOf == "" {
		delete(m.fps, s.ID)
	}
	delete(m.stories, k)
}

func (m *Memory) Close() error { return nil }
