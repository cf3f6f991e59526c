package feed

import (
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/wirestream/wirestream/pipeline/record/ninjs"
)

// Metrics are the poller's Prometheus series. None carries a per-feed
// label: thousands of feeds would explode cardinality; per-feed state is
// in the feed_status records instead.
type Metrics struct {
	Polls              *prometheus.CounterVec // outcome
	Errors             *prometheus.CounterVec // class
	FetchDuration      prometheus.Histogram
	Bytes              *prometheus.CounterVec // stage: wire, decoded
	ConditionalReqs    prometheus.Counter
	ItemsFound         prometheus.Counter
	ItemsNew           prometheus.Counter
	ItemsChanged       prometheus.Counter
	ItemsRotated       prometheus.Counter
	ItemsRejected      *prometheus.CounterVec // reason
	DuplicateGUIDs     prometheus.Counter
	ItemsSkipped       *prometheus.CounterVec // reason
	Pushes             *prometheus.CounterVec // outcome
	Feeds              *prometheus.GaugeVec   // health
	NextPollDelay      prometheus.Histogram
	Gaps               prometheus.Counter
	DatedGaps          prometheus.Counter
	ValidatorAnomalies *prometheus.CounterVec // kind
	Moved              prometheus.Counter
	InFlight           prometheus.Gauge
	CommitWait         prometheus.Histogram
	CommitTimeouts     prometheus.Counter
	BatchesFailed      prometheus.Counter
	StateErrors        prometheus.Counter
	// StateOrphans counts the poll states a fetcher dropped for feeds no longer listed
	// (sources/feed/feedtopics.Assigner); 0 in role all.
	StateOrphans  prometheus.Counter
	Assigned      prometheus.Gauge
	AssignErrors  prometheus.Counter
	PollLag       prometheus.Histogram
	HostHolds     prometheus.Counter
	HeldRequests  prometheus.Counter
	HostDownHolds prometheus.Counter
	HeldFeeds     prometheus.Gauge
	PollsWaiting  prometheus.Gauge
	PollsParked   prometheus.Gauge
	// Behind is read at each scrape (behindNow): set at a poll, it kept
	// the verdict of the last poll that opened a slice of the window
	// once polls stopped — a fetcher whose feeds went to another, a
	// pipeline that takes nothing — while /status read the window.
	Behind    prometheus.GaugeFunc
	behindNow atomic.Pointer[func() bool] // the poller's verdict now; nil before one

	// Series every poll touches, looked up once: WithLabelValues hashes
	// its labels and takes a lock on each call.
	notModified, wireBytes, decodedBytes prometheus.Counter
}

// Poll outcomes (label of wirestream_feed_polls_total).
const (
	OutcomeNew         = "new"          // 200 with new or revised items
	OutcomeNoNew       = "no_new"       // 200, parsed, nothing new
	OutcomeIdentical   = "identical"    // 200 with a byte-identical body: not parsed
	OutcomeNotModified = "not_modified" // 304
	OutcomeGone        = "gone"         // 410
	OutcomeError       = "error"        // see wirestream_feed_fetch_errors_total
)

// NewMetrics builds the metrics and registers them on reg (nil: not
// registered, for tests and tools).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		Polls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wirestream_feed_polls_total",
			Help: "Feed polls by outcome: new, no_new, identical, not_modified, gone, error. The share of 304s is not_modified / conditional requests.",
		}, []string{"outcome"}),
		Errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wirestream_feed_fetch_errors_total",
			Help: "Failed polls by class: dns, connect, tls, timeout, truncated, encoding, http_4xx, http_5xx, too_large, parse, blocked, redirect, protocol.",
		}, []string{"class"}),
		FetchDuration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "wirestream_feed_fetch_duration_seconds",
			Help:    "Time from sending a request to having the whole body, redirects included (with any wait for a redirect target host's slot).",
			Buckets: []float64{0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60},
		}),
		Bytes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wirestream_feed_body_bytes_total",
			Help: "Feed body bytes, as transferred (stage=wire) and after decompression (stage=decoded).",
		}, []string{"stage"}),
		ConditionalReqs: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "wirestream_feed_conditional_requests_total",
			Help: "Requests sent with If-None-Match or If-Modified-Since.",
		}),
		ItemsFound: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "wirestream_feed_items_found_total",
			Help: "Items in parsed feed documents (after the per-feed cap).",
		}),
		ItemsNew: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "wirestream_feed_items_new_total",
			Help: "Items not present in the feed's previous document.",
		}),
		ItemsChanged: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "wirestream_feed_items_changed_total",
			Help: "Known items whose title, link, text or updated date changed.",
		}),
		ItemsRotated: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "wirestream_feed_items_rotated_total",
			Help: "Items under a GUID the feed did not carry before but with a link or text it did: the feed rotates GUIDs; not counted as new.",
		}),
		ItemsRejected: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wirestream_feed_items_rejected_total",
			Help: "Entries of feed documents published as dead letters instead of items, by reason: invalid (a JSON Feed item that is not one), repeated (repeats an earlier item of the document), over_max_items (the items after poller.max_items, one entry per document). Each is counted once, when first reported.",
		}, []string{"reason"}),
		DuplicateGUIDs: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "wirestream_feed_duplicate_guids_total",
			Help: "Items whose GUID other items of the same document, with other links, carry too: they are told apart by their links.",
		}),
		ItemsSkipped: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wirestream_feed_items_skipped_total",
			Help: "Entries of a fetched document its format says are not stories to publish, by reason: not_a_story (ninjs events, planning), withheld (withheld or cancelled), embargoed (offered again once the embargo passes), unreadable.",
		}, []string{"reason"}),
		Pushes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wirestream_feed_pushes_total",
			Help: "Content pushed by WebSub hubs, by outcome: new (items handed to the pipeline), no_new, identical, error (not a feed), busy (the feed had pushes waiting; the hub retries).",
		}, []string{"outcome"}),
		Feeds: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "wirestream_feed_feeds",
			Help: "Polled feeds by health: ok, degraded, failing, gone.",
		}, []string{"health"}),
		NextPollDelay: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "wirestream_feed_next_poll_delay_seconds",
			Help:    "Delay scheduled before each feed's next poll.",
			Buckets: []float64{1, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 21600, 86400},
		}),
		Gaps: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "wirestream_feed_gaps_total",
			Help: "Polls where every item was new (not merely under a new GUID): items may have been missed between polls; the feed is polled sooner.",
		}),
		DatedGaps: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "wirestream_feed_dated_gaps_total",
			Help: "Gaps (wirestream_feed_gaps_total) whose dates show the hole: every item of the document is dated after the newest item of the feed's previous poll, so what it published between them and rolled off was never read. Rising with wirestream_feed_poll_lag_seconds: the poller cannot keep up with its feeds.",
		}),
		ValidatorAnomalies: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wirestream_feed_validator_anomalies_total",
			Help: "Servers whose validators lie: etag_reused (same ETag, different body), validators_churn (new validators, same body), conditional_ignored (200 for a matching validator), not_modified_stale (the day's poll without validators found a feed changed that 304s had called unchanged).",
		}, []string{"kind"}),
		Moved: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "wirestream_feed_moved_total",
			Help: "Feeds whose URL was updated after a 301 or 308 redirect.",
		}),
		InFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "wirestream_feed_inflight_requests",
			Help: "Requests in flight.",
		}),
		CommitWait: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "wirestream_feed_commit_wait_seconds",
			Help:    "Time from handing a batch to the pipeline until its ack, success or failure (backpressure).",
			Buckets: prometheus.ExponentialBuckets(0.001, 4, 10),
		}),
		CommitTimeouts: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "wirestream_feed_commit_timeouts_total",
			Help: "Batches not acked within commit_timeout (a safety net): the feed's progress was rolled back.",
		}),
		BatchesFailed: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "wirestream_feed_batches_failed_total",
			Help: "Batches the pipeline acked with an error (not written, or state not committed): the feed's progress was rolled back and it is read again after a backoff.",
		}),
		StateErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "wirestream_feed_state_errors_total",
			Help: "Failures to load or save a feed's state.",
		}),
		StateOrphans: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "wirestream_feed_state_orphans_dropped_total",
			Help: "Poll states dropped from feed_state for feeds no longer in the feed list, unwritten for a day, when a fetcher gained their partition.",
		}),
		Assigned: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "wirestream_feed_assigned",
			Help: "Feeds this instance polls now: all of them in role all, the feeds of its partitions in role fetch.",
		}),
		AssignErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "wirestream_feed_assign_errors_total",
			Help: "Assigned feeds not polled: invalid settings, or a header referencing an environment variable this instance lacks.",
		}),
		PollLag: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "wirestream_feed_poll_lag_seconds",
			Help:    "Time from when a poll fell due to when its request started (its host's and the global slots held): scheduling delay, a starved CPU, queueing behind the per-host and global limits and behind unsent documents. A lag under half an interval is made up at the next poll (the cadence is planned from when polls fall due); a longer one delays the feed's cadence.",
			Buckets: prometheus.ExponentialBuckets(0.0001, 4, 10),
		}),
		HostHolds: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "wirestream_feed_host_holds_total",
			Help: "Hosts held back after a 429 or 503 to any feed's request: no feed's request goes to that host until its Retry-After (up to max_retry_after; backoff_initial without one), then per_host_concurrency at a time in waves spaced as the host's first polls (a second apart, closer to fit start_spread). Counts holds started or lengthened.",
		}),
		HostDownHolds: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "wirestream_feed_host_down_holds_total",
			Help: "Hosts held back as down: 3 of a host's feeds failed the same way (5xx, timeout, connect) with no answer from it between. One request probes it after backoff_initial, doubling up to backoff_max while probes fail; the first answer releases it. Counts holds started or lengthened.",
		}),
		HeldFeeds: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "wirestream_feed_held_feeds",
			Help: "Feeds waiting now for their host's hold back to let their poll go (a 429 or 503 with Retry-After, or a host held as down); each one's host_hold and host_held_until are on /status.",
		}),
		HeldRequests: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "wirestream_feed_held_requests_total",
			Help: "Requests delayed because their host is held back (a 429 or 503 to another request to it), or released in a wave after the hold; the wait is in wirestream_feed_poll_lag_seconds (a redirect's in wirestream_feed_fetch_duration_seconds).",
		}),
		PollsWaiting: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "wirestream_feed_polls_waiting",
			Help: "Feeds whose poll is due and waits for one of the poller's 2 × global_concurrency slots (fetching, or holding a document the pipeline has not taken): above 0 for long, the CPU or the pipeline is slower than the feeds' schedules, and the order they wait in is by how soon each one's document fills.",
		}),
		PollsParked: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "wirestream_feed_polls_parked",
			Help: "Feeds whose poll is due and waits for a place of its host's per_host_concurrency (every place polling, or claimed), without a slot of the poller's: above 0 for long, a host has more feeds due at once than its limit lets through; those polls count as host-queued, not as the poller's lag.",
		}),
	}
	m.Behind = prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "wirestream_feed_poller_behind",
		Help: "1 while the poller is behind its feeds' schedules: over the last minute most polls started more than a quarter of their interval after they fell due (at least 3; a host's hold back, 429 or 503, and the wait for a slot of a busy host's per_host_concurrency not counted), or some did and feeds showed dated gaps (wirestream_feed_dated_gaps_total). Add fetchers, lengthen intervals or poll fewer feeds; /status says the same.",
	}, func() float64 {
		if f := m.behindNow.Load(); f != nil && (*f)() {
			return 1
		}
		return 0
	})
	// The series README and the alert rules name by reason start at 0, so
	// they exist before the first rejected, skipped or pushed entry: a rate
	// or an alert on them finds a series from the start, not none.
	for _, r := range [...]string{RejectInvalid, RejectRepeated, RejectOverLimit} {
		m.ItemsRejected.WithLabelValues(r)
	}
	for _, r := range [...]string{ninjs.SkipNotAStory, ninjs.SkipWithheld, ninjs.SkipEmbargoed, ninjs.SkipUnreadable} {
		m.ItemsSkipped.WithLabelValues(r)
	}
	for _, o := range [...]string{PushNew, PushNoNew, PushIdentical, PushError, PushBusy} {
		m.Pushes.WithLabelValues(o)
	}
	m.notModified = m.Polls.WithLabelValues(OutcomeNotModified)
	m.wireBytes = m.Bytes.WithLabelValues("wire")
	m.decodedBytes = m.Bytes.WithLabelValues("decoded")
	if reg != nil {
		reg.MustRegister(m.Polls, m.Errors, m.FetchDuration, m.Bytes, m.ConditionalReqs,
			m.ItemsFound, m.ItemsNew, m.ItemsChanged, m.ItemsRotated, m.ItemsRejected, m.DuplicateGUIDs, m.ItemsSkipped, m.Pushes, m.Feeds, m.NextPollDelay,
			m.Gaps, m.DatedGaps, m.ValidatorAnomalies, m.Moved, m.InFlight, m.CommitWait, m.CommitTimeouts, m.BatchesFailed, m.StateErrors, m.StateOrphans,
			m.Assigned, m.AssignErrors, m.PollLag, m.HostHolds, m.HeldRequests, m.HostDownHolds, m.HeldFeeds,
			m.PollsWaiting, m.PollsParked, m.Behind)
	}
	return m
}
