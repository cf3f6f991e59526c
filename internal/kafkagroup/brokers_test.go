package kafkagroup

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	wkafka "github.com/wirestream/wirestream/sinks/kafka"
)

// A member that gave up reading its topics' metadata names the addresses
// it asked as "the brokers": they may come from --brokers or
// WIRESTREAM_KAFKA_BROKERS, and the command names which, not this error.
func TestCheckTopicsThatGaveUpNamesTheBrokersAsked(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // refused: not permanent, retried until the context ends
	cn, err := wkafka.NewConn(wkafka.Config{Brokers: []string{addr}})
	if err != nil {
		t.Fatal(err)
	}
	m, err := New(Config{Group: "g", Topics: []string{"t"}, RetryMin: 10 * time.Millisecond, RetryMax: 50 * time.Millisecond}, cn, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	err = m.checkTopics(ctx)
	if err == nil || !strings.Contains(err.Error(), "(the brokers ["+addr+"])") || strings.Contains(err.Error(), "kafka.brokers") {
		t.Errorf("checkTopics = %v\nwant it to name the brokers [%s] asked, not kafka.brokers", err, addr)
	}
}
