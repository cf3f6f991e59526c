package websub

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/wirestream/wirestream/sources/feed"
)

// Config is the `websub:` section of the configuration.
type Config struct {
	// Enabled turns push on. Off by default: hubs must reach the callback,
	// so it needs a public URL.
	Enabled bool `yaml:"enabled"`
	// Listen is the address of the callback listener, separate from the
	// metrics listener so only the callback is exposed to the internet.
	Listen string `yaml:"listen"`
	// PublicURL is where hubs reach Listen from outside (through a reverse
	// proxy or a load balancer), e.g. https://wirestream.example.com/websub.
	// Each subscription's callback is PublicURL/<unguessable token>.
	PublicURL string `yaml:"public_url"`
	// Lease is the subscription lifetime asked of hubs; a hub may grant
	// another.
	Lease time.Duration `yaml:"lease"`
	// RenewBefore: a subscription is renewed this long before its lease
	// ends (at most half way through a short lease).
	RenewBefore time.Duration `yaml:"renew_before"`
	// VerifyTimeout is how long a hub may take to verify a request (the
	// hub.challenge round trip) before the request is tried again.
	VerifyTimeout time.Duration `yaml:"verify_timeout"`
	// RetryInitial and RetryMax bound the backoff between failed
	// subscription attempts (a hub that errs, refuses or is gone).
	RetryInitial time.Duration `yaml:"retry_initial"`
	RetryMax     time.Duration `yaml:"retry_max"`
	// RelaxedInterval is how often a feed is still polled while its hub
	// pushes: polling stays as the fallback. When pushes stop (nothing for
	// this long, or the subscription lapses), the feed's own interval
	// returns.
	RelaxedInterval time.Duration `yaml:"relaxed_interval"`
	// MaxPushesPerMinute caps deliveries per subscription; more are
	// answered 429 with Retry-After (polling still has the items).
	MaxPushesPerMinute int `yaml:"max_pushes_per_minute"`
}

// DefaultConfig returns the defaults: off.
func DefaultConfig() Config {
	return Config{
		Listen:             ":9465",
		Lease:              24 * time.Hour,
		RenewBefore:        time.Hour,
		VerifyTimeout:      2 * time.Minute,
		RetryInitial:       time.Minute,
		RetryMax:           time.Hour,
		RelaxedInterval:    time.Hour,
		MaxPushesPerMinute: 60,
	}
}

// Validate reports every invalid key, naming it. The public URL is
// required only when push is enabled.
func (c Config) Validate() error {
	var errs []error
	positive := func(key string, d time.Duration) {
		if d <= 0 {
			errs = append(errs, fmt.Errorf("websub.%s: must be > 0, got %s", key, d))
		}
	}
	positive("lease", c.Lease)
	positive("renew_before", c.RenewBefore)
	positive("verify_timeout", c.VerifyTimeout)
	positive("retry_initial", c.RetryInitial)
	positive("retry_max", c.RetryMax)
	positive("relaxed_interval", c.RelaxedInterval)
	if c.Lease > 0 && c.Lease < time.Minute {
		errs = append(errs, fmt.Errorf("websub.lease: must be >= 1m (hubs count in seconds and renewals need time), got %s", c.Lease))
	}
	if c.RetryInitial > c.RetryMax && c.RetryMax > 0 {
		errs = append(errs, fmt.Errorf("websub.retry_initial: must be <= retry_max (%s), got %s", c.RetryMax, c.RetryInitial))
	}
	if c.MaxPushesPerMinute < 1 {
		errs = append(errs, fmt.Errorf("websub.max_pushes_per_minute: must be >= 1, got %d", c.MaxPushesPerMinute))
	}
	if c.Enabled {
		if strings.TrimSpace(c.Listen) == "" {
			errs = append(errs, errors.New("websub.listen: must not be empty when websub.enabled is true"))
		}
		if err := checkPublicURL(c.PublicURL); err != nil {
			errs = append(errs, fmt.Errorf("websub.public_url: %w", err))
		}
	}
	return errors.Join(errs...)
}

func checkPublicURL(raw string) error {
	if strings.TrimSpace(raw) == "" {
		return errors.New("required when websub.enabled is true: the address hubs reach the callback listener at, e.g. https://wirestream.example.com/websub")
	}
	if err := feed.CheckHTTPURL(raw); err != nil {
		return err
	}
	if u, _ := url.Parse(raw); u.RawQuery != "" || u.Fragment != "" {
		return errors.New("must not have a query or a fragment: the subscription token is appended as a path segment")
	}
	return nil
}
