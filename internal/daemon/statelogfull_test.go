//go:build unix

package daemon

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/internal/testkit/fulldisk"
	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
	"github.com/wirestream/wirestream/sources/feed"
)

// Role all on a real broker, its data dir with room for a write's small
// note (state.Written: what the write carries, before it goes out) and
// not for the batch's commit: the note is appended, the story is
// published to the broker, and the commit waits (WaitWhileRefused) —
// the process not ready, wirestream_state_appends_refused 1, the feed not
// read again meanwhile. Once the disk frees the commit lands and the
// note's tombstone after it; a restart on the same data dir remembers the
// story, finds no note to set right, and publishes nothing again: the
// broker holds each story once. Round 28 ran this with a memory sink
// only (pipeline's TestAFullDataDirCostsNoCopyPerRetryOfAFeedAndLosesNothing).
//
// The file-size limit (RLIMIT_FSIZE: the write's EFBIG, as ENOSPC on a
// full disk) is the process's, so the scenario runs in a child process
// whose output is a pipe.
func TestRoleAllWithRoomForTheNoteNotTheCommitPublishesOnceToARealBroker(t *testing.T) {
	brokers := kafkatest.Brokers(t) // skips loudly without a broker, fails under CI=true
	if inChild(t) {
		fullDataDirOnABroker(t, brokers, false)
	}
}

// The same, stopped while the commit waits (the disk still full): the
// batch fails, its note stays in the log, and the restart — the disk
// freed — finds it, supersedes what the note names and decides the story
// again: the broker holds that story twice at most (the one copy a stop
// costs), the others once, and the note is gone after the restart's
// commit.
func TestRoleAllStoppedWhileItsCommitWaitsSetsTheNoteRightAtRestart(t *testing.T) {
	brokers := kafkatest.Brokers(t)
	if inChild(t) {
		fullDataDirOnABroker(t, brokers, true)
	}
}

// inChild reports whether this is the child process that runs t's
// scenario; in the parent it runs the child and reports false.
func inChild(t *testing.T) bool {
	const child = "WIRESTREAM_TEST_FULL_DATA_DIR_BROKER"
	if os.Getenv(child) != "" {
		return true
	}
	{
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^"+t.Name()+"$", "-test.count=1", "-test.v", "-test.timeout=4m")
		cmd.Env = append(os.Environ(), child+"=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("the full data dir's run: %v\n%s", err, out)
		}
		if strings.Contains(string(out), "--- SKIP") {
			t.Skipf("%s", out)
		}
		t.Logf("%s", out)
	}
	return false
}

// fullDataDirFeed is an RSS feed of stories (a few, then one more):
// each with a body full of names and terms, so that its commit (dedupe
// keys, the event's entities and keywords) is many times its note.
func fullDataDirFeed(stories int) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><link>https://wire.example/</link>`)
	places := []string{"Lisbon", "Porto", "Braga", "Faro", "Coimbra", "Aveiro", "Leiria", "Evora"}
	for i := range stories {
		var body strings.Builder
		for j, p := range places {
			fmt.Fprintf(&body, "Mayor %s Almeida%d of %s met Minister %s Costa%d about the harbour%d, the bridge%d and the railway%d. ",
				p, i, p, places[(j+i)%len(places)], j, i*10+j, i*10+j, i*10+j)
		}
		fmt.Fprintf(&b, "<item><title>Council %d of %s approves the harbour plan</title><link>https://wire.example/s%d</link><guid>s%d</guid>"+
			"<pubDate>Sat, 05 Dec 2026 10:%02d:00 GMT</pubDate><description>%s</description></item>\n",
			i, places[i%len(places)], i, i, i, body.String())
	}
	b.WriteString("</channel></rss>")
	return b.String()
}

// fullDataDirOnABroker is the scenario, in the child process.
func fullDataDirOnABroker(t *testing.T, brokers []string, stopWhileWaiting bool) {
	cfg := roleConfig(t, brokers)
	cfg.Role = config.RoleAll
	cfg.State.NoSync = true
	cfg.Poller.AllowNetworks = []string{"127.0.0.0/8"}
	cfg.Poller.StartSpread = 0
	cfg.Poller.MinInterval, cfg.Poller.DefaultInterval, cfg.Poller.MaxInterval = 300*time.Millisecond, 300*time.Millisecond, 300*time.Millisecond
	cfg.Poller.BackoffInitial, cfg.Poller.BackoffMax, cfg.Poller.BackoffJitter = 100*time.Millisecond, time.Second, 0
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	var stories atomic.Int32
	stories.Store(1)
	srv := newFeedServer(t, func(int) string { return fullDataDirFeed(int(stories.Load())) })
	spec := feed.Spec{URL: srv.URL + "/rss"}
	storyTopic := cfg.Kafka.TopicName(record.TypeStory)
	log := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))

	waiting := false // a stop while the commit waits: Run's error is expected
	start := func() (*Daemon, *Metrics, func()) {
		t.Helper()
		m := NewMetrics(prometheus.NewRegistry(), "test")
		ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
		d, err := New(ctx, cfg, Options{Feeds: []feed.Spec{spec}, Metrics: m, Log: log})
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		runCtx, stop := context.WithCancel(t.Context())
		exited := make(chan error, 1)
		go func() { exited <- d.Run(runCtx) }()
		return d, m, func() {
			stop()
			if err := <-exited; err != nil && !waiting {
				t.Errorf("Run: %v", err)
			} else if err != nil {
				t.Logf("Run, stopped while its commit waited: %v", err)
			}
			if err := d.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
		}
	}
	segment := func() int64 {
		segs, _ := filepath.Glob(filepath.Join(cfg.DataDir, state.DirName, "*.log"))
		if len(segs) == 0 {
			t.Fatalf("no segment in %s", cfg.DataDir)
		}
		fi, err := os.Stat(segs[len(segs)-1])
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	// quiet is the newest segment's size once it stopped changing for a
	// few polls (the commit and the feed's saved state are in).
	quiet := func() int64 {
		t.Helper()
		last, since := segment(), time.Now()
		for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			if s := segment(); s != last {
				last, since = s, time.Now()
			} else if time.Since(since) > 5*cfg.Poller.MinInterval {
				return last
			}
		}
		t.Fatal("the state log never stopped growing")
		return 0
	}

	d, m, stop := start()
	empty := segment()
	kafkatest.ReadAll(t, brokers, storyTopic, 1, 2*time.Minute)
	before := quiet()

	// Room for less than one story's appends: its note fits, its commit
	// does not.
	limit := uint64(before + (before-empty)/3)
	lift := fulldisk.LimitFileSize(t, limit)
	stories.Store(2)
	// The second story reaches the broker: its note was appended.
	kafkatest.ReadAll(t, brokers, storyTopic, 2, 2*time.Minute)
	waitFor(t, time.Minute, "the commit was never refused", func() bool {
		return testutil.ToFloat64(m.State.AppendsRefused) == 1
	})
	polled := len(srv.requests())
	time.Sleep(5 * cfg.Poller.MinInterval) // five polls' time: the feed is not read while its batch waits
	ready := d.Store.Ready(context.Background())
	pollsWhileWaiting := len(srv.requests()) - polled
	t.Logf("segment: %d bytes at start, %d after the first story, limit %d", empty, before, limit)
	if stopWhileWaiting {
		waiting = true
		stop()
		waiting = false
		lift()
	} else {
		lift()
		waitFor(t, time.Minute, "appends never got through after the disk freed", func() bool {
			return testutil.ToFloat64(m.State.AppendsRefused) == 0
		})
		quiet()
		stop()
	}

	if ready == nil || !strings.Contains(ready.Error(), "file too large") {
		t.Errorf("Ready while the commit waited = %v, want not ready, naming the cause", ready)
	}
	if pollsWhileWaiting > 1 {
		t.Errorf("the feed was polled %d times while its batch waited for its commit, want at most the one under way", pollsWhileWaiting)
	}

	// A restart on the same data dir. After the commit landed, it
	// remembers both stories and finds no note to set right: nothing is
	// published again. After a stop while it waited, it finds the note,
	// and its first commit deletes it.
	d2, _, stop2 := start()
	notes := len(d2.Store.Written())
	remembered := d2.Remembered()
	polled = len(srv.requests())
	waitFor(t, time.Minute, "the restarted process never polled the feed", func() bool { return len(srv.requests()) >= polled+2 })
	waitFor(t, time.Minute, "the restart never deleted the notes it found", func() bool { return len(d2.Store.Written()) == 0 })
	stop2()
	t.Logf("the restart found %d notes and remembered %d stories", notes, remembered)
	want := map[string]int{"s0": 1, "s1": 1}
	if stopWhileWaiting {
		want["s1"] = 2 // the copy a stop costs
	}
	switch {
	case !stopWhileWaiting && notes != 0:
		t.Errorf("the restart found %d notes of writes never committed, want 0 (the commit landed, then the notes' tombstones)", notes)
	case !stopWhileWaiting && remembered < 2:
		t.Errorf("the restart remembers %d stories, want 2", remembered)
	case stopWhileWaiting && notes == 0:
		t.Errorf("the restart found no note of the write whose commit never landed")
	}
	perID := map[string]int{}
	for _, msg := range kafkatest.ReadAll(t, brokers, storyTopic, 2, time.Minute) {
		var s record.Story
		if err := json.Unmarshal(msg.Value, &s); err != nil {
			t.Fatalf("story message: %v", err)
		}
		perID[s.GUID]++
	}
	t.Logf("stories on the broker by guid: %v; polls while the commit waited: %d", perID, pollsWhileWaiting)
	if len(perID) != 2 || perID["s0"] != 1 || perID["s1"] < 1 || perID["s1"] > want["s1"] {
		t.Errorf("stories on the broker by guid: %v, want s0 once and s1 at most %d times", perID, want["s1"])
	}
}
