package feedtopics

import (
	"strings"
	"testing"

	"github.com/wirestream/wirestream/sources/feed"
)

// The feed list's errors are logged (a fetcher's "feed list entry is not
// a valid feed") or printed (feeds push): they name a feed with its
// password as xxxxx, as every other message does.
func TestFeedListErrorsDoNotSayAFeedURLsPassword(t *testing.T) {
	const u = "https://user:s3cret@members.example/rss"
	errs := map[string]error{}
	_, errs["a value that is not JSON"] = DecodeSpec([]byte(u), []byte("{"))
	_, errs["a value of another format version"] = DecodeSpec([]byte(u), []byte(`{"v":99,"url":"`+u+`"}`))
	_, errs["a value naming another URL"] = DecodeSpec([]byte(u), []byte(`{"v":1,"url":"https://user:s3cret@other.example/rss"}`))
	_, _, errs["a feed listed twice in two spellings"] = Diff(nil, []feed.Spec{{URL: u}, {URL: "https://user:s3cret@MEMBERS.example:443/rss"}})
	for what, err := range errs {
		if err == nil {
			t.Errorf("%s: no error", what)
			continue
		}
		if strings.Contains(err.Error(), "s3cret") || !strings.Contains(err.Error(), "xxxxx") {
			t.Errorf("%s: %v; want the feed named with its password as xxxxx", what, err)
		}
	}
}
