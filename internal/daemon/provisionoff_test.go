package daemon

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/segmentio/kafka-go"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/internal/testkit/devkafka"
	wkafka "github.com/wirestream/wirestream/sinks/kafka"
)

// kafka.provision: false is honoured by every role, as by run: a fetcher
// whose feed list and feed state topics are missing, and a processor
// whose items topic is missing, refuse to start naming them, and no topic
// is created. (The record topics exist: run's own check is older.) The
// development broker stands in for a cluster; each start asks the
// metadata again for the sink's 10 s before it gives up.
func TestEveryRoleWithProvisioningOffCreatesNoTopic(t *testing.T) {
	if testing.Short() {
		t.Skip("two starts that wait 10 s for their topics skipped in -short mode")
	}
	brokers := devkafka.Start(t)
	devkafka.Publish(t, brokers) // the record topics, as an operator would create them
	cfg := config.Default()
	cfg.Kafka.Brokers = brokers
	cfg.Kafka.Provision = false
	cfg.DataDir = filepath.Join(t.TempDir(), "data")
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	roles := []struct {
		name  string
		start func(context.Context) error
		want  string
	}{
		{"fetcher", func(ctx context.Context) error {
			f, err := NewFetcher(ctx, cfg, NewMetrics(prometheus.NewRegistry(), "test"), log)
			if err == nil {
				f.Close()
			}
			return err
		}, "2 topics do not exist: wirestream.feed_state, wirestream.feeds"},
		{"processor", func(ctx context.Context) error {
			p, err := NewProcessor(ctx, cfg, NewMetrics(prometheus.NewRegistry(), "test"), log)
			if err == nil {
				p.Close()
			}
			return err
		}, "topic wirestream.items does not exist"},
	}
	for _, r := range roles {
		t.Run(r.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
			defer cancel()
			err := r.start(ctx)
			var missing *wkafka.MissingTopicsError
			if !errors.As(err, &missing) || !strings.Contains(err.Error(), r.want) {
				t.Errorf("%s with kafka.provision false = %v, want a MissingTopicsError: %s", r.name, err, r.want)
			}
		})
	}
	t.Cleanup(func() {
		cl := &kafka.Client{Addr: kafka.TCP(brokers...), Transport: &kafka.Transport{}}
		defer cl.Transport.(*kafka.Transport).CloseIdleConnections()
		md, err := cl.Metadata(context.Background(), &kafka.MetadataRequest{})
		if err != nil {
			t.Fatal(err)
		}
		for _, tp := range md.Topics {
			if !strings.HasPrefix(tp.Name, "__") && !slices.Contains(cfg.Kafka.TopicNames(), tp.Name) {
				t.Errorf("topic %s was created with kafka.provision false", tp.Name)
			}
		}
	})
}
