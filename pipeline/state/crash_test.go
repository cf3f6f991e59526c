package state

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

const (
	childEnv      = "WIRESTREAM_STATE_CRASH_CHILD" // the data dir the child writes to
	storiesPerTxn = 40
)

func TestMain(m *testing.M) {
	if dir := os.Getenv(childEnv); dir != "" {
		crashChild(dir)
		return
	}
	os.Exit(m.Run())
}

func batchChanges(i int, now time.Time) Changes {
	c := Changes{Stories: map[string]Seen{}, Aliases: map[string]string{}}
	for j := 0; j < storiesPerTxn; j++ {
		id := fmt.Sprintf("s_%05d_%02d", i, j)
		u := URLAlias("https://news.example/" + id)
		c.Stories[id] = Seen{ID: id, Version: 1, ContentHash: id, FirstSeen: now, LastSeen: now, Aliases: []string{u}}
		c.Aliases[u] = id
		c.Fingerprints = append(c.Fingerprints, Fingerprint{StoryID: id, FirstSeen: now, Sig: make([]byte, 264)})
	}
	return c
}

// crashChild applies batches forever, printing each index once Apply (and
// so fsync) returned: what the parent may count as acknowledged.
func crashChild(dir string) {
	st, err := OpenBolt(dir, DefaultConfig(), nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	now := time.Now()
	for i := 0; ; i++ {
		if err := st.Apply(batchChanges(i, now)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
		fmt.Printf("acked %d\n", i)
	}
}

func TestKilledWriterLeavesExactlyTheAcknowledgedBatches(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	dir := t.TempDir()
	for round := 0; round < 3; round++ { // kill at different points, reopening the same file
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), childEnv+"="+dir)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		acked := -1
		sc := bufio.NewScanner(out)
		killAt := 20 + 15*round
		for sc.Scan() {
			n, err := strconv.Atoi(strings.TrimPrefix(sc.Text(), "acked "))
			if err != nil {
				t.Fatalf("child said %q", sc.Text())
			}
			acked = n
			if n == killAt {
				cmd.Process.Signal(syscall.SIGKILL) // mid-stream: the child is inside its next Apply
			}
		}
		cmd.Wait()
		if acked < killAt {
			t.Fatalf("round %d: child stopped at batch %d before being killed", round, acked)
		}

		st, err := OpenBolt(dir, DefaultConfig(), nil)
		if err != nil {
			t.Fatalf("round %d: reopen after SIGKILL: %v", round, err)
		}
		for i := 0; i <= acked+1; i++ {
			present := 0
			for j := 0; j < storiesPerTxn; j++ {
				id := fmt.Sprintf("s_%05d_%02d", i, j)
				s, ok, err := st.Story(id)
				if err != nil {
					t.Fatal(err)
				}
				alias, aok, _ := st.Alias(URLAlias("https://news.example/" + id))
				if ok && (s.ID != id || !aok || alias != id) {
					t.Fatalf("round %d: story %s stored without its alias", round, id)
				}
				if ok {
					present++
				}
			}
			switch {
			case i <= acked && present != storiesPerTxn:
				t.Fatalf("round %d: acknowledged batch %d has %d of %d stories", round, i, present, storiesPerTxn)
			case i == acked+1 && present != 0 && present != storiesPerTxn:
				t.Fatalf("round %d: in-flight batch %d is half written (%d stories)", round, i, present)
			}
		}
		if s, ok, _ := st.Story(fmt.Sprintf("s_%05d_00", acked+2)); ok {
			t.Fatalf("round %d: batch %d, never started, is present: %+v", round, acked+2, s)
		}
		n, _ := st.Count()
		if n < (acked+1)*storiesPerTxn || n > (acked+2)*storiesPerTxn {
			t.Fatalf("round %d: count %d for %d acknowledged batches", round, n, acked+1)
		}
		st.Close()
		t.Logf("round %d: killed after %d acknowledged batches; store reopened with %d entries", round, acked+1, n)
	}
}
