package kafkagroup

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/fuzzcap"
	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	wkafka "github.com/wirestream/wirestream/sinks/kafka"
)

// helperEnv makes the test binary a group member in a process of its own, for tests that kill
// a member with SIGKILL: it cannot leave the group, as a crashed instance could not.
const helperEnv = "WIRESTREAM_KAFKAGROUP_HELPER"

func TestMain(m *testing.M) {
	if os.Getenv(helperEnv) == "1" {
		os.Exit(helperMember())
	}
	fuzzcap.MinimizeFor(3 * time.Second) // FuzzDecodeUserData
	kafkatest.VerifyTestMain(m)
}

// helperMember joins the group named in the environment and prints one line per assignment,
// "gen <id> <partitions>", until it is killed (or SIGTERM makes it leave).
func helperMember() int {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	cn, err := wkafka.NewConn(wkafka.Config{Brokers: strings.Split(os.Getenv("KAFKA_BROKERS"), ",")})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	m, err := New(Config{Group: os.Getenv("HELPER_GROUP"), Topics: []string{os.Getenv("HELPER_TOPIC")}, Instance: "helper"}, cn, nil, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	err = m.Run(ctx, Handler{Assigned: func(_ context.Context, a Assignment) {
		fmt.Printf("gen %d %v\n", a.Generation, a.Partitions(os.Getenv("HELPER_TOPIC")))
	}})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// within polls cond every 20 ms until it holds or timeout passes; it reports whether it held.
func within(timeout time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
	return true
}
