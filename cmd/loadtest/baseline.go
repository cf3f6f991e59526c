package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	wkafka "github.com/wirestream/wirestream/sinks/kafka"
)

// The limits: what the fixture server serves when nothing but wrk asks,
// and what kcat (librdkafka) produces to the same broker with the same
// acks and compression. Both run on the same machine in the same run as
// the measurement, so ratios hold while absolute numbers drift with load.

var wrkRate = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)

// runWrk drives the fixture server with wrk over feed paths of one host:
// conditional GETs answered 304 (notModified=true: If-None-Match: *), or
// full gzip bodies. It returns requests/s.
func runWrk(ctx context.Context, base string, paths []string, notModified bool, d time.Duration, tmp string) (float64, error) {
	if _, err := exec.LookPath("wrk"); err != nil {
		return 0, fmt.Errorf("wrk not installed (apt-get install wrk, or scripts/kafka.sh install): %w", err)
	}
	var lua strings.Builder
	lua.WriteString("local paths = {\n")
	for _, p := range paths {
		fmt.Fprintf(&lua, "  %q,\n", p)
	}
	lua.WriteString("}\nlocal n = 0\n")
	if notModified {
		lua.WriteString(`local hdrs = {["If-None-Match"] = "*", ["Accept-Encoding"] = "gzip"}` + "\n")
	} else {
		lua.WriteString(`local hdrs = {["Accept-Encoding"] = "gzip"}` + "\n")
	}
	lua.WriteString("request = function()\n  n = n % #paths + 1\n  return wrk.format(\"GET\", paths[n], hdrs)\nend\n")
	script := filepath.Join(tmp, fmt.Sprintf("wrk-%t.lua", notModified))
	if err := os.WriteFile(script, []byte(lua.String()), 0o644); err != nil {
		return 0, err
	}
	secs := max(1, int(d.Seconds()))
	out, err := exec.CommandContext(ctx, "wrk", "-t2", "-c16", "-d"+strconv.Itoa(secs)+"s", "-s", script, base+"/").CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("wrk: %w: %s", err, out)
	}
	m := wrkRate.FindSubmatch(out)
	if m == nil {
		return 0, fmt.Errorf("wrk: no Requests/sec in output: %s", out)
	}
	return strconv.ParseFloat(string(m[1]), 64)
}

// runKcat produces the dumped records (key TAB value per line), repeated
// to at least minRecords, to a fresh topic with the stories topic's
// partition count, acks=all and the sink's compression and linger, and
// returns records/s over kcat's whole run.
func runKcat(ctx context.Context, brokers []string, topic string, partitions int, dump string, minRecords int, compression string, tmp string) (float64, int, error) {
	if _, err := exec.LookPath("kcat"); err != nil {
		return 0, 0, fmt.Errorf("kcat not installed (apt-get install kcat): %w", err)
	}
	data, err := os.ReadFile(dump)
	if err != nil {
		return 0, 0, err
	}
	lines := bytes.Count(data, []byte("\n"))
	if lines == 0 {
		return 0, 0, fmt.Errorf("kcat: %s holds no records", dump)
	}
	file := filepath.Join(tmp, "kcat-input.tsv")
	f, err := os.Create(file)
	if err != nil {
		return 0, 0, err
	}
	n := 0
	for n < minRecords {
		if _, err := f.Write(data); err != nil {
			f.Close()
			return 0, 0, err
		}
		n += lines
	}
	if err := f.Close(); err != nil {
		return 0, 0, err
	}
	if err := createKcatTopic(ctx, brokers, topic, partitions); err != nil {
		return 0, 0, err
	}
	if compression == "" {
		compression = "none"
	}
	args := []string{"-b", strings.Join(brokers, ","), "-t", topic, "-P", "-K", `\t`,
		"-z", compression, "-X", "acks=all", "-X", "linger.ms=10", "-l", file}
	cmd := exec.CommandContext(ctx, "kcat", args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.Stdout = io.Discard
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return 0, 0, fmt.Errorf("kcat %s: %w: %s", strings.Join(args, " "), err, stderr.String())
	}
	el := time.Since(start).Seconds()
	if s := stderr.String(); strings.Contains(s, "ERROR") || strings.Contains(s, "failed") {
		return 0, 0, fmt.Errorf("kcat reported delivery errors: %s", firstLines(s, 5))
	}
	return float64(n) / el, n, nil
}

// createKcatTopic creates kcat's topic the way the service provisions its own
// (wkafka.Provision): a slow broker or a controller election is retried within
// wkafka.AdminTimeout, and it returns once every partition has a leader, so that kcat's
// first produce does not meet a partition without one.
func createKcatTopic(ctx context.Context, brokers []string, topic string, partitions int) error {
	cn, err := wkafka.NewConn(wkafka.Config{Brokers: brokers})
	if err != nil {
		return err
	}
	spec := wkafka.TopicSpec{Name: topic, Partitions: partitions, ReplicationFactor: 1, CleanupPolicy: "delete"}
	if err := wkafka.Provision(ctx, cn, []wkafka.TopicSpec{spec}, slog.Default()); err != nil {
		return fmt.Errorf("kcat: create topic %s: %w", topic, err)
	}
	return nil
}

func firstLines(s string, n int) string {
	ls := strings.SplitN(s, "\n", n+1)
	if len(ls) > n {
		ls = ls[:n]
	}
	return strings.Join(ls, "\n")
}

// checkLoopback refuses any broker that is not a loopback address: the
// harness floods what it targets.
func checkLoopback(brokers []string) error {
	if len(brokers) == 0 {
		return fmt.Errorf("no broker: pass -brokers or set KAFKA_BROKERS (scripts/kafka.sh start prints it)")
	}
	for _, b := range brokers {
		host, _, err := net.SplitHostPort(b)
		if err != nil {
			return fmt.Errorf("broker %q: %w", b, err)
		}
		ips, err := net.LookupIP(host)
		if err != nil {
			return fmt.Errorf("broker %q: %w", b, err)
		}
		for _, ip := range ips {
			if !ip.IsLoopback() {
				return fmt.Errorf("broker %q resolves to %s: the load harness only targets loopback addresses", b, ip)
			}
		}
	}
	return nil
}
