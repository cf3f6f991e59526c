//go:build unix

package daemon

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	kafkago "github.com/segmentio/kafka-go"
	produceAPI "github.com/segmentio/kafka-go/protocol/produce"
	"github.com/segmentio/kafka-go/protocol/rawproduce"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/internal/kafkastate"
	"github.com/wirestream/wirestream/internal/kafkatable"
	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	"github.com/wirestream/wirestream/internal/testkit/shareddata"
	"github.com/wirestream/wirestream/pipeline"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
	wkafka "github.com/wirestream/wirestream/sinks/kafka"
)

// lateOwnerFence is the environment variable that sets state.changelog.fence for the late
// subtest (default: the config's, auto, which fences on the tests' broker). Set to off, the
// subtest reproduces round 19's open bug and fails, as it did there (BENCHMARKS.md round 19,
// "the old owner's batch on the wire"), for before/after measurements.
const lateOwnerFence = "WIRESTREAM_LATE_OWNER_FENCE"

// The active processor (process-1) stops while its changelog append is held on the wire by the
// partition leader; the standby (process-2) takes over, restores and decides the items after
// (process-1's last batches among them) until it has committed every item written. Then the
// leader answers process-1's request. The rule a state log must keep: the changelog, folded,
// is the state process-2 holds — its restore plus its own appends — and the late batch changes
// no key of it; and once process-2 stops and process-3 restores the changelog and goes on,
// every event's records keep rising revisions and nothing process-2 published is published
// again. Round 19 found the late batch breaking the first in 38 of 39 runs (kafka-go sent no
// producer epoch the broker could refuse); since round 20 process-2 takes the changelog
// partition's producer epoch before it restores (state.changelog.fence), and the leader refuses
// process-1's late batch: no entry lands after process-2's last append. The test logs how many
// keys of which tables changed, and which records. The control, without a held append (a
// clean stop), shows the handover itself changes nothing.
func TestTheOldActivesBatchOnTheWireDoesNotRevertTheNewActivesState(t *testing.T) {
	t.Run("control: no append held at the stop", func(t *testing.T) { testLateOwner(t, false) })
	t.Run("the append held at the stop is refused when it lands late", func(t *testing.T) { testLateOwner(t, true) })
}

func testLateOwner(t *testing.T, late bool) {
	brokers := kafkatest.Brokers(t)
	items := itemsOf(shareddata.UCI(t))
	base := roleConfig(t, brokers)
	base.Cluster.SessionTimeout = 20 * time.Second
	base.ShutdownTimeout = 3 * time.Second // the held append is given up at the drain's bound
	if mode := os.Getenv(lateOwnerFence); late && mode != "" {
		base.State.Changelog.Fence = mode
	}
	t.Logf("state.changelog.fence: %s", base.State.Changelog.Fence)
	cfg := func() config.Config { return base }
	fillItems(t, base, items[:10])
	var written atomic.Int64
	written.Store(10)

	var kept atomic.Int64
	var first atomic.Pointer[holdBigAppend]
	active := startProcessor(t, "process-1", cfg, func(p *Processor) {
		p.wrapState = func(o *kafkastate.Options) {
			o.Table.WrapWrites = func(rt kafkago.RoundTripper) kafkago.RoundTripper {
				h := &holdBigAppend{HungLeader: &kafkatest.HungLeader{Next: rt, Wire: true}}
				first.CompareAndSwap(nil, h)
				return h
			}
		}
		p.log = slog.New(counting{Handler: p.log.Handler(), n: map[string]*atomic.Int64{kafkastate.KeptMsg: &kept}})
	})
	waitFor(t, 3*time.Minute, "process-1 never became active", func() bool { return active.value("wirestream_processor_active") == 1 })
	leader := first.Load()
	var pub published
	standby := startProcessor(t, "process-2", cfg, pub.tee("process-2"))
	waitFor(t, 3*time.Minute, "process-2 never joined", func() bool {
		g := standby.value("wirestream_group_generation")
		return g > 0 && g == active.value("wirestream_group_generation")
	})
	stopWriting := trickle(t, base, items[10:], &written)
	defer stopWriting()
	waitFor(t, 3*time.Minute, "process-1 never committed", func() bool {
		return active.value("wirestream_processor_committed_offset") > 100
	})

	if late {
		// The next append of a batch's state (not a write's notes, a few entries) is held.
		leader.armed.Store(true)
		defer leader.Release()
		waitFor(t, 3*time.Minute, "no changelog append reached the hung leader", func() bool { return leader.Held() > 0 })
	}
	at := time.Now()
	active.stop(t)
	stopped := time.Now()
	handedOver := active.value("wirestream_processor_committed_offset")
	waitFor(t, 3*time.Minute, "process-2 never became active", func() bool { return standby.value("wirestream_processor_active") == 1 })
	t.Logf("process-1 stopped %v after the SIGTERM (%d appends given up with a batch on the wire); process-2 restored and active %v after that",
		stopped.Sub(at).Round(time.Millisecond), kept.Load(), time.Since(stopped).Round(time.Millisecond))
	if late && kept.Load() == 0 {
		t.Fatal("process-1's stop left no batch on the wire: nothing to land late")
	}
	waitFor(t, 3*time.Minute, "process-2 never went on past process-1's last items", func() bool {
		return standby.value("wirestream_processor_committed_offset") >= handedOver+300
	})
	stopWriting()
	total := float64(written.Load())
	waitFor(t, 3*time.Minute, "process-2 never committed the last item", func() bool {
		return standby.value("wirestream_processor_committed_offset") >= total
	})

	topic := base.Kafka.TopicPrefix + base.State.Changelog.Name
	held, end := foldChangelog(t, brokers, topic, 0)
	sinceTakeover := time.Since(at)
	leader.Release() // the leader answers process-1's request
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := leader.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	after, _ := foldChangelog(t, brokers, topic, end)
	t.Logf("the leader released %v after the SIGTERM: %d entries landed after process-2's last append (process-1 decided %v items, process-2 %v)",
		sinceTakeover.Round(time.Millisecond), after.late, active.value("wirestream_pipeline_items_total"), standby.value("wirestream_pipeline_items_total"))
	changed := 0
	for _, table := range after.tables() {
		c := diffTable(held, after, table)
		t.Logf("table %-12s late entries %4d: %4d same as process-2 holds, %4d keys reverted to an older value, %4d keys process-2 deleted brought back, %4d new keys",
			state.Table(table), after.lateBy[table], c.same, c.reverted, c.revived, c.added)
		changed += c.reverted + c.revived + c.added
	}
	for _, line := range describeReverted(held, after) {
		t.Log(line)
	}
	if changed > 0 {
		t.Errorf("the late batch changed %d keys of the state process-2 holds: the changelog and the active's memory disagree", changed)
	}
	if late && base.State.Changelog.Fence != "off" && after.late > 0 {
		t.Errorf("%d entries landed after process-2's last append: the leader took the old owner's batch of an older producer epoch", after.late)
	}

	// What a user sees: process-2 stops (a rollout), process-3 restores the changelog as it now
	// is and decides the next items. Records of the same event must keep rising revisions, and
	// a clean handover publishes again nothing process-2 published.
	standby.stop(t)
	next := startProcessor(t, "process-3", cfg, pub.tee("process-3"))
	waitFor(t, 3*time.Minute, "process-3 never became active", func() bool { return next.value("wirestream_processor_active") == 1 })
	from := int(written.Load())
	stopWriting = trickle(t, base, items[from:], &written)
	defer stopWriting()
	waitFor(t, 3*time.Minute, "process-3 never decided 600 more items", func() bool {
		return next.value("wirestream_processor_committed_offset") >= total+600
	})
	stopWriting()
	total = float64(written.Load())
	waitFor(t, 3*time.Minute, "process-3 never committed the last item", func() bool {
		return next.value("wirestream_processor_committed_offset") >= total
	})
	backwards, again := pub.check(t)
	if backwards+again > 0 {
		t.Errorf("after the restore of the reverted changelog: %d event records at a revision no higher than one process-2 published, %d records process-2 published published again", backwards, again)
	}
}

// published is what processors published, in order, by processor.
type published struct {
	mu   sync.Mutex
	recs []publishedRecord
}

type publishedRecord struct {
	by  string
	rec record.Record
}

// tee returns the option that makes a processor's sink note what it writes in p.
func (p *published) tee(by string) func(*Processor) {
	return func(pr *Processor) {
		pr.wrapSink = func(s pipeline.Sink) pipeline.Sink {
			return teeSink{Sink: s, fn: func(recs []record.Record) {
				p.mu.Lock()
				defer p.mu.Unlock()
				for _, r := range recs {
					p.recs = append(p.recs, publishedRecord{by, r})
				}
			}}
		}
	}
}

type teeSink struct {
	pipeline.Sink
	fn func([]record.Record)
}

func (s teeSink) Write(ctx context.Context, recs []record.Record) error {
	err := s.Sink.Write(ctx, recs)
	if err == nil {
		s.fn(recs)
	}
	return err
}

// check logs and counts, over process-3's records, the event records whose revision is no
// higher than an earlier record of the same event by process-2 (other content at a revision
// process-2 reached: archive.RequireRevisionsRise's rule across the handover), and the
// records whose record-id process-2 published already.
func (p *published) check(t *testing.T) (backwards, again int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	byTwo := map[string]*record.Event{}
	ids := map[string]bool{}
	for _, r := range p.recs {
		if r.by != "process-2" {
			continue
		}
		ids[r.rec.RecordID()] = true
		if ev, ok := r.rec.(*record.Event); ok {
			if prev := byTwo[ev.ID]; prev == nil || ev.Revision > prev.Revision {
				byTwo[ev.ID] = ev
			}
		}
	}
	kinds := map[string]int{}
	n := 0
	for _, r := range p.recs {
		if r.by != "process-3" {
			continue
		}
		n++
		if ids[r.rec.RecordID()] {
			again++
			kinds[fmt.Sprintf("%T", r.rec)]++
		}
		ev, ok := r.rec.(*record.Event)
		if !ok {
			continue
		}
		if prev := byTwo[ev.ID]; prev != nil && ev.Revision <= prev.Revision {
			backwards++
			t.Logf("event %s: process-3 published revision %d (%d stories) after process-2's revision %d (%d stories)",
				ev.ID, ev.Revision, len(ev.StoryIDs), prev.Revision, len(prev.StoryIDs))
		}
	}
	t.Logf("process-3 published %d records; %d at an event revision process-2 had reached; %d with a record-id process-2 published (%v)",
		n, backwards, again, kinds)
	return backwards, again
}

// holdBigAppend is a HungLeader that, once armed, hangs at the first produce request of at
// least bigAppend records and holds it: the append of a batch's state, not the few entries of
// a write's notes (pipeline/written.go), which come between them.
type holdBigAppend struct {
	*kafkatest.HungLeader
	armed atomic.Bool
}

const bigAppend = 20

func (h *holdBigAppend) RoundTrip(ctx context.Context, addr net.Addr, req kafkago.Request) (kafkago.Response, error) {
	if kafkatest.IsProduce(req) && h.armed.Load() && countRecords(req) >= bigAppend && h.armed.CompareAndSwap(true, false) {
		h.Hang()
	}
	return h.HungLeader.RoundTrip(ctx, addr, req)
}

// countRecords counts the records of a produce request, reading them and putting an unread
// reader of the same records back (their keys and values are not read): kafka-go's records, or
// the raw batch of a write with a producer epoch (kafkatable/producer.go).
func countRecords(req kafkago.Request) int {
	if raw, ok := req.(*rawproduce.Request); ok {
		n := 0
		for i := range raw.Topics {
			for j := range raw.Topics[i].Partitions {
				rs := &raw.Topics[i].Partitions[j].RecordSet
				b, _ := io.ReadAll(rs.Reader)
				rs.Reader = bytes.NewReader(b)
				if c, ok := kafkatable.BatchRecords(b); ok {
					n += c
				}
			}
		}
		return n
	}
	r := req.(*produceAPI.Request)
	n := 0
	for i := range r.Topics {
		for j := range r.Topics[i].Partitions {
			rs := &r.Topics[i].Partitions[j].RecordSet
			var recs []kafkago.Record
			for {
				rec, err := rs.Records.ReadRecord()
				if err != nil {
					break
				}
				recs = append(recs, *rec)
			}
			n += len(recs)
			rs.Records = kafkago.NewRecordReader(recs...)
		}
	}
	return n
}

// folded is a changelog partition folded as a restore folds it (last entry of a key wins, a
// tombstone deletes), keyed by the table byte and key; late counts the entries read from the
// offset given to foldChangelog on, lateBy by table, and lateKeys holds their keys.
type folded struct {
	kv       map[string][]byte
	late     int
	lateBy   map[byte]int
	lateKeys map[string]bool
}

func (f folded) tables() []byte {
	var ts []byte
	for t := range f.lateBy {
		ts = append(ts, t)
	}
	sort.Slice(ts, func(i, j int) bool { return ts[i] < ts[j] })
	return ts
}

type keyDiff struct{ same, reverted, revived, added int }

// diffTable compares, for the keys of table the late entries wrote, the value before them
// (held) with the value after (after).
func diffTable(held, after folded, table byte) keyDiff {
	var d keyDiff
	for k := range after.lateKeys {
		if k[0] != table {
			continue
		}
		was, now := held.kv[k], after.kv[k]
		had, has := was != nil, now != nil
		switch {
		case had == has && bytes.Equal(was, now):
			d.same++
		case had: // another value, or deleted
			d.reverted++
		case !had && has && held.deleted(k):
			d.revived++
		default:
			d.added++
		}
	}
	return d
}

// deleted reports whether the partition's last entry for k is a tombstone (a key deleted, not
// one never written): kv keeps it as a nil value.
func (f folded) deleted(k string) bool { v, ok := f.kv[k]; return ok && v == nil }

// foldChangelog reads partition p of topic to its high watermark, folds it, and returns it
// with the high watermark; entries at offsets from lateFrom on are counted late (0: none).
func foldChangelog(t *testing.T, brokers []string, topic string, lateFrom int64) (folded, int64) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	tb := openToReadBack(t, ctx, wkafka.Config{Brokers: brokers}, topic)
	defer tb.Close()
	first, end, err := tb.Bounds(ctx, p0)
	if err != nil {
		t.Fatal(err)
	}
	f := folded{kv: map[string][]byte{}, lateBy: map[byte]int{}, lateKeys: map[string]bool{}}
	if _, err := tb.RestoreWithin(ctx, p0, kafkatable.FirstOffset, first, end, func(r kafkatable.Record) error {
		if len(r.Key) == 0 || r.Key[0] == 0 { // the log's own marker and hints
			return nil
		}
		k := string(r.Key)
		f.kv[k] = bytes.Clone(r.Value) // nil: a tombstone, kept to tell deleted from unknown
		if lateFrom > 0 && r.Offset >= lateFrom {
			f.late++
			f.lateBy[r.Key[0]]++
			f.lateKeys[k] = true
		}
		return nil
	}); err != nil {
		t.Fatal(fmt.Errorf("read changelog %s: %w", topic, err))
	}
	return f, end
}

// describeReverted says, for the stories and events keys the late entries reverted, which of
// their fields went back: what a restore of the changelog then believes that process-2 had
// moved on from.
func describeReverted(held, after folded) []string {
	var storyID, storyVersion, storyContent, storyLast, storyFirst, storyOther int
	var evRev, evStories, evOther int
	bySub := map[byte]int{}
	for k := range after.lateKeys {
		was, now := held.kv[k], after.kv[k]
		if was == nil || now == nil || bytes.Equal(was, now) {
			continue
		}
		switch state.Table(k[0]) {
		case state.Stories:
			a, okA := seenFields(was)
			b, okB := seenFields(now)
			switch {
			case !okA || !okB:
				storyOther++
			case a.id != b.id:
				storyID++
			case b.version < a.version:
				storyVersion++
			case b.content != a.content:
				storyContent++
			case b.last < a.last:
				storyLast++
			case b.first != a.first:
				storyFirst++
			default:
				storyOther++
			}
		case state.Events:
			if len(k) < 2 {
				continue
			}
			bySub[k[1]]++
			if k[1] != 'e' {
				continue
			}
			ra, sa, okA := eventFields(was)
			rb, sb, okB := eventFields(now)
			switch {
			case !okA || !okB:
				evOther++
			case rb < ra:
				evRev++
				if sb < sa {
					evStories++
				}
			default:
				evOther++
			}
		}
	}
	return []string{
		fmt.Sprintf("stories reverted: %d to another story id, %d to a lower version, %d to other content at the same version, %d to an earlier last-seen time, %d to another first-seen time only, %d otherwise",
			storyID, storyVersion, storyContent, storyLast, storyFirst, storyOther),
		fmt.Sprintf("events keys reverted by kind: live event 'e' %d, story→event 's' %d, term frequency 'd' %d, clock 'c' %d, revision floor 'r' %d",
			bySub['e'], bySub['s'], bySub['d'], bySub['c'], bySub['r']),
		fmt.Sprintf("live events reverted: %d to a lower revision than process-2 published (%d of them with fewer stories), %d otherwise",
			evRev, evStories, evOther),
	}
}

type seenFieldsOf struct {
	id                      string
	content, version, first uint64
	last                    uint32
}

// seenFields reads a remembered story's content hash, last-seen time and version (dedupe's
// codec: 's' id:16 | 'r' len id, then feed:8 content:8 first:8 last:4 version:uvarint).
func seenFields(v []byte) (seenFieldsOf, bool) {
	var rest []byte
	var id string
	switch {
	case len(v) > 17 && v[0] == 's':
		id, rest = string(v[1:17]), v[17:]
	case len(v) > 1 && v[0] == 'r':
		n, w := binary.Uvarint(v[1:])
		if w <= 0 || len(v) < 1+w+int(n) {
			return seenFieldsOf{}, false
		}
		id, rest = string(v[1+w:1+w+int(n)]), v[1+w+int(n):]
	default:
		return seenFieldsOf{}, false // a copy published as a duplicate
	}
	if len(rest) < 8+8+8+4+1 {
		return seenFieldsOf{}, false
	}
	le := binary.LittleEndian
	ver, w := binary.Uvarint(rest[28:])
	if w <= 0 {
		return seenFieldsOf{}, false
	}
	return seenFieldsOf{id: id, content: le.Uint64(rest[8:]), first: le.Uint64(rest[16:]), last: le.Uint32(rest[24:]), version: ver}, true
}

// eventFields reads a live event's revision and story count (events' encodeEvent: format 1,
// rev, six times, stories).
func eventFields(v []byte) (rev, stories uint64, ok bool) {
	d := state.Decoder{B: v}
	if d.Byte() != 1 {
		return 0, 0, false
	}
	rev = d.Uvarint()
	for range 6 {
		d.Time()
	}
	stories = d.Uvarint()
	return rev, stories, d.Err == nil
}

// p0 is the changelog partition of the processors' one items partition.
const p0 = 0
