package kafkastate

import (
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/wirestream/wirestream/pipeline/state"
)

func TestSizeHintsLiveBesideTheLocalSnapshotOnly(t *testing.T) {
	hint := []state.Entry{{Table: state.Stories, Key: []byte{}, Value: []byte{3, 0, 9, 3}}}
	l := &Log{path: filepath.Join(t.TempDir(), "topic-0.snap"), log: slog.New(slog.DiscardHandler)}
	if got := l.Hints(); got != nil {
		t.Fatalf("hints before any were saved: %v", got)
	}
	if err := l.SaveHints(hint); err != nil {
		t.Fatal(err)
	}
	got := l.Hints()
	if len(got) != 1 || got[0].Table != state.Stories || len(got[0].Key) != 0 || string(got[0].Value) != string(hint[0].Value) {
		t.Fatalf("hints read back as %v, want %v", got, hint)
	}
	none := &Log{log: slog.New(slog.DiscardHandler)} // no cache directory
	if err := none.SaveHints(hint); err != nil || none.Hints() != nil {
		t.Fatalf("a log without a cache directory kept hints (err %v)", err)
	}
}
