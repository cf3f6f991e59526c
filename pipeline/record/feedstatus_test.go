package record

import "testing"

// The class stays in front of a message that does not start with it
// ("dns: fetch URL: …"), and a message that starts with the class's
// letters as part of a longer word is not taken for it.
func TestLastErrorTextPutsTheClassInFrontOnlyWhenTheMessageLacksIt(t *testing.T) {
	for _, c := range []struct{ class, msg, want string }{
		{"parse", "parse http://a.example/rss: XML syntax error", "parse http://a.example/rss: XML syntax error"},
		{"fetch", "fetch http://a.example/rss: refused", "fetch http://a.example/rss: refused"},
		{"timeout", "timeout: no answer in 30s", "timeout: no answer in 30s"},
		{"dns", "fetch http://b.example/rss: lookup b.example: no such host", "dns: fetch http://b.example/rss: lookup b.example: no such host"},
		{"parse", "parsed nothing", "parse: parsed nothing"},
		{"", "fetch http://a.example/rss: refused", "fetch http://a.example/rss: refused"},
		{"parse", "", ""},
	} {
		if got := (FeedStatus{LastErrorClass: c.class, LastError: c.msg}).LastErrorText(); got != c.want {
			t.Errorf("LastErrorText of class %q, error %q = %q, want %q", c.class, c.msg, got, c.want)
		}
	}
}
