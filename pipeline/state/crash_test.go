package state

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/fuzzcap"
)

const (
	childEnv     = "WIRESTREAM_STATE_CRASH_CHILD" // the data dir the child writes to
	keysPerBatch = 40
)

func TestMain(m *testing.M) {
	if dir := os.Getenv(childEnv); dir != "" {
		crashChild(dir)
		return
	}
	fuzzcap.MinimizeFor(3 * time.Second) // FuzzRestoreSegment, FuzzDecoder, FuzzReadHints
	os.Exit(m.Run())
}

func batchKV(i int) []string {
	var kv []string
	for j := 0; j < keysPerBatch; j++ {
		kv = append(kv, fmt.Sprintf("s_%05d_%02d", i, j), strings.Repeat("v", 200))
	}
	return kv
}

// crashChild commits batches forever through a fsyncing file log, printing
// each index once Commit (and so fsync) returned: what the parent may count
// as acknowledged. Small compaction bounds make it compact as it goes, so
// kills also land mid-snapshot.
func crashChild(dir string) {
	cfg := DefaultConfig()
	cfg.CompactMinBytes = 256 << 10
	l, err := OpenFile(dir, cfg, nil, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	o := newMapOwner(Stories)
	st, err := Open(context.Background(), l, Options{}, o)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	start := len(o.m) / keysPerBatch
	for i := start; ; i++ {
		o.set(nopTB{}, st, batchKV(i)...)
		fmt.Printf("acked %d\n", i)
	}
}

// nopTB lets the child use the test helpers; a failure there exits.
type nopTB struct{ testing.TB }

func (nopTB) Helper() {}
func (nopTB) Fatal(args ...any) {
	fmt.Fprintln(os.Stderr, args...)
	os.Exit(3)
}

func TestKilledWriterLeavesExactlyTheAcknowledgedBatches(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	dir := t.TempDir()
	total := 0
	for round := 0; round < 4; round++ { // kill at different points, reopening the same log
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), childEnv+"="+dir)
		out, err := cmd.StdoutPipe()
		must(t, err)
		cmd.Stderr = os.Stderr
		must(t, cmd.Start())
		acked := -1
		sc := bufio.NewScanner(out)
		killAt := total + 60 + 45*round
		for sc.Scan() {
			n, err := strconv.Atoi(strings.TrimPrefix(sc.Text(), "acked "))
			if err != nil {
				t.Fatalf("child said %q", sc.Text())
			}
			acked = n
			if n == killAt {
				cmd.Process.Signal(syscall.SIGKILL) // mid-stream: the child is inside its next Commit
			}
		}
		cmd.Wait()
		if acked < killAt {
			t.Fatalf("round %d: child stopped at batch %d before being killed", round, acked)
		}

		st, o, _ := openFileStore(t, dir, DefaultConfig())
		got := o.snapshotMap()
		for i := 0; i <= acked+1; i++ {
			present := 0
			for j := 0; j < keysPerBatch; j++ {
				if _, ok := got[fmt.Sprintf("s_%05d_%02d", i, j)]; ok {
					present++
				}
			}
			switch {
			case i <= acked && present != keysPerBatch:
				t.Fatalf("round %d: acknowledged batch %d has %d of %d keys", round, i, present, keysPerBatch)
			case i == acked+1 && present != 0 && present != keysPerBatch:
				t.Fatalf("round %d: in-flight batch %d is half written (%d keys)", round, i, present)
			}
		}
		if _, ok := got[fmt.Sprintf("s_%05d_00", acked+2)]; ok {
			t.Fatalf("round %d: batch %d, never started, is present", round, acked+2)
		}
		total = len(got) / keysPerBatch
		must(t, st.Close())
		t.Logf("round %d: killed after %d acknowledged batches; log reopened with %d keys", round, acked+1, len(got))
	}
}
