package itemtopic

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// committer turns the answers of batches, which the pipeline gives in
// batch order when they succeed but at once when one fails, into commits
// of the offset after the last of a run of consecutive acknowledged
// batches.
type committer struct {
	commit func(next int64) error
	m      *Metrics
	log    *slog.Logger

	mu        sync.Mutex
	queue     []*pending // batches sent and not yet committed, in offset order
	committed int64      // the offset to resume from: from, or the last committed
	stopped   bool
	commitErr error

	wake   chan struct{} // an answer arrived
	failed chan error    // the first failed batch, for the read loop
	done   chan struct{} // the loop has exited
	stop   chan struct{}
}

type pending struct {
	first, next int64
	answered    bool
	err         error
}

func newCommitter(from int64, commit func(int64) error, m *Metrics, log *slog.Logger) *committer {
	c := &committer{commit: commit, m: m, log: log, committed: from,
		wake: make(chan struct{}, 1), failed: make(chan error, 1), done: make(chan struct{}), stop: make(chan struct{})}
	go c.loop()
	return c
}

// track registers a batch about to be sent and returns its Ack.
func (c *committer) track(first, next int64) record.AckFunc {
	p := &pending{first: first, next: next}
	c.mu.Lock()
	c.queue = append(c.queue, p)
	c.mu.Unlock()
	var once sync.Once
	return func(_ context.Context, err error) {
		once.Do(func() {
			c.mu.Lock()
			p.answered, p.err = true, err
			c.mu.Unlock()
			select {
			case c.wake <- struct{}{}:
			default:
			}
		})
	}
}

// untrack forgets the last tracked batch: it was never sent.
func (c *committer) untrack(first int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if n := len(c.queue); n > 0 && c.queue[n-1].first == first {
		c.queue = c.queue[:n-1]
	}
}

func (c *committer) loop() {
	defer close(c.done)
	for {
		select {
		case <-c.wake:
			c.advance()
		case <-c.stop:
			c.advance()
			return
		}
	}
}

// advance commits past the acknowledged batches at the head of the queue
// and reports a failed one.
func (c *committer) advance() {
	c.mu.Lock()
	next, n := c.committed, 0
	for _, p := range c.queue {
		if !p.answered {
			break
		}
		if p.err != nil {
			select {
			case c.failed <- &BatchFailedError{Offset: p.first, Err: p.err}:
			default:
			}
			break
		}
		next, n = p.next, n+1
	}
	c.mu.Unlock()
	if n == 0 {
		return
	}
	err := c.commitWithRetry(next)
	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil {
		c.commitErr = err
		return
	}
	c.commitErr = nil
	c.committed = next
	c.queue = c.queue[n:]
	c.m.committed.Set(float64(next))
}

// commitWithRetry tries a few times: a coordinator moving costs a retry;
// a partition that moved to another member fails every time.
func (c *committer) commitWithRetry(next int64) error {
	var err error
	for attempt := range 3 {
		if err = c.commit(next); err == nil {
			c.m.commits.Inc()
			return nil
		}
		c.m.commitErrors.Inc()
		c.log.Warn("commit of the items offset failed", "offset", next, "attempt", attempt+1, "err", err)
		time.Sleep(time.Duration(attempt+1) * 200 * time.Millisecond)
	}
	return err
}

// drain waits until every tracked batch is answered, or timeout, commits
// what the answers allow and stops the committer. It returns the offset to
// resume from, whether batches sent past it stay uncommitted, and the
// last commit's error.
func (c *committer) drain(timeout time.Duration) (int64, bool, error) {
	deadline := time.Now().Add(timeout)
	for {
		c.mu.Lock()
		open := 0
		for _, p := range c.queue {
			if !p.answered {
				open++
			}
		}
		c.mu.Unlock()
		if open == 0 {
			break
		}
		if time.Now().After(deadline) {
			c.log.Warn("batches still unanswered when the items reader stopped; they will be read again", "batches", open)
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	close(c.stop)
	<-c.done
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.committed, len(c.queue) > 0, c.commitErr
}
