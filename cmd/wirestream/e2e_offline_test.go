package main

// End-to-end tests that need no external broker: the demo on the
// embedded broker read with kcat (issue 5, "Done when"), and `process` over
// the shared real news data (issues 4 and 6, "Done when").

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/eval/datasets"
	"github.com/wirestream/wirestream/internal/testkit"
	"github.com/wirestream/wirestream/internal/testkit/shareddata"
	"github.com/wirestream/wirestream/pipeline/record/schema"
)

// freeAddr returns a loopback address nothing listens on right now.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// Issue 5, "Done when": `wirestream run --demo` with no brokers configured
// serves the embedded broker, says it is in memory and for development,
// and kcat reads schema-valid story records from it.
func TestE2EDemoOnTheEmbeddedBrokerIsReadableWithKcat(t *testing.T) {
	t.Parallel()
	kcat, err := exec.LookPath("kcat")
	if err != nil {
		testkit.Missing(t, "kcat is not on PATH: install it (scripts/kafka.sh install, or apt-get install kcat)")
	}
	addr := freeAddr(t) // not 9092: a developer's demo may be running
	cfg := e2eConfig{DataDir: filepath.Join(t.TempDir(), "data"), EmbeddedAddr: addr, ShutdownTimeout: 30 * time.Second, MaxInFlight: 4, Pprof: true}
	d := startDaemon(t, cfg.write(t, t.TempDir()), "--demo")
	if code, body, err := d.get("/debug/pprof/goroutine?debug=1"); err != nil || code != 200 || !strings.Contains(body, "goroutine profile") {
		t.Errorf("with pprof: true, /debug/pprof/goroutine answered %d %.60q (%v); want the goroutine profile", code, body, err)
	}
	line := d.waitLog("embedded Kafka broker started", 30*time.Second)
	if !strings.Contains(line, "IN MEMORY") || !strings.Contains(line, "DEVELOPMENT") || !strings.Contains(line, addr) {
		t.Errorf("the embedded broker's start-up line should say it is in memory, for development, and where: %s", line)
	}
	const want = 10
	e2eEventually(t, 90*time.Second, func() bool { return d.storiesAcked() >= want }, func() string {
		return "demo stories acknowledged: " + strconv.Itoa(d.storiesAcked())
	})

	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, kcat, "-b", addr, "-t", "wirestream.stories", "-C", "-e", "-q")
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := runTied(cmd); err != nil {
		t.Fatalf("kcat -b %s -t wirestream.stories -C -e -q: %v\n%s", addr, err, stderr.String())
	}
	n := 0
	sc := bufio.NewScanner(&stdout)
	sc.Buffer(nil, 4<<20)
	for sc.Scan() {
		raw := bytes.TrimSpace(sc.Bytes())
		if len(raw) == 0 {
			continue
		}
		n++
		if err := schema.Validate(raw); err != nil {
			t.Errorf("kcat record %d: %v", n, err)
			continue
		}
		var head struct{ Type string }
		if err := json.Unmarshal(raw, &head); err != nil || head.Type != "story" {
			t.Errorf("kcat record %d on the stories topic has type %q", n, head.Type)
		}
	}
	if n < want {
		t.Errorf("kcat read %d story records, want at least %d (the run acknowledged %d)", n, want, d.storiesAcked())
	}
	t.Logf("demo on the embedded broker %s: kcat read %d schema-valid story records", addr, n)
	stopCleanly(t, d, cfg.ShutdownTimeout)
}

// Issues 4 and 6, "Done when": `wirestream process` over the shared real
// news (uci-news headlines and wikiref220 articles, as JSONL items) writes
// records that all validate against the schema, and every story carries
// its language, keywords, topics, event and, for full articles, entities.
func TestE2EProcessOverTheSharedNewsData(t *testing.T) {
	t.Parallel()
	uci, wiki := shareddata.UCI(t), shareddata.WikiRef(t)
	tmp := t.TempDir()
	in, out := filepath.Join(tmp, "items.jsonl"), filepath.Join(tmp, "records.jsonl")
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for _, d := range append(uci, wiki...) {
		if err := enc.Encode(d.Item); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(in, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}

	// The run is ≈ 6 CPU-s under -race; on a 2-core box at load 50 (round
	// 38's CI beside eight engineers' benchmarks) it got so little of a core
	// that 5 minutes ran out after every item was decided. The bound is there
	// to catch a hang, not to time the run.
	ctx, cancel := context.WithTimeout(t.Context(), 15*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, wirestreamBinary(t), "process", "--log-format", "json", "--progress", "never", "--out", out, in)
	cmd.Env = e2eEnv()
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	start := time.Now()
	if err := runTied(cmd); err != nil {
		t.Fatalf("wirestream process: %v\n%s", err, lastLines(logs.String(), 30))
	}
	took := time.Since(start)

	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	byType := map[string]int{}
	var invalid int
	type share struct{ n, lang, ent, kw, topics, event int }
	var uciS, wikiS share
	for i, raw := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
		if err := schema.Validate(raw); err != nil {
			if invalid++; invalid <= 5 {
				t.Errorf("record %d does not validate: %v", i+1, err)
			}
			continue
		}
		var r struct {
			Type, ID, Language         string
			EventID                    string `json:"event_id"`
			Feed                       struct{ URL string }
			Entities, Keywords, Topics []json.RawMessage
		}
		if err := json.Unmarshal(raw, &r); err != nil {
			t.Fatalf("record %d: %v", i+1, err)
		}
		byType[r.Type]++
		if r.Type != "story" {
			continue
		}
		s := &uciS
		if r.Feed.URL == datasets.WikiRefFeed {
			s = &wikiS
		}
		s.n++
		s.lang += b2i(r.Language != "")
		s.ent += b2i(len(r.Entities) > 0)
		s.kw += b2i(len(r.Keywords) > 0)
		s.topics += b2i(len(r.Topics) > 0)
		s.event += b2i(r.EventID != "")
	}
	items := len(uci) + len(wiki)
	t.Logf("process over %d items (%d uci-news headlines, %d wikiref220 articles) in %v: records by type %v; %d invalid", items, len(uci), len(wiki), took.Round(time.Millisecond), byType, invalid)
	t.Logf("stories with language/entities/keywords/topics/event_id: uci-news %d/%d/%d/%d/%d of %d, wikiref220 %d/%d/%d/%d/%d of %d",
		uciS.lang, uciS.ent, uciS.kw, uciS.topics, uciS.event, uciS.n, wikiS.lang, wikiS.ent, wikiS.kw, wikiS.topics, wikiS.event, wikiS.n)

	if got := byType["story"] + byType["duplicate"] + byType["dead_letter"]; float64(got) < 0.99*float64(items) {
		t.Errorf("%d items became %d stories, duplicates and dead letters; want every item accounted for", items, got)
	}
	if byType["dead_letter"] > 0 {
		t.Errorf("%d items of clean news data were dead-lettered", byType["dead_letter"])
	}
	if byType["event"] == 0 {
		t.Error("no event records")
	}
	for _, c := range []struct {
		name string
		s    share
	}{{"uci-news", uciS}, {"wikiref220", wikiS}} {
		if c.s.n == 0 {
			t.Errorf("%s: no stories", c.name)
			continue
		}
		for what, got := range map[string]int{"language": c.s.lang, "keywords": c.s.kw, "topics": c.s.topics, "event_id": c.s.event} {
			if got != c.s.n {
				t.Errorf("%s: %d of %d stories have no %s", c.name, c.s.n-got, c.s.n, what)
			}
		}
	}
	if wikiS.ent != wikiS.n {
		t.Errorf("wikiref220: %d of %d full articles have no entities", wikiS.n-wikiS.ent, wikiS.n)
	}
	// Headlines are short and many name no one ("Stocks fall as …");
	// measured 60 % with entities.
	if uciS.n > 0 && float64(uciS.ent) < 0.5*float64(uciS.n) {
		t.Errorf("uci-news: only %d of %d headlines have entities, want at least half", uciS.ent, uciS.n)
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// A restart on the embedded broker with a kept data_dir: the broker's
// topics start empty, but the state remembers what earlier runs
// published, so `tail --from-beginning` showed nothing and `feeds status`
// only the feeds polled since, with no word in the log. The start says so
// and what to do; a fresh data_dir says nothing.
func TestE2EAKeptStateOnTheEmbeddedBrokerIsSaidAtStart(t *testing.T) {
	t.Parallel()
	const warning = "the embedded broker starts empty, but data_dir keeps the state of earlier runs"
	for _, kept := range []bool{true, false} {
		dir := filepath.Join(t.TempDir(), "data")
		if kept {
			if code, _, stderr := runCLI(t, "", "process", "--progress", "never", "--data-dir", dir, "../../sources/feed/testdata/feeds/bbc-world.xml"); code != 0 {
				t.Fatalf("process: exit %d: %s", code, stderr)
			}
		}
		cfg := e2eConfig{DataDir: dir, EmbeddedAddr: freeAddr(t), ShutdownTimeout: 30 * time.Second, MaxInFlight: 4}
		d := startDaemon(t, cfg.write(t, t.TempDir()))
		d.waitLog("wirestream running", 60*time.Second)
		stopCleanly(t, d, cfg.ShutdownTimeout)
		if got := strings.Contains(d.log.String(), warning); got != kept {
			t.Errorf("state kept %v: start warned %v, want %v:\n%s", kept, got, kept, d.log.String())
		}
	}
}
