package normalize

import (
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/testkit"
)

func TestConfigValidate(t *testing.T) {
	if err := DefaultConfig().Validate(); err != nil {
		t.Fatalf("default config invalid: %v", err)
	}
	tests := []testkit.ConfigCase[Config]{
		{"a negative skew names its key", func(c *Config) { c.FutureSkew = -time.Minute }, "normalize.future_skew: must be >= 0, got -1m0s"},
		{"a skew over a week is refused", func(c *Config) { c.FutureSkew = 200 * time.Hour }, "normalize.future_skew: must be <= 168h"},
		{"a tiny text cap is refused", func(c *Config) { c.MaxTextBytes = 100 }, "normalize.max_text_bytes: must be between 4096 and 409600, got 100"},
		{"a text cap over the kafka budget is refused", func(c *Config) { c.MaxTextBytes = 1 << 20 }, "normalize.max_text_bytes"},
		{"an empty tracking param is refused", func(c *Config) { c.ExtraTrackingParams = []string{"ok", ""} }, "normalize.extra_tracking_params[1]"},
		{"a tracking param with '=' is refused", func(c *Config) { c.ExtraTrackingParams = []string{"a=b"} }, "normalize.extra_tracking_params[0]: \"a=b\" must not contain"},
		{"a star in the middle is refused", func(c *Config) { c.ExtraTrackingParams = []string{"a*b"} }, "normalize.extra_tracking_params[0]"},
	}
	testkit.CheckValidate(t, DefaultConfig, tests)
	c := DefaultConfig()
	c.ExtraTrackingParams = []string{"partner", "xtor*"}
	if err := c.Validate(); err != nil {
		t.Fatalf("valid extra params refused: %v", err)
	}
}
