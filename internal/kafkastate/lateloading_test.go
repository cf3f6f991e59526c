package kafkastate

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/internal/kafkatable"
	"github.com/wirestream/wirestream/pipeline/state"
)

// A Log's late epoch (an append's, mode auto fallen back at run time) whose InitProducerID the
// coordinator answers for the whole bound with "loading" (COORDINATOR_LOAD_IN_PROGRESS) met a
// coordinator that works: it said StillUnfencedMsg, "did not answer InitProducerID within 5s",
// and left the changelog unfenced another epochRetry (an hour), where the sink's late ask, on
// the same answer, says so once at INFO and asks again a minute later (fence24). The Log now
// does as the sink: LateEpochLoadingMsg once, the Log's next ask after epochRefreshRetry.
func TestALateEpochMeetingALoadingCoordinatorSaysSoAndIsNotCalledUnanswered(t *testing.T) {
	f := newFixture(t, 1)
	_, o, away, logs, _ := awayFence(t, time.Second) // the fence's log: its fallbacks and asks again
	o.Log = slog.New(slog.NewTextHandler(logs, nil))
	o.Fence = func() error { return nil }
	wrap, until := o.Table.WrapWrites, time.Now().Add(time.Hour)
	o.Table = kafkatable.Options{WrapWrites: func(next kafka.RoundTripper) kafka.RoundTripper {
		return wrap(&coordinatorLoading{Next: next, until: until}) // away first, then loading
	}}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	l, err := Open(ctx, f.cn, f.topic, 0, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	if err := l.Restore(ctx, func(state.Entry) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if l.epoch != nil {
		t.Fatal("restored with an epoch, the coordinator away")
	}
	away.Store(false)
	time.Sleep(epochRetry) // the late epoch falls due; the coordinator now says it is loading
	appendKV(t, l, state.Stories, "k", "v")
	out := logs.String()
	if l.epoch != nil {
		t.Fatalf("took epoch %+v from a coordinator that only said it was loading", l.epoch)
	}
	if !strings.Contains(out, LateEpochLoadingMsg) {
		t.Errorf("the late epoch met a loading coordinator and did not say so (%q):\n%s", LateEpochLoadingMsg, out)
	}
	if strings.Contains(out, StillUnfencedMsg) {
		t.Errorf("a coordinator that answered 'loading' was called silent (%q):\n%s", StillUnfencedMsg, out)
	}
}
