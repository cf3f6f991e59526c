package kafkastate

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/state"
)

// restoreRefusing restores partition 0 as a Store whose owner cannot read
// the values that start with "BAD" does: the callback says so with
// state.UnreadableEntryError.
func (f *fixture) restoreRefusing() (map[string]string, error) {
	f.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	l, err := Open(ctx, f.cn, f.topic, 0, Options{Log: testLog(f.t)})
	if err != nil {
		f.t.Fatal(err)
	}
	defer l.Close()
	m := map[string]string{}
	err = l.Restore(ctx, func(e state.Entry) error {
		switch {
		case strings.HasPrefix(string(e.Value), "BAD"):
			return &state.UnreadableEntryError{Table: e.Table, Key: e.Key, Err: errors.New("no value of this table")}
		case e.Value == nil:
			delete(m, string(e.Key))
		default:
			m[string(e.Key)] = string(e.Value)
		}
		return nil
	})
	return m, err
}

// A few records of the changelog that no table reads — a foreign
// producer's — are skipped, each key restored as deleted whatever came
// before it (as compaction will leave it); the rest is restored. Before
// round 29 the first one failed the restore, and with it every later one.
func TestAFewUnreadableRecordsAreSkippedAsDeletes(t *testing.T) {
	f := newFixture(t, 1)
	l, _, _ := f.open(0, Options{})
	appendKV(t, l, state.Stories, "k1", "v1", "k2", "v2", "k3", "v3", "k4", "v4", "k2", "BAD foreign bytes", "k5", "BAD")
	l.Close()
	m, err := f.restoreRefusing()
	if err != nil {
		t.Fatalf("restore with 2 unreadable records of 6: %v", err)
	}
	if want := map[string]string{"k1": "v1", "k3": "v3", "k4": "v4"}; fmt.Sprint(m) != fmt.Sprint(want) {
		t.Fatalf("restored %v, want %v", m, want)
	}
}

// A changelog most of whose records no table reads is not a few foreign
// records: read as an almost empty state it would be written over, so the
// restore fails and says what it could be.
func TestAChangelogMostlyUnreadableIsRefused(t *testing.T) {
	f := newFixture(t, 1)
	l, _, _ := f.open(0, Options{})
	appendKV(t, l, state.Stories, "k1", "v1", "k2", "BAD", "k3", "BAD")
	l.Close()
	_, err := f.restoreRefusing()
	if err == nil || !strings.Contains(err.Error(), UnreadableMostMsg) || !strings.Contains(err.Error(), "2 of 3 records") {
		t.Fatalf("restore of a changelog of 2 unreadable records in 3: %v, want %q", err, UnreadableMostMsg)
	}
}
