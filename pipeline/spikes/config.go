package spikes

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/wirestream/wirestream/pipeline/enrich/entities"
)

// Config tunes the detector. It is embedded in the service configuration
// under `spikes:`.
type Config struct {
	// Bucket is the counting interval.
	Bucket time.Duration `yaml:"bucket"`
	// BaselineHalfLife is the half-life of the EWMA baseline (mean and
	// variance of stories per bucket): slow, so a burst barely moves it.
	BaselineHalfLife time.Duration `yaml:"baseline_half_life"`
	// Warmup is the stream time after the first bucket during which no
	// alert fires, while the baselines learn what is normal.
	Warmup time.Duration `yaml:"warmup"`
	// MinStories is the fewest distinct stories in a bucket that can fire.
	MinStories int `yaml:"min_stories"`
	// MinPublishers is the fewest distinct publishers in a bucket that can fire.
	MinPublishers int `yaml:"min_publishers"`
	// Threshold is the z-score to reach: (count - baseline) / stddev.
	Threshold float64 `yaml:"threshold"`
	// MinRatio is the count / baseline ratio to reach.
	MinRatio float64 `yaml:"min_ratio"`
	// VarianceFloor bounds the variance from below so that a term that is
	// almost always absent does not fire on two mentions.
	VarianceFloor float64 `yaml:"variance_floor"`
	// BaselineFloor bounds the baseline from below in the ratio.
	BaselineFloor float64 `yaml:"baseline_floor"`
	// Cooldown is the least time between two firing alerts of one term.
	Cooldown time.Duration `yaml:"cooldown"`
	// ClearAfter is how long a firing term must stay below the bars before
	// a "cleared" alert.
	ClearAfter time.Duration `yaml:"clear_after"`
	// Watch lists terms that alert with the lower Watch* bars (case does
	// not matter, but for a name's acronym: "US" is place:us, "us" a
	// word, as in a story): entity keys, matched as keys; a name the enrichment's
	// gazetteer knows, as its entity's key (ResolveWatchNames: "Britain"
	// watches place:gb), not searched in the text; any other entry — a word
	// or a phrase — also counts every story whose title, summary or body
	// says it as whole words, under its keyword key, and matches an
	// entity of that name, however a story spells it (watchedEntityKeys).
	// An entry written "keyword:Amazon" is the word alone, never a name.
	// A word added to the list learns its baseline from the restart that
	// brings it on (watchsince.go).
	Watch              []string `yaml:"watch"`
	WatchMinStories    int      `yaml:"watch_min_stories"`
	WatchMinPublishers int      `yaml:"watch_min_publishers"`
	WatchThreshold     float64  `yaml:"watch_threshold"`
	// Ignore lists terms never counted.
	Ignore []string `yaml:"ignore"`
	// MaxTerms bounds the terms tracked; past it the quietest are
	// forgotten, those that fired keeping their last firing (for at most
	// MaxTerms/16 of them, the latest).
	MaxTerms int `yaml:"max_terms"`
	// MaxBucketTerms bounds the terms one open bucket counts. Past it the
	// bucket drops its counts of one story that cannot fire or keep a
	// firing term on (a story is less than half the term's min_stories or
	// watch_min_stories); when those are fewer than an eighth of the cap,
	// it counts no new term until it closes, but a watched one or one
	// firing when the bucket opened (its count is kept, too). Both are
	// counted in wirestream_spikes_bucket_terms_dropped_total (a dropped
	// count once per term, a term not counted once per story mentioning it).
	MaxBucketTerms int `yaml:"max_bucket_terms"`
	// StoryMemory is how long story ids and fingerprints are remembered so
	// a story seen twice (a revision, a copy that slipped past dedupe)
	// counts once.
	StoryMemory time.Duration `yaml:"story_memory"`
	// SampleStories is how many story ids (and event ids) an alert carries.
	SampleStories int `yaml:"sample_stories"`
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	return Config{
		Bucket:             5 * time.Minute,
		BaselineHalfLife:   24 * time.Hour,
		Warmup:             time.Hour,
		MinStories:         5,
		MinPublishers:      3,
		Threshold:          4,
		MinRatio:           3,
		VarianceFloor:      1,
		BaselineFloor:      1,
		Cooldown:           time.Hour,
		ClearAfter:         15 * time.Minute,
		WatchMinStories:    2,
		WatchMinPublishers: 2,
		WatchThreshold:     2,
		MaxTerms:           200_000,
		MaxBucketTerms:     250_000,
		StoryMemory:        24 * time.Hour,
		SampleStories:      5,
	}
}

// Validate reports every invalid key, named as it appears in YAML.
func (c Config) Validate() error {
	var errs []error
	bad := func(key, rule string, got any) {
		errs = append(errs, fmt.Errorf("spikes.%s: %s, got %v", key, rule, got))
	}
	if c.Bucket <= 0 {
		bad("bucket", "must be > 0", c.Bucket)
	}
	if c.BaselineHalfLife < c.Bucket {
		bad("baseline_half_life", "must be >= bucket", c.BaselineHalfLife)
	}
	if c.Warmup < 0 {
		bad("warmup", "must be >= 0", c.Warmup)
	}
	if c.MinStories < 1 {
		bad("min_stories", "must be >= 1", c.MinStories)
	}
	if c.MinPublishers < 1 {
		bad("min_publishers", "must be >= 1", c.MinPublishers)
	}
	if c.Threshold <= 0 {
		bad("threshold", "must be > 0", c.Threshold)
	}
	if c.MinRatio < 1 {
		bad("min_ratio", "must be >= 1", c.MinRatio)
	}
	if c.VarianceFloor <= 0 {
		bad("variance_floor", "must be > 0", c.VarianceFloor)
	}
	if c.BaselineFloor <= 0 {
		bad("baseline_floor", "must be > 0", c.BaselineFloor)
	}
	if c.Cooldown < 0 {
		bad("cooldown", "must be >= 0", c.Cooldown)
	}
	if c.ClearAfter < c.Bucket {
		bad("clear_after", "must be >= bucket", c.ClearAfter)
	}
	if c.WatchMinStories < 1 {
		bad("watch_min_stories", "must be >= 1", c.WatchMinStories)
	}
	if c.WatchMinPublishers < 1 {
		bad("watch_min_publishers", "must be >= 1", c.WatchMinPublishers)
	}
	if c.WatchThreshold <= 0 {
		bad("watch_threshold", "must be > 0", c.WatchThreshold)
	}
	if c.MaxTerms < 100 {
		bad("max_terms", "must be >= 100", c.MaxTerms)
	}
	if c.MaxBucketTerms < 100 {
		bad("max_bucket_terms", "must be >= 100", c.MaxBucketTerms)
	}
	if c.StoryMemory < c.Bucket {
		bad("story_memory", "must be >= bucket", c.StoryMemory)
	}
	if c.SampleStories < 0 {
		bad("sample_stories", "must be >= 0", c.SampleStories)
	}
	for i, w := range c.Watch {
		if err := watchKey(w); err != nil {
			errs = append(errs, fmt.Errorf("spikes.watch[%d]: %w", i, err))
		}
	}
	return errors.Join(errs...)
}

// entityKinds are the kinds an entity key begins with, and the names of
// them a watch list may use instead.
var entityKinds = map[string]string{
	"person": "person", "people": "person", "per": "person",
	"organization": "organization", "organisation": "organization", "org": "organization", "company": "organization",
	"place": "place", "location": "place", "loc": "place", "country": "place", "city": "place",
}

// entityEntry splits a watch entry written as an entity key ("person:…",
// "org:…": a kind entityKinds knows, a colon) into the kind as written,
// the kind entity keys begin with, and what follows; false for any other
// entry: a name, a word or phrase, or one written keyword:… (which
// keywordEntry reads). Validate, the detector (textWatches) and
// nameEntry all ask it, so they never disagree on which entries are
// entity keys.
func entityEntry(w string) (kind, want, id string, ok bool) {
	kind, id, ok = strings.Cut(strings.TrimSpace(w), ":")
	if !ok {
		return "", "", "", false
	}
	want, ok = entityKinds[strings.ToLower(kind)]
	return kind, want, id, ok
}

// keywordEntry is the word or phrase of a watch entry written
// "keyword:strike": watched as that word alone, searched in the text and
// never read as a name (a name the gazetteer knows, "keyword:Amazon",
// would watch the company; a name's slugs, the entities it spells).
func keywordEntry(w string) (string, bool) {
	kind, word, ok := strings.Cut(strings.TrimSpace(w), ":")
	if !ok || !strings.EqualFold(kind, "keyword") {
		return "", false
	}
	return strings.TrimSpace(word), true
}

// nameEntry is a watch entry, trimmed, that is a name or a word as
// written: false for an entity key (entityEntry) and for an entry
// written keyword:…, which no gazetteer resolves (WatchedEntities,
// WordsOfCapitalNames).
func nameEntry(w string) (string, bool) {
	w = strings.TrimSpace(w)
	_, _, _, isKey := entityEntry(w)
	_, isWord := keywordEntry(w)
	return w, !isKey && !isWord
}

// watchedEntityKeys is the entity keys that the watch list's names (its
// entries not in an entity key's form) spell, one for each kind: an
// entity the enrichment keys by its name is watched whichever spelling of
// it a story carries (case, accents: "Beyoncé" and "Beyonce" are
// person:beyonce).
func watchedEntityKeys(watch []string) map[string]bool {
	keys := map[string]bool{}
	for _, w := range watch {
		if _, _, _, ok := entityEntry(w); ok || strings.TrimSpace(w) == "" {
			continue
		}
		for _, kind := range []string{"person", "organization", "place"} {
			k := entities.Key(kind, w)
			// A country's key is its ISO code, no spelling of a name:
			// "AI" would watch place:ai, Anguilla, and "IT" Italy.
			if k == kind+":" || kind == "place" && len(k) == len("place:xx") {
				continue
			}
			keys[k] = true
		}
	}
	return keys
}

// watchKey refuses a watch entry written as an entity key that no story
// can carry: it is matched whole against the keys, so "person:Volodymyr
// Zelensky" (a space where keys have "_") or "org:nato" matched nothing.
// An entry with no kind before a colon is a name or a keyword.
func watchKey(w string) error {
	if word, ok := keywordEntry(w); ok && word == "" {
		return fmt.Errorf("%q: keyword: needs the word or phrase to watch after it", w)
	}
	kind, want, id, ok := entityEntry(w)
	if !ok || id == "" {
		return nil
	}
	key := entities.Key(want, id)
	switch {
	case strings.EqualFold(strings.TrimSpace(w), key):
		return nil
	case want != strings.ToLower(kind):
		return fmt.Errorf("%q: entity keys begin with person:, organization: or place: (did you mean %q?)", w, key)
	default:
		return fmt.Errorf("%q is no entity key as stories carry them (lower case, words joined by _): did you mean %q?", w, key)
	}
}
