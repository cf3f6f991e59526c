package dedupe

import (
	"errors"
	"fmt"
	"time"
)

// Config tunes exact and near-duplicate detection. The defaults were
// chosen on the labelled WikiRef220 set (see internal/eval/dedupeeval):
// 3-word shingles, 64 MinHash values in 32 bands of 2 (48 in 24 takes
// less memory and finds fewer copies: see MinHashes), and an estimated
// Jaccard threshold of 0.25: the middle of the 0.20–0.30 plateau where
// precision is 0.9977 (the one false merge is a blog post quoting a news
// story nearly whole) and recall 1.0; recall starts to fall at 0.35. SimHash-64 was measured
// too and rejected: its best F1 was 0.959, at a Hamming distance of 18
// that no banded index can search.
type Config struct {
	// Window is how far back a near-duplicate is looked for, in story
	// time: from the original's event time (published, clamped) to the
	// latest story time seen.
	Window time.Duration `yaml:"window"`
	// Threshold is the estimated Jaccard similarity of shingle sets at or
	// above which a story is a near-duplicate. It is decided at the grid
	// full MinHash values read it on (12 equal values of 48, or 16 of 64,
	// at 0.25), not on the 8-bit store's chance-corrected estimate, which
	// put 16 of 64 at 0.247 (Config.NearAt).
	Threshold float64 `yaml:"threshold"`
	// ShingleWords is the number of words per shingle.
	ShingleWords int `yaml:"shingle_words"`
	// MinHashes is the MinHash signature length; Bands must divide it.
	// 64 in 32 bands is the default. 48 in 24 takes ≈ 52 B less a
	// remembered story but finds fewer copies near the threshold (0.944
	// against 0.959 at exact Jaccard ≥ 0.25) and merges more different
	// articles that reuse a URL another feed listed first (60 against 22
	// of 6,790 in eval dedupe's claims, the site's feed off its host): it
	// was the default for part of round 40 and taken back; 32 in 16 finds
	// fewer still (internal/eval/dedupeeval's recall study). Fingerprints
	// remembered under a longer signature with the same rows per band
	// (64/32 → 48/24 or 32/16; 256 values included, see settingByte) are
	// converted on restore (their prefix); any other
	// change drops them (they cannot be compared): near copies of stories
	// seen before it are missed until those leave the window. The restore
	// logs how many it converted or dropped (restorelog.go).
	MinHashes int `yaml:"minhashes"`
	// Bands is the number of LSH bands: more bands find lower similarities
	// but return more candidates and use more memory.
	Bands int `yaml:"bands"`
	// MinNearWords: texts shorter than this are not near-deduped (a
	// two-line summary has too few shingles to tell stories apart).
	MinNearWords int `yaml:"min_near_words"`
	// MinBodyWords: texts shorter than this get no body-hash key, so that
	// short identical teasers ("Click to read more") do not merge stories.
	MinBodyWords int `yaml:"min_body_words"`
	// TouchInterval: a story seen again unchanged gets its last-seen time
	// refreshed (which keeps it from expiring while a feed still carries
	// it) at most this often in story time, to keep re-polls from writing
	// the store.
	TouchInterval time.Duration `yaml:"touch_interval"`
	// BucketVisits, when above 0, is the most stories a near query scores
	// from one band's bucket (the stories sharing the query's value of
	// that band: its oldest first). 0, the default, scores them all. A
	// bound makes a query's cost independent of how many stories share
	// text below the hot-value bound (hotBucket); it misses copies whose
	// only bands shared with their original are in buckets larger than
	// the bound (BENCHMARKS.md, round 11 "near-duplicate index under hot
	// band values").
	BucketVisits int `yaml:"bucket_visits"`
}

// DefaultConfig returns the measured defaults.
func DefaultConfig() Config {
	return Config{
		Window:        72 * time.Hour,
		Threshold:     0.25,
		ShingleWords:  3,
		MinHashes:     64,
		Bands:         32,
		MinNearWords:  25,
		MinBodyWords:  8,
		TouchInterval: 6 * time.Hour,
	}
}

// Validate names the first bad key.
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	if c.Window <= 0 {
		bad("dedupe.window: must be > 0, got %s", c.Window)
	}
	if c.Threshold <= 0 || c.Threshold > 1 {
		bad("dedupe.threshold: must be in (0, 1], got %g", c.Threshold)
	}
	if c.ShingleWords < 1 || c.ShingleWords > 8 {
		bad("dedupe.shingle_words: must be 1..8, got %d", c.ShingleWords)
	}
	if c.MinHashes < 8 || c.MinHashes > maxK {
		bad("dedupe.minhashes: must be 8..%d, got %d", maxK, c.MinHashes)
	} else if c.Bands < 1 || c.MinHashes%c.Bands != 0 {
		bad("dedupe.bands: must divide dedupe.minhashes (%d), got %d", c.MinHashes, c.Bands)
	}
	if c.MinNearWords < c.ShingleWords {
		bad("dedupe.min_near_words: must be >= dedupe.shingle_words (%d), got %d", c.ShingleWords, c.MinNearWords)
	}
	if c.MinBodyWords < 1 {
		bad("dedupe.min_body_words: must be >= 1, got %d", c.MinBodyWords)
	}
	if c.BucketVisits < 0 {
		bad("dedupe.bucket_visits: must be >= 0 (0: no bound), got %d", c.BucketVisits)
	}
	if c.TouchInterval < 0 {
		bad("dedupe.touch_interval: must be >= 0, got %s", c.TouchInterval)
	}
	return errors.Join(errs...)
}
