package feed

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"testing"
	"testing/synctest"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// rankScheduler is a scheduler over a poller that runs nothing: the
// tests below push idle feeds into its due heap and read the order in
// which next and the ready queue hand them out.
func rankScheduler(t *testing.T) *scheduler {
	t.Helper()
	p, err := NewPoller(schedCfg(), nil, newMemStore(), nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return newScheduler(p, nil)
}

// idleFeed puts a feed due at due, its document full at fullAt (zero:
// not measured), in the scheduler's due heap.
func (s *scheduler) idleFeed(url string, due time.Time, fullAt time.Time) {
	l := &loop{spec: Spec{URL: url}, due: due}
	if !fullAt.IsZero() {
		l.pace.fullAt = fullAt.Sub(monoBase)
	}
	f := &schedFeed{l: l, index: -1}
	s.feeds[url] = f
	heap.Push(&s.due, f)
}

// pollOrder is the order in which the scheduler would poll its feeds
// that are due now, one slot at a time.
func (s *scheduler) pollOrder() []string {
	var urls []string
	for {
		_, slot := s.next()
		if slot == nil {
			return urls
		}
		urls = append(urls, s.popReady().l.spec.URL)
	}
}

// A saturated poller (every due poll waits for a slot) polls first the
// feed whose document fills first: a wire feed that turns its document
// over in two seconds before blogs that fell due earlier but take an hour
// to. Among feeds not measured yet, the earlier due goes first.
func TestTheFeedWhoseDocumentFillsFirstGoesFirstWhenPollsQueue(t *testing.T) {
	s := rankScheduler(t)
	now := time.Now()
	s.idleFeed("blog-3s", now.Add(-3*time.Second), now.Add(time.Hour))
	s.idleFeed("blog-2s", now.Add(-2*time.Second), now.Add(30*time.Minute))
	s.idleFeed("wire-1s", now.Add(-time.Second), now.Add(time.Second))
	s.idleFeed("wire-late", now.Add(-time.Second), now.Add(-5*time.Second)) // overflowed 5 s ago
	s.idleFeed("new-4s", now.Add(-4*time.Second), time.Time{})
	s.idleFeed("later", now.Add(time.Hour), now) // not due: stays in the due heap
	// blog-2s and blog-3s rank paceLead after they fell due, before
	// their documents fill.
	want := []string{"wire-late", "new-4s", "wire-1s", "blog-3s", "blog-2s"}
	if got := s.pollOrder(); !slices.Equal(got, want) {
		t.Errorf("polled %v, want %v", got, want)
	}
	if len(s.due) != 1 || s.due[0].l.spec.URL != "later" {
		t.Errorf("due heap holds %d feeds, want only the one not due", len(s.due))
	}
}

// The rank is bounded, so no feed starves behind fast ones: a feed that
// fell due more than paceLead before a fast feed's document fills goes
// first.
func TestAFeedLateByMoreThanThePaceLeadGoesBeforeAFastFeed(t *testing.T) {
	s := rankScheduler(t)
	now := time.Now()
	s.idleFeed("fast", now.Add(-time.Second), now)
	s.idleFeed("slow-long-late", now.Add(-time.Millisecond-paceLead), now.Add(time.Hour))
	want := []string{"slow-long-late", "fast"}
	if got := s.pollOrder(); !slices.Equal(got, want) {
		t.Errorf("polled %v, want %v", got, want)
	}
}

// A feed taken off the scheduler while it waits in the ready queue
// leaves that queue, not the due heap.
func TestARemovedFeedLeavesTheReadyQueue(t *testing.T) {
	s := rankScheduler(t)
	now := time.Now()
	s.idleFeed("a", now.Add(-time.Second), time.Time{})
	s.idleFeed("b", now.Add(-2*time.Second), time.Time{})
	s.idleFeed("c", now.Add(time.Hour), time.Time{})
	s.next()
	s.unqueue(s.feeds["b"])
	if got := s.pollOrder(); !slices.Equal(got, []string{"a"}) {
		t.Errorf("polled %v, want [a]", got)
	}
	if len(s.due) != 1 {
		t.Errorf("due heap holds %d feeds, want 1", len(s.due))
	}
}

func TestAFeedsPaceIsItsNewItemsOverTheTimeTheyTook(t *testing.T) {
	t0 := time.Now()
	at := func(s float64) time.Time { return t0.Add(time.Duration(s * float64(time.Second))) }
	fillsIn := func(p pace, start time.Time) time.Duration { return p.fullAt - start.Sub(monoBase) }
	// near: within 5 %, the part of a rate the one item rate adds
	// (pace.rate) makes of eight polls of five.
	near := func(got, want time.Duration) bool { return got > want*95/100 && got < want*105/100 }

	t.Run("a feed publishing 5 items a second into a 10-item document fills in 2 s", func(t *testing.T) {
		var p pace
		for i := 1; i <= 20; i++ {
			p.measured(at(float64(i)), at(float64(i-1)), 10, 5, false)
		}
		if got := fillsIn(p, at(20)); !near(got, 2*time.Second) {
			t.Errorf("fills in %v, want 2s", got)
		}
	})
	t.Run("a late poll that found every item new does not slow a faster pace", func(t *testing.T) {
		var p pace
		for i := 1; i <= 20; i++ {
			p.measured(at(float64(i)), at(float64(i-1)), 10, 5, false)
		}
		p.measured(at(30), at(20), 10, 10, false) // 10 in 10 s: at least 1/s
		if got := fillsIn(p, at(30)); !near(got, 2*time.Second) {
			t.Errorf("fills in %v after a late gap, want still 2s", got)
		}
		var slow pace
		slow.measured(at(10), at(0), 10, 1, false)   // 0.1/s: 100 s
		slow.measured(at(12), at(10), 10, 10, false) // at least 5/s: raises it
		if got := fillsIn(slow, at(12)); got > 10*time.Second {
			t.Errorf("fills in %v after a gap 2 s after the poll before, want under 10 s", got)
		}
	})
	t.Run("a feed's first poll measures nothing: every item is new to us", func(t *testing.T) {
		var p pace
		p.measured(at(1), at(0), 10, 10, true)
		if p.fullAt != 0 {
			t.Errorf("fullAt %v after a first poll, want 0 (not measured)", p.fullAt)
		}
	})
	t.Run("a feed quiet since we began measuring fills no sooner than one item in that time a slot", func(t *testing.T) {
		var p pace
		p.measured(at(1), at(0), 0, 0, false) // a 304: no document measured yet
		if p.fullAt != 0 {
			t.Errorf("fullAt %v with no document measured, want 0 (ranks at its due time)", p.fullAt)
		}
		p.measured(at(2), at(1), 10, 0, false)
		// items 0, secs 1.875: 1/1.875 a second, 10 items in 18.75 s
		if got := fillsIn(p, at(2)); got < 18749*time.Millisecond || got > 18751*time.Millisecond {
			t.Errorf("fills in %v, want 18.75s", got)
		}
	})
	t.Run("a 304 slows the pace and keeps the document's length", func(t *testing.T) {
		var p pace
		p.measured(at(10), at(0), 10, 5, false) // 0.5/s: 20 s
		p.measured(at(20), at(10), 0, 0, false) // a 304: 4.375 (+1) of 18.75 s
		rate := 5.375 / 18.75
		want := time.Duration(10 / rate * float64(time.Second)) // ≈ 34.88 s
		if got := fillsIn(p, at(20)); !near(got, want) {
			t.Errorf("fills in %v, want %v", got, want)
		}
	})
}

// wireFeed is a wire on the bubble's clock whose document shows its 10
// newest items, numbered up to newest; while failing its server answers
// 502.
type wireFeed struct {
	newest  int
	failing bool
}

func (w *wireFeed) fetch(_ context.Context, req fetchRequest) (*fetchResult, error) {
	if w.failing {
		return nil, &fetchError{Class: Class5xx, Status: 502, URL: req.URL, Err: errors.New("bad gateway")}
	}
	items := make([]string, 0, 10)
	for seq := w.newest; seq > w.newest-10; seq-- {
		items = append(items, req.URL+"#"+strconv.Itoa(seq))
	}
	return ok200(rssDoc("Wire", items...), strconv.Itoa(w.newest)), nil
}

// wireLoop is a loop of a fresh poller over w, and a poll of it that
// adopts the poll's state and wants the health given.
func wireLoop(t *testing.T, w *wireFeed) (l *loop, poll func(want record.Health)) {
	t.Helper()
	spec := Spec{URL: "https://wire.example/rss"}
	p, err := NewPoller(schedCfg(), []Spec{spec}, newMemStore(), nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	p.fetch = w.fetch
	l = p.newLoop(spec, nil)
	return l, func(want record.Health) {
		t.Helper()
		res, ok := l.poll(context.Background(), hostTurn{})
		if !ok || res.next.Health != want {
			t.Fatalf("poll: ok %v, health %q want %q (state %+v)", ok, res.next.Health, want, res.next)
		}
		l.adopt(&res)
	}
}

// A feed's first poll after a restart finds what it published while the
// poller was down, measured from its last poll before: a wire feed's
// document overflowed in that time and every item is new, a lower bound
// that, taken as its pace, read as a feed that fills in a day, and
// ranked it paceLead past due for the ~50 polls (paceDecay 7/8) the
// downtime took to fade (BENCHMARKS.md, round 44, rev44). That poll
// measures nothing, as a new feed's first does; the next measures.
//
// A restart whose first poll fails moves LastAttempt past the poller's
// start, and the poll that then reads the document still finds the
// downtime's overflow new: measured from the failed attempt, the wire
// below read as filling its document in 55 s (rev45). The first read
// since the start measures nothing, whether an attempt failed before it
// or not.
func TestAFeedsFirstPollAfterARestartMeasuresNoPace(t *testing.T) {
	for _, failsFirst := range []bool{false, true} {
		t.Run(fmt.Sprintf("first attempt fails %v", failsFirst), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				w := &wireFeed{newest: 10} // the wire publishes 5 items every 60 s
				lb, pollBefore := wireLoop(t, w)
				pollBefore(record.HealthOK)

				time.Sleep(24 * time.Hour) // down for a day: the wire published 7,200 items
				w.newest += 24 * 60 * 5
				l, poll := wireLoop(t, w) // a new poller: started after the state's polls
				l.st = lb.st
				if failsFirst {
					w.failing = true
					poll(record.HealthDegraded)
					time.Sleep(time.Minute)
					w.newest += 5
					w.failing = false
				}
				poll(record.HealthOK)
				if l.pace.fullAt != 0 {
					t.Errorf("after the restart's first read the document fills in %v, want not measured (ranks at its due time)",
						l.pace.fullAt-time.Now().Sub(monoBase))
				}
				time.Sleep(time.Minute)
				w.newest += 5
				start := time.Now()
				poll(record.HealthOK)
				// (5+1) items in 60 s: 10 in 100 s. Measured from the day before,
				// 14.75 items in 75,660 s: 10 in ≈ 14 hours.
				if got := l.pace.fullAt - start.Sub(monoBase); got < 90*time.Second || got > 110*time.Second {
					t.Errorf("after the restart's second read the document fills in %v, want ≈ 100 s", got)
				}
			})
		})
	}
}

// A poll that failed between two reads does not shorten the time the
// second read's new items are measured over: they appeared since the
// first read, not since the failure.
func TestAFailedPollBetweenTwoReadsDoesNotSpeedThePace(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := &wireFeed{newest: 10} // 5 items every 60 s
		l, poll := wireLoop(t, w)
		poll(record.HealthOK) // first read: measures nothing
		time.Sleep(time.Minute)
		w.newest += 5
		poll(record.HealthOK) // 5 new in 60 s
		time.Sleep(50 * time.Second)
		w.failing = true
		poll(record.HealthDegraded)
		time.Sleep(10 * time.Second)
		w.newest += 5
		w.failing = false
		start := time.Now()
		poll(record.HealthOK) // 5 new since the read 60 s ago, 10 s after the failure
		// (10+1) items in 120 s: 10 in ≈ 109 s. From the failure, 11 in
		// 70 s: 10 in ≈ 64 s.
		if got := l.pace.fullAt - start.Sub(monoBase); got < 100*time.Second || got > 120*time.Second {
			t.Errorf("after a failed poll between two reads the document fills in %v, want ≈ 109 s", got)
		}
	})
}

// A batch the pipeline failed is read again: its poll's progress rolls
// back (SeenAt with it) and the re-read finds its items new once more,
// measured from the read before. Its poll's own measure stayed in the
// pace too, so those items counted twice, and the span up to the failed
// poll twice (poll46's open item). The pace after the re-read is the
// pace of a feed that was never read at the failed poll.
func TestABatchFailedDownstreamIsMeasuredOnceInThePace(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := &wireFeed{newest: 10} // 5 items every 60 s
		failing, pollFailing := wireLoop(t, w)
		clean, pollClean := wireLoop(t, w)
		both := func() { pollFailing(record.HealthOK); pollClean(record.HealthOK) }
		both() // first reads: measure nothing
		time.Sleep(time.Minute)
		w.newest += 5
		both() // 5 new in 60 s
		time.Sleep(time.Minute)
		w.newest += 5
		res, ok := failing.poll(context.Background(), hostTurn{}) // 5 new, its batch fails
		if !ok || len(res.items) != 5 {
			t.Fatalf("the poll whose batch fails: ok %v, %d items, want 5", ok, len(res.items))
		}
		failing.failed(res, errors.New("sink down"))
		time.Sleep(30 * time.Second)
		w.newest += 2
		both() // the re-read: 7 new in 90 s, as the clean feed's read
		if failing.pace != clean.pace {
			t.Errorf("after a failed batch's re-read the pace is %+v, want %+v (a feed not read at the failed poll)", failing.pace, clean.pace)
		}
	})
}

// A push measures no pace, and its acked batch leaves the pace the polls
// measured (a pushed result adopted as a poll's is).
func TestAnAckedPushKeepsThePace(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := &wireFeed{newest: 10}
		l, poll := wireLoop(t, w)
		poll(record.HealthOK)
		time.Sleep(time.Minute)
		w.newest += 5
		poll(record.HealthOK)
		before := l.pace
		res, deliver := l.onPush(push{contentType: "application/rss+xml", body: rssDoc("Wire", "https://wire.example/rss#pushed")}, time.Now())
		if !deliver {
			t.Fatal("a push with a new item delivers nothing")
		}
		l.acked(context.Background(), res, nil)
		if l.pace != before {
			t.Errorf("after an acked push the pace is %+v, want the polls' %+v", l.pace, before)
		}
	})
}
