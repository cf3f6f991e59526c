package main

import (
	"bufio"
	"encoding/json"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/config"
)

// A publisher sending more than its Content-Length makes net/http's
// transport print "Unsolicited response received on idle HTTP channel…"
// through Go's log package: a bare line on stderr in the middle of the
// JSON log. Routed as main routes it, the line is a record of the
// command's logger, and stderr carries JSON only.
func TestGoLogLinesBecomeRecordsOfTheCommandsLogger(t *testing.T) {
	var stderr syncBuffer
	g := routeGoLog(&stderr)
	t.Cleanup(func() {
		log.SetOutput(os.Stderr)
		log.SetFlags(log.LstdFlags)
	})
	g.install(newLogger(&stderr, config.LogConfig{Level: "info", Format: "json"}))

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); close(stop); wg.Wait() })
	wg.Go(func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		br := bufio.NewReader(c)
		if _, err := http.ReadRequest(br); err != nil {
			return
		}
		c.Write([]byte("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nab<rss>more than it said</rss>"))
		<-stop // the connection stays open while the client reads it idle
	})
	client := &http.Client{Transport: &http.Transport{}}
	t.Cleanup(client.CloseIdleConnections)
	resp, err := client.Get("http://" + ln.Addr().String() + "/rss")
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	deadline := time.Now().Add(2 * time.Second) // a bound on the wait, not a timing assertion
	for !strings.Contains(stderr.String(), "Unsolicited response") {
		if time.Now().After(deadline) {
			t.Fatalf("the transport logged nothing within 2 s; stderr: %q", stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	for _, line := range strings.Split(strings.TrimSpace(stderr.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Errorf("stderr line is not JSON: %q", line)
			continue
		}
		if msg, _ := rec["msg"].(string); strings.HasPrefix(msg, "Unsolicited response") && (rec["level"] != "WARN" || rec["logger"] != "go") {
			t.Errorf("record %v, want level WARN and logger go", rec)
		}
	}
}
