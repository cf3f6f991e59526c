package feedtopics

import (
	"slices"
	"strings"
	"testing"

	"github.com/wirestream/wirestream/internal/kafkatable"
	"github.com/wirestream/wirestream/sources/feed"
)

func enc(t *testing.T, s feed.Spec) []byte {
	t.Helper()
	v, err := EncodeSpec(s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestDiffMakesTheTopicMatchTheConfig(t *testing.T) {
	a := feed.Spec{URL: "https://a.example/rss"}
	b := feed.Spec{URL: "https://b.example/rss", Tags: []string{"x"}}
	b2 := feed.Spec{URL: "https://b.example/rss", Tags: []string{"y"}}
	c := feed.Spec{URL: "https://c.example/rss"}
	current := map[string][]byte{
		a.URL:                   enc(t, a),
		b.URL:                   enc(t, b),
		c.URL:                   enc(t, c),
		"https://junk.example/": []byte("not a feed"),
	}
	d := feed.Spec{URL: "https://d.example/rss"}
	ch, writes, err := Diff(current, []feed.Spec{a, b2, d})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ch.Added, []string{d.URL}) || !slices.Equal(ch.Updated, []string{b.URL}) ||
		!slices.Equal(ch.Removed, []string{c.URL, "https://junk.example/"}) || ch.Unchanged != 1 {
		t.Errorf("changes %+v", ch)
	}
	got := writeList(writes)
	want := []string{"put " + b.URL, "put " + d.URL, "delete " + c.URL, "delete https://junk.example/"}
	if !slices.Equal(got, want) {
		t.Errorf("writes %v, want %v", got, want)
	}
	if ch.String() != "1 added, 1 updated, 2 removed, 1 unchanged" {
		t.Errorf("summary %q", ch)
	}
}

func TestDiffRefusesABadFeedListBeforeWriting(t *testing.T) {
	tests := []struct {
		name string
		want []feed.Spec
		err  string
	}{
		{"a feed listed twice", []feed.Spec{{URL: "https://a.example/"}, {URL: "https://a.example/"}}, "listed twice"},
		{"an invalid feed", []feed.Spec{{URL: "gopher://a.example/"}}, "scheme"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, writes, err := Diff(nil, tt.want)
			if err == nil || !strings.Contains(err.Error(), tt.err) || writes != nil {
				t.Errorf("Diff = %v, %v writes; want an error with %q and nothing to write", err, len(writes), tt.err)
			}
		})
	}
}

func TestDiffOfAnEqualListChangesNothing(t *testing.T) {
	a := feed.Spec{URL: "https://a.example/rss", Headers: map[string]string{"B": "2", "A": "1"}}
	ch, writes, err := Diff(map[string][]byte{a.URL: enc(t, a)}, []feed.Spec{a})
	if err != nil || !ch.Empty() || len(writes) != 0 || ch.Unchanged != 1 {
		t.Errorf("Diff = %+v, %d writes, %v", ch, len(writes), err)
	}
}

// The feed list compares URLs as the config does (feed.RequestKey): a feed
// the topic holds under another spelling of its request is updated to the
// config's spelling, not listed a second time and polled twice.
func TestDiffComparesURLsAsTheRequestsTheyMake(t *testing.T) {
	listed := feed.Spec{URL: "https://EXAMPLE.com:443/rss#latest", Tags: []string{"x"}}
	other := feed.Spec{URL: "https://example.com/rss/"} // a trailing slash is another URL
	want := feed.Spec{URL: "https://example.com/rss", Tags: []string{"x"}}
	ch, writes, err := Diff(map[string][]byte{listed.URL: enc(t, listed), other.URL: enc(t, other)}, []feed.Spec{want, other})
	if err != nil {
		t.Fatal(err)
	}
	if len(ch.Added) != 0 || !slices.Equal(ch.Updated, []string{want.URL}) || len(ch.Removed) != 0 || ch.Unchanged != 1 ||
		!slices.Equal(ch.Respelled[want.URL], []string{listed.URL}) {
		t.Errorf("changes %+v, want %s updated from %s and %s unchanged", ch, want.URL, listed.URL, other.URL)
	}
	got := writeList(writes)
	if w := []string{"put " + want.URL, "delete " + listed.URL}; !slices.Equal(got, w) {
		t.Errorf("writes %v, want %v", got, w)
	}

	_, _, err = Diff(nil, []feed.Spec{want, listed})
	if err == nil || !strings.Contains(err.Error(), `listed twice (as "https://example.com/rss": one request)`) {
		t.Errorf("two spellings of one feed: %v, want them refused", err)
	}
}

// writeList names writes as "put URL" or "delete URL", in order.
func writeList(writes []kafkatable.Entry) []string {
	var got []string
	for _, w := range writes {
		kind := "put"
		if w.Value == nil {
			kind = "delete"
		}
		got = append(got, kind+" "+string(w.Key))
	}
	return got
}

// Review19 3: with two other spellings of a wanted feed in the topic, the
// second was shown as removed ("- https://example.com:443/rss"), which
// reads as a feed dropped; it is the same feed, folded into the wanted
// entry. The same holds when the topic also lists the wanted spelling.
func TestDiffFoldsEveryOtherSpellingOfAWantedFeed(t *testing.T) {
	want := feed.Spec{URL: "https://example.com/rss", Tags: []string{"x"}}
	upper := feed.Spec{URL: "https://EXAMPLE.com/rss", Tags: []string{"x"}}
	port := feed.Spec{URL: "https://example.com:443/rss", Tags: []string{"x"}}
	gone := feed.Spec{URL: "https://gone.example/rss"}
	tests := []struct {
		name    string
		current []feed.Spec
		writes  []string
		lines   []string
	}{
		{"two other spellings, none the wanted one", []feed.Spec{upper, port, gone},
			[]string{"put " + want.URL, "delete " + upper.URL, "delete " + port.URL, "delete " + gone.URL},
			[]string{"~ https://example.com/rss (listed before as https://EXAMPLE.com/rss and https://example.com:443/rss: " +
				"the same request, one entry now)", "- https://gone.example/rss"}},
		{"the wanted spelling and another, the settings unchanged", []feed.Spec{want, port},
			[]string{"delete " + port.URL},
			[]string{"~ https://example.com/rss (listed before as https://example.com:443/rss: the same request, one entry now)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			current := map[string][]byte{}
			for _, s := range tt.current {
				current[s.URL] = enc(t, s)
			}
			ch, writes, err := Diff(current, []feed.Spec{want})
			if err != nil {
				t.Fatal(err)
			}
			if got := writeList(writes); !slices.Equal(got, tt.writes) {
				t.Errorf("writes %v, want %v", got, tt.writes)
			}
			if got := ch.Lines(); !slices.Equal(got, tt.lines) {
				t.Errorf("lines\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.lines, "\n"))
			}
			if ch.Empty() || ch.Unchanged != 0 {
				t.Errorf("changes %+v, want the feed updated", ch)
			}
		})
	}
}
