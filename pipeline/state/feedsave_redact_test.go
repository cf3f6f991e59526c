package state

import (
	"context"
	"strings"
	"testing"
)

// A feed's poll state is keyed by its URL as written, password and all,
// but a failed save's error goes to the feed's log line ("save feed
// state"): it names the feed as the log does, the password as xxxxx.
func TestAFailedFeedStateSaveDoesNotSayThePassword(t *testing.T) {
	cfg := DefaultConfig()
	cfg.NoSync = true
	l, err := OpenFile(t.TempDir(), cfg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	st, err := Open(context.Background(), l, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	err = st.SaveFeedState(context.Background(), "https://user:s3cret@members.example/rss", []byte("{}"))
	if err == nil {
		t.Fatal("a save to a closed store succeeded")
	}
	if strings.Contains(err.Error(), "s3cret") || !strings.Contains(err.Error(), "https://user:xxxxx@members.example/rss") {
		t.Errorf("the error should name the feed with its password as xxxxx: %v", err)
	}
}
