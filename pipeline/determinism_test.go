package pipeline

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/testkit/archive"
	"github.com/wirestream/wirestream/pipeline/state"
)

// Two runs over the same input under the same clock write the same state
// log, byte for byte — every stage's changes in a canonical order, not a
// map's — and, compacted, the same snapshot: so a state directory can be
// compared, diffed and cached by content.
func TestTheSameInputUnderTheSameClockWritesTheSameStateBytes(t *testing.T) {
	now := func() time.Time { return archive.Start.Add(96 * time.Hour) }
	var logs, snaps [2][]byte
	for i := range 2 {
		dir := t.TempDir()
		p := durablePipelineWith(t, dir, &memSink{}, DefaultConfig(), now)
		finishRun(t, p, archive.Polls())
		logs[i] = stateDir(t, dir)
		if err := p.d.Store.Compact(); err != nil {
			t.Fatal(err)
		}
		snaps[i] = stateDir(t, dir)
		if err := p.d.Store.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if len(logs[0]) < 10_000 {
		t.Fatalf("the run logged %d bytes of state: the comparison proves little", len(logs[0]))
	}
	if !bytes.Equal(logs[0], logs[1]) {
		t.Error("the state logs of two runs over the same input differ")
	}
	if !bytes.Equal(snaps[0], snaps[1]) {
		t.Error("the snapshots of two runs over the same input differ")
	}
}

// stateDir is the state log's files in dataDir, each name then its bytes
// (the lock file aside).
func stateDir(t *testing.T, dataDir string) []byte {
	t.Helper()
	dir := filepath.Join(dataDir, state.DirName)
	des, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []byte
	for _, de := range des {
		if de.Name() == "LOCK" {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, de.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out = append(append(append(out, de.Name()...), '\n'), b...)
	}
	return out
}
