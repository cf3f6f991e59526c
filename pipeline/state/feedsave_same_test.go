package state

import (
	"context"
	"testing"
)

// SaveFeedState and SaveFeedStateLater are one save (saveFeedState) with two ways of keeping
// the state in memory; what they share holds both ways: a nil state is saved as an empty one
// (a nil value would be a deletion), read back non-nil, and SaveFeedState keeps a copy of
// the caller's bytes, which the caller may reuse.
func TestBothFeedSavesSaveANilStateAsAnEmptyOne(t *testing.T) {
	st, _, _ := openFileStore(t, t.TempDir(), testConfig())
	defer st.Close()
	ctx := context.Background()
	if err := st.SaveFeedState(ctx, "https://a.example/rss", nil); err != nil {
		t.Fatal(err)
	}
	if err := st.SaveFeedStateLater(ctx, "https://b.example/rss", nil, func() ([]byte, error) { return []byte{}, nil }); err != nil {
		t.Fatal(err)
	}
	for _, url := range []string{"https://a.example/rss", "https://b.example/rss"} {
		if v, err := st.LoadFeedState(url); err != nil || v == nil || len(v) != 0 {
			t.Errorf("%s: state %q (nil %v), %v; want an empty state", url, v, v == nil, err)
		}
	}
	data := []byte(`{"v":1}`)
	if err := st.SaveFeedState(ctx, "https://c.example/rss", data); err != nil {
		t.Fatal(err)
	}
	clear(data)
	if v, _ := st.LoadFeedState("https://c.example/rss"); string(v) != `{"v":1}` {
		t.Errorf("the state kept is %q after the caller reused its bytes; want a copy", v)
	}
}
