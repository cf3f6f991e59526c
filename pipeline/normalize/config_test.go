package normalize

import (
	"strings"
	"testing"
	"time"
)

func TestConfigValidate(t *testing.T) {
	if err := DefaultConfig().Validate(); err != nil {
		t.Fatalf("default config invalid: %v", err)
	}
	tests := []struct {
		name   string
		modify func(*Config)
		want   string
	}{
		{"a negative skew names its key", func(c *Config) { c.FutureSkew = -time.Minute }, "normalize.future_skew: must be >= 0, got -1m0s"},
		{"a skew over a week is refused", func(c *Config) { c.FutureSkew = 200 * time.Hour }, "normalize.future_skew: must be <= 168h"},
		{"a tiny text cap is refused", func(c *Config) { c.MaxTextBytes = 100 }, "normalize.max_text_bytes: must be between 4096 and 458752, got 100"},
		{"a text cap over the kafka budget is refused", func(c *Config) { c.MaxTextBytes = 1 << 20 }, "normalize.max_text_bytes"},
		{"an empty tracking param is refused", func(c *Config) { c.ExtraTrackingParams = []string{"ok", ""} }, "normalize.extra_tracking_params[1]"},
		{"a tracking param with '=' is refused", func(c *Config) { c.ExtraTrackingParams = []string{"a=b"} }, "normalize.extra_tracking_params[0]: \"a=b\" must not contain"},
		{"a star in the middle is refused", func(c *Config) { c.ExtraTrackingParams = []string{"a*b"} }, "normalize.extra_tracking_params[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := DefaultConfig()
			tt.modify(&c)
			err := c.Validate()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Validate() = %v, want it to contain %q", err, tt.want)
			}
		})
	}
	c := DefaultConfig()
	c.ExtraTrackingParams = []string{"partner", "xtor*"}
	if err := c.Validate(); err != nil {
		t.Fatalf("valid extra params refused: %v", err)
	}
}
