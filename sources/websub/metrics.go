package websub

import "github.com/prometheus/client_golang/prometheus"

// Metrics are the WebSub subscriber's series. None carries a per-feed
// label (see sources/feed's Metrics).
type Metrics struct {
	Deliveries    *prometheus.CounterVec // result
	Verifications *prometheus.CounterVec // mode, result
	HubRequests   *prometheus.CounterVec // mode, outcome
	Subscriptions *prometheus.GaugeVec   // state
	Lapses        prometheus.Counter
	DeliveryBytes prometheus.Counter
}

// Delivery results (label of wirestream_websub_deliveries_total).
const (
	DeliveryAccepted     = "accepted"      // signed, within limits, handed to the feed's loop
	DeliveryUnsigned     = "unsigned"      // no X-Hub-Signature: dropped
	DeliveryBadSignature = "bad_signature" // a signature that does not match, or an unknown algorithm: dropped
	DeliveryTooLarge     = "too_large"     // over poller.max_body_bytes: 413
	DeliveryRateLimited  = "rate_limited"  // over max_pushes_per_minute: 429
	DeliveryUnknown      = "unknown"       // no subscription has this callback: 404
	DeliveryNotActive    = "not_active"    // the subscription is not verified, or its lease lapsed: 404
	DeliveryBusy         = "busy"          // the feed's loop cannot take it now: 503, the hub retries
	DeliveryBadRequest   = "bad_request"   // unreadable body or encoding: 400
	DeliveryReplayed     = "replayed"      // the body of one of the subscription's last accepted deliveries: dropped
)

// NewMetrics builds the metrics and registers them on reg (nil: not
// registered).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		Deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wirestream_websub_deliveries_total",
			Help: "Content deliveries (pushes) received on the callback, by result: accepted, unsigned, bad_signature, too_large, rate_limited, unknown, not_active, busy, bad_request, replayed. Only accepted ones reach the pipeline.",
		}, []string{"result"}),
		Verifications: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wirestream_websub_verifications_total",
			Help: "Verification-of-intent requests from hubs (hub.challenge), by mode (subscribe, unsubscribe, denied) and result (confirmed, refused, recheck: a denial of an active subscription with no request of ours waiting, checked by asking the hub again).",
		}, []string{"mode", "result"}),
		HubRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wirestream_websub_hub_requests_total",
			Help: "Requests sent to hubs, by mode (subscribe, renew, unsubscribe) and outcome (accepted, refused, error, blocked).",
		}, []string{"mode", "outcome"}),
		Subscriptions: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "wirestream_websub_subscriptions",
			Help: "Subscriptions by state: pending (asked, not yet verified), active (verified, lease running), lapsed (lease ended without renewal; the feed is polled normally).",
		}, []string{"state"}),
		Lapses: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "wirestream_websub_lease_lapses_total",
			Help: "Leases that ended before a renewal was verified: the feed went back to its normal polling.",
		}),
		DeliveryBytes: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "wirestream_websub_delivery_bytes_total",
			Help: "Body bytes of accepted deliveries.",
		}),
	}
	// Every delivery result starts at 0, so an alert on the unsigned or
	// bad_signature rate (README) finds its series before the first forgery.
	for _, r := range [...]string{DeliveryAccepted, DeliveryUnsigned, DeliveryBadSignature, DeliveryTooLarge,
		DeliveryRateLimited, DeliveryUnknown, DeliveryNotActive, DeliveryBusy, DeliveryBadRequest, DeliveryReplayed} {
		m.Deliveries.WithLabelValues(r)
	}
	// So does every subscription state, WebSub on or off: a dashboard or an
	// alert on it reads 0, not "no data", before the first subscription.
	for _, s := range [...]string{statePending, stateActive, stateLapsed} {
		m.Subscriptions.WithLabelValues(s)
	}
	// And the denials checked with the hub (README): a flood of forged
	// ones is seen against 0.
	m.Verifications.WithLabelValues("denied", "recheck")
	if reg != nil {
		reg.MustRegister(m.Deliveries, m.Verifications, m.HubRequests, m.Subscriptions, m.Lapses, m.DeliveryBytes)
	}
	return m
}
