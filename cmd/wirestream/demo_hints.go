package main

import (
	"fmt"
	"io"
	"net"
	"path/filepath"
	"strings"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/internal/devbroker"
	"github.com/wirestream/wirestream/pipeline/record"
)

// printDemoHints tells a newcomer, once the demo runs, the three things to
// try from another terminal: tail a topic, read it with any Kafka client,
// look at the metrics (and the status page). It goes to stdout, which run
// otherwise leaves to people; the log is on stderr. It returns the write's
// error (a closed stdout). demoFeeds are the demo's own feeds, ownFeeds
// those of a --config file polled beside them: round 31's newcomer, with
// one feed of their own, read "9 news feeds served from loopback".
func printDemoHints(w io.Writer, self string, cfg config.Config, embedded bool, opsAddr string, demoFeeds, ownFeeds int) error {
	if self == "" {
		self = "wirestream"
	}
	brokers := strings.Join(cfg.Kafka.Brokers, ",")
	where := "the Kafka brokers " + brokers
	if embedded {
		where = "an in-memory Kafka broker on " + brokers
	}
	tail := self + " tail story --from-beginning"
	if !embedded || brokers != devbroker.DefaultAddr {
		tail = self + " tail --brokers " + brokers + " story --from-beginning"
	}
	ops := "http://" + localAddr(opsAddr)
	feeds := fmt.Sprintf("%d news feeds served from loopback", demoFeeds)
	switch {
	case ownFeeds == 1:
		feeds += " and 1 feed of your own (--config)"
	case ownFeeds > 1:
		feeds += fmt.Sprintf(" and %d feeds of your own (--config)", ownFeeds)
	}
	_, err := fmt.Fprintf(w, `
wirestream demo is running: %s, published to %s.
Try, in another terminal:
  # the stories, as they are published (also: event, alert, duplicate, feed_status)
  %s
  # the raw records, with any Kafka client
  kcat -b %s -t %s -C -e
  # the metrics; and in a browser, the status page of feeds, events and alerts
  curl -s %s/metrics | grep ^wirestream_
  %s/status
Ctrl-C stops the demo cleanly.

`, feeds, where, tail, cfg.Kafka.Brokers[0], cfg.Kafka.TopicName(record.TypeStory), ops, ops)
	return err
}

// localAddr turns a listener's address into one a client on this machine
// can dial: an unspecified host (":9464", "[::]:9464") becomes 127.0.0.1.
func localAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}

// selfCommand is how the user can run this binary again: "bin/wirestream"
// as they typed it, or "go run ./cmd/wirestream" when go run built it
// into a temporary directory.
func selfCommand(arg0 string) string {
	if arg0 == "" {
		return "wirestream"
	}
	if strings.Contains(arg0, string(filepath.Separator)+"go-build") {
		return "go run ./cmd/wirestream"
	}
	return arg0
}
