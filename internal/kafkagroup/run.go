package kafkagroup

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/internal/quietretry"
)

// Run joins the group and runs h for every generation until ctx ends, then reports that the
// member owns nothing, waits for Work and leaves the group. It returns nil after a clean leave,
// or an error that retrying cannot fix (a topic that does not exist, a refused session
// timeout, missing authorization).
func (m *Member) Run(ctx context.Context, h Handler) error {
	if err := m.checkTopics(ctx); err != nil {
		return err
	}
	dialer := m.cn.Dialer(10 * time.Second)
	if m.cfg.Instance != "" {
		// The client id prefixes the member id, so `kafka-consumer-groups --describe` shows
		// which instance owns what.
		dialer.ClientID += "-" + m.cfg.Instance
	}
	cg, err := kafka.NewConsumerGroup(kafka.ConsumerGroupConfig{
		ID:                     m.cfg.Group,
		Brokers:                m.cn.Brokers(),
		Dialer:                 dialer,
		Topics:                 m.cfg.Topics,
		GroupBalancers:         []kafka.GroupBalancer{m.sticky, kafka.RangeGroupBalancer{}},
		HeartbeatInterval:      m.cfg.HeartbeatInterval,
		SessionTimeout:         m.cfg.SessionTimeout,
		RebalanceTimeout:       m.cfg.RebalanceTimeout,
		PartitionWatchInterval: 5 * time.Second,
		WatchPartitionChanges:  true,
		// kafka-go's own pause after a failed join; Run adds its exponential backoff.
		JoinGroupBackoff: m.cfg.RetryMin,
		StartOffset:      m.cfg.StartOffset,
		Logger:           kafkaLogger(m.log, slog.LevelDebug),
		ErrorLogger:      kafkaLogger(m.log, slog.LevelDebug), // Run logs what matters itself
	})
	if err != nil {
		return fmt.Errorf("consumer group %s: %w", m.cfg.Group, err)
	}

	r := &run{m: m, h: h, cg: cg}
	err = r.loop(ctx)
	r.revoke(ctx, "leaving the group")
	// Close ends the current generation, waits for its Work and leaves the group.
	cg.Close()
	m.m.owned.DeletePartialMatch(map[string]string{"group": m.cfg.Group})
	m.log.Info("left consumer group")
	return err
}

// run is the state of one Run.
type run struct {
	m     *Member
	h     Handler
	cg    *kafka.ConsumerGroup
	owned owned
	gen   int32
	// lostAt is when the member must consider itself out of the group if it has not joined a
	// new generation by then; zero while a generation is current or nothing is owned.
	lostAt time.Time
}

func (r *run) loop(ctx context.Context) error {
	m := r.m
	bo := m.newBackoff()
	failures := joinFailures{warnAfter: m.cfg.RetryWarnAfter, coordinatorWarnAfter: m.cfg.CoordinatorWarnAfter}
	for {
		gen, err := r.next(ctx)
		switch {
		case ctx.Err() != nil:
			return nil
		case errors.Is(err, errSessionLost):
			r.revoke(ctx, "no new generation within the session timeout")
			continue
		case errors.Is(err, kafka.RebalanceInProgress):
			// Still a member: kafka-go joins again at once, throttled by the coordinator.
			m.log.Debug("consumer group rebalancing")
			continue
		case err != nil:
			m.m.errors.WithLabelValues(m.cfg.Group).Inc()
			if permanent(err) {
				return fmt.Errorf("consumer group %s: %w", m.cfg.Group, err)
			}
			// kafka-go left the group after this error: whatever we owned is someone else's.
			r.revoke(ctx, "left the group after an error")
			wait := bo.NextBackOff()
			level := failures.failed(time.Now(), err)
			m.log.Log(ctx, level, "consumer group: joining failed; retrying", "err", err, "retry_in", wait,
				failures.failingFor(time.Now()))
			if sleep(ctx, wait) != nil {
				return nil
			}
			continue
		}
		bo.Reset()
		if lasted, warned := failures.joined(time.Now()); warned {
			m.log.Info("consumer group: joined after failing", quietretry.Lasted(lasted))
		}
		r.generation(ctx, gen)
	}
}

var errSessionLost = errors.New("no generation within the session timeout")

// next waits for the next generation; while the member still owns partitions of an ended
// generation, only until the coordinator has surely expired its session.
func (r *run) next(ctx context.Context) (*kafka.Generation, error) {
	if r.lostAt.IsZero() {
		return r.cg.Next(ctx)
	}
	nctx, cancel := context.WithDeadline(ctx, r.lostAt)
	defer cancel()
	gen, err := r.cg.Next(nctx)
	if err != nil && ctx.Err() == nil && nctx.Err() != nil {
		return nil, errSessionLost
	}
	return gen, err
}

// generation hands the handler one generation and returns when it has ended.
func (r *run) generation(ctx context.Context, kg *kafka.Generation) {
	m := r.m
	now := map[string][]Partition{}
	for topic, pas := range kg.Assignments {
		for _, pa := range pas {
			now[topic] = append(now[topic], Partition{ID: pa.ID, Offset: pa.Offset})
		}
	}
	a, cur := assignment(kg.ID, kg.MemberID, r.owned, now)
	r.owned, r.gen, r.lostAt = cur, kg.ID, time.Time{}
	m.sticky.own(kg.ID, cur)
	m.m.rebalances.WithLabelValues(m.cfg.Group).Inc()
	m.m.generation.WithLabelValues(m.cfg.Group).Set(float64(kg.ID))
	for _, topic := range m.cfg.Topics {
		m.m.owned.WithLabelValues(m.cfg.Group, topic).Set(float64(len(cur[topic])))
	}
	m.log.Info("consumer group generation", "generation", kg.ID, "member_id", kg.MemberID,
		"owned", fmt.Sprint(cur), "gained", fmt.Sprint(a.Gained), "lost", fmt.Sprint(a.Lost))
	if r.h.Assigned != nil {
		r.h.Assigned(ctx, a)
	}

	ended := make(chan struct{})
	g := &Generation{Assignment: a, gen: kg, ctx: ctx, ended: ended}
	kg.Start(func(gctx context.Context) {
		<-gctx.Done()
		close(ended)
	})
	if missing := m.sticky.takeMissing(); len(missing) > 0 {
		// Returning ends the generation: the member rejoins and the next assignment deals them.
		kg.Start(func(gctx context.Context) { r.awaitPartitions(gctx, missing) })
	}
	if r.h.Work != nil {
		// Wrapped so that a Work that returns early does not end the generation.
		g.Start(func(wctx context.Context) {
			r.h.Work(wctx, g)
			<-wctx.Done()
		})
	}
	select {
	case <-ended:
		// The member keeps what it owns (the next generation will likely give it back) until
		// the coordinator would have expired it.
		r.lostAt = time.Now().Add(m.cfg.SessionTimeout)
		m.log.Debug("consumer group generation ended", "generation", kg.ID)
	case <-ctx.Done():
	}
}

// missingPoll is how often a generation dealt while a topic had no partition asks for it.
const missingPoll = 2 * time.Second

// awaitPartitions returns once one of topics has a partition, or when ctx ends. It asks
// without letting the broker create a topic (as kafka-go's own watcher does too, through
// the member's Dialer).
func (r *run) awaitPartitions(ctx context.Context, topics []string) {
	m := r.m
	// Since round 30 a topic deleted under the group stays deleted (the broker is never let
	// create one: sinks/kafka's noautocreate.go), so this is also how a deletion shows.
	m.log.Warn("consumer group: a topic had no partition when this member dealt the group's (deleted, or not created yet); "+
		"waiting for it to be created: create it as `wirestream validate` prints it, or start a role with kafka.provision",
		"topics", fmt.Sprint(topics))
	t := time.NewTicker(missingPoll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		cl, done := m.cn.Client(10 * time.Second)
		md, err := cl.Metadata(ctx, &kafka.MetadataRequest{Topics: topics})
		done()
		if err != nil {
			continue
		}
		for _, tp := range md.Topics {
			if tp.Error == nil && len(tp.Partitions) > 0 {
				m.log.Info("consumer group: a topic undealt for want of partitions has some now; rejoining to deal them",
					"topic", tp.Name, "partitions", len(tp.Partitions))
				return
			}
		}
	}
}

// revoke tells the handler that the member owns nothing any more, if it owned something.
func (r *run) revoke(ctx context.Context, why string) {
	r.lostAt = time.Time{}
	if r.owned.empty() {
		return
	}
	a, _ := assignment(0, "", r.owned, nil)
	r.owned = nil
	// The sticky claim stays: if no newer generation gave these partitions to another member,
	// the leader hands them back to this one at its next join.
	for _, topic := range r.m.cfg.Topics {
		r.m.m.owned.WithLabelValues(r.m.cfg.Group, topic).Set(0)
	}
	r.m.log.Info("consumer group: releasing every partition", "reason", why, "lost", fmt.Sprint(a.Lost))
	if r.h.Assigned != nil {
		r.h.Assigned(ctx, a)
	}
}

// checkTopics fails early on a topic that does not exist: kafka-go would join, own nothing,
// and rejoin every few seconds.
func (m *Member) checkTopics(ctx context.Context) error {
	bo := m.newBackoff()
	// A topic created a moment ago may not have reached every broker yet.
	grace := time.Now().Add(5 * time.Second)
	for {
		// A new client each time: a client whose first discovery failed (a broker still
		// starting) would only look again on its metadata TTL's timer.
		cl, done := m.cn.Client(10 * time.Second)
		md, err := cl.Metadata(ctx, &kafka.MetadataRequest{Topics: m.cfg.Topics})
		done()
		if err == nil {
			for _, t := range md.Topics {
				if errors.Is(t.Error, kafka.UnknownTopicOrPartition) && time.Now().After(grace) {
					return fmt.Errorf("consumer group %s: topic %s does not exist: create it first", m.cfg.Group, t.Name)
				}
				if t.Error != nil {
					err = fmt.Errorf("topic %s: %w", t.Name, t.Error)
				}
			}
		}
		if err == nil {
			return nil
		}
		if permanent(err) {
			return fmt.Errorf("consumer group %s: metadata: %w", m.cfg.Group, err)
		}
		wait := bo.NextBackOff()
		m.log.Warn("consumer group: reading topic metadata failed; retrying", "err", err, "retry_in", wait)
		if sleep(ctx, wait) != nil {
			return fmt.Errorf("consumer group %s: metadata of %v (the brokers %v): %w (last error: %v)", m.cfg.Group, m.cfg.Topics, m.cn.Brokers(), ctx.Err(), err)
		}
	}
}

// permanent reports errors that no retry fixes: the config or the cluster's authorization.
func permanent(err error) bool {
	for _, e := range []kafka.Error{
		kafka.InvalidSessionTimeout, kafka.GroupAuthorizationFailed, kafka.TopicAuthorizationFailed,
		kafka.InvalidGroupId, kafka.InconsistentGroupProtocol, kafka.SASLAuthenticationFailed,
		kafka.ClusterAuthorizationFailed,
	} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

func kafkaLogger(log *slog.Logger, level slog.Level) kafka.Logger {
	return kafka.LoggerFunc(func(msg string, args ...any) {
		log.Log(context.Background(), level, fmt.Sprintf(msg, args...), "component", "kafka-go")
	})
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
