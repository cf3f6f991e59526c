package daemon

import (
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/config"
)

// The changelog's produce timeout leaves the member half of the time the
// coordinator gives it to rejoin after a rebalance, whichever of the
// session and the rebalance timeouts is the tighter (README, "Scaling
// out"), and never more than the tables' 30 s request timeout; the
// table's 30 s × 3 attempts left it none with any setting under 90 s.
func TestTheChangelogWriteTimeoutIsHalfTheTimeToRejoin(t *testing.T) {
	for _, c := range []struct {
		name                          string
		session, heartbeat, rebalance time.Duration
		want                          time.Duration
	}{
		{"defaults", 10 * time.Second, time.Second, 20 * time.Second, 5 * time.Second},
		{"the session is the tighter", 6 * time.Second, 2 * time.Second, 20 * time.Second, 3 * time.Second},
		{"the rebalance is the tighter, less the heartbeat that told of it", 45 * time.Second, 3 * time.Second, 10 * time.Second, 3500 * time.Millisecond},
		{"long session and rebalance: the tables' request timeout", 5 * time.Minute, 10 * time.Second, 10 * time.Minute, 30 * time.Second},
		// Validate refuses these; past it, the floor holds, never 0 (kafkatable's 30 s default),
		// a negative timeout or one that times nearly every acks=all produce out.
		{"a rebalance as long as the heartbeat: the floor, not the table's default", 10 * time.Second, time.Second, time.Second, time.Second},
		{"a rebalance shorter than the heartbeat: the floor, not a negative timeout", 10 * time.Second, 3 * time.Second, time.Second, time.Second},
		{"a rebalance a breath over the heartbeat: the floor, not 100 ms", 10 * time.Second, time.Second, 1200 * time.Millisecond, time.Second},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := config.DefaultCluster()
			cfg.SessionTimeout, cfg.HeartbeatInterval, cfg.RebalanceTimeout = c.session, c.heartbeat, c.rebalance
			got := changelogWriteTimeout(cfg)
			if got != c.want {
				t.Errorf("changelogWriteTimeout(session %v, heartbeat %v, rebalance %v) = %v, want %v", c.session, c.heartbeat, c.rebalance, got, c.want)
			}
			if got < minChangelogWriteTimeout {
				t.Errorf("a produce of %v is under the floor of %v", got, minChangelogWriteTimeout)
			}
			if rejoin := min(c.session, c.rebalance-c.heartbeat); got > minChangelogWriteTimeout && 2*got > rejoin {
				t.Errorf("a produce of %v leaves less than half of the %v the member has to rejoin", got, rejoin)
			}
		})
	}
}
