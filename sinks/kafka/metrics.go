package kafka

import (
	"sync"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/pipeline/record"
)

// Metrics are the Kafka sink's Prometheus metrics. Build them once with
// NewMetrics and pass them to New; a nil *Metrics disables them.
type Metrics struct {
	produced      *prometheus.CounterVec // topic, type
	failed        *prometheus.CounterVec // topic, type, reason
	deadLetters   *prometheus.CounterVec // topic (the record's original topic), reason
	retries       *prometheus.CounterVec // topic, error
	recreated     *prometheus.CounterVec // topic
	writeDuration prometheus.Histogram   // one Write call, until every record is acknowledged
	writeRecords  prometheus.Histogram   // records per Write call
	inFlight      prometheus.Gauge       // records handed to Write and not yet acknowledged
	brokerUp      prometheus.Gauge       // 1 when the last contact with the brokers worked
	writer        *writerStatsCollector  // kafka-go's Writer.Stats
}

// NewMetrics registers the sink's metrics with reg (nil: not registered).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		produced: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wirestream_kafka_records_produced_total",
			Help: "Records the brokers acknowledged (acks=all), by topic and record type. Retried copies count once.",
		}, []string{"topic", "type"}),
		failed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wirestream_kafka_records_failed_total",
			Help: "Records the brokers refused for good, by topic, record type and reason; each went to the dead-letter topic or failed the Write.",
		}, []string{"topic", "type", "reason"}),
		deadLetters: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wirestream_kafka_dead_letters_total",
			Help: "Dead letters written for records that could not be published, by the record's topic and reason.",
		}, []string{"topic", "reason"}),
		retries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wirestream_kafka_retries_total",
			Help: "Records sent again after a failed attempt, by topic and error. Each may create a duplicate if the broker had stored it.",
		}, []string{"topic", "error"}),
		recreated: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wirestream_kafka_topics_recreated_total",
			Help: "Topics found deleted while running and re-created with the configured settings.",
		}, []string{"topic"}),
		writeDuration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "wirestream_kafka_write_duration_seconds",
			Help:    "Time from handing records to the sink until every one was acknowledged (retries and backoff included).",
			Buckets: []float64{.002, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 300},
		}),
		writeRecords: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "wirestream_kafka_write_batch_records",
			Help:    "Records per Write call (one pipeline batch).",
			Buckets: prometheus.ExponentialBuckets(1, 2, 12),
		}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "wirestream_kafka_records_in_flight",
			Help: "Records handed to the sink and not yet acknowledged or dead-lettered.",
		}),
		brokerUp: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "wirestream_kafka_broker_up",
			Help: "1 when the last request to the brokers succeeded, 0 when it failed to connect.",
		}),
		writer: &writerStatsCollector{},
	}
	if reg != nil {
		reg.MustRegister(m.produced, m.failed, m.deadLetters, m.retries, m.recreated,
			m.writeDuration, m.writeRecords, m.inFlight, m.brokerUp, m.writer)
	}
	return m
}

// startAtZero makes a series at 0 of each record type on its topic in
// cfg: the dead-letters alert reads the increase of type="dead_letter",
// and a series born at 1 has no increase, so the first dead letters would
// never fire it. (records_failed's reasons are Kafka's error names, not
// known in advance: its series still start at their first record.)
func (m *Metrics) startAtZero(cfg Config) {
	for _, t := range record.Types {
		m.produced.WithLabelValues(cfg.TopicName(t), string(t))
	}
}

// writerStatsCollector exports kafka.Writer.Stats. Stats returns counts
// since its previous call, so the collector adds them up into counters;
// it must be the only caller of Stats for the totals to be right.
type writerStatsCollector struct {
	w atomic.Pointer[kafka.Writer]

	mu                                               sync.Mutex
	dials, writes, messages, bytes, errors, retries  int64
	dialSec, batchSec, queueSec, writeSec, waitSec   float64
	dialN, batchN, queueN, writeN, waitN, batchSizeN int64
	batchRecords, batchBytes                         int64
}

var (
	wsDials      = prometheus.NewDesc("wirestream_kafka_writer_dials_total", "Connections kafka-go's Writer opened.", nil, nil)
	wsWrites     = prometheus.NewDesc("wirestream_kafka_writer_requests_total", "Produce requests kafka-go's Writer sent.", nil, nil)
	wsMessages   = prometheus.NewDesc("wirestream_kafka_writer_messages_total", "Messages kafka-go's Writer sent, retried attempts included.", nil, nil)
	wsBytes      = prometheus.NewDesc("wirestream_kafka_writer_bytes_total", "Message bytes kafka-go's Writer sent, before compression.", nil, nil)
	wsErrors     = prometheus.NewDesc("wirestream_kafka_writer_errors_total", "Produce attempts kafka-go's Writer saw fail.", nil, nil)
	wsRetries    = prometheus.NewDesc("wirestream_kafka_writer_retries_total", "Produce attempts kafka-go's Writer retried internally.", nil, nil)
	wsSeconds    = prometheus.NewDesc("wirestream_kafka_writer_phase_seconds_total", "Seconds kafka-go's Writer spent per phase: dial, batch (assembling), queue, write (produce request), wait (broker throttle).", []string{"phase"}, nil)
	wsPhaseCount = prometheus.NewDesc("wirestream_kafka_writer_phase_count_total", "Observations behind wirestream_kafka_writer_phase_seconds_total, for averages.", []string{"phase"}, nil)
	wsBatchRecs  = prometheus.NewDesc("wirestream_kafka_writer_batch_records_total", "Records in the partition batches kafka-go's Writer sent (divide by batches for the average).", nil, nil)
	wsBatchBytes = prometheus.NewDesc("wirestream_kafka_writer_batch_bytes_total", "Bytes in the partition batches kafka-go's Writer sent.", nil, nil)
	wsBatches    = prometheus.NewDesc("wirestream_kafka_writer_batches_total", "Partition batches kafka-go's Writer sent.", nil, nil)
)

func (c *writerStatsCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{wsDials, wsWrites, wsMessages, wsBytes, wsErrors, wsRetries, wsSeconds, wsPhaseCount, wsBatchRecs, wsBatchBytes, wsBatches} {
		ch <- d
	}
}

func (c *writerStatsCollector) Collect(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if w := c.w.Load(); w != nil {
		s := w.Stats()
		c.dials += s.Dials
		c.writes += s.Writes
		c.messages += s.Messages
		c.bytes += s.Bytes
		c.errors += s.Errors
		c.retries += s.Retries
		c.dialSec += s.DialTime.Sum.Seconds()
		c.dialN += s.DialTime.Count
		c.batchSec += s.BatchTime.Sum.Seconds()
		c.batchN += s.BatchTime.Count
		c.queueSec += s.BatchQueueTime.Sum.Seconds()
		c.queueN += s.BatchQueueTime.Count
		c.writeSec += s.WriteTime.Sum.Seconds()
		c.writeN += s.WriteTime.Count
		c.waitSec += s.WaitTime.Sum.Seconds()
		c.waitN += s.WaitTime.Count
		c.batchRecords += s.BatchSize.Sum
		c.batchSizeN += s.BatchSize.Count
		c.batchBytes += s.BatchBytes.Sum
	}
	counter := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, v, labels...)
	}
	counter(wsDials, float64(c.dials))
	counter(wsWrites, float64(c.writes))
	counter(wsMessages, float64(c.messages))
	counter(wsBytes, float64(c.bytes))
	counter(wsErrors, float64(c.errors))
	counter(wsRetries, float64(c.retries))
	for _, p := range []struct {
		name string
		sec  float64
		n    int64
	}{{"dial", c.dialSec, c.dialN}, {"batch", c.batchSec, c.batchN}, {"queue", c.queueSec, c.queueN}, {"write", c.writeSec, c.writeN}, {"wait", c.waitSec, c.waitN}} {
		counter(wsSeconds, p.sec, p.name)
		counter(wsPhaseCount, float64(p.n), p.name)
	}
	counter(wsBatchRecs, float64(c.batchRecords))
	counter(wsBatchBytes, float64(c.batchBytes))
	counter(wsBatches, float64(c.batchSizeN))
}
