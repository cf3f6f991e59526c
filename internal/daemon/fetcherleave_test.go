package daemon

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	kafkago "github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
)

// A fetcher stopped with SIGTERM leaves its group before Run returns, so
// its feeds move to the other fetchers at once (README "a fetcher stops").
// Run returned with the leave still to be sent and the process exited: the
// coordinator kept the member until its session expired, 9.3 s on a
// 3-node cluster (round 28, operator28). Checked at the coordinator: once
// Run has returned, the group has no member.
func TestAStoppedFetcherHasLeftItsGroupWhenRunReturns(t *testing.T) {
	brokers := kafkatest.Brokers(t)
	cfg := roleConfig(t, brokers)
	cfg.Instance = "fetch-leave"
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	f, err := NewFetcher(ctx, cfg, NewMetrics(prometheus.NewRegistry(), "test"), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	group := cfg.Kafka.TopicPrefix + cfg.Cluster.FetchGroup
	client := &kafkago.Client{Addr: kafkago.TCP(brokers...), Timeout: 10 * time.Second}
	members := func() int {
		resp, err := client.DescribeGroups(ctx, &kafkago.DescribeGroupsRequest{GroupIDs: []string{group}})
		if err != nil || len(resp.Groups) != 1 || resp.Groups[0].Error != nil {
			return -1
		}
		return len(resp.Groups[0].Members)
	}

	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- f.Run(runCtx) }()
	waitFor(t, time.Minute, "the fetcher to join its group", func() bool { return members() == 1 })
	stop()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if n := members(); n != 0 {
		t.Errorf("the group %s has %d members once the stopped fetcher's Run returned, want 0: it did not leave, and its feeds wait out the session timeout", group, n)
	}
}
