package feed

import (
	"strings"
	"testing"
)

// An error about a feed URL never repeats its password: url.Parse's
// quotes the whole URL, and the message is printed and logged, as every
// other one naming a feed.
func TestCheckHTTPURLSaysNoPassword(t *testing.T) {
	for _, raw := range []string{
		"https//reader:s3cret@example.com/rss",   // a slip of "://": did you mean
		"htps://reader:s3cret@example.com/rss",   // a slip of the scheme: did you mean
		"https://reader:s3cret@exa mple.com/rss", // url.Parse refuses it
		"https://reader:s3cret@example.com:x/",   // a bad port
	} {
		err := CheckHTTPURL(raw)
		if err == nil {
			t.Errorf("CheckHTTPURL(%q) = nil, want an error", raw)
			continue
		}
		if strings.Contains(err.Error(), "s3cret") {
			t.Errorf("CheckHTTPURL(%q) = %q: says the password", raw, err)
		}
	}
}
