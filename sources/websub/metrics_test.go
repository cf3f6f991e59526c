package websub

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"
)

// Every subscription state is a series at 0 from the start, WebSub on or
// off: a dashboard or an alert on wirestream_websub_subscriptions (README
// lists "subscriptions by state") sees 0, not "no data", before the first
// subscription and on an instance that never subscribes.
func TestEverySubscriptionStateStartsAtZero(t *testing.T) {
	m := NewMetrics(nil)
	if n := testutil.CollectAndCount(m.Subscriptions); n != 3 {
		t.Fatalf("a fresh wirestream_websub_subscriptions has %d series, want pending, active and lapsed", n)
	}
	for _, s := range []string{statePending, stateActive, stateLapsed} {
		if v := testutil.ToFloat64(m.Subscriptions.WithLabelValues(s)); v != 0 {
			t.Errorf("state %q starts at %v, want 0", s, v)
		}
	}
}
