package kafkagroup

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/internal/testkit"
)

func TestConfigValidateNamesEveryProblem(t *testing.T) {
	base := func() Config { return Config{Group: "g", Topics: []string{"t"}} }
	testkit.CheckValidate(t, base, []testkit.ConfigCase[Config]{
		{Name: "defaults are valid", Edit: func(*Config) {}},
		{Name: "a group needs an id", Edit: func(c *Config) { c.Group = "" }, Want: "id must not be empty"},
		{Name: "a group needs topics", Edit: func(c *Config) { c.Topics = nil }, Want: "topics must be non-empty"},
		{Name: "heartbeats must be well inside the session", Edit: func(c *Config) {
			c.SessionTimeout, c.HeartbeatInterval = 6*time.Second, 3*time.Second
		}, Want: "heartbeat interval"},
		{Name: "the backoff must not shrink", Edit: func(c *Config) { c.RetryMin, c.RetryMax = time.Second, time.Millisecond }, Want: "retry min"},
		{Name: "the start offset is first or last", Edit: func(c *Config) { c.StartOffset = 42 }, Want: "start offset"},
	})
}

func TestAssignmentSaysWhatWasGainedAndLost(t *testing.T) {
	prev := owned{"feeds": {0, 1, 2}, "items": {0}}
	a, cur := assignment(7, "m-1", prev, map[string][]Partition{
		"feeds": {{ID: 2, Offset: 10}, {ID: 3, Offset: kafka.FirstOffset}},
	})
	if fmt.Sprint(a.Gained) != "map[feeds:[3]]" || fmt.Sprint(a.Lost) != "map[feeds:[0 1] items:[0]]" {
		t.Errorf("gained %v lost %v", a.Gained, a.Lost)
	}
	if !slices.Equal(cur["feeds"], []int{2, 3}) || !slices.Equal(a.Partitions("feeds"), []int{2, 3}) || a.Generation != 7 {
		t.Errorf("owned %v, assignment %+v", cur, a)
	}
	none, _ := assignment(0, "", cur, nil)
	if len(none.Owned) != 0 || fmt.Sprint(none.Lost) != "map[feeds:[2 3]]" {
		t.Errorf("leaving: %+v", none)
	}
}

// log records every member's assignments and checks that no partition has two owners in one
// generation.
type log struct {
	t     *testing.T
	topic string
	ch    chan entry
	all   []entry
}

type entry struct {
	member string
	at     time.Time
	a      Assignment
}

func newLog(t *testing.T, topic string) *log {
	return &log{t: t, topic: topic, ch: make(chan entry, 1000)}
}

func (l *log) handler(member string) Handler {
	return Handler{Assigned: func(_ context.Context, a Assignment) {
		l.ch <- entry{member: member, at: time.Now(), a: a}
	}}
}

// owns waits until each named member's latest assignment has the given number of partitions
// in one common generation, and returns the time that happened.
func (l *log) owns(timeout time.Duration, want map[string]int) time.Time {
	l.t.Helper()
	deadline := time.After(timeout)
	for {
		latest := map[string]entry{}
		for _, e := range l.all {
			latest[e.member] = e
		}
		ok, gen, at := true, int32(-1), time.Time{}
		for m, n := range want {
			e, seen := latest[m]
			ok = ok && seen && len(e.a.Partitions(l.topic)) == n && (gen < 0 || e.a.Generation == gen)
			gen = e.a.Generation
			if e.at.After(at) {
				at = e.at
			}
		}
		if ok {
			return at
		}
		select {
		case e := <-l.ch:
			l.all = append(l.all, e)
		case <-deadline:
			l.t.Fatalf("after %v no generation in which %v own their partitions; assignments: %s", timeout, want, l)
			return time.Time{}
		}
	}
}

// checkNoSharedPartitions fails if two members were given one partition in one generation.
func (l *log) checkNoSharedPartitions() {
	l.t.Helper()
	owner := map[int32]map[int]string{}
	for _, e := range l.all {
		if e.a.Generation == 0 {
			continue
		}
		if owner[e.a.Generation] == nil {
			owner[e.a.Generation] = map[int]string{}
		}
		for _, p := range e.a.Partitions(l.topic) {
			if o, dup := owner[e.a.Generation][p]; dup && o != e.member {
				l.t.Errorf("generation %d: partition %d owned by %s and %s", e.a.Generation, p, o, e.member)
			}
			owner[e.a.Generation][p] = e.member
		}
	}
}

func (l *log) String() string {
	var b strings.Builder
	for _, e := range l.all {
		fmt.Fprintf(&b, "\n  %s gen %d owns %v (gained %v, lost %v)", e.member, e.a.Generation,
			e.a.Partitions(l.topic), e.a.Gained[l.topic], e.a.Lost[l.topic])
	}
	return b.String()
}

// start runs a member until the test ends or stop is called; stop waits for Run to return.
func start(t *testing.T, cfg Config, h Handler) (stop func()) {
	t.Helper()
	m, err := New(cfg, connect(t), testLog(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx, h) }()
	var stopped bool
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("member %s: Run = %v", cfg.Instance, err)
			}
		case <-time.After(time.Minute):
			t.Errorf("member %s: Run did not return a minute after its context ended", cfg.Instance)
		}
	}
	t.Cleanup(stop)
	return stop
}

// soloGroup makes a topic of n partitions, starts member "a" of a new group on it, and returns
// once a owns them all.
func soloGroup(t *testing.T, n int) (brokers []string, topic, group string, l *log) {
	t.Helper()
	brokers = brokerList(t)
	topic = topicOf(t, brokers, n)
	group = "wirestream-test-" + topic
	l = newLog(t, topic)
	start(t, Config{Group: group, Topics: []string{topic}, Instance: "a"}, l.handler("a"))
	l.owns(time.Minute, map[string]int{"a": n})
	return brokers, topic, group, l
}

func TestTwoMembersSplitPartitionsAndOneTakesAllWhenTheOtherLeaves(t *testing.T) {
	_, topic, group, l := soloGroup(t, 6)
	stopB := start(t, Config{Group: group, Topics: []string{topic}, Instance: "b"}, l.handler("b"))
	l.owns(time.Minute, map[string]int{"a": 3, "b": 3})

	left := time.Now()
	stopB()
	at := l.owns(time.Minute, map[string]int{"a": 6})
	t.Logf("after b left, a owned every partition %v later", at.Sub(left).Round(time.Millisecond))
	l.checkNoSharedPartitions()

	// Sticky: when b joined, a only gave up partitions; when b left, a only gained them.
	for _, e := range l.all {
		if e.member != "a" {
			continue
		}
		switch n := len(e.a.Partitions(topic)); {
		case n == 3 && len(e.a.Gained[topic]) > 0:
			t.Errorf("a gained %v when b joined", e.a.Gained[topic])
		case n == 6 && len(e.a.Lost[topic]) > 0:
			t.Errorf("a lost %v when b left", e.a.Lost[topic])
		}
	}
}

func TestAKilledMembersPartitionsMoveWithinTheSessionTimeout(t *testing.T) {
	brokers, topic, group, l := soloGroup(t, 6)

	helper := startHelper(t, brokers, group, topic)
	helper.waitFor(t, time.Minute, func(partitions int) bool { return partitions == 3 })
	l.owns(time.Minute, map[string]int{"a": 3})

	killed := helper.kill(t)
	at := l.owns(time.Minute, map[string]int{"a": 6})
	t.Logf("a killed member's partitions moved %v after SIGKILL (session timeout %v)",
		at.Sub(killed).Round(time.Millisecond), (Config{}).withDefaults().SessionTimeout)
	l.checkNoSharedPartitions()
}

func TestWorkIsFencedAndCommitsTravelWithTheGeneration(t *testing.T) {
	brokers := brokerList(t)
	topic := topicOf(t, brokers, 4)
	group := "wirestream-test-" + topic

	type span struct {
		member     string
		gen        int32
		partitions []int
		from, to   time.Time
		// errAtStart is g.Err() as Work began; ended, whether g.Err()
		// failed within 5 s of Work's ctx ending.
		errAtStart error
		ended      bool
	}
	spans := make(chan span, 100)
	offsets := make(chan map[int]int64, 100)
	work := func(member string) Handler {
		return Handler{Work: func(ctx context.Context, g *Generation) {
			s := span{member: member, gen: g.Generation, partitions: g.Partitions(topic), from: time.Now(), errAtStart: g.Err()}
			seen := map[int]int64{}
			commit := map[int]int64{}
			for _, p := range g.Owned[topic] {
				seen[p.ID] = p.Offset
				commit[p.ID] = 100 + int64(p.ID) // as if records up to here were processed
			}
			offsets <- seen
			if err := g.Commit(map[string]map[int]int64{topic: commit}); err != nil && ctx.Err() == nil {
				t.Errorf("%s: commit in generation %d: %v", member, g.Generation, err)
			}
			<-ctx.Done()
			s.to = time.Now()
			for deadline := time.Now().Add(5 * time.Second); !s.ended && time.Now().Before(deadline); {
				if s.ended = g.Err() != nil; !s.ended {
					time.Sleep(10 * time.Millisecond)
				}
			}
			spans <- s
		}}
	}
	stopA := start(t, Config{Group: group, Topics: []string{topic}, Instance: "a"}, work("a"))
	first := <-offsets
	for p, o := range first {
		if o != kafka.FirstOffset {
			t.Errorf("a new group reports offset %d for partition %d, want FirstOffset", o, p)
		}
	}
	stopB := start(t, Config{Group: group, Topics: []string{topic}, Instance: "b"}, work("b"))
	// The rebalance ends a's first generation; in the next, both see the committed offsets.
	deadline := time.After(time.Minute)
	committed := map[int]int64{}
	for len(committed) < 4 {
		select {
		case o := <-offsets:
			for p, off := range o {
				if off >= 0 {
					committed[p] = off
				}
			}
		case <-deadline:
			t.Fatalf("committed offsets seen for %v of 4 partitions", committed)
		}
	}
	for p, off := range committed {
		if off != 100+int64(p) {
			t.Errorf("partition %d: next generation starts at %d, want the committed %d", p, off, 100+p)
		}
	}
	stopB()
	stopA()
	close(spans)
	var all []span
	for s := range spans {
		all = append(all, s)
	}
	// No partition's Work ran in two members at the same time.
	for i, x := range all {
		for _, y := range all[i+1:] {
			if x.member == y.member {
				continue
			}
			for _, p := range x.partitions {
				if slices.Contains(y.partitions, p) && x.from.Before(y.to) && y.from.Before(x.to) {
					t.Errorf("partition %d: Work of %s (gen %d) and %s (gen %d) overlapped", p, x.member, x.gen, y.member, y.gen)
				}
			}
		}
	}
	// Err tells the generation's end from Run's: a's first generation ended
	// when b joined, and every Work began in a current generation.
	firstOfA := slices.IndexFunc(all, func(s span) bool { return s.member == "a" })
	for _, s := range all {
		if s.errAtStart != nil {
			t.Errorf("%s: Err() = %v as Work of generation %d began, want nil", s.member, s.errAtStart, s.gen)
		}
	}
	if firstOfA >= 0 && !all[firstOfA].ended {
		t.Errorf("a: Err() still nil 5 s after the rebalance that ended generation %d", all[firstOfA].gen)
	}
	if len(all) < 3 {
		t.Errorf("%d generations of Work, want at least 3 (a alone, a and b, a alone or none)", len(all))
	}
}

func TestRunRefusesATopicThatDoesNotExist(t *testing.T) {
	m, err := New(Config{Group: "wirestream-test-missing", Topics: []string{"wirestream-test-no-such-topic"}}, connect(t), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err = m.Run(ctx, Handler{})
	if err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("Run = %v, want a missing-topic error", err)
	}
}

func TestAMemberRejoinsAfterTheBrokerRestarts(t *testing.T) {
	_, _, _, l := soloGroup(t, 3)

	stopBroker(t)
	// While the broker is away the member loses its generation, and within the session
	// timeout it is told it owns nothing.
	l.owns(time.Minute, map[string]int{"a": 0})
	startBroker(t)
	l.owns(2*time.Minute, map[string]int{"a": 3})
}
