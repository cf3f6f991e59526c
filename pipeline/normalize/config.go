package normalize

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// Config is the normalize section of wirestream's configuration (YAML key
// "normalize").
type Config struct {
	// FutureSkew is how far past the fetch time a published date may lie
	// before it is clamped to the fetch time and flagged "future_clamped".
	// Clocks of small publishers drift, and some feeds announce embargoed
	// stories early; a few minutes of skew absorbs the first.
	FutureSkew time.Duration `yaml:"future_skew"`
	// ExtraTrackingParams are query parameters removed from canonical URLs
	// in addition to the built-in list. Matching ignores case; a trailing
	// "*" matches a prefix ("xtor*").
	ExtraTrackingParams []string `yaml:"extra_tracking_params"`
	// MaxTextBytes caps the body text and the sanitized HTML kept in a
	// story, in bytes of their JSON, so a single huge item cannot exceed
	// Kafka's message limit.
	MaxTextBytes int `yaml:"max_text_bytes"`
}

// Limits on MaxTextBytes: below the minimum real articles get cut, above
// the maximum a story with body and HTML at the cap and every other
// field at its own (about 145 KB of them) could pass Kafka's default
// 1 MB message.max.bytes (TestAStoryAtEveryCapFitsInAKafkaMessage).
const (
	minMaxTextBytes = 4 << 10
	maxMaxTextBytes = 400 << 10
)

// DefaultConfig returns the defaults: 10 minutes of skew, no extra tracking
// parameters, 200 KiB of text.
func DefaultConfig() Config {
	return Config{
		FutureSkew:   record.DefaultFutureSkew,
		MaxTextBytes: 200 << 10,
	}
}

// Validate reports every invalid field, naming its YAML key.
func (c Config) Validate() error {
	var errs []error
	if c.FutureSkew < 0 {
		errs = append(errs, fmt.Errorf("normalize.future_skew: must be >= 0, got %s", c.FutureSkew))
	} else if c.FutureSkew > 7*24*time.Hour {
		errs = append(errs, fmt.Errorf("normalize.future_skew: must be <= 168h, got %s", c.FutureSkew))
	}
	if c.MaxTextBytes < minMaxTextBytes || c.MaxTextBytes > maxMaxTextBytes {
		errs = append(errs, fmt.Errorf("normalize.max_text_bytes: must be between %d and %d, got %d",
			minMaxTextBytes, maxMaxTextBytes, c.MaxTextBytes))
	}
	for i, p := range c.ExtraTrackingParams {
		name := strings.TrimSuffix(p, "*")
		switch {
		case strings.TrimSpace(p) != p || name == "":
			errs = append(errs, fmt.Errorf("normalize.extra_tracking_params[%d]: must be a non-empty parameter name without spaces, got %q", i, p))
		case strings.ContainsAny(name, "=&?#* \t"):
			errs = append(errs, fmt.Errorf("normalize.extra_tracking_params[%d]: %q must not contain '=', '&', '?', '#' or a '*' other than a trailing one", i, p))
		}
	}
	return errors.Join(errs...)
}
