package state

import (
	"fmt"
	"time"
)

// Config bounds the store.
type Config struct {
	// SeenTTL is how long a story is remembered after it was last seen in
	// any feed. Longer than any feed keeps an item, or old items would be
	// re-published when they expire.
	SeenTTL time.Duration `yaml:"seen_ttl"`
	// FingerprintTTL is how long a near-duplicate fingerprint is kept: the
	// dedupe window.
	FingerprintTTL time.Duration `yaml:"fingerprint_ttl"`
	// MaxEntries caps remembered entries (stories and duplicates); Prune
	// evicts the least recently seen beyond it.
	MaxEntries int `yaml:"max_entries"`
	// NoSync skips fsync: for tests and throwaway runs only, since a crash
	// can then lose acknowledged state (and so re-publish it).
	NoSync bool `yaml:"no_sync"`
}

// DefaultConfig returns the defaults: a week of memory, a 72 h fingerprint
// window, two million entries.
func DefaultConfig() Config {
	return Config{SeenTTL: 7 * 24 * time.Hour, FingerprintTTL: 72 * time.Hour, MaxEntries: 2_000_000}
}

// Validate names the first bad key.
func (c Config) Validate() error {
	switch {
	case c.SeenTTL <= 0:
		return fmt.Errorf("state.seen_ttl: must be > 0, got %s", c.SeenTTL)
	case c.FingerprintTTL <= 0:
		return fmt.Errorf("state.fingerprint_ttl: must be > 0, got %s", c.FingerprintTTL)
	case c.FingerprintTTL > c.SeenTTL:
		return fmt.Errorf("state.fingerprint_ttl: must be <= state.seen_ttl (%s), got %s", c.SeenTTL, c.FingerprintTTL)
	case c.MaxEntries <= 0:
		return fmt.Errorf("state.max_entries: must be > 0, got %d", c.MaxEntries)
	}
	return nil
}
