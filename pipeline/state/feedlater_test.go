package state

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// saveFeeds saves n feeds' states twice each (the second state replaces
// the first), either as bytes (SaveFeedState) or as bytes and the
// function that gives them again (SaveFeedStateLater), then compacts the
// log and closes the store. It returns how often the store asked for a
// state again.
func saveFeeds(t *testing.T, dir string, later bool, n int) int {
	t.Helper()
	st, _, _ := openFileStore(t, dir, testConfig())
	asked := 0
	ctx := context.Background()
	for round := range 2 {
		for i := range n {
			url := fmt.Sprintf("https://feeds.example/%d.xml", i)
			state := fmt.Sprintf(`{"v":1,"etag":"round %d of feed %d"}`, round, i)
			var err error
			if later {
				data := []byte(state)
				err = st.SaveFeedStateLater(ctx, url, data, func() ([]byte, error) {
					asked++
					return []byte(state), nil
				})
				clear(data) // the store may not keep what it was handed
			} else {
				err = st.SaveFeedState(ctx, url, []byte(state))
			}
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := st.Compact(); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	return asked
}

// A feed state saved for later is appended as the bytes it came with and
// kept as the function that gives them again: the snapshot writes the
// same files, byte for byte, as one of states kept as bytes, and a
// restore gives every feed its last state.
func TestAFeedStateSavedForLaterSnapshotsToTheSameBytes(t *testing.T) {
	const feeds = 50
	asBytes, forLater := t.TempDir(), t.TempDir()
	saveFeeds(t, asBytes, false, feeds)
	if asked := saveFeeds(t, forLater, true, feeds); asked < feeds {
		t.Errorf("the snapshot asked for %d states again, want every feed's (%d)", asked, feeds)
	}
	if got, want := restoredFrom(t, forLater), restoredFrom(t, asBytes); got != want {
		t.Errorf("restored\n%s\nwant\n%s", got, want)
	}
	names := func(dir string) []string {
		es, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range es {
			out = append(out, e.Name())
		}
		return out
	}
	if a, b := names(asBytes), names(forLater); !slices.Equal(a, b) {
		t.Fatalf("files %v, want %v", b, a)
	}
	for _, name := range names(asBytes) {
		if name == "LOCK" || filepath.Ext(name) == ".lock" {
			continue
		}
		a, _ := os.ReadFile(filepath.Join(asBytes, name))
		b, _ := os.ReadFile(filepath.Join(forLater, name))
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs from the one of states kept as bytes (%d bytes, want %d)", name, len(b), len(a))
		}
	}
	st, _, _ := openFileStore(t, forLater, testConfig())
	defer st.Close()
	got, err := st.LoadFeedState("https://feeds.example/7.xml")
	if err != nil || string(got) != `{"v":1,"etag":"round 1 of feed 7"}` {
		t.Errorf("feed 7's state after the restore: %q, %v", got, err)
	}
}

// Before the next snapshot, LoadFeedState reads a state saved for later
// from its function, and a failure to give it again fails the snapshot
// (the log keeps its files) rather than writing a wrong one.
func TestAFeedStateSavedForLaterIsReadFromItsFunction(t *testing.T) {
	dir := t.TempDir()
	st, _, _ := openFileStore(t, dir, testConfig())
	defer st.Close()
	ctx := context.Background()
	const url = "https://feeds.example/a.xml"
	fail := false
	again := func() ([]byte, error) {
		if fail {
			return nil, fmt.Errorf("cannot encode")
		}
		return []byte(`{"v":1}`), nil
	}
	if err := st.SaveFeedStateLater(ctx, url, []byte(`{"v":1}`), again); err != nil {
		t.Fatal(err)
	}
	if got, err := st.LoadFeedState(url); err != nil || string(got) != `{"v":1}` {
		t.Errorf("LoadFeedState = %q, %v", got, err)
	}
	fail = true
	if err := st.Compact(); err == nil {
		t.Error("a snapshot whose feed state could not be encoded again succeeded")
	}
	fail = false
	if err := st.SaveFeedState(ctx, url, []byte(`{"v":1,"etag":"x"}`)); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.LoadFeedState(url); string(got) != `{"v":1,"etag":"x"}` {
		t.Errorf("a state saved as bytes after one saved for later: LoadFeedState = %q", got)
	}
}
