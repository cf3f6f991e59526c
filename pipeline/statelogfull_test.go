//go:build unix

package pipeline

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/wirestream/wirestream/internal/testkit/fulldisk"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
)

// A data dir that cannot grow (here RLIMIT_FSIZE, which the Go runtime
// turns into the write's EFBIG) while feeds keep polling: role all's file
// log (WaitWhileRefused) keeps each written batch at its commit, retrying
// with backoff, so the pipeline stops taking batches and a feed's retries
// publish nothing more. faults28 measured, before: every commit failed,
// the batch was acked with the error, its feed read it again after its
// backoff and the pipeline decided and published it again — one copy per
// retry per feed for as long as the disk was full (155 in 90 s). Counted
// here: each story published once (twice at most) during a 1 s outage in
// which each feed would retry every 50 ms, and nothing lost when the disk frees —
// every batch acked nil, every story in the log after a restart.
// /readyz (the store's Ready) answers while the commit waits, naming the
// file, and the gauge an alert reads is 1, then 0.
//
// The file-size limit is the process's, so the scenario runs in a child
// process whose output is a pipe (a limit on the test's own output file
// would cut it), on the wall clock: a commit waits on the store's mutex,
// which testing/synctest does not count as blocked.
func TestAFullDataDirCostsNoCopyPerRetryOfAFeedAndLosesNothing(t *testing.T) {
	const child = "WIRESTREAM_TEST_FULL_DATA_DIR"
	if os.Getenv(child) == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^"+t.Name()+"$", "-test.count=1", "-test.v", "-test.timeout=60s")
		cmd.Env = append(os.Environ(), child+"=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("the full data dir's run: %v\n%s", err, out)
		}
		if strings.Contains(string(out), "--- SKIP") {
			t.Skipf("%s", out)
		}
		return
	}
	fullDataDir(t)
}

// fullDataDir is the scenario, in the child process.
func fullDataDir(t *testing.T) {
	dir := t.TempDir()
	cfg := state.DefaultConfig()
	cfg.NoSync = true
	m := state.NewMetrics(nil)
	fl, err := state.OpenFile(dir, cfg, m, nil)
	if err != nil {
		t.Fatal(err)
	}
	fl.WaitWhileRefused()
	sink := &memSink{}
	p := newPipeline(t, fl, sink, DefaultConfig())
	in := make(chan record.Batch)
	done := make(chan error)
	go func() { done <- p.Run(context.Background(), in) }()

	// A feed polled again 50 ms after a failed ack (the poller's
	// backoff, shortened), until one is acked nil.
	var mu sync.Mutex
	tries := map[string]int{}
	var feeds sync.WaitGroup
	poll := func(feed string, n int) {
		feeds.Go(func() {
			for {
				acked := make(chan error, 1)
				in <- record.Batch{
					Feed:  record.FeedRef{URL: feed},
					Items: []record.Item{item(feed, n, feed+"#1", feed+"/story", "Story of "+feed, texts[n])},
					Ack:   func(_ context.Context, err error) { acked <- err },
				}
				mu.Lock()
				tries[feed]++
				mu.Unlock()
				if <-acked == nil {
					return
				}
				time.Sleep(50 * time.Millisecond)
			}
		})
	}
	before := logSize(t, dir)
	poll("https://a.example/rss", 0) // committed before the disk fills
	feeds.Wait()

	// Room for half a poll's appends: a few notes of what a write carried
	// (a story's id: tens of bytes) fit, a batch's commit (its dedupe
	// keys and fingerprint) does not — a data dir that just filled, as
	// faults28's refused 5361-entry commits.
	size := logSize(t, dir)
	limit := size + (size-before)/2
	lift := fulldisk.LimitFileSize(t, uint64(limit))
	poll("https://b.example/rss", 1)
	poll("https://c.example/rss", 2)
	time.Sleep(time.Second)                        // twenty retries' time for each feed
	ready := p.d.Store.Ready(context.Background()) // must not wait on the commit
	refused := testutil.ToFloat64(m.AppendsRefused)
	lift()
	feeds.Wait() // the commit gets through: every feed acked nil

	if ready == nil || !strings.Contains(ready.Error(), filepath.Join(dir, state.DirName)) || !strings.Contains(ready.Error(), "file too large") {
		t.Errorf("Ready while the data dir refused appends = %v, want the file and the cause", ready)
	}
	if refused != 1 || testutil.ToFloat64(m.AppendsRefused) != 0 {
		t.Errorf("wirestream_state_appends_refused %v during the outage and %v after, want 1 and 0", refused, testutil.ToFloat64(m.AppendsRefused))
	}
	published := map[string]int{}
	for _, r := range sink.byType()[record.TypeStory] {
		published[r.(*record.Story).URL]++
	}
	for feed, n := range tries {
		t.Logf("the story of %s: polled %d times, published %d times", feed, n, published[feed+"/story"])
		if got := published[feed+"/story"]; got < 1 || got > 2 {
			t.Errorf("the story of %s (polled %d times) published %d times, want once, or twice at most", feed, n, got)
		}
	}
	close(in)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err := p.d.Store.Close(); err != nil {
		t.Fatal(err)
	}
	again := newPipeline(t, openLog(t, dir), &memSink{}, DefaultConfig())
	if n := remembered(again); n != 3 {
		t.Errorf("%d stories in the state log after the disk freed, want 3", n)
	}
}

// logSize is the size of the newest segment of the file log in dir.
func logSize(t *testing.T, dir string) int64 {
	t.Helper()
	segs, err := filepath.Glob(filepath.Join(dir, state.DirName, "*.log"))
	if err != nil || len(segs) == 0 {
		t.Fatalf("no segment in %s: %v", dir, err)
	}
	fi, err := os.Stat(segs[len(segs)-1])
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}
