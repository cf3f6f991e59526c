package pipeline

import (
	"context"
	"slices"
	"sync"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/wirestream/wirestream/pipeline/record"
)

// The sink keeps the order of records with one key within a Write only:
// two Writes out at once may land in any order, and a record retried
// after a failure lands after a newer one with the same key written
// meanwhile. An event's revisions, a story's versions, an alert's firing
// and clearing and a feed's status would then reach a topic out of
// order, and a compacted topic would keep an older state. So no record
// goes out while an earlier Write carrying its key is out, and a Write
// that waits for one that failed fails too, unsent.
//
// What holds, then: one key's records land in the order their writes
// were decided, with one exception. A failed record is sent again only
// when its batch is re-read, so a later write whose records of the key
// went out once the failed part was finished (rather than waiting in a
// part after it) lands before the record sent again.
//
// A write's records are therefore sent as parts, each one sink Write:
//   - its records of keys no part out or waiting carries go at once, as
//     the write's own first part;
//   - those of a key whose newest part has not been sent yet join that
//     part, after the records it holds: they land after those in one
//     Write, and nothing else with the key is out, so order holds;
//   - those of a key whose newest part is out wait in a new part, sent
//     once every part out that it waits for is finished. Later writes'
//     records of the same keys join it until then.
//
// A hot key (one event changed by every batch) thus costs one Write per
// sink round trip, carrying every batch decided meanwhile, instead of a
// chain of one round trip per write (round 6: the waiting part of write
// k went only after write k−1 was finished). A part waits only for parts
// made before it, so the waits never form a cycle. A write is finished,
// and its batches acked, once every part carrying its records is, with
// the error of one that failed: a part that fails fails every write with
// records in it (they are read again), which is at-least-once as before,
// and every part that waits for it.

// keyedWrites are the parts out or waiting, by the keys they carry. Used
// by writeCoalesced's goroutine alone, which splits the writes in the
// order they are decided.
type keyedWrites struct {
	newest map[recordKey]*part // each key's newest part, until it is finished
	parts  []*part             // the parts in newest, to forget once finished
}

// part is one sink Write of the records of one or more writes.
type part struct {
	after []*part       // the parts it waits for, all made before it
	done  chan struct{} // closed once finished
	err   error         // the Write's error, set before done is closed
	keys  []recordKey   // the keys it is the newest part of; split's alone

	mu   sync.Mutex
	sent bool      // taken by writePart: no more records join it
	adds []partAdd // the records each write gave it, in decide order
}

// partAdd is one write's records in a part. They go out only once the
// write noted them in the state log (noteWritten), and not at all if
// that failed: a record the log could not note is not sent.
type partAdd struct {
	recs  []record.Record
	noted *notes
}

// notes is a write's noting of its records in the state log, done on
// the write's goroutine after split, so that the dispatcher never waits
// for the log.
type notes struct {
	done chan struct{} // closed once err is set
	err  error
}

// recordKey is a record's topic (its type) and key.
type recordKey struct {
	typ record.Type
	key string
}

// splitWrite is one write split by keyedWrites.split.
type splitWrite struct {
	records int
	notes   *notes
	made    []*part // the parts this write made, for writeSplit to run
	parts   []*part // every part carrying its records
}

// split splits the records of g into parts (see above) and notes the
// parts it made as the newest of their keys. With one write at a time
// (inFlight) every record goes at once, in one part: the write before it
// is finished when its slot is free. Every write with records that wait
// is counted in waits.
func (o *keyedWrites) split(g []*work, inFlight int, waits prometheus.Counter) splitWrite {
	sw := splitWrite{notes: &notes{done: make(chan struct{})}}
	now := &part{sent: true, done: make(chan struct{})}
	sw.made = []*part{now}
	if inFlight <= 1 {
		recs := recordsOf(g)
		sw.records = len(recs)
		now.adds = []partAdd{{recs, sw.notes}}
		sw.parts = sw.made
		return sw
	}
	o.forget()
	var wait *part // this write's part waiting for parts out
	to := map[recordKey]*part{}
	var order []*part // the parts given records, in the order first given
	recs := map[*part][]record.Record{}
	for _, w := range g {
		for _, r := range w.recs {
			k := recordKey{r.RecordType(), r.RecordKey()}
			pt, seen := to[k]
			if !seen {
				pt = o.partFor(k, now, &wait, recs)
				to[k] = pt
			}
			if _, ok := recs[pt]; !ok {
				order = append(order, pt)
			}
			recs[pt] = append(recs[pt], r)
			sw.records++
		}
	}
	for k, pt := range to {
		if o.newest[k] != pt {
			o.newest[k] = pt
			pt.keys = append(pt.keys, k)
		}
	}
	for _, pt := range order {
		pt.adds = append(pt.adds, partAdd{recs[pt], sw.notes})
		if pt != now && pt != wait {
			pt.mu.Unlock() // locked by partFor
		}
		sw.parts = append(sw.parts, pt)
	}
	if wait != nil {
		sw.made = append(sw.made, wait)
	}
	for _, pt := range sw.made {
		if len(pt.keys) > 0 {
			o.parts = append(o.parts, pt)
		}
	}
	if len(sw.parts) > 1 || (len(sw.parts) == 1 && sw.parts[0] != now) {
		waits.Inc()
	}
	return sw
}

// partFor returns the part a record of k joins: now, when no part
// carries k; the newest part of k, when it is not sent yet (left locked,
// so that it is not sent before split adds the records, unless given
// records already: then split holds its lock); else *wait, made on
// first use, which waits for the parts out that carry its keys.
func (o *keyedWrites) partFor(k recordKey, now *part, wait **part, given map[*part][]record.Record) *part {
	pt := o.newest[k]
	if pt == nil || finished(pt) {
		return now
	}
	if _, ok := given[pt]; ok {
		return pt
	}
	pt.mu.Lock()
	if !pt.sent {
		return pt
	}
	pt.mu.Unlock()
	if *wait == nil {
		*wait = &part{done: make(chan struct{})}
	}
	if !slices.Contains((*wait).after, pt) {
		(*wait).after = append((*wait).after, pt)
	}
	return *wait
}

// forget drops the finished parts from o, and their keys with them.
func (o *keyedWrites) forget() {
	if o.newest == nil {
		o.newest = map[recordKey]*part{}
	}
	live := o.parts[:0]
	for _, pt := range o.parts {
		if !finished(pt) {
			live = append(live, pt)
			continue
		}
		for _, k := range pt.keys {
			if o.newest[k] == pt {
				delete(o.newest, k)
			}
		}
	}
	clear(o.parts[len(live):])
	o.parts = live
}

func finished(pt *part) bool {
	select {
	case <-pt.done:
		return true
	default:
		return false
	}
}

// writeSplit writes sw, the records of ws split by keyedWrites.split,
// and returns once every part carrying them is finished: nil if all
// were written, else the error of noting them (then none went out) or
// of the first part that failed.
func (p *Pipeline) writeSplit(ctx context.Context, ws []*work, sw splitWrite) error {
	if sw.records == 0 {
		return nil
	}
	for _, pt := range sw.made {
		go p.writePart(ctx, pt)
	}
	sw.notes.err = p.noteWritten(ctx, ws)
	close(sw.notes.done)
	err := sw.notes.err // if set, nothing of ws goes out
	if err == nil {
		p.m.WriteBatches.Observe(float64(countBatches(ws)))
	}
	for _, pt := range sw.parts {
		<-pt.done
		if err == nil {
			err = pt.err
		}
	}
	return err
}

// writePart writes pt once the parts it waits for are finished, with the
// records joined until then whose writes noted them. A part waiting for
// one that failed is not written: it fails with that part's error, so
// that nothing later with its keys lands before the failed records,
// which their batches' re-read sends again. Nor is a part still waiting
// when ctx ends: it fails with ctx's error (after the parts it waits
// for, so that nothing later with its keys can overtake them).
func (p *Pipeline) writePart(ctx context.Context, pt *part) {
	defer close(pt.done)
	for _, prev := range pt.after {
		<-prev.done
		if pt.err == nil {
			pt.err = prev.err
		}
	}
	pt.mu.Lock()
	pt.sent = true
	adds := pt.adds
	pt.mu.Unlock()
	if pt.err != nil {
		return
	}
	var recs []record.Record
	for _, a := range adds {
		<-a.noted.done
		if a.noted.err == nil {
			recs = append(recs, a.recs...)
		}
	}
	if len(pt.after) > 0 {
		if pt.err = ctx.Err(); pt.err != nil {
			return
		}
	}
	pt.err = p.sinkWrite(ctx, recs)
}
