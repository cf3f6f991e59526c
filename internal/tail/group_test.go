package tail

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	kafkasink "github.com/wirestream/wirestream/sinks/kafka"
)

// errOutputGone is the failure of a failingWriter: stdout closed under
// `tail --group G | head`.
var errOutputGone = errors.New("output closed by its reader")

// failingWriter takes ok writes, then fails every one after them.
type failingWriter struct {
	ok    int
	lines []string
}

func (f *failingWriter) Write(p []byte) (int, error) {
	if len(f.lines) >= f.ok {
		return 0, errOutputGone
	}
	f.lines = append(f.lines, strings.TrimSuffix(string(p), "\n"))
	return len(p), nil
}

// stopAfter collects lines and cancels once it has one containing last.
type stopAfter struct {
	mu     sync.Mutex
	last   string
	cancel context.CancelFunc
	lines  []string
}

func (s *stopAfter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	line := strings.TrimSuffix(string(p), "\n")
	s.lines = append(s.lines, line)
	if strings.HasSuffix(line, "  "+s.last) {
		s.cancel()
	}
	return len(p), nil
}

// The promise: a consumer group's records reach the group at least once.
// `tail --group G` committed each record as it read it, before printing
// it, so the record whose write failed (`tail --group G | head`, a crash,
// Ctrl-C between the read and the write) was committed unprinted and the
// group's next reader never saw it. Now a record is committed only once it
// is written: the next reader of the group starts at the first record that
// was not.
func TestTailWithAGroupCommitsOnlyWhatItWrote(t *testing.T) {
	brokers := kafkatest.Brokers(t)
	topic := kafkatest.Topic(t, brokers, 1)
	const n, k = 12, 4
	ctx, cancel := context.WithTimeout(t.Context(), 90*time.Second)
	defer cancel()
	w := &kafka.Writer{Addr: kafka.TCP(brokers...), Topic: topic, RequiredAcks: kafka.RequireAll}
	defer w.Close()
	var msgs []kafka.Message
	for i := 1; i <= n; i++ {
		msgs = append(msgs, kafka.Message{Value: fmt.Appendf(nil, "record-%02d", i)})
	}
	kafkatest.Write(t, ctx, w, msgs...)

	cfg := kafkasink.DefaultConfig()
	cfg.Brokers = brokers
	opts := Options{FromBeginning: true, Group: topic + ".tail"}

	// The first reader's output takes k records, then fails.
	first := &failingWriter{ok: k}
	err := Tail(ctx, cfg, topic, opts, first)
	if !errors.Is(err, errOutputGone) {
		t.Fatalf("Tail with an output that fails after %d records: err = %v, want the output's error", k, err)
	}
	for _, want := range []string{"group " + opts.Group, "0:" + fmt.Sprint(k), "not committed"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("err = %v\nwant it to say %q", err, want)
		}
	}
	if len(first.lines) != k {
		t.Fatalf("the first reader wrote %d lines, want %d: %q", len(first.lines), k, first.lines)
	}

	// The group's next reader gets every record from the one not written on.
	rctx, rcancel := context.WithCancel(ctx)
	defer rcancel()
	second := &stopAfter{last: fmt.Sprintf("record-%02d", n), cancel: rcancel}
	if err := Tail(rctx, cfg, topic, opts, second); err != nil {
		t.Fatalf("the group's second reader: %v", err)
	}
	if ctx.Err() != nil {
		t.Fatalf("the group's second reader did not reach record %d in time; it printed %q", n, second.lines)
	}
	got := map[string]bool{}
	for _, l := range second.lines {
		got[l[strings.LastIndex(l, " ")+1:]] = true
	}
	for i := k + 1; i <= n; i++ {
		if v := fmt.Sprintf("record-%02d", i); !got[v] {
			t.Errorf("%s (the first reader wrote records 1-%d) never reached the group; the second reader printed %q", v, k, second.lines)
		}
	}
}

// A first `tail --group G story` printed nothing and said nothing: a group
// with no committed offset starts at the end without --from-beginning, as
// Kafka's consumers do, and a newcomer took the topic for empty. Tail now
// notes it; and a group with commits resumes at them, which
// --from-beginning does not change, and says so too. Against a real broker.
func TestTailWithAGroupSaysWhereItStartsWhenTheFlagsDoNot(t *testing.T) {
	brokers := kafkatest.Brokers(t)
	topic := kafkatest.Topic(t, brokers, 1)
	ctx, cancel := context.WithTimeout(t.Context(), 90*time.Second)
	defer cancel()
	w := &kafka.Writer{Addr: kafka.TCP(brokers...), Topic: topic, RequiredAcks: kafka.RequireAll}
	defer w.Close()
	kafkatest.Write(t, ctx, w, kafka.Message{Value: []byte("record-01")}, kafka.Message{Value: []byte("record-02")})
	cfg := kafkasink.DefaultConfig()
	cfg.Brokers = brokers

	// tailNotes runs a group read that stops at its note, or after the line
	// ending in last; it returns the notes.
	tailNotes := func(opts Options, last string) []string {
		t.Helper()
		rctx, stop := context.WithCancel(ctx)
		defer stop()
		var notes []string
		opts.Note = func(n string) {
			notes = append(notes, n)
			stop()
		}
		out := &stopAfter{last: last, cancel: stop}
		if err := Tail(rctx, cfg, topic, opts, out); err != nil && !errors.Is(err, context.Canceled) {
			t.Fatalf("tail %+v: %v", opts, err)
		}
		return notes
	}

	fresh := topic + ".new"
	notes := tailNotes(Options{Group: fresh}, "")
	if len(notes) != 1 || !strings.Contains(notes[0], "has no committed offset") || !strings.Contains(notes[0], "--from-beginning") {
		t.Errorf("a new group without --from-beginning noted %q, want that it starts at the end", notes)
	}
	readAll := topic + ".all"
	if notes := tailNotes(Options{Group: readAll, FromBeginning: true}, "record-02"); len(notes) != 0 {
		t.Errorf("a new group with --from-beginning noted %q, want nothing: it starts where asked", notes)
	}
	notes = tailNotes(Options{Group: readAll, FromBeginning: true}, "")
	if len(notes) != 1 || !strings.Contains(notes[0], "resumes at its committed offsets") {
		t.Errorf("a group with commits and --from-beginning noted %q, want that it resumes at them", notes)
	}
}
