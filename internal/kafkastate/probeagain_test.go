package kafkastate

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	wkafka "github.com/wirestream/wirestream/sinks/kafka"
)

// Mode auto that fell back because the probe found the cluster unable to host the transaction
// coordinator (transaction.state.log.replication.factor above the brokers) wrote unfenced until
// the process restarted, though an operator who read its warning changes the setting (or adds
// brokers) on a running cluster. It asks the cluster again after epochRetry, like the fallbacks
// at run time: still unable, quietly, another epochRetry; able, it says so and the restore asks
// the coordinator (use reports true). The sink's fence, which reads the same verdict
// (Coordinator), sees the new one too. Within epochRetry the verdict is not asked again.
func TestAutoAsksTheClusterAgainAnHourAfterItsCheckSaidItCannotHostTheCoordinator(t *testing.T) {
	old := epochRetry
	epochRetry = 300 * time.Millisecond
	t.Cleanup(func() { epochRetry = old })
	logs := new(lockedBuffer)
	e, err := NewEpochFence(wkafka.Conn{}, "test", FenceAuto, slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	probes, replication := 0, 3
	e.probe = func(context.Context) (coordinator, error) {
		probes++
		return coordinator{brokers: 1, replication: replication, broker: "127.0.0.1:9092"}, nil
	}
	ctx := t.Context()
	if on, err := e.use(ctx); on || err != nil {
		t.Fatalf("the first restore on a cluster that cannot host the coordinator: %v, %v; want unfenced", on, err)
	}
	if on, _ := e.use(ctx); on || probes != 1 {
		t.Fatalf("a restore before epochRetry: on %v after %d probes; want unfenced, one probe", on, probes)
	}
	time.Sleep(epochRetry)
	if on, _ := e.use(ctx); on || probes != 2 {
		t.Fatalf("a restore after epochRetry, the setting unchanged: on %v after %d probes; want unfenced, asked again", on, probes)
	}
	replication = 1 // the operator set transaction.state.log.replication.factor=1
	if c, _ := e.Coordinator(ctx); c.CanHost || probes != 2 {
		t.Fatalf("the sink's verdict within epochRetry of the last probe: %+v after %d probes; want the cached one", c, probes)
	}
	time.Sleep(epochRetry)
	if on, _ := e.use(ctx); !on {
		t.Fatalf("a restore after epochRetry, the setting fixed: unfenced still — the check's fallback lasted until a restart:\n%s", logs.String())
	}
	if c, _ := e.Coordinator(ctx); !c.CanHost {
		t.Errorf("the sink's verdict after the changelog's new probe: %+v, want can host", c)
	}
	if n := strings.Count(logs.String(), FenceUnavailableMsg); n != 1 {
		t.Errorf("%q logged %d times, want once (the first verdict)", FenceUnavailableMsg, n)
	}
	if n := strings.Count(logs.String(), ClusterCanHostNowMsg); n != 1 {
		t.Errorf("%q logged %d times, want once", ClusterCanHostNowMsg, n)
	}
}
