package main

import (
	"strings"
	"testing"

	"github.com/wirestream/wirestream/internal/config"
)

// The demo's first line counts its own feeds apart from a --config file's
// polled beside them: with one feed of their own, round 31's newcomer read
// "9 news feeds served from loopback" of a demo that serves 8.
func TestDemoHintsCountTheDemosFeedsApartFromTheConfigs(t *testing.T) {
	cfg := config.Default()
	cfg.Kafka.Brokers = []string{"127.0.0.1:29092"}
	for _, c := range []struct {
		own  int
		want string
	}{
		{0, "wirestream demo is running: 8 news feeds served from loopback, published to an in-memory Kafka broker on 127.0.0.1:29092."},
		{1, "wirestream demo is running: 8 news feeds served from loopback and 1 feed of your own (--config), published to"},
		{3, "wirestream demo is running: 8 news feeds served from loopback and 3 feeds of your own (--config), published to"},
	} {
		var b strings.Builder
		if err := printDemoHints(&b, "bin/wirestream", cfg, true, "127.0.0.1:29464", 8, c.own); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), c.want) {
			t.Errorf("%d own feeds: got\n%s\nwant it to hold %q", c.own, b.String(), c.want)
		}
	}
}
