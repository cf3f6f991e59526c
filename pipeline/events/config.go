package events

import (
	"errors"
	"fmt"
	"time"
)

// Config tunes the clusterer. It is embedded in the service configuration
// under `events:`.
type Config struct {
	// Threshold is the minimum time-decayed cosine similarity between a
	// story and an event's centroid for the story to join the event.
	Threshold float64 `yaml:"threshold"`
	// MergeThreshold folds two events into one when a story joined one
	// (above Threshold), came within half of Threshold of the other, and
	// their centroids' cosine reaches it; 0 disables merging.
	MergeThreshold float64 `yaml:"merge_threshold"`
	// SizePrior weighs an event's similarity by 1 + SizePrior·ln(stories),
	// so an established event draws the stories that are about as close
	// to it as to a newer, smaller one; 0 disables it.
	SizePrior float64 `yaml:"size_prior"`
	// Window is how far back a story can join: events founded longer ago
	// than this take no new stories (a long-running story becomes a new event).
	Window time.Duration `yaml:"window"`
	// Expiry is the inactivity after which an event is closed.
	Expiry time.Duration `yaml:"expiry"`
	// HalfLife halves an event's similarity for every HalfLife since its
	// last story, so stories days apart rarely meet.
	HalfLife time.Duration `yaml:"half_life"`
	// MaxMembers is how many of the latest story ids an event keeps and publishes.
	MaxMembers int `yaml:"max_members"`
	// MaxEvents bounds the active events; past it the least recently
	// updated event is closed early.
	MaxEvents int `yaml:"max_events"`
	// TitleWeight multiplies title words relative to body words.
	TitleWeight float64 `yaml:"title_weight"`
	// EntityWeight multiplies entity keys (when the story has entities).
	EntityWeight float64 `yaml:"entity_weight"`
	// KeywordWeight multiplies keywords (when the story has keywords).
	KeywordWeight float64 `yaml:"keyword_weight"`
	// StoryTerms keeps a story's strongest terms only.
	StoryTerms int `yaml:"story_terms"`
	// CentroidTerms keeps an event centroid's strongest terms only; a
	// story with neither body nor summary lets it keep half as many again
	// (headlineCentroid).
	CentroidTerms int `yaml:"centroid_terms"`
	// QueryTerms is how many of a story's strongest terms look up candidate
	// events; a story they bring to no event above Threshold looks again
	// with twice as many before it founds one.
	QueryTerms int `yaml:"query_terms"`
	// MaxPostings caps the events listed under one term in the inverted
	// index; the oldest entries drop first.
	MaxPostings int `yaml:"max_postings"`
	// MaxVocabulary bounds the document-frequency table; past it, counts
	// are halved and rare terms forgotten.
	MaxVocabulary int `yaml:"max_vocabulary"`
	// PublishInterval is how often at most the pipeline publishes a
	// record of one event: an update within it of the event's last record
	// waits, and goes out with the state the event then has. 0 publishes
	// every change at once. The clusterer does not read it; the pipeline
	// does (pipeline.Config.EventPublishInterval).
	PublishInterval time.Duration `yaml:"publish_interval"`

	// oneWordBar is how many times Threshold a join through one plain
	// shared word needs (bestEvent); DefaultConfig sets oneWordBar. Not a
	// setting: ≤ 1 turns it off, for the tests that restore a state log
	// written before round 47 and replay the decisions that wrote it.
	oneWordBar float64
}

// DefaultConfig returns the configuration tuned on the development data
// (see internal/eval/eventeval and BENCHMARKS.md).
func DefaultConfig() Config {
	return Config{
		Threshold:      0.17,
		MergeThreshold: 0.2,
		SizePrior:      0.3,
		Window:         48 * time.Hour,
		Expiry:         24 * time.Hour,
		HalfLife:       24 * time.Hour,
		MaxMembers:     200,
		MaxEvents:      100_000,
		TitleWeight:    2,
		EntityWeight:   1,
		KeywordWeight:  0.5,
		StoryTerms:     64,
		CentroidTerms:  100,
		QueryTerms:     8,
		MaxPostings:    256,
		MaxVocabulary:  500_000,
		oneWordBar:     oneWordBar,
	}
}

// Validate reports every invalid key, named as it appears in YAML.
func (c Config) Validate() error {
	var errs []error
	bad := func(key, rule string, got any) {
		errs = append(errs, fmt.Errorf("events.%s: %s, got %v", key, rule, got))
	}
	if !(c.Threshold > 0 && c.Threshold < 1) {
		bad("threshold", "must be in (0, 1)", c.Threshold)
	}
	if c.MergeThreshold < 0 || c.MergeThreshold >= 1 {
		bad("merge_threshold", "must be in [0, 1), 0 disables merging", c.MergeThreshold)
	}
	if c.SizePrior < 0 || c.SizePrior > 2 {
		bad("size_prior", "must be in [0, 2], 0 disables it", c.SizePrior)
	}
	if c.Window <= 0 {
		bad("window", "must be > 0", c.Window)
	}
	if c.Expiry <= 0 {
		bad("expiry", "must be > 0", c.Expiry)
	}
	if c.HalfLife <= 0 {
		bad("half_life", "must be > 0", c.HalfLife)
	}
	if c.MaxMembers < 1 {
		bad("max_members", "must be >= 1", c.MaxMembers)
	}
	if c.MaxEvents < 1 {
		bad("max_events", "must be >= 1", c.MaxEvents)
	}
	if c.TitleWeight <= 0 {
		bad("title_weight", "must be > 0", c.TitleWeight)
	}
	if c.EntityWeight < 0 {
		bad("entity_weight", "must be >= 0", c.EntityWeight)
	}
	if c.KeywordWeight < 0 {
		bad("keyword_weight", "must be >= 0", c.KeywordWeight)
	}
	if c.StoryTerms < 1 {
		bad("story_terms", "must be >= 1", c.StoryTerms)
	}
	if c.CentroidTerms < 1 {
		bad("centroid_terms", "must be >= 1", c.CentroidTerms)
	}
	if c.QueryTerms < 1 {
		bad("query_terms", "must be >= 1", c.QueryTerms)
	}
	if c.MaxPostings < 1 {
		bad("max_postings", "must be >= 1", c.MaxPostings)
	}
	if c.MaxVocabulary < 1000 {
		bad("max_vocabulary", "must be >= 1000", c.MaxVocabulary)
	}
	if c.PublishInterval < 0 {
		bad("publish_interval", "must be >= 0, 0 publishes every change at once", c.PublishInterval)
	}
	return errors.Join(errs...)
}
