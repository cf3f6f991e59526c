package itemtopic

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	"github.com/wirestream/wirestream/pipeline/record"
	wkafka "github.com/wirestream/wirestream/sinks/kafka"
)

func TestMain(m *testing.M) { kafkatest.VerifyTestMain(m) }

// itemsTopic creates a one-partition topic holding n item messages (and,
// at the offsets in junk, messages that are not items) and opens a reader
// of it.
func itemsTopic(t *testing.T, n int, junk ...int) (*Reader, []string) {
	t.Helper()
	brokers := kafkatest.Brokers(t)
	topic := kafkatest.Topic(t, brokers, 1)
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	var msgs []kafka.Message
	var links []string
	for i := range n + len(junk) {
		if slices.Contains(junk, i) {
			msgs = append(msgs, kafka.Message{Key: []byte("https://x.example/rss"), Value: []byte(`{"not":"an item"}`)})
			continue
		}
		it := record.Item{Feed: record.FeedRef{URL: "https://x.example/rss"}, Link: fmt.Sprintf("https://x.example/%d", i), Title: fmt.Sprint("story ", i)}
		m, err := wkafka.ItemMessage(topic, &it, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		m.Topic = ""
		msgs = append(msgs, m)
		links = append(links, it.Link)
	}
	w := &kafka.Writer{Addr: kafka.TCP(brokers...), Topic: topic, RequiredAcks: kafka.RequireAll, BatchTimeout: time.Millisecond}
	defer w.Close()
	kafkatest.Write(t, ctx, w, msgs...)
	cn, err := wkafka.NewConn(wkafka.Config{Brokers: brokers})
	if err != nil {
		t.Fatal(err)
	}
	r, err := Open(ctx, cn, topic, Options{BatchItems: 4, Log: slog.New(slog.NewTextHandler(t.Output(), nil))}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r, links
}

// consumer stands in for the pipeline: it answers each batch with
// answer(i, batch), records what it saw, and acks in order as the
// pipeline does.
type consumer struct {
	mu      sync.Mutex
	batches []record.Batch
	links   []string
	commits []int64
}

func (c *consumer) run(ctx context.Context, in <-chan record.Batch, answer func(i int, b record.Batch) error) {
	for b := range in {
		c.mu.Lock()
		i := len(c.batches)
		c.batches = append(c.batches, b)
		for _, it := range b.Items {
			c.links = append(c.links, it.Link)
		}
		c.mu.Unlock()
		b.Ack(ctx, answer(i, b))
	}
}

func (c *consumer) commit(next int64) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.commits = append(c.commits, next)
	return nil
}

func (c *consumer) seen() (links []string, commits []int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.links), slices.Clone(c.commits)
}

// runReader runs r from offset from until stop says so, feeding a
// consumer, and returns Run's results.
func runReader(t *testing.T, r *Reader, from int64, c *consumer, answer func(int, record.Batch) error, stop func() bool) (int64, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	out := make(chan record.Batch)
	go c.run(context.Background(), out, answer)
	rctx, stopRun := context.WithCancel(ctx)
	type result struct {
		next int64
		err  error
	}
	res := make(chan result, 1)
	go func() {
		next, _, err := r.Run(rctx, 0, from, out, c.commit)
		res <- result{next, err}
	}()
	for {
		select {
		case got := <-res:
			stopRun()
			return got.next, got.err
		case <-time.After(20 * time.Millisecond):
			if stop() {
				stopRun()
			}
		case <-ctx.Done():
			t.Fatal("reader did not stop within a minute")
		}
	}
}

func ok(int, record.Batch) error { return nil }

// Every item in order, in batches of at most BatchItems, and the commits
// follow the acknowledged batches; a second run resumes where the first
// committed.
func TestReaderHandsOutEveryItemInOrderAndCommitsWhatWasAcked(t *testing.T) {
	r, links := itemsTopic(t, 10)
	c := &consumer{}
	next, err := runReader(t, r, FirstOffset, c, ok, func() bool {
		got, commits := c.seen()
		return len(got) == 10 && len(commits) > 0 && commits[len(commits)-1] == 10
	})
	if err != nil || next != 10 {
		t.Fatalf("Run = %d, %v; want 10, nil", next, err)
	}
	got, commits := c.seen()
	if !slices.Equal(got, links) {
		t.Errorf("items %v, want %v", got, links)
	}
	for _, b := range c.batches {
		if len(b.Items) > 4 {
			t.Errorf("a batch of %d items, over BatchItems 4", len(b.Items))
		}
	}
	if !slices.IsSorted(commits) {
		t.Errorf("commits %v are not increasing", commits)
	}
	again := &consumer{}
	if _, err := runReader(t, r, next, again, ok, func() bool { return true }); err != nil {
		t.Fatal(err)
	}
	if got, _ := again.seen(); len(got) != 0 {
		t.Errorf("a run from the committed offset read %v again", got)
	}
}

// A batch the pipeline fails stops the read: nothing at or after it is
// committed, and a run from the offset returned reads it again.
func TestReaderStopsAtAFailedBatchAndResumesFromIt(t *testing.T) {
	r, links := itemsTopic(t, 12)
	boom := errors.New("sink refused")
	c := &consumer{}
	next, err := runReader(t, r, FirstOffset, c, func(i int, b record.Batch) error {
		if i == 1 {
			return boom
		}
		return nil
	}, func() bool { return false })
	var bf *BatchFailedError
	if !errors.As(err, &bf) || !errors.Is(err, boom) {
		t.Fatalf("Run error = %v, want a *BatchFailedError wrapping the batch's", err)
	}
	first := len(c.batches[0].Items)
	if next != int64(first) || bf.Offset != int64(first) {
		t.Fatalf("resume from %d (failed batch at %d), want %d: the first batch's end", next, bf.Offset, first)
	}
	_, commits := c.seen()
	for _, cm := range commits {
		if cm > next {
			t.Errorf("committed %d, past the failed batch at %d", cm, next)
		}
	}
	again := &consumer{}
	if _, err := runReader(t, r, next, again, ok, func() bool { got, _ := again.seen(); return len(got) == 12-first }); err != nil {
		t.Fatal(err)
	}
	if got, _ := again.seen(); !slices.Equal(got, links[first:]) {
		t.Errorf("after the failure the reader read %v, want %v", got, links[first:])
	}
}

// A message that is not an item reaches the pipeline as a dead letter
// that says where it is; the items around it go on.
func TestAMessageThatIsNoItemBecomesADeadLetter(t *testing.T) {
	r, links := itemsTopic(t, 5, 2)
	c := &consumer{}
	if _, err := runReader(t, r, FirstOffset, c, ok, func() bool { got, _ := c.seen(); return len(got) == 5 }); err != nil {
		t.Fatal(err)
	}
	var dead []*record.DeadLetter
	for _, b := range c.batches {
		dead = append(dead, b.DeadLetters...)
	}
	if len(dead) != 1 || dead[0].Stage != record.StageRead || dead[0].Payload != `{"not":"an item"}` {
		t.Fatalf("dead letters %+v, want one (stage read) carrying the message", dead)
	}
	// Its error starts with the message's place as kcat finds it (-p 0 -o 2).
	if want := r.Topic() + ":0:2: item message: "; !strings.HasPrefix(dead[0].Error, want) {
		t.Errorf("dead letter error %q, want it to start %q", dead[0].Error, want)
	}
	// Its id is derived from "topic/partition@offset", as before round 21.
	if want := record.NewDeadLetter(record.StageRead, r.Topic()+"/0@2", "", errors.New("any"), time.Time{}).ID; dead[0].ID != want {
		t.Errorf("dead letter id %s, want %s (derived from %s/0@2)", dead[0].ID, want, r.Topic())
	}
	if got, _ := c.seen(); !slices.Equal(got, links) {
		t.Errorf("items %v, want %v", got, links)
	}
}

// Every item a batch hands out carries its message's place,
// "topic:partition:offset", in Origins: an item the pipeline rejects
// names it in its dead letter and log line ("wirestream.items:0:7:
// normalize item …"), as a JSONL file's names its line, so an operator
// reads that message with kcat -p 0 -o 7.
func TestEveryItemCarriesItsPartitionAndOffset(t *testing.T) {
	r, links := itemsTopic(t, 6, 3)
	c := &consumer{}
	if _, err := runReader(t, r, FirstOffset, c, ok, func() bool { got, _ := c.seen(); return len(got) == 6 }); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, b := range c.batches {
		if len(b.Origins) != len(b.Items) {
			t.Fatalf("batch of %d items has %d origins", len(b.Items), len(b.Origins))
		}
		got = append(got, b.Origins...)
	}
	var want []string
	for off := range 7 {
		if off != 3 { // the message that is no item: a dead letter, no origin
			want = append(want, r.Topic()+":0:"+strconv.Itoa(off))
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("origins %v, want %v (items %v)", got, want, links)
	}
	if p := Position("wirestream.items", 0, 1234); p != "wirestream.items:0:1234" {
		t.Errorf("Position = %q", p)
	}
}

// An undecodable message read again — a processor restarting before its commit, a partition
// handed over — gives the same dead letter id, so the compacted dead_letters topic keeps one;
// across an upgrade too: the id is derived from "topic/partition@offset", the seed of every
// version before round 21 (which derived it from "topic:partition:offset" for one round, and
// gave such a message a second dead letter). The literal is SHA-256("read\x00wirestream.items/0@1234").
func TestAnUndecodableMessagesDeadLetterIDIsTheOneEarlierVersionsGaveIt(t *testing.T) {
	if s := deadLetterSubject("wirestream.items", 0, 1234); s != "wirestream.items/0@1234" {
		t.Errorf("dead letter subject %q, want wirestream.items/0@1234", s)
	}
	dl := record.NewDeadLetter(record.StageRead, deadLetterSubject("wirestream.items", 0, 1234), "", errors.New("any"), time.Time{})
	if dl.ID != "dl_09b447f0f896a2906b141d55" {
		t.Errorf("dead letter id %s", dl.ID)
	}
}
