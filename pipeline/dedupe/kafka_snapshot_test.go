package dedupe

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/kafkastate"
	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	"github.com/wirestream/wirestream/pipeline/state"
	wkafka "github.com/wirestream/wirestream/sinks/kafka"
)

// loadCounter counts the entries a restore hands the deduper: fewer than
// the changelog holds when the restore started from the local snapshot.
type loadCounter struct {
	*Deduper
	loaded int
}

func (c *loadCounter) Load(e state.Entry) error {
	c.loaded++
	return c.Deduper.Load(e)
}

// The Kafka changelog's local snapshot is written by SnapshotFile from the
// entries Snapshot cuts out of one array reused from chunk to chunk (and
// one 16-byte alias array): a restore from that snapshot, with the
// changelog's tail after it or without, and a restore of the whole
// changelog, all hold what memory held. The state spans several chunks, of
// stories and of aliases, so an entry kept by reference
// would read back as a later chunk's bytes.
func TestARestoreFromTheKafkaChangelogsLocalSnapshotOfReusedChunksIsMemory(t *testing.T) {
	brokers := kafkatest.Brokers(t)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cn, err := wkafka.NewConn(wkafka.Config{Brokers: brokers})
	if err != nil {
		t.Fatal(err)
	}
	lg := slog.New(slog.NewTextHandler(io.Discard, nil))
	cl := state.DefaultConfig().Changelog
	prefix := kafkatest.TopicPrefix(t, brokers, func(p string) []string { return []string{p + cl.Name} })
	topic := prefix + cl.Name
	if err := kafkastate.Ensure(ctx, cn, kafkastate.Spec(prefix, cl, 1, 1, 1), lg); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cache := filepath.Join(dir, fmt.Sprintf("%s-0.snap", topic))
	open := func() (*loadCounter, *state.Store) {
		t.Helper()
		l, err := kafkastate.Open(ctx, cn, topic, 0, kafkastate.Options{Log: lg, CacheDir: dir, NoSync: true, CacheMinBytes: 1})
		if err != nil {
			t.Fatal(err)
		}
		d, err := New(DefaultConfig(), BoundsOf(state.DefaultConfig()), nil)
		if err != nil {
			t.Fatal(err)
		}
		c := &loadCounter{Deduper: d}
		st, err := state.Open(ctx, l, state.Options{}, c)
		if err != nil {
			t.Fatal(err)
		}
		return c, st
	}
	restored := func(name string, want string) int {
		t.Helper()
		c, st := open()
		defer st.Close()
		if got := snapshotOf(t, c.Deduper); got != want {
			t.Errorf("restored %s: the deduper's state differs from memory's", name)
		}
		return c.loaded
	}

	live, st := open()
	g := newStreamGen(43)
	feedStream(t, live.Deduper, st, g, 0, 5000, t0)
	// The stories, copies and fingerprints walks share the one array, so
	// the stories alone spanning chunks puts every later walk over
	// overwritten bytes.
	if n := live.Count(state.Stories); n <= snapshotChunk {
		t.Fatalf("%d story entries: not several chunks", n)
	}
	if n := live.Count(state.Aliases); n <= snapshotChunk {
		t.Fatalf("%d aliases: not several chunks", n)
	}
	if err := st.Compact(); err != nil {
		t.Fatal(err)
	}
	mid, err := os.ReadFile(cache)
	if err != nil {
		t.Fatal(err)
	}
	feedStream(t, live.Deduper, st, g, 5000, 300, t0)
	want := snapshotOf(t, live.Deduper)
	if err := st.Close(); err != nil { // writes the snapshot of the whole
		t.Fatal(err)
	}

	atClose := restored("from the snapshot taken at close", want)
	if err := os.WriteFile(cache, mid, 0o600); err != nil {
		t.Fatal(err)
	}
	withTail := restored("from the snapshot taken midway and the changelog after it", want)
	if err := os.Remove(cache); err != nil {
		t.Fatal(err)
	}
	whole := restored("from the whole changelog", want)
	t.Logf("entries loaded: %d from the snapshot at close, %d from the one midway and its tail, %d from the changelog", atClose, withTail, whole)
	if atClose >= whole || withTail >= whole {
		t.Errorf("a restore with a local snapshot loaded as many entries as the whole changelog (%d, %d of %d): the snapshot was not used", atClose, withTail, whole)
	}
}
