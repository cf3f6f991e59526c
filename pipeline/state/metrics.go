package state

import "github.com/prometheus/client_golang/prometheus"

// Metrics are the state log's and store's instruments.
type Metrics struct {
	Keys            *prometheus.GaugeVec // live entries by table, set by the owners
	FileSize        prometheus.Gauge
	CommitDuration  prometheus.Histogram
	AppendedBytes   prometheus.Counter
	Compactions     prometheus.Counter
	RestoreDuration prometheus.Histogram
	RestoredEntries prometheus.Counter
	Pruned          *prometheus.CounterVec // by reason: ttl, evicted, fingerprint, alias
	// EpochFenced counts changelog partitions whose writes a newer owner's
	// producer epoch refused (internal/kafkastate, epochfence.go).
	EpochFenced prometheus.Counter
	// ChangelogEpochs is 1 while the changelog's writes carry producer
	// epochs (state.changelog.fence decided they can), 0 while they go
	// without: off, before the first restore, or auto fallen back.
	ChangelogEpochs prometheus.Gauge
	// AppendsRefused is 1 while the file log's data directory refuses its
	// appends (a full disk, a quota, a file-size limit), 0 once one gets
	// through: what an alert reads.
	AppendsRefused prometheus.Gauge
	// CompactionFailures is how many snapshots in a row failed (a full
	// disk, a quota, a file-size limit): the log keeps its files and
	// grows until one gets through, which sets it back to 0.
	CompactionFailures prometheus.Gauge
}

// NewMetrics registers the state metrics on reg (nil: unregistered).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		Keys: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "wirestream_state_keys", Help: "Live entries of each state table in memory.",
		}, []string{"bucket"}),
		FileSize: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "wirestream_state_file_size_bytes", Help: "Bytes in the state log's files in the data directory.",
		}),
		CommitDuration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "wirestream_state_commit_duration_seconds", Help: "Time to append (and fsync, or have acknowledged) one batch's state.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 14),
		}),
		AppendedBytes: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "wirestream_state_appended_bytes_total", Help: "Bytes appended to the state log.",
		}),
		Compactions: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "wirestream_state_compactions_total", Help: "Snapshots that replaced the state log's older files (or refreshed the changelog's local cache).",
		}),
		RestoreDuration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "wirestream_state_restore_duration_seconds", Help: "Time to rebuild the state in memory from its log at start.",
			Buckets: prometheus.ExponentialBuckets(0.01, 2, 14),
		}),
		RestoredEntries: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "wirestream_state_restored_entries_total", Help: "Log entries replayed at start.",
		}),
		Pruned: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wirestream_state_pruned_total", Help: "Entries removed by pruning, by reason.",
		}, []string{"reason"}),
		EpochFenced: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "wirestream_state_changelog_fenced_total",
			Help: "Changelog partitions this process stopped writing because a newer owner's producer epoch refused its write.",
		}),
		AppendsRefused: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "wirestream_state_appends_refused",
			Help: "1 while the state log's data directory refuses appends (full disk, quota, file-size limit): commits wait (role all) or fail; 0 once an append gets through.",
		}),
		CompactionFailures: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "wirestream_state_compaction_failures",
			Help: "Snapshots (compactions) of the state that failed in a row (full disk, quota, file-size limit): the log keeps its files and grows, a snapshot is tried again with backoff; 0 once one gets through.",
		}),
		ChangelogEpochs: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "wirestream_state_changelog_epochs",
			Help: "1 while the state changelog's writes carry producer epochs (a newer owner's epoch fences an older owner's late batch), 0 while they go without (state.changelog.fence off, or auto fallen back).",
		}),
	}
	if reg != nil {
		reg.MustRegister(m.Keys, m.FileSize, m.CommitDuration, m.AppendedBytes, m.Compactions,
			m.RestoreDuration, m.RestoredEntries, m.Pruned, m.EpochFenced, m.ChangelogEpochs, m.AppendsRefused,
			m.CompactionFailures)
	}
	return m
}
