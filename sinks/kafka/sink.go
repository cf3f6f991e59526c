package kafka

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/internal/kafkameta"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/sinks/encode"
)

// ErrClosed is returned by Write after Close began.
var ErrClosed = errors.New("kafka sink: closed")

// metadataTTL is how long the writers keep a topic's partition count (kafkameta.Cache): a
// partition added to a topic is balanced over within it plus the transport's own 6 s refresh
// (which also bounds how fresh a lookup after a failed write is), and a lookup a second per
// topic costs nothing next to one per record, which kafka-go makes.
const metadataTTL = time.Second

// readyTimeout bounds Ready: a health probe must answer quickly even when
// the broker does not.
const readyTimeout = 2 * time.Second

// Sink publishes records to Kafka, one topic per record type. It is safe
// for concurrent use: the pipeline keeps several batches in flight.
type Sink struct {
	// ShrinkItem, when set (before the first WriteItems), is handed an
	// item whose message is over max_message_bytes, with the test of a
	// message that fits; it returns the item to publish instead and
	// whether it fits. The fetcher cuts an item to what the normalizer
	// keeps of it (normalize.Normalizer.Shrink). Unset, or when it cannot,
	// the item is dead-lettered as too large.
	ShrinkItem func(it record.Item, fits func(*record.Item) bool) (record.Item, bool)

	cfg Config
	cn  Conn
	log *slog.Logger
	m   *Metrics
	tr  *kafka.Transport
	// meta answers both writers' per-record topic lookups; a topic a write
	// failed on is forgotten, so its retry looks the topic up again.
	meta *kafkameta.Cache
	w    *kafka.Writer
	// single sends one message per request. A batch the broker refuses as
	// too large may hold records that fit on their own: each is retried
	// alone through it, and only a record refused alone is dead-lettered.
	single *kafka.Writer
	specs  map[string]TopicSpec // by full topic name
	// enc encodes each record type's values in its topic's format.
	enc map[record.Type]encode.Encoder
	// topics are the full topic names by record type (topicsByType).
	topics map[record.Type]string
	// producedBy is the stamp of every message (Config.producedBy): one
	// copy of the instance id for the sink, not one per message.
	producedBy []kafka.Header
	now        func() time.Time

	mu      sync.Mutex // guards closing and the wg.Add in enter
	closing bool
	writes  sync.WaitGroup // Write calls in progress

	// abort is cancelled when Close's deadline passes with Writes still
	// retrying: they then return instead of holding shutdown forever.
	abort       context.Context
	abortWrites context.CancelFunc

	recreateMu sync.Mutex // one re-creation of a deleted topic at a time

	// retryWarnAfter is how long a write keeps failing before its retries
	// are logged as warnings rather than at debug; zero is quietretry's
	// WarnAfter (2 s). A topic just created answers Not Leader For
	// Partition for a few hundred milliseconds while its leader is
	// elected: without the wait, the first run on a new cluster warned of
	// writes that went through 0.1 s later. Tests shorten it.
	retryWarnAfter time.Duration

	// failingWrites counts the Writes whose run of failures has lasted
	// past retryWarnAfter and goes on (each one that logged its WARN),
	// lastFailure the error of the latest: Ready is false meanwhile, as a
	// broker that answers but acknowledges nothing (a cluster below
	// min.insync.replicas) is no readier than one that is gone.
	failingWrites atomic.Int64
	lastFailure   atomic.Pointer[string]
}

// New checks cfg, provisions the topics (kafka.provision) and builds the
// writer. It fails when no broker answers, when a topic cannot be created,
// or when an existing topic has an incompatible cleanup policy
// (*IncompatibleTopicError). m may be nil.
func New(ctx context.Context, cfg Config, log *slog.Logger, m *Metrics) (*Sink, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg, err := cfg.ResolveSecrets()
	if err != nil {
		return nil, err
	}
	// A topic whose format is unset here (a caller that did not apply
	// output.format with WithFormat) is native.
	cfg = cfg.WithFormat(encode.Native)
	encs := make(map[record.Type]encode.Encoder, len(record.Types))
	for _, t := range record.Types {
		if encs[t], err = encode.New(cfg.Topic(t).Format); err != nil {
			return nil, fmt.Errorf("kafka sink: %s: %w", topicKey(t), err)
		}
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if m == nil {
		m = NewMetrics(nil)
	}
	m.startAtZero(cfg)
	// Before the first writer of the process exists (see installCompression).
	if err := installCompression(cfg); err != nil {
		return nil, fmt.Errorf("kafka sink: %w", err)
	}
	cn, err := NewConn(cfg)
	if err != nil {
		return nil, err
	}
	if cfg.SASL.Mechanism == "PLAIN" && !cfg.TLS.Enabled {
		log.Warn("kafka SASL PLAIN without TLS sends the password in clear text", "username", cfg.SASL.Username)
	}
	specs := cfg.topicSpecs()
	check := provision
	if !cfg.Provision {
		check = checkTopicsExist
	}
	if err := check(ctx, cn, specs, cfg.MaxMessageBytes, log); err != nil {
		m.brokerUp.Set(0)
		return nil, fmt.Errorf("kafka sink: %w", err)
	}
	m.brokerUp.Set(1)

	tr := cn.Transport(0) // kafka-go's default metadata TTL (6 s)
	errLog := kafka.LoggerFunc(func(msg string, args ...any) {
		log.Debug(fmt.Sprintf(msg, args...), "component", "kafka-go")
	})
	meta := kafkameta.New(tr, metadataTTL)
	w := newWriter(cfg, meta, cfg.BatchSize, errLog)
	single := newWriter(cfg, meta, 1, errLog)
	m.writer.w.Store(w)

	abort, abortWrites := context.WithCancel(context.Background())
	s := &Sink{
		cfg: cfg, cn: cn, log: log, m: m, tr: tr, meta: meta, w: w, single: single,
		specs:      make(map[string]TopicSpec, len(specs)),
		enc:        encs,
		topics:     topicsByType(cfg),
		producedBy: cfg.producedBy(),
		now:        time.Now,
		abort:      abort, abortWrites: abortWrites,
	}
	for _, sp := range specs {
		s.specs[sp.Name] = sp
	}
	log.Info("kafka sink ready", "brokers", cfg.Brokers, "topic_prefix", cfg.TopicPrefix,
		"compression", cfg.Compression, "compression_level", cfg.EffectiveCompressionLevel(), "balancer", cfg.Balancer, "acks", "all", "stories_format", cfg.Topics.Stories.Format)
	return s, nil
}

func newWriter(cfg Config, tr kafka.RoundTripper, batchSize int, errLog kafka.Logger) *kafka.Writer {
	codec, _ := compressionCodec(cfg.Compression) // checked by Validate
	return &kafka.Writer{
		Addr:     kafka.TCP(cfg.Brokers...),
		Balancer: balancer(cfg.Balancer),
		// kafka-go's own attempts absorb a leader moving; the sink's retry
		// loop, with its longer backoff, absorbs a broker being down.
		MaxAttempts:     cfg.MaxAttempts,
		WriteBackoffMin: cfg.RetryBackoffMin,
		WriteBackoffMax: min(cfg.RetryBackoffMax, time.Second),
		BatchSize:       batchSize,
		BatchBytes:      cfg.BatchBytes,
		BatchTimeout:    cfg.BatchTimeout,
		ReadTimeout:     cfg.WriteTimeout,
		WriteTimeout:    cfg.WriteTimeout,
		RequiredAcks:    kafka.RequireAll,
		Compression:     codec,
		Transport:       tr,
		// Topics come from provisioning with their configured policy; a
		// broker auto-creating one would give it the broker's defaults.
		AllowAutoTopicCreation: false,
		ErrorLogger:            errLog,
	}
}

// WrapWrites makes both writers send their requests through wrap(transport): a test holds a
// produce request on the wire there (the old owner's batch a partition leader answers late).
// Call it before the first Write.
func (s *Sink) WrapWrites(wrap func(kafka.RoundTripper) kafka.RoundTripper) {
	rt := wrap(s.w.Transport)
	s.w.Transport, s.single.Transport = rt, rt
}

// rejected is a message the brokers will never take, and why.
type rejected struct {
	msg    kafka.Message
	err    error
	reason string // metrics label
}

// Write publishes recs and returns once every one is acknowledged by all
// in-sync replicas, or is in the dead-letter topic with the reason it could
// not be published. Failed messages, and only those, are retried with
// backoff for as long as ctx lasts, each with the same key, value and
// headers as its first attempt.
//
// An error means some records may not be in Kafka: the caller must not
// commit anything derived from recs. Some of them may nevertheless have
// been written (at-least-once).
func (s *Sink) Write(ctx context.Context, recs []record.Record) error {
	return s.WriteItems(ctx, "", nil, recs)
}

// WriteItems publishes items to the items topic (ItemMessage: the hand-off
// from fetchers to processors) and recs to their record topics, all in one
// Write with its guarantees: it returns nil once every one is acknowledged
// by all in-sync replicas or dead-lettered, and an error means some may be
// missing. Provision the items topic first (Provision).
func (s *Sink) WriteItems(ctx context.Context, itemsTopic string, items []record.Item, recs []record.Record) error {
	return s.writeItems(ctx, writers{batch: s.w, single: s.single}, itemsTopic, items, recs)
}

// writeItems is WriteItems through via's writers.
func (s *Sink) writeItems(ctx context.Context, via writers, itemsTopic string, items []record.Item, recs []record.Record) error {
	n := len(items) + len(recs)
	if n == 0 {
		return nil
	}
	if !s.enter() {
		return ErrClosed
	}
	defer s.writes.Done()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	defer context.AfterFunc(s.abort, cancel)()

	start := time.Now()
	s.m.inFlight.Add(float64(n))
	defer s.m.inFlight.Sub(float64(n))
	s.m.writeRecords.Observe(float64(n))

	now := s.now()
	msgs := make([]kafka.Message, 0, n)
	var dead []rejected
	add := func(msg kafka.Message, err error) error {
		if err != nil {
			return fmt.Errorf("kafka sink: %w", err)
		}
		s.stamp(&msg)
		if err := s.cfg.checkSize(msg); err != nil {
			dead = append(dead, rejected{msg: msg, reason: "too_large", err: err})
			return nil
		}
		msgs = append(msgs, msg)
		return nil
	}
	for i := range items {
		if err := add(s.itemMessage(itemsTopic, &items[i], now)); err != nil {
			return err
		}
	}
	for _, r := range recs {
		if err := add(NewMessage(s.topicName(r.RecordType()), r, s.enc[r.RecordType()], now)); err != nil {
			return err
		}
	}
	err := s.send(ctx, via, msgs, func(r rejected) error {
		dead = append(dead, r)
		return nil
	})
	if err == nil && len(dead) > 0 {
		err = s.deadLetter(ctx, via, dead)
	}
	if err == nil {
		s.m.writeDuration.Observe(time.Since(start).Seconds())
	}
	return err
}

// itemMessage is ItemMessage, but an item whose message is over
// max_message_bytes is first handed to ShrinkItem, which may cut it to fit.
func (s *Sink) itemMessage(topic string, it *record.Item, now time.Time) (kafka.Message, error) {
	msg, err := ItemMessage(topic, it, now)
	if err != nil || s.ShrinkItem == nil || s.cfg.fitsStamped(msg) {
		return msg, err
	}
	cut, ok := s.ShrinkItem(*it, func(c *record.Item) bool {
		m, err := ItemMessage(topic, c, now)
		return err == nil && s.cfg.fitsStamped(m)
	})
	if !ok {
		return msg, nil // dead-lettered as too large
	}
	return ItemMessage(topic, &cut, now)
}

// Provision creates or checks more topics than the record topics New
// provisions (the items topic of the scale-out roles), and re-creates them
// like its own if they are deleted while it writes (with kafka.provision
// on). With kafka.provision off it creates nothing and fails with a
// *MissingTopicsError while one is missing, as New does. Call it before
// the first Write that uses them.
func (s *Sink) Provision(ctx context.Context, specs ...TopicSpec) error {
	check := provision
	if !s.cfg.Provision {
		check = checkTopicsExist
	}
	if err := check(ctx, s.cn, specs, s.cfg.MaxMessageBytes, s.log); err != nil {
		return fmt.Errorf("kafka sink: %w", err)
	}
	s.recreateMu.Lock()
	defer s.recreateMu.Unlock()
	for _, sp := range specs {
		s.specs[sp.Name] = sp
	}
	return nil
}

func (s *Sink) enter() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		return false
	}
	s.writes.Add(1)
	return true
}

// Ready reports whether a broker answers a request, within a short
// timeout, for /readyz. It opens a fresh connection rather than trusting
// the writer's pooled ones, which outlive a broker going away.
func (s *Sink) Ready(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	if n := s.failingWrites.Load(); n > 0 {
		why := ""
		if p := s.lastFailure.Load(); p != nil {
			why = ": " + *p
		}
		return fmt.Errorf("kafka: %d writes failing and retrying, the brokers acknowledge nothing%s", n, why)
	}
	// Every broker is asked at once: asked in turn, a stalled first one
	// (a stopped process whose socket still takes connections) used the
	// whole deadline, and /readyz failed while the others carried the
	// writes.
	answers := make(chan error, len(s.cfg.Brokers))
	for _, b := range s.cfg.Brokers {
		go func() { answers <- ping(ctx, s.cn, b) }()
	}
	var errs []error
	for range s.cfg.Brokers {
		err := <-answers
		if err == nil {
			s.m.brokerUp.Set(1)
			return nil // the others end with ctx, into the buffered channel
		}
		errs = append(errs, err)
	}
	s.m.brokerUp.Set(0)
	return fmt.Errorf("kafka: no broker of %v answered: %w", s.cfg.Brokers, errors.Join(errs...))
}

// ping connects to one broker (TLS and SASL included) and asks for its API
// versions.
func ping(ctx context.Context, cn Conn, broker string) error {
	c, err := cn.Dialer(readyTimeout).DialContext(ctx, "tcp", broker)
	if err != nil {
		return err
	}
	defer c.Close()
	if d, ok := ctx.Deadline(); ok {
		_ = c.SetDeadline(d)
	}
	_, err = c.ApiVersions()
	return err
}

// Close stops accepting Writes, lets the ones in progress finish, flushes
// and closes the writer, all under ctx's deadline. When the deadline
// passes, Writes still retrying are cancelled (their callers get an error
// and must not commit) and Close returns an error.
func (s *Sink) Close(ctx context.Context) error {
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		return nil
	}
	s.closing = true
	s.mu.Unlock()

	var errs []error
	drained := make(chan struct{})
	go func() { s.writes.Wait(); close(drained) }()
	select {
	case <-drained:
	case <-ctx.Done():
		s.abortWrites()
		<-drained // Writes return promptly once their context is cancelled
		errs = append(errs, fmt.Errorf("kafka sink: close: writes still retrying at the deadline were cancelled: %w", ctx.Err()))
	}
	s.abortWrites()

	// Only now, with no WriteMessages in progress, is closing the Writer
	// safe; it may still wait for kafka-go's own attempts on a batch, so
	// it runs under the deadline too.
	closed := make(chan error, 1)
	go func() {
		err := errors.Join(s.w.Close(), s.single.Close())
		// After the writers, even when that is past the deadline: closing
		// the transport earlier would let their last attempts open a new
		// connection pool that nothing closes.
		s.tr.CloseIdleConnections()
		closed <- err
	}()
	select {
	case err := <-closed:
		if err != nil {
			errs = append(errs, fmt.Errorf("kafka sink: close writer: %w", err))
		}
	case <-ctx.Done():
		errs = append(errs, fmt.Errorf("kafka sink: close writer: still flushing at the deadline: %w", ctx.Err()))
	}
	s.m.writer.w.CompareAndSwap(s.w, nil)
	return errors.Join(errs...)
}

// topicName is TopicName without building the name: a type New did not
// list is asked of the config.
func (s *Sink) topicName(t record.Type) string {
	if name, ok := s.topics[t]; ok {
		return name
	}
	return s.cfg.TopicName(t)
}

// stamp is Config.stamp with the sink's one copy of the header.
func (s *Sink) stamp(m *kafka.Message) { m.Headers = append(m.Headers, s.producedBy...) }

// KeyOn is a key and the partition a record under it lives in.
type KeyOn struct {
	Key       string
	Partition int
}

// Tombstone writes a tombstone (a null value) for each of keys to the
// topic of records of type t, on the partition each names, and returns
// once all in-sync replicas have them. It is for keys no record will be
// written under again and that say what must not stay in a compacted
// topic (record.LegacyFeedKeys): compaction then drops their records, and
// the tombstone after delete.retention.ms. The partition is the one the
// record was read from, not the one its key goes to today: compaction
// drops a record only for a tombstone in its own partition, and an old
// record may be elsewhere (partitions added since, another
// kafka.balancer). A consumer of the topic meets them as records with a
// null value.
func (s *Sink) Tombstone(ctx context.Context, t record.Type, keys ...KeyOn) error {
	if len(keys) == 0 {
		return nil
	}
	if !s.enter() {
		return ErrClosed
	}
	defer s.writes.Done()
	topic := s.topicName(t)
	msgs := make([]kafka.Message, len(keys))
	for i, k := range keys {
		msgs[i] = kafka.Message{Topic: topic, Key: []byte(k.Key), Partition: k.Partition}
		s.stamp(&msgs[i])
	}
	w := s.onNamedPartitions()
	defer w.Close()
	if err := w.WriteMessages(ctx, msgs...); err != nil {
		return fmt.Errorf("kafka sink: tombstone %d keys in %s: %w", len(keys), topic, err)
	}
	return nil
}

// onNamedPartitions is a writer as the sink's (newWriter, on its transport), which puts each
// message on the partition its Partition field names: kafka-go's Writer hands its balancer
// each message as given.
func (s *Sink) onNamedPartitions() *kafka.Writer {
	w := newWriter(s.cfg, s.w.Transport, s.w.BatchSize, s.w.ErrorLogger)
	w.Balancer = kafka.BalancerFunc(func(m kafka.Message, _ ...int) int {
		return m.Partition
	})
	w.BatchTimeout = time.Millisecond // one synchronous write: no batch to wait for
	return w
}
