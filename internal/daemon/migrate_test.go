package daemon

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/pipeline/state"
)

// A migration reads the run's data_dir under its lock: with the run still going it is
// refused before anything is asked of Kafka, saying to stop the run; a directory that holds
// no state log is refused too, not created empty and "migrated".
func TestMigrateRefusesARunningOrAnEmptyDataDir(t *testing.T) {
	cfg := config.Default()
	cfg.Kafka.Brokers = []string{"127.0.0.1:1"} // never reached
	ctx := context.Background()

	empty := t.TempDir()
	if _, err := MigrateState(ctx, cfg, empty, false, nil); err == nil || !strings.Contains(err.Error(), "holds no state") {
		t.Errorf("an empty data dir: %v", err)
	}
	if _, err := os.Stat(filepath.Join(empty, state.DirName)); err == nil {
		t.Errorf("migrate created a state log in the empty data dir")
	}

	held := t.TempDir()
	run, err := state.OpenFile(held, cfg.State, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer run.Close()
	if _, err := MigrateState(ctx, cfg, held, false, nil); err == nil || !strings.Contains(err.Error(), "stop the run in role all first") {
		t.Errorf("a data dir a run holds: %v", err)
	}
}

// The fold keeps each key's last value at its place in the log, leaves deleted keys out, and
// takes the feeds' poll state apart.
func TestReadFileStateFoldsTheLog(t *testing.T) {
	dir := t.TempDir()
	cfg := config.Default()
	fl, err := state.OpenFile(dir, cfg.State, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := fl.Restore(ctx, func(state.Entry) error { return nil }); err != nil {
		t.Fatal(err)
	}
	for _, es := range [][]state.Entry{
		{{Table: state.Stories, Key: []byte("a"), Value: []byte("1")}, {Table: state.Events, Key: []byte("e"), Value: []byte("x")}},
		{{Table: state.Feeds, Key: []byte("https://f.example/rss"), Value: []byte("etag")}, {Table: state.Stories, Key: []byte("b"), Value: []byte("2")}},
		{{Table: state.Stories, Key: []byte("a"), Value: []byte("3")}, {Table: state.Stories, Key: []byte("b")}, {Table: state.Spikes, Key: []byte("s"), Value: []byte{}}},
	} {
		if err := fl.Append(ctx, es); err != nil {
			t.Fatal(err)
		}
	}
	fl.Close()
	entries, feeds, err := readFileState(ctx, dir, cfg.State, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Table.String()+"/"+string(e.Key)+"="+string(e.Value))
	}
	if want := "events/e=x stories/a=3 spikes/s="; strings.Join(got, " ") != want {
		t.Errorf("folded entries %q, want %q", strings.Join(got, " "), want)
	}
	if entries[2].Value == nil {
		t.Errorf("an empty value became a tombstone")
	}
	if len(feeds) != 1 || string(feeds["https://f.example/rss"]) != "etag" {
		t.Errorf("feeds %q", feeds)
	}
}
