package feed

import (
	"container/heap"
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// The poller's scheduler: an idle feed is a record in a heap ordered by
// when its next poll falls due, not a goroutine waiting on a timer. A
// goroutine each kept 45–49 MB of stacks at 10,000 feeds, each at the
// runtime's 4 KB floor (round 37, feedmem37). Poller.Run's goroutine
// keeps the heap; a feed's steps (its start, a poll, a push) run on
// workers, at most one step of a feed at a time, so a loop's state is
// still written by one goroutine at a time and every promise of the
// loop (letGo's holds and slots, deliver's ack wait, the save after it)
// is the same code as before. Workers are made as steps need them and
// at most 2 × global_concurrency (Poller.unsent's size) wait parked for
// the next step; the rest end. The goroutines are then the feeds being
// polled or waiting for an ack or a held host, not the idle ones.

// stepKind is what a worker does for a feed.
type stepKind uint8

const (
	stepStart stepKind = iota // load the feed's state, plan its first poll
	stepPoll                  // letGo, poll, deliver, plan the next poll
	stepPush                  // take one push or push stop from the inbox
)

// schedFeed is an assigned feed as the scheduler keeps it.
type schedFeed struct {
	l     *loop // its Spec is l.spec
	ctx   feedCtx
	index int  // in its heap; -1 when in neither
	ready bool // the heap it is in is scheduler.ready, not scheduler.due
	busy  bool // a worker runs one of its steps
	// waits is set on a feed assigned while the feed of its URL it
	// replaces is leaving (scheduler.leaving): it starts once that one
	// ended, as its board entry, metrics and stored state are that one's
	// until then.
	waits bool
	// parked is set on a due feed whose host had no room for another
	// poll (limiter.room): it waits in its host's heap of
	// scheduler.parked (index is its place there), without a slot of
	// Poller.unsent, until one of its host's polls ends (scheduler.unpark).
	parked bool
	// host is the host its next poll goes to, as its last step left it
	// (loop.hostKey): the scheduler asks the limiter about it without
	// parsing the feed's URL on its own goroutine.
	host string
	// parkedAt is when it was last parked (monoNow); hostQueued is how
	// long it waited parked for the poll now due, which that poll counts
	// as its host's wait, not the poller's lag (pollerLag).
	parkedAt, hostQueued time.Duration
}

// dueHeap orders idle feeds by when their next poll falls due (loop.due).
type dueHeap []*schedFeed

func (h dueHeap) Len() int           { return len(h) }
func (h dueHeap) Less(i, j int) bool { return h[i].l.due.Before(h[j].l.due) }
func (h dueHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index, h[j].index = i, j
}
func (h *dueHeap) Push(x any) {
	f := x.(*schedFeed)
	f.index = len(*h)
	*h = append(*h, f)
}
func (h *dueHeap) Pop() any {
	old := *h
	f := old[len(old)-1]
	old[len(old)-1] = nil
	f.index = -1
	*h = old[:len(old)-1]
	return f
}

// readyHeap orders the feeds whose poll fell due, waiting for a slot of
// Poller.unsent, by pollRank (pace.go): while the poller keeps up it is
// empty or nearly so; saturated, it is the queue that decides which
// feeds lose items.
type readyHeap struct{ dueHeap }

func (h readyHeap) Less(i, j int) bool {
	return pollRank(h.dueHeap[i].l) < pollRank(h.dueHeap[j].l)
}

// stepped is a worker's word that a feed's step ended; ok is false when
// the feed's context ended during it.
type stepped struct {
	f  *schedFeed
	ok bool
}

type job struct {
	f    *schedFeed
	kind stepKind
	turn hostTurn // a poll's
}

// hostTurn is what the scheduler hands a poll about its host: the host
// it claimed a place of for it (limiter.claim; "" for none) and how long
// the feed waited parked for one.
type hostTurn struct {
	claimed string
	waited  time.Duration
}

// scheduler is the state of Poller.Run's goroutine, bar the assignment.
type scheduler struct {
	p     *Poller
	out   chan<- record.Batch
	feeds map[string]*schedFeed
	// leaving are feeds removed while a step of theirs ran (a delivery
	// waits for its ack up to drain_timeout): each ends when that step
	// returns, and the other feeds go on being polled meanwhile.
	leaving map[string]*schedFeed
	due     dueHeap   // idle feeds whose poll is not due yet
	ready   readyHeap // idle feeds whose poll is due, waiting for a slot
	busy    int       // feeds with a step running
	timer   *time.Timer
	// parked are due feeds whose host had no room, by host, in pollRank
	// order: a host's go back to the ready queue as places of it free
	// (Poller.hostsFreed, unpark). Waiting for their host with a slot of
	// Poller.unsent each, a host with more feeds due than those slots
	// kept every other host's feeds from being polled (round 45, pace45).
	parked map[string]*readyHeap
	// nparked is how many feeds parked holds, and shownParked what
	// wirestream_feed_polls_parked last said (set only when it moves, as
	// next runs at every event).
	nparked, shownParked int

	steps chan stepped // workers → scheduler
	jobs  chan job     // scheduler → parked workers (unbuffered)
	stop  chan struct{}
	idle  atomic.Int32 // parked workers
	// maxIdle bounds the parked workers: a step's worker keeps its grown
	// stack for the next one, instead of a new goroutine growing one
	// again at every poll (≈ +3 µs a 304, feedmem37).
	maxIdle int32
}

func newScheduler(p *Poller, out chan<- record.Batch) *scheduler {
	t := time.NewTimer(time.Hour)
	t.Stop()
	return &scheduler{p: p, out: out, feeds: map[string]*schedFeed{}, leaving: map[string]*schedFeed{}, timer: t,
		parked: map[string]*readyHeap{},
		steps:  make(chan stepped), jobs: make(chan job), stop: make(chan struct{}),
		maxIdle: int32(cap(p.unsent))}
}

// add starts a feed: a worker loads its state and plans its first poll.
func (s *scheduler) add(ctx context.Context, l *loop) {
	f := &schedFeed{l: l, ctx: feedCtx{parent: ctx}, index: -1}
	s.feeds[l.spec.URL] = f
	if s.leaving[l.spec.URL] != nil {
		f.waits = true // started by finish
		return
	}
	s.run(f, stepStart)
}

// remove stops a feed without waiting for it: one whose step runs
// leaves and ends when the step returns (stepEnded). Waiting here for a
// delivery's ack (up to drain_timeout) stopped every other feed's polls,
// which a goroutine a feed never did.
func (s *scheduler) remove(f *schedFeed) {
	f.ctx.cancel()
	delete(s.feeds, f.l.spec.URL)
	switch {
	case f.waits: // never started: nothing of it to end
	case f.busy:
		s.leaving[f.l.spec.URL] = f
	default:
		s.finish(f)
	}
}

// stopAll stops every feed and waits until each ended, then lets the
// parked workers go.
func (s *scheduler) stopAll() {
	for h, fs := range s.parked { // at once, not one feed's unqueue at a time
		for _, f := range fs.dueHeap {
			f.parked, f.index = false, -1
		}
		delete(s.parked, h)
	}
	s.nparked = 0
	s.showParked()
	for _, f := range s.feeds {
		s.remove(f)
	}
	for s.busy > 0 {
		s.stepEnded(<-s.steps)
	}
	s.timer.Stop()
	close(s.stop)
}

// finish ends a feed that no step runs for: off the heap, the board and
// the metrics, its slot and poll deadline given back. A feed that left
// starts the feed of its URL assigned since, if any.
func (s *scheduler) finish(f *schedFeed) {
	s.unqueue(f)
	if s.feeds[f.l.spec.URL] == f {
		delete(s.feeds, f.l.spec.URL)
	}
	f.ctx.cancel()
	f.l.end()
	f.l.deadline.close()
	f.l.releaseUnsent()
	if s.leaving[f.l.spec.URL] == f {
		delete(s.leaving, f.l.spec.URL)
		if next := s.feeds[f.l.spec.URL]; next != nil && next.waits {
			next.waits = false
			s.run(next, stepStart)
		}
	}
}

// stepEnded takes a feed back from its worker: it ends if its context
// did, takes a waiting push next unless its poll is due, and otherwise
// waits in the heap.
func (s *scheduler) stepEnded(st stepped) {
	f := st.f
	f.busy = false
	s.busy--
	if !st.ok || f.ctx.Err() != nil {
		s.finish(f)
		return
	}
	if pushNext(f, time.Now()) {
		s.run(f, stepPush)
		return
	}
	heap.Push(&s.due, f)
}

// pushesFor runs a push step for a feed that waits in the heap and has a
// push or push stop in its inbox; a busy feed takes it when its step
// ends (stepEnded), a feed whose poll is due after that poll.
func (s *scheduler) pushesFor(urls []string) {
	now := time.Now()
	for _, u := range urls {
		f := s.feeds[u]
		if f == nil || f.busy || f.index < 0 || f.ctx.Err() != nil || !pushNext(f, now) {
			continue
		}
		s.unqueue(f)
		s.run(f, stepPush)
	}
}

// unqueue takes an idle feed off whichever heap or host's parked list
// holds it.
func (s *scheduler) unqueue(f *schedFeed) {
	switch {
	case f.parked:
		h := s.parked[f.host]
		heap.Remove(h, f.index)
		if h.Len() == 0 {
			// No feed waits for the host now: its mark would keep its
			// slot from every sweep for good (limiter.unwant).
			delete(s.parked, f.host)
			s.p.limits.unwant(f.host)
		}
		f.parked = false
		s.nparked--
	case f.index < 0:
	case f.ready:
		heap.Remove(&s.ready, f.index)
		s.leftReady(f)
	default:
		heap.Remove(&s.due, f.index)
	}
	f.ready = false
}

// leftReady is told of a feed that left the ready queue neither claiming
// a place of its host nor parked again (its host held back, the feed
// removed): it may be one unpark let go for a place it will not take, so
// its host's parked feeds are offered that place again.
func (s *scheduler) leftReady(f *schedFeed) {
	if s.parked[f.host] != nil {
		s.unpark([]string{f.host})
	}
}

// park puts a due feed that left the ready queue, its host without room,
// in its host's parked heap.
func (s *scheduler) park(f *schedFeed) {
	h := s.parked[f.host]
	if h == nil {
		h = &readyHeap{}
		s.parked[f.host] = h
	}
	f.parked = true
	f.parkedAt = monoNow()
	heap.Push(h, f)
	s.nparked++
}

// unpark puts parked feeds of hosts one of whose polls ended back in the
// ready queue, where pollRank orders them with every other due feed: as
// many as each host has places free, first by pollRank (limiter.vacancies,
// which marks the host again when some stay parked, so its next free
// place wakes the scheduler anew). All of a host's at each poll that
// ended, parked again at once, cost twice the CPU of a poll at 500 feeds
// of one host (BenchmarkIdlePollCPU, round 46).
func (s *scheduler) unpark(hosts []string) {
	now := monoNow()
	for _, host := range hosts {
		h := s.parked[host]
		if h == nil {
			continue
		}
		for range s.p.limits.vacancies(host, h.Len()) {
			f := heap.Pop(h).(*schedFeed)
			f.parked = false
			s.nparked--
			f.hostQueued += now - f.parkedAt
			f.ready = true
			heap.Push(&s.ready, f)
		}
		if h.Len() == 0 {
			delete(s.parked, host)
		}
	}
}

// pushNext reports whether f's next step is a push step: a push or push
// stop waits in its inbox and its poll is not due, for a due poll goes
// before the pushes. A push first whenever one waited kept a feed whose
// hub pushes faster than the pipeline acks from ever being polled (its
// safety net, and the re-read of a push batch that failed), where the
// feed's own loop chose at random between its timer and its inbox.
// (stepEnded and pushesFor both ask it, so the two keep one rule.)
func pushNext(f *schedFeed, now time.Time) bool {
	return f.l.inbox.waiting() && f.l.due.After(now)
}

// next says what the scheduler waits for besides its events: the timer
// until the earliest feed falls due, or, once one is due, a slot of
// Poller.unsent to poll the first of the ready queue with (nil channels
// wait for nothing). Feeds that fell due move from the due heap to the
// ready queue first, where pollRank orders them. Due feeds whose host is
// held back are sent to workers at once without a slot: letGo waits for
// the hold first and only then takes one, so held feeds do not keep
// others' polls waiting. Due feeds whose host has no room for another
// poll (its per_host_concurrency taken) are parked without a slot, for
// the same reason, until one of its polls ends.
func (s *scheduler) next() (timer <-chan time.Time, slot chan<- struct{}) {
	now := time.Now()
	for len(s.due) > 0 && !s.due[0].l.due.After(now) {
		f := heap.Pop(&s.due).(*schedFeed)
		f.ready = true
		heap.Push(&s.ready, f)
	}
	for s.ready.Len() > 0 {
		head := s.ready.dueHeap[0]
		switch {
		case s.hostHeld(head):
			f := s.popReady()
			s.leftReady(f)
			s.poll(f, "")
		case !s.p.limits.room(head.host):
			s.park(s.popReady())
		default:
			s.setWaiting(s.ready.Len())
			s.showParked()
			return nil, s.p.unsent
		}
	}
	s.setWaiting(0)
	s.showParked()
	if len(s.due) > 0 {
		s.timer.Reset(s.due[0].l.due.Sub(now))
		return s.timer.C, nil
	}
	return nil, nil
}

// setWaiting notes how many due feeds wait for a slot (Poller.Behind,
// wirestream_feed_polls_waiting); the gauge is set only when it moves, as
// next runs at every event of the scheduler.
func (s *scheduler) setWaiting(n int) {
	if s.p.waiting.Swap(int64(n)) != int64(n) {
		s.p.m.PollsWaiting.Set(float64(n))
	}
}

// showParked sets wirestream_feed_polls_parked to the feeds parked now,
// if that moved.
func (s *scheduler) showParked() {
	if s.nparked != s.shownParked {
		s.shownParked = s.nparked
		s.p.m.PollsParked.Set(float64(s.nparked))
	}
}

// popReady takes the first feed of the ready queue.
func (s *scheduler) popReady() *schedFeed {
	f := heap.Pop(&s.ready).(*schedFeed)
	f.ready = false
	return f
}

// hostHeld reports whether the feed's host is held back now. It asks
// nheld itself before holdOf does: with no host held, the lock is work
// for nothing.
func (s *scheduler) hostHeld(f *schedFeed) bool {
	if s.p.limits.nheld.Load() == 0 {
		return false
	}
	_, _, held := s.p.limits.holdOf(f.host)
	return held
}

// pollHead polls the first feed of the ready queue, with the slot of
// Poller.unsent next took for it and a place of its host claimed; if
// the host filled since next asked (a WebSub hub's request, a redirect
// to it, a poll let go by a hold), the slot goes back and the feed is
// parked.
func (s *scheduler) pollHead() {
	f := s.popReady()
	if !s.p.limits.claim(f.host) {
		<-s.p.unsent
		s.park(f)
		return
	}
	f.l.unsent = true
	s.poll(f, f.host)
}

// poll hands a poll step of f to a worker, with its host's place
// claimed for it, if any, and the time it waited parked.
func (s *scheduler) poll(f *schedFeed, claimed string) {
	turn := hostTurn{claimed: claimed, waited: f.hostQueued}
	f.hostQueued = 0
	s.runJob(job{f: f, kind: stepPoll, turn: turn})
}

// run hands a step of f to a parked worker, or to a new one.
func (s *scheduler) run(f *schedFeed, kind stepKind) { s.runJob(job{f: f, kind: kind}) }

func (s *scheduler) runJob(j job) {
	f := j.f
	f.busy = true
	s.busy++
	select {
	case s.jobs <- j:
	default:
		go s.work(j)
	}
}

// work runs steps until none comes while it is parked, or more workers
// than maxIdle are parked.
func (s *scheduler) work(j job) {
	for {
		s.step(j)
		if s.idle.Add(1) > s.maxIdle {
			s.idle.Add(-1)
			return
		}
		select {
		case j = <-s.jobs:
			s.idle.Add(-1)
		case <-s.stop:
			s.idle.Add(-1)
			return
		}
	}
}

// step runs one step of a feed and gives the feed back.
func (s *scheduler) step(j job) {
	ok := true
	switch j.kind {
	case stepStart:
		j.f.l.start()
		j.f.host = j.f.l.hostKey()
	case stepPoll:
		ok = j.f.l.pollStep(&j.f.ctx, s.out, j.turn)
		j.f.host = j.f.l.hostKey() // a poll may adopt a move
	case stepPush:
		ok = j.f.l.pushStep(&j.f.ctx, s.out)
	}
	s.steps <- stepped{f: j.f, ok: ok}
}

// wakeNotes tell the scheduler of events on other goroutines, by name:
// which feeds' inboxes took a push or a push stop (Push and PushStopped
// never block on it), which hosts had a poll end while feeds of theirs
// were parked (limiter.freed, called under no lock of the scheduler's).
type wakeNotes struct {
	mu    sync.Mutex
	names []string
	wake  chan struct{} // cap 1
}

func newWakeNotes() *wakeNotes { return &wakeNotes{wake: make(chan struct{}, 1)} }

func (n *wakeNotes) note(name string) {
	n.mu.Lock()
	n.names = append(n.names, name)
	n.mu.Unlock()
	select {
	case n.wake <- struct{}{}:
	default:
	}
}

func (n *wakeNotes) take() []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	names := n.names
	n.names = nil
	return names
}
