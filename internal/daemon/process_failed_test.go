package daemon

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/pipeline/record"
)

// failSecondSink refuses its second write and counts every write asked.
type failSecondSink struct {
	mu     sync.Mutex
	writes int
}

func (s *failSecondSink) Write(context.Context, []record.Record) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.writes++
	if s.writes == 2 {
		return errors.New("disk full")
	}
	return nil
}

// `process` keeps no copy of its in-memory state to rewind to
// (state.Options.NoMemoryRewind) because a failed batch ends the run:
// nothing is decided, written or flushed after it. Should `process` ever
// read on after a failure, this fails, and its memory state must rewind
// again (newPipeline's endsAtFailure).
func TestProcessEndsAtItsFirstFailedWriteAndDecidesNothingAfter(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><link>https://wire.example/</link>`)
	for i := range 8 {
		fmt.Fprintf(&b, `<item><title>Story number %d about the council budget</title><link>https://wire.example/%d</link><guid>g%d</guid><description>Body of story %d: the council met on Tuesday to agree item %d.</description></item>`, i, i, i, i, i)
	}
	b.WriteString(`</channel></rss>`)
	feedFile := filepath.Join(t.TempDir(), "wire.xml")
	if err := os.WriteFile(feedFile, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	sink := &failSecondSink{}
	_, err := Process(t.Context(), config.Default(), ProcessOptions{Files: []string{feedFile}, BatchSize: 2, Sink: sink,
		Metrics: NewMetrics(prometheus.NewRegistry(), "test"), Log: slog.New(slog.DiscardHandler)})
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("process with its second write refused returned %v; want the write's error", err)
	}
	if sink.writes != 2 {
		t.Errorf("%d writes asked of the sink; want 2: nothing after the failed one", sink.writes)
	}
}
