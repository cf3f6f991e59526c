package kafkastate

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	"github.com/wirestream/wirestream/pipeline/state"
)

// The changelog topic deleted under a running owner: its append retries (the topic may come
// back) and nothing more is committed. Ready (the processor's /readyz) says, while it retries,
// that the changelog does not take appends, naming the topic and the cause — before round 28
// it said ready while the processor decided nothing more (faults28) — and once the append has
// stopped retrying (here its context ends), it no longer blames the writes.
func TestAChangelogWhoseTopicWasDeletedIsNotReadyWhileItsAppendRetries(t *testing.T) {
	f := newFixture(t, 1)
	l, _, _ := f.open(0, Options{})
	appendKV(t, l, state.Stories, "a", "1")
	if err := l.Ready(context.Background()); err != nil {
		t.Fatalf("Ready after an append got through: %v", err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	kafkatest.DeleteTopic(t, kafkatest.Brokers(t), f.topic)

	appendCtx, stopAppend := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- l.Append(appendCtx, []state.Entry{{Table: state.Stories, Key: []byte("b"), Value: []byte("2")}})
	}()
	var ready error
	for ready == nil {
		select {
		case err := <-done:
			t.Fatalf("the append to the deleted topic returned %v before Ready said anything", err)
		case <-ctx.Done():
			t.Fatal("Ready said the changelog takes appends for a minute after its topic was deleted")
		case <-time.After(100 * time.Millisecond):
		}
		ready = l.Ready(ctx)
	}
	if !strings.Contains(ready.Error(), f.topic) {
		t.Errorf("Ready = %v, want it to name %s", ready, f.topic)
	}
	t.Logf("Ready with the topic deleted: %v", ready)
	stopAppend()
	if err := <-done; err == nil || !errors.Is(err, context.Canceled) {
		t.Errorf("the append stopped by its context returned %v", err)
	}
	if err := l.Ready(ctx); err != nil {
		t.Errorf("Ready once no append retries = %v, want nil (the next append finds out)", err)
	}
}
