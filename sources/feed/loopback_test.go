package feed

import (
	"slices"
	"testing"
)

// localhost, 127.0.0.1 and [::1] are one machine's names: two feeds that
// differ only by which one they use are one server's document polled
// twice (round 30's newcomer listed http://localhost:P/x beside
// http://127.0.0.1:P/x). They are not one request — the Host header
// differs, and a server may tell them apart — so they are named, not
// folded; a port, a path or a scheme that differs is another feed.
func TestLoopbackAliasesNamesOneMachinesFeedUnderTwoNames(t *testing.T) {
	urls := []string{
		"http://127.0.0.1:8000/x",
		"http://localhost:8000/x",     // alias of the first
		"http://LOCALHOST:8000/x#top", // alias too (and another spelling of the second)
		"http://[::1]:8000/x",         // alias
		"http://localhost:8001/x",     // another port
		"https://localhost:8000/x",    // another scheme
		"http://localhost:8000/y",     // another path
		"http://example.com/x",        // not loopback
		"http://Example.com:80/x",     // a spelling, not an alias: RequestKey's to say
		"http://127.0.0.1:8000/x",     // the same URL again: not an alias
	}
	got := LoopbackAliases(urls)
	want := [][2]string{
		{"http://localhost:8000/x", "http://127.0.0.1:8000/x"},
		{"http://LOCALHOST:8000/x#top", "http://127.0.0.1:8000/x"},
		{"http://[::1]:8000/x", "http://127.0.0.1:8000/x"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("LoopbackAliases = %q, want %q", got, want)
	}
	if got := LoopbackAliases([]string{"http://localhost/x", "http://127.0.0.1:80/x"}); len(got) != 1 {
		t.Errorf("a default port given on one: %q, want one alias", got)
	}
}

// Any two URLs a config or feed list may hold: LoopbackAliases never
// pairs two spellings of one request (RequestKey's to fold), pairs only
// loopback hosts, and is symmetric in what it finds.
func FuzzLoopbackAliases(f *testing.F) {
	f.Add("http://127.0.0.1:8000/x", "http://localhost:8000/x")
	f.Add("http://[::1]/x", "http://LOCALHOST:80/x#top")
	f.Add("https://localhost/x?a=1", "https://127.0.0.1:443/x?a=1")
	f.Add("http://example.com/x", "http://localhost/x")
	f.Add("localhost:8000/x", "http://%zz/")
	f.Fuzz(func(t *testing.T, a, b string) {
		got := LoopbackAliases([]string{a, b})
		if len(got) > 1 {
			t.Fatalf("two URLs, %d aliases: %q", len(got), got)
		}
		if len(got) == 1 {
			if got[0] != [2]string{b, a} {
				t.Errorf("LoopbackAliases(%q, %q) = %q, want {b, a}", a, b, got)
			}
			if RequestKey(a) == RequestKey(b) {
				t.Errorf("%q and %q are one request, named as aliases", a, b)
			}
			if back := LoopbackAliases([]string{b, a}); len(back) != 1 {
				t.Errorf("%q and %q are aliases one way only", a, b)
			}
		}
	})
}
