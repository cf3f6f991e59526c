package daemon

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"strings"
	"testing"

	"github.com/wirestream/wirestream/sinks/kafka"
	"github.com/wirestream/wirestream/sources/feed"
)

// A start's read of feed_status for the legacy keys, with no broker answering, is given up
// within its bound (legacyStatusTimeout; the test's own is four times that) and said in one
// WARN that names no secret of the feeds whose keys it spelled: the keys are never logged,
// nor the URLs they were spelled from. No broker is needed: the address is one nothing
// listens on.
func TestTheStartsLegacyStatusReadWithNoBrokerWarnsWithoutASecret(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now: every dial is refused
	cfg := kafka.DefaultConfig()
	cfg.Brokers = []string{addr}
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	specs := []feed.Spec{
		{URL: "http://127.0.0.1:1/paid?token=S3CRET-Q"},
		{URL: "http://S3CRET-P:@127.0.0.1:1/api"},
		{URL: "http://reader:S3CRET-W@127.0.0.1:1/members?api_key=S3CRET-K"},
	}
	ctx, cancel := context.WithTimeout(t.Context(), 4*legacyStatusTimeout)
	defer cancel()
	done := make(chan struct{})
	go func() {
		defer close(done)
		tombstoneLegacyStatusKeys(ctx, cfg, nil, specs, log) // no sink: nothing is read, so nothing is written
	}()
	select {
	case <-done:
	case <-ctx.Done():
		t.Fatalf("the start's legacy feed_status read did not give up with no broker within %s", 4*legacyStatusTimeout)
	}
	out := buf.String()
	if !strings.Contains(out, `"level":"WARN"`) || !strings.Contains(out, "feed_status: earlier releases' records") {
		t.Errorf("no WARN that the legacy keys were left; the log:\n%s", out)
	}
	if !strings.Contains(out, addr) {
		t.Errorf("the WARN does not name the broker that did not answer (%s):\n%s", addr, out)
	}
	if strings.Contains(out, "S3CRET") {
		t.Errorf("the log says a feed URL's secret:\n%s", out)
	}
}
