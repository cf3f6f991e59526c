package kafkastate

import (
	"context"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/internal/kafkatable"
	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	"github.com/wirestream/wirestream/pipeline/state"
	wkafka "github.com/wirestream/wirestream/sinks/kafka"
)

// awayFence is a mode auto fence whose Logs' InitProducerID meet a coordinator away while away
// holds, with firstEpochWait and epochRetry shortened for the test.
func awayFence(t *testing.T, retry time.Duration) (*EpochFence, Options, *atomic.Bool, *lockedBuffer, *state.Metrics) {
	t.Helper()
	wait, again := firstEpochWait, epochRetry
	t.Cleanup(func() { firstEpochWait, epochRetry = wait, again })
	firstEpochWait, epochRetry = time.Second, retry
	cn, err := wkafka.NewConn(wkafka.Config{Brokers: kafkatest.Brokers(t)})
	if err != nil {
		t.Fatal(err)
	}
	logs := new(lockedBuffer)
	fence, err := NewEpochFence(cn, "test", FenceAuto, slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	away := new(atomic.Bool)
	away.Store(true)
	m := state.NewMetrics(nil)
	o := Options{Epoch: fence, StateMetrics: m, Table: kafkatable.Options{WrapWrites: func(next kafka.RoundTripper) kafka.RoundTripper {
		return switchable{on: away, when: &coordinatorAway{Next: next}, otherwise: next}
	}}}
	return fence, o, away, logs, m
}

// Mode auto that fell back at a restore because the coordinator did not answer (away for more
// than firstEpochWait) asks it again at the first restore after epochRetry: still away, the
// restore goes on unfenced and says so (StillUnfencedMsg); answering, the restore takes the
// epoch, the fence is on again (FenceBackMsg, wirestream_state_changelog_epochs 1). Before, the
// processor wrote unfenced until it restarted, whatever the coordinator did.
func TestAutoAsksAnAbsentCoordinatorAgainAtALaterRestoreAndFencesOnceItAnswers(t *testing.T) {
	f := newFixture(t, 1)
	_, o, away, logs, m := awayFence(t, 2*time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	restore := func(i int) *Log {
		t.Helper()
		l, err := Open(ctx, f.cn, f.topic, 0, o)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { l.Close() })
		if err := l.Restore(ctx, func(state.Entry) error { return nil }); err != nil {
			t.Fatalf("restore %d: %v", i, err)
		}
		return l
	}
	if l := restore(1); l.epoch != nil || testutil.ToFloat64(m.ChangelogEpochs) != 0 {
		t.Fatalf("restore 1 with the coordinator away: epoch %v, gauge %v, want unfenced and 0", l.epoch, testutil.ToFloat64(m.ChangelogEpochs))
	}
	time.Sleep(epochRetry)
	if l := restore(2); l.epoch != nil {
		t.Fatalf("restore 2, the coordinator still away: took epoch %+v", *l.epoch)
	}
	if n := strings.Count(logs.String(), StillUnfencedMsg); n != 1 {
		t.Errorf("%q logged %d times after an ask again the coordinator did not answer, want once:\n%s", StillUnfencedMsg, n, logs.String())
	}
	away.Store(false)
	if l := restore(3); l.epoch != nil {
		t.Fatalf("restore 3 before epochRetry passed took epoch %+v: the coordinator is asked once per epochRetry", *l.epoch)
	}
	time.Sleep(epochRetry)
	l := restore(4)
	if l.epoch == nil {
		t.Fatalf("restore 4, the coordinator answering again and epochRetry passed, is still unfenced:\n%s", logs.String())
	}
	if n := strings.Count(logs.String(), FenceBackMsg); n != 1 || testutil.ToFloat64(m.ChangelogEpochs) != 1 {
		t.Errorf("%q logged %d times and gauge %v, want once and 1:\n%s", FenceBackMsg, n, testutil.ToFloat64(m.ChangelogEpochs), logs.String())
	}
	if n := strings.Count(logs.String(), FenceUnavailableMsg); n != 1 {
		t.Errorf("%q logged %d times, want once (the first fallback)", FenceUnavailableMsg, n)
	}
}

// A partition that stays with its processor is not restored again: its Log, restored unfenced
// while the coordinator was away, takes the epoch at its first append after epochRetry once the
// coordinator answers, and from then on a newer owner's epoch fences its writes — the late
// batch of an owner that restored unfenced went through for the rest of its process's life.
func TestALogRestoredUnfencedTakesTheEpochAtALaterAppendAndANewerOwnerFencesIt(t *testing.T) {
	f := newFixture(t, 1)
	_, o, away, logs, m := awayFence(t, time.Second)
	old, _, _ := f.open(0, o)
	appendKV(t, old, state.Stories, "k", "1")
	if old.epoch != nil {
		t.Fatalf("restored with the coordinator away, took epoch %+v", *old.epoch)
	}
	away.Store(false)
	time.Sleep(epochRetry)
	appendKV(t, old, state.Stories, "k", "2")
	if old.epoch == nil {
		t.Fatalf("an append after epochRetry with the coordinator answering left the Log unfenced:\n%s", logs.String())
	}
	if !strings.Contains(logs.String(), FenceBackMsg) || testutil.ToFloat64(m.ChangelogEpochs) != 1 {
		t.Errorf("no %q or gauge %v after the late epoch:\n%s", FenceBackMsg, testutil.ToFloat64(m.ChangelogEpochs), logs.String())
	}
	newer, got, _ := f.open(0, Options{Epoch: epochFence(t)})
	if got["stories/k"] != "2" {
		t.Errorf("the newer owner restores k = %q, want 2", got["stories/k"])
	}
	appendKV(t, newer, state.Stories, "k", "3")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err := old.Append(ctx, []state.Entry{{Table: state.Stories, Key: []byte("k"), Value: []byte("old")}})
	if !IsEpochFenced(err) {
		t.Fatalf("the older owner's append after the newer owner's epoch: %v, want an EpochFencedError", err)
	}
	if _, later, _ := f.open(0, Options{Epoch: epochFence(t)}); later["stories/k"] != "3" {
		t.Errorf("a restore reads k = %q, want the newer owner's 3", later["stories/k"])
	}
}

// A rolling upgrade from round 19: its processors write the changelog with no producer id, so
// no epoch fences a late batch of theirs that lands after an upgraded owner took the partition.
// A restore that reads such records after records written with a producer id says so at WARN
// (UnfencedAfterFencedMsg, with their count and first offset): the operator learns that an
// unfenced writer wrote after a fenced owner. A changelog written only without producer ids (all
// round 19, or a cluster that cannot fence) or only with them says nothing.
func TestARestoreWarnsOfEntriesWrittenWithoutAProducerIDAfterFencedOnes(t *testing.T) {
	restoreLogs := func(f *fixture) string {
		var logs lockedBuffer
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		l, err := Open(ctx, f.cn, f.topic, 0, Options{Log: slog.New(slog.NewTextHandler(&logs, nil))})
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		if err := l.Restore(ctx, func(state.Entry) error { return nil }); err != nil {
			t.Fatal(err)
		}
		return logs.String()
	}
	unfenced := func(f *fixture, v string) {
		l, _, _ := f.open(0, Options{}) // no Epoch: as a round-19 processor writes
		appendKV(t, l, state.Stories, "k", v)
		l.Close()
	}
	fenced := func(f *fixture, v string) {
		l, _, _ := f.open(0, Options{Epoch: epochFence(t)})
		appendKV(t, l, state.Stories, "k", v)
		l.Close()
	}

	upgrade := newFixture(t, 1)
	unfenced(upgrade, "19") // the round-19 active
	fenced(upgrade, "22")   // the upgraded standby takes over
	unfenced(upgrade, "19 late")
	out := restoreLogs(upgrade)
	if n := strings.Count(out, UnfencedAfterFencedMsg); n != 1 || !strings.Contains(out, "records=1") {
		t.Errorf("a restore after an unfenced write that followed a fenced one logged %q %d times, want once with records=1:\n%s",
			UnfencedAfterFencedMsg, n, out)
	}
	for name, write := range map[string]func(*fixture, string){"unfenced": unfenced, "fenced": fenced} {
		f := newFixture(t, 1)
		write(f, "1")
		write(f, "2")
		if out := restoreLogs(f); strings.Contains(out, UnfencedAfterFencedMsg) {
			t.Errorf("a changelog written only %s: the restore logged %q:\n%s", name, UnfencedAfterFencedMsg, out)
		}
	}
}
