package daemon

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"testing"
	"time"

	kafkago "github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/internal/clusterstatus"
	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	"github.com/wirestream/wirestream/pipeline/state"
)

// A migration refused because a role still runs against the brokers writes nothing: it
// created the changelog, feeds and feed_state topics before it asked who runs (round 30),
// so the refusal said "nothing written" over three new topics — and a fetcher or processor
// started later found them made by migrate, with whatever partition counts its config then
// had. A run in role all is a member of its group; migrate is refused and no topic of the
// roles exists afterwards. On a real broker (skipped loudly without one); every wait bounded.
func TestARefusedMigrationCreatesNoTopic(t *testing.T) {
	brokers := kafkatest.Brokers(t)
	cfg := roleConfig(t, brokers)
	ft := FeedTopics(cfg)
	cl := changelogSpec(cfg, 1)
	roleTopics := []string{cl.Topic, ft.Feeds(), ft.State()}
	story := roleAllStatusGroup(cfg).Topic
	kafkatest.TopicPrefix(t, brokers, func(string) []string { return roleTopics }) // should any be made
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()

	client := &kafkago.Client{Addr: kafkago.TCP(brokers...), Timeout: 10 * time.Second}
	res, err := client.CreateTopics(ctx, &kafkago.CreateTopicsRequest{Topics: []kafkago.TopicConfig{{Topic: story, NumPartitions: 1, ReplicationFactor: 1}}})
	if err == nil {
		err = res.Errors[story]
	}
	if err != nil {
		t.Fatalf("create %s: %v", story, err)
	}

	// The stopped run's data_dir holds a story and a feed's poll state.
	fl, err := state.OpenFile(cfg.DataDir, cfg.State, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := fl.Restore(ctx, func(state.Entry) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if err := fl.Append(ctx, []state.Entry{{Table: state.Stories, Key: []byte("a"), Value: []byte("1")},
		{Table: state.Feeds, Key: []byte("https://f.example/rss"), Value: []byte("{}")}}); err != nil {
		t.Fatal(err)
	}
	fl.Close()

	// Another run in role all, on another machine, is still going.
	runCtx, stop := context.WithCancel(ctx)
	watched := make(chan struct{})
	go func() { defer close(watched); WatchRoleAll(runCtx, cfg, slog.New(slog.DiscardHandler)) }()
	defer func() { stop(); <-watched }()
	cn, err := Conn(cfg)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, time.Minute, "the run in role all to join its group", func() bool {
		st, err := clusterstatus.Read(ctx, cn, []clusterstatus.Group{roleAllStatusGroup(cfg)}, nil)
		return err == nil && len(st) == 1 && len(st[0].Members) == 1
	})

	_, err = MigrateState(ctx, cfg, cfg.DataDir, false, nil)
	if !errors.Is(err, ErrRolesRunning) {
		t.Fatalf("migrate with a run in role all going: %v, want ErrRolesRunning", err)
	}
	md, err := client.Metadata(ctx, &kafkago.MetadataRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tp := range md.Topics {
		if slices.Contains(roleTopics, tp.Name) {
			t.Errorf("the refused migration created %s", tp.Name)
		}
	}
}
