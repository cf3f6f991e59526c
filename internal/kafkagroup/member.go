package kafkagroup

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"time"

	"github.com/cenkalti/backoff/v4"
	"github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/internal/quietretry"
	wkafka "github.com/wirestream/wirestream/sinks/kafka"
)

// Config is one member's view of its group.
type Config struct {
	Group    string   // the consumer group id
	Topics   []string // the topics whose partitions the group shares
	Instance string   // this instance's id, in the Kafka client id (the caller's logger names it in logs)

	// SessionTimeout is how long the coordinator waits for a heartbeat before it deems this
	// member dead and gives its partitions to others (default 10 s; brokers accept 6 s to 30
	// min by default).
	SessionTimeout time.Duration
	// HeartbeatInterval is how often the member heartbeats, and so how soon it notices a
	// rebalance (default 1 s; at most a third of SessionTimeout).
	HeartbeatInterval time.Duration
	// RebalanceTimeout is how long the coordinator waits for every member to rejoin during a
	// rebalance: the time Work gets to stop (default 20 s).
	RebalanceTimeout time.Duration
	// RetryMin and RetryMax bound the backoff between attempts to join after an error
	// (defaults 250 ms and 10 s).
	RetryMin, RetryMax time.Duration
	// RetryWarnAfter is how long joining keeps failing before its retries are logged as
	// warnings rather than at debug (default 2 s): a fresh broker's group coordinator takes
	// a moment to appear, which is no failure. The coordinator's own "not ready yet" answers
	// warn after CoordinatorWarnAfter (default 10 s) instead.
	RetryWarnAfter, CoordinatorWarnAfter time.Duration
	// StartOffset is the offset reported for a partition the group never committed:
	// kafka.FirstOffset (default) or kafka.LastOffset.
	StartOffset int64
}

func (c Config) withDefaults() Config {
	if c.SessionTimeout == 0 {
		c.SessionTimeout = 10 * time.Second
	}
	if c.HeartbeatInterval == 0 {
		c.HeartbeatInterval = time.Second
	}
	if c.RebalanceTimeout == 0 {
		c.RebalanceTimeout = 20 * time.Second
	}
	if c.RetryMin == 0 {
		c.RetryMin = 250 * time.Millisecond
	}
	if c.RetryMax == 0 {
		c.RetryMax = 10 * time.Second
	}
	if c.RetryWarnAfter == 0 {
		c.RetryWarnAfter = quietretry.WarnAfter
	}
	if c.CoordinatorWarnAfter == 0 {
		c.CoordinatorWarnAfter = 10 * time.Second
	}
	if c.StartOffset == 0 {
		c.StartOffset = kafka.FirstOffset
	}
	return c
}

// Validate reports every problem at once.
func (c Config) Validate() error {
	c = c.withDefaults()
	var errs []error
	if c.Group == "" {
		errs = append(errs, errors.New("consumer group: id must not be empty"))
	}
	if len(c.Topics) == 0 || slices.Contains(c.Topics, "") {
		errs = append(errs, fmt.Errorf("consumer group %s: topics must be non-empty names, got %q", c.Group, c.Topics))
	}
	if c.SessionTimeout < time.Second {
		errs = append(errs, fmt.Errorf("consumer group %s: session timeout must be >= 1s, got %v", c.Group, c.SessionTimeout))
	}
	if c.HeartbeatInterval <= 0 || c.HeartbeatInterval > c.SessionTimeout/3 {
		errs = append(errs, fmt.Errorf("consumer group %s: heartbeat interval must be within (0, session timeout/3 = %v], got %v",
			c.Group, c.SessionTimeout/3, c.HeartbeatInterval))
	}
	if c.RebalanceTimeout < time.Second {
		errs = append(errs, fmt.Errorf("consumer group %s: rebalance timeout must be >= 1s, got %v", c.Group, c.RebalanceTimeout))
	}
	if c.RetryMin <= 0 || c.RetryMax < c.RetryMin {
		errs = append(errs, fmt.Errorf("consumer group %s: want 0 < retry min <= retry max, got %v and %v", c.Group, c.RetryMin, c.RetryMax))
	}
	if c.StartOffset != kafka.FirstOffset && c.StartOffset != kafka.LastOffset {
		errs = append(errs, fmt.Errorf("consumer group %s: start offset must be kafka.FirstOffset or kafka.LastOffset, got %d", c.Group, c.StartOffset))
	}
	return errors.Join(errs...)
}

// Partition is one partition a member owns, with the group's committed offset for it: the
// next offset to read, or the configured start offset (kafka.FirstOffset or kafka.LastOffset)
// when nothing was committed.
type Partition struct {
	ID     int
	Offset int64
}

// Assignment is what a member owns in one generation, and what changed since the last one.
type Assignment struct {
	Generation int32  // the generation id; 0 when the member owns nothing after leaving or losing the group
	MemberID   string // the coordinator's id for this member in this generation
	Owned      map[string][]Partition
	Gained     map[string][]int // partitions owned now and not in the previous assignment
	Lost       map[string][]int // partitions owned in the previous assignment and not now
}

// Partitions returns the ids of the partitions of topic the member owns, in order.
func (a Assignment) Partitions(topic string) []int {
	ids := make([]int, len(a.Owned[topic]))
	for i, p := range a.Owned[topic] {
		ids[i] = p.ID
	}
	return ids
}

// Generation is one generation of the group as this member sees it.
type Generation struct {
	Assignment
	gen   *kafka.Generation
	ctx   context.Context
	ended <-chan struct{} // closed when the generation has ended at the coordinator's word
}

// Err returns nil while the generation is current, and an error once it has ended: a
// rebalance began, the session was lost, or the member left. It does not fail when only
// Run's ctx has ended, because the member is still in the group until Run leaves it: a
// clean stop can still commit what it drains. A processor asks it before it writes
// state that only the owner of its partitions may write.
func (g *Generation) Err() error {
	select {
	case <-g.ended:
		return fmt.Errorf("consumer group %s: generation %d has ended", g.gen.GroupID, g.Generation)
	default:
		return nil
	}
}

// Commit commits offsets (topic → partition → the next offset to read) for the group. It
// fails once the generation has ended: another member may own those partitions now.
func (g *Generation) Commit(offsets map[string]map[int]int64) error {
	if err := g.gen.CommitOffsets(offsets); err != nil {
		return fmt.Errorf("consumer group %s: commit offsets in generation %d: %w", g.gen.GroupID, g.Generation, err)
	}
	return nil
}

// Start runs fn in a goroutine of this generation: ctx ends when the generation does (or Run's
// ctx), and the member does not rejoin before fn has returned.
func (g *Generation) Start(fn func(ctx context.Context)) {
	g.gen.Start(func(gctx context.Context) {
		ctx, cancel := mergeDone(g.ctx, gctx)
		defer cancel()
		fn(ctx)
	})
}

// Handler is what a member does with its partitions. Either function may be nil.
type Handler struct {
	// Assigned is called at the start of every generation, before Work, and once more with
	// nothing owned when the member leaves or has lost the group. Stop what was lost, start
	// what was gained. ctx is Run's.
	Assigned func(ctx context.Context, a Assignment)
	// Work runs for one generation; its ctx ends on the next rebalance or when Run's ctx
	// ends. A Work that returns early leaves the generation running (it does not trigger a
	// rebalance). More goroutines of the generation: g.Start.
	Work func(ctx context.Context, g *Generation)
}

// Member is one instance's membership of a consumer group.
type Member struct {
	cfg    Config
	cn     wkafka.Conn
	log    *slog.Logger
	m      *Metrics
	sticky *sticky
}

// New checks cfg and returns a member; it joins the group when Run is called. log and m may
// be nil.
func New(cfg Config, cn wkafka.Conn, log *slog.Logger, m *Metrics) (*Member, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if len(cn.Brokers()) == 0 {
		return nil, fmt.Errorf("consumer group %s: no brokers", cfg.Group)
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if m == nil {
		m = NewMetrics(nil)
	}
	cfg = cfg.withDefaults()
	return &Member{cfg: cfg, cn: cn, m: m, sticky: &sticky{},
		// The caller's logger carries the instance id already (wirestream logs it on every
		// line): a second "instance" key would be a duplicate in JSON logs.
		log: log.With("group", cfg.Group)}, nil
}

// mergeDone returns a context that ends when either parent does; its values are a's.
func mergeDone(a, b context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancelCause(a)
	stop := context.AfterFunc(b, func() { cancel(kafka.ErrGenerationEnded) })
	return ctx, func() { stop(); cancel(context.Canceled) }
}

// owned is the member's current ownership: topic → partition ids, sorted.
type owned map[string][]int

func (o owned) empty() bool {
	for _, ps := range o {
		if len(ps) > 0 {
			return false
		}
	}
	return true
}

// assignment builds the Assignment of a generation from the previous ownership.
func assignment(gen int32, memberID string, prev owned, now map[string][]Partition) (Assignment, owned) {
	a := Assignment{Generation: gen, MemberID: memberID, Owned: now,
		Gained: map[string][]int{}, Lost: map[string][]int{}}
	cur := owned{}
	for topic, ps := range now {
		for _, p := range ps {
			cur[topic] = append(cur[topic], p.ID)
		}
		slices.Sort(cur[topic])
	}
	for _, topic := range slices.Sorted(maps.Keys(union(prev, cur))) {
		for _, p := range cur[topic] {
			if !slices.Contains(prev[topic], p) {
				a.Gained[topic] = append(a.Gained[topic], p)
			}
		}
		for _, p := range prev[topic] {
			if !slices.Contains(cur[topic], p) {
				a.Lost[topic] = append(a.Lost[topic], p)
			}
		}
	}
	return a, cur
}

func union(a, b owned) owned {
	u := maps.Clone(a)
	if u == nil {
		u = owned{}
	}
	maps.Copy(u, b)
	return u
}

// newBackoff is the pause between attempts to join after errors.
func (m *Member) newBackoff() *backoff.ExponentialBackOff {
	b := backoff.NewExponentialBackOff()
	b.InitialInterval, b.MaxInterval, b.MaxElapsedTime = m.cfg.RetryMin, m.cfg.RetryMax, 0
	return b
}
