//go:build unix

package daemon

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/internal/kafkagroup"
	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	"github.com/wirestream/wirestream/pipeline/record"
)

// distinctItems returns n items no two of which are duplicates or near-duplicates (titles and
// bodies of random pseudo-words), each its own story: a story missing from the stories topic
// is an item lost, and one link under two story ids a story published twice as new.
func distinctItems(n int) []record.Item {
	rng := rand.New(rand.NewPCG(14, 14))
	syl := []string{"ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "zu", "bre", "dal", "gor", "pin", "tas", "wel"}
	word := func() string {
		var b strings.Builder
		for range 2 + rng.IntN(3) {
			b.WriteString(syl[rng.IntN(len(syl))])
		}
		return b.String()
	}
	words := func(k int) string {
		w := make([]string, k)
		for i := range w {
			w[i] = word()
		}
		return strings.Join(w, " ")
	}
	now := time.Now().UTC()
	items := make([]record.Item, n)
	for i := range items {
		link := fmt.Sprintf("https://handover.example/story/%d", i)
		items[i] = record.Item{
			Feed: record.FeedRef{URL: "https://handover.example/feed.xml", Title: "Handover Example"}, Publisher: "Handover Example",
			GUID: link, Link: link, Title: words(8), Description: words(60) + ".",
			PublishedParsed: &now, FetchedAt: now,
		}
	}
	return items
}

// writeItems writes items to cfg's items topic in tens, one ten every 200 ms (slow enough
// for a loaded box's processor to keep up: its changelog appends stay short, so a generation
// that ends finds batches held in the slowed sink rather than an append on the wire), until
// stop is called or they run out, and counts them in written. stop returns once the last
// write returned.
func writeItems(t *testing.T, cfg config.Config, items []record.Item, written *atomic.Int64) (stop func()) {
	from := int(written.Load())
	return writeTens(t, cfg, 200*time.Millisecond, written, func(i int) []record.Item {
		if from+i >= len(items) {
			return nil
		}
		return items[from+i : min(from+i+10, len(items))]
	})
}

// holdRejoin wraps a processor's group handler: once armed, the Work that returns next
// (its generation ended) does not return to kafka-go until released, so the member does not
// rejoin and the coordinator forms the next generation without it once the rebalance
// timeout has passed.
type holdRejoin struct {
	armed   atomic.Bool
	held    chan struct{} // closed when a Work is being held
	release chan struct{}
	once    sync.Once
}

func newHoldRejoin() *holdRejoin {
	return &holdRejoin{held: make(chan struct{}), release: make(chan struct{})}
}

func (h *holdRejoin) wrap(in kafkagroup.Handler) kafkagroup.Handler {
	work := in.Work
	in.Work = func(ctx context.Context, g *kafkagroup.Generation) {
		work(ctx, g)
		if h.armed.CompareAndSwap(true, false) {
			close(h.held)
			<-h.release
		}
	}
	return in
}

func (h *holdRejoin) let() { h.once.Do(func() { close(h.release) }) }

// errCounting passes records on and counts those whose err attribute says substr.
type errCounting struct {
	slog.Handler
	substr string
	n      *atomic.Int64
}

func (c errCounting) Enabled(context.Context, slog.Level) bool { return true }

func (c errCounting) Handle(ctx context.Context, r slog.Record) error {
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "err" && strings.Contains(a.Value.String(), c.substr) {
			c.n.Add(1)
			return false
		}
		return true
	})
	return c.Handler.Handle(ctx, r)
}

func (c errCounting) WithAttrs(as []slog.Attr) slog.Handler {
	return errCounting{Handler: c.Handler.WithAttrs(as), substr: c.substr, n: c.n}
}

func (c errCounting) WithGroup(name string) slog.Handler {
	return errCounting{Handler: c.Handler.WithGroup(name), substr: c.substr, n: c.n}
}

// The hand-over the round 13 standby fix must not carry on: the active
// processor A drains batches across a rebalance (a newcomer C joining
// while B stands by), and before A's next generation the items partition
// goes to another member (A does not rejoin within the rebalance timeout;
// the coordinator forms the generation without it). A's held changelog
// appends and its items commit must be refused, not made under its next
// generation, and the member that took over re-reads what A did not
// commit: on the stories topic no item is missing, and no item is
// published as two stories (copies of one record id, at least once, are
// allowed and counted).
func TestAPartitionMovedDuringAHandOverDiscardsTheHeldDrain(t *testing.T) {
	brokers := kafkatest.Brokers(t)
	base := roleConfig(t, brokers)
	// Only the rebalances under test: no session that a loaded machine let
	// expire. A member that does not rejoin is dropped after 8 s.
	base.Cluster.SessionTimeout = 30 * time.Second
	base.Cluster.RebalanceTimeout = 8 * time.Second
	base.ShutdownTimeout = 2 * time.Minute
	cfg := func() config.Config { return base }
	items := distinctItems(2000)
	fillItems(t, base, items[:20])
	var written atomic.Int64
	written.Store(20)

	var kept, notCarried, heldRefused atomic.Int64
	hold := newHoldRejoin()
	defer hold.let()
	// The test needs a batch of A in flight when its generation ends: the
	// slow sink made that likely, and on a loaded machine it was not (A
	// idle between two reads when C joined: 1 CI run in 7). Once armed,
	// the sink holds A's next write until A's generation has ended.
	gate := &sinkGate{}
	a := startProcessor(t, "process-a", cfg, func(p *Processor) {
		gate.wrapSinkOf(p)
		h := slog.Handler(counting{Handler: p.log.Handler(), n: map[string]*atomic.Int64{keptMsg: &kept, notCarriedMsg: &notCarried}})
		p.log = slog.New(errCounting{Handler: h, substr: errNotCarried.Error(), n: &heldRefused})
		p.wrapGroup = hold.wrap
	})
	waitFor(t, 3*time.Minute, "process-a never became active", func() bool { return a.value("wirestream_processor_active") == 1 })
	stopWriting := writeItems(t, base, items, &written)
	defer stopWriting()

	// B joins as a standby: A keeps the partition (round 13).
	gen := a.value("wirestream_group_generation")
	b := startProcessor(t, "process-b", cfg)
	waitFor(t, 3*time.Minute, "process-b never joined", func() bool {
		g := b.value("wirestream_group_generation")
		return g > gen && g == a.value("wirestream_group_generation")
	})
	if b.value("wirestream_processor_active") != 0 {
		t.Fatal("process-b took the partition from the healthy active processor")
	}
	waitFor(t, 3*time.Minute, "process-a never committed after process-b joined", func() bool {
		return a.value("wirestream_processor_committed_offset") > 20
	})

	// C joins while A's rejoin is held: A's generation ends with a batch
	// held in its sink, and the next generation forms without A.
	failedBefore, keptBefore := failedBatches(a), kept.Load()
	gate.holdNext(t, "process-a wrote no batch to its sink")
	hold.armed.Store(true)
	c := startProcessor(t, "process-c", cfg)
	select {
	case <-hold.held:
	case <-time.After(3 * time.Minute):
		t.Fatal("process-a's generation never ended after process-c started")
	}
	// Let A rejoin as soon as the coordinator formed a generation without
	// it (within the rebalance timeout, well inside A's session): A then
	// learns from its next generation, not from its session running out,
	// that it does not carry the drain on.
	ended := a.value("wirestream_group_generation")
	waitFor(t, 3*time.Minute, "no generation formed without process-a", func() bool {
		return b.value("wirestream_group_generation") > ended && c.value("wirestream_group_generation") > ended
	})
	hold.let()
	waitFor(t, 3*time.Minute, "neither process-b nor process-c took the partition", func() bool {
		return b.value("wirestream_processor_active") == 1 || c.value("wirestream_processor_active") == 1
	})
	owner, ownerName := b, "process-b"
	if c.value("wirestream_processor_active") == 1 {
		owner, ownerName = c, "process-c"
	}
	waitFor(t, 3*time.Minute, "process-a kept the partition it lost", func() bool {
		return a.value("wirestream_processor_active") == 0
	})
	// A rejoins as a standby; the new owner reads on to the last item.
	stopWriting()
	total := float64(written.Load())
	waitFor(t, 5*time.Minute, ownerName+" never committed the last item", func() bool {
		return owner.value("wirestream_processor_committed_offset") >= total
	})
	refused := failedBatches(a) - failedBefore
	t.Logf("partition moved to %s; process-a: %v batches refused, %d appends refused as not carried on, %d drains carried on, %d not; %v items written",
		ownerName, refused, heldRefused.Load(), kept.Load(), notCarried.Load(), total)
	// Either way A's drain ends refused: appends held for the next
	// generation are refused as not carried on (errNotCarried), and an
	// append that was on the wire when the generation ended is cut at its
	// fence check (a failed batch, which fences the appends after it).
	if refused == 0 {
		t.Error("no batch of process-a was in flight when its generation ended: the test did not hold a drain")
	}
	if kept.Load() != keptBefore {
		t.Errorf("process-a carried its drain on into a generation after the partition moved (%d times)", kept.Load()-keptBefore)
	}
	if a.value("wirestream_processor_active") == 1 {
		t.Error("process-a is active again although the partition moved")
	}

	// The stories topic: every item written is a story, none under two ids.
	n := int(total)
	msgs := kafkatest.ReadAll(t, brokers, base.Kafka.TopicName(record.TypeStory), n, 2*time.Minute)
	ids := map[string]map[string]bool{} // link → story ids
	copies := map[string]int{}          // story id and version → messages
	for _, m := range msgs {
		var st struct {
			ID      string `json:"id"`
			Version int    `json:"version"`
			URL     string `json:"url"`
		}
		if err := json.Unmarshal(m.Value, &st); err != nil {
			t.Fatalf("story at offset %d: %v", m.Offset, err)
		}
		if ids[st.URL] == nil {
			ids[st.URL] = map[string]bool{}
		}
		ids[st.URL][st.ID] = true
		copies[fmt.Sprintf("%s v%d", st.ID, st.Version)]++
	}
	missing, twice, extra := 0, 0, 0
	for _, it := range items[:n] {
		switch len(ids[it.Link]) {
		case 0:
			missing++
			if missing <= 5 {
				t.Errorf("item %s was never published", it.Link)
			}
		case 1:
		default:
			twice++
			t.Errorf("item %s published as %d stories: %v", it.Link, len(ids[it.Link]), ids[it.Link])
		}
	}
	for _, k := range copies {
		extra += k - 1
	}
	t.Logf("%d story messages for %d items: %d missing, %d under two story ids, %d extra copies of a record (at least once)",
		len(msgs), n, missing, twice, extra)
	if missing > 0 {
		t.Errorf("%d of %d items missing from the stories topic", missing, n)
	}
	if len(ids) > n {
		t.Errorf("%d links on the stories topic, %d written", len(ids), n)
	}
}
