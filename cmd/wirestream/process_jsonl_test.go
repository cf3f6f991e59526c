package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wirestream/wirestream/pipeline/record"
)

// Every JSONL line process refuses says where it is (file:line, stdin:line)
// and what is wrong with it, naming the field: an item without link and
// guid said `normalize item "x" of : item has no usable link or guid`,
// with neither its line nor that its feed.url was empty. The run goes on
// past each bad line, and its summary counts them.
func TestProcessNamesTheLineAndFieldOfEveryRefusedJSONLItem(t *testing.T) {
	in := strings.Join([]string{
		`{"title":"no link, no guid, no feed"}`,
		`{"feed":{"url":"https://a.example/rss"},"link":"https://a.example/1","title":"Council approves the budget for city parks"}`,
		``,
		`not json`,
		`{"feed":{"url":"https://a.example/rss"},"link":"ftp://a.example/2","title":"a link that is not http"}`,
		`{"feed":{"url":"https://a.example/rss"},"link":"https://a.example/3"}`,
		`{"feed":{"url":"https://a.example/rss"},"titel":"a misspelt field"}`,
		`{"feed":{"url":42},"link":"https://a.example/4","title":"a number for a URL"}`,
		`{"feed":{"url":"https://a.example/rss"},"link":"https://a.example/5","title":"Second good story about the harbour ferry timetable"}`,
	}, "\n") + "\n"
	want := map[string]string{ // line → what its error must say
		"1": `normalize item "no link, no guid, no feed" (its feed.url is empty): item has no usable link or guid (its "link" and "guid" are empty)`,
		"4": "not an item: invalid character 'o' in literal null (expecting 'u') (column 2)",
		"5": `item link is not a valid http(s) URL: canonical url "ftp://a.example/2"`,
		"6": `item has no title, summary or content (its "title", "description" and "content" hold no text)`,
		"7": `not an item: json: unknown field "titel"`,
		"8": `not an item: field "feed.url": want string, got a JSON number`,
	}
	path := filepath.Join(t.TempDir(), "items.jsonl")
	if err := os.WriteFile(path, []byte(in), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, stdin, arg, where string }{
		{"stdin", in, "-", "stdin"},
		{"a file", "", path, path},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, stderr := runCLI(t, tc.stdin, "process", "--progress", "never", tc.arg)
			if code != 0 {
				t.Fatalf("process exited %d: %s", code, stderr)
			}
			got := map[string]string{}
			stories := 0
			for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
				var r struct {
					Type  record.Type `json:"type"`
					Error string      `json:"error"`
				}
				if err := json.Unmarshal([]byte(line), &r); err != nil {
					t.Fatalf("%v: %s", err, line)
				}
				switch r.Type {
				case record.TypeStory:
					stories++
				case record.TypeDeadLetter:
					at, rest, ok := strings.Cut(r.Error, ": ")
					where, n, _ := strings.Cut(at, ":")
					if !ok || where != tc.where {
						t.Errorf("dead letter does not start with %s:LINE: %q", tc.where, r.Error)
						continue
					}
					got[n] = rest
				}
			}
			if stories != 2 {
				t.Errorf("%d stories, want the 2 good lines' (the run goes on past bad lines)", stories)
			}
			for n, w := range want {
				if !strings.Contains(got[n], w) {
					t.Errorf("line %s: error %q, want it to say %q", n, got[n], w)
				}
			}
			if len(got) != len(want) {
				t.Errorf("dead letters for lines %v, want one for each of the %d bad lines", got, len(want))
			}
			if s := "2 items decided"; !strings.Contains(stderr, s) {
				t.Errorf("summary %q, want %q", stderr, s)
			}
			if s := "refused 6 inputs (3 not items, 3 not stories): each dead_letter's error says where and why"; !strings.Contains(stderr, s) {
				t.Errorf("summary %q, want %q", stderr, s)
			}
		})
	}
}

// A JSONL item without a feed gave a story with "feed":{"url":""}, though
// the schema has every story name the feed it was read from, and dedupe
// and the events rank a story by its feed's site. As a feed file's
// stories carry the document's own site link, such an item's stories
// carry its link's site: "https://www.example.com/" for a link on
// www.example.com. A feed given, or a title without a URL, stays.
func TestProcessGivesAJSONLItemWithoutAFeedItsLinksSite(t *testing.T) {
	in := strings.Join([]string{
		`{"link":"https://www.example.com/news/a?x=1","title":"Council approves the budget for city parks"}`,
		`{"feed":{"title":"Harbour Daily"},"link":"http://harbour.example.org:8080/b","title":"Harbour ferry timetable changes for winter"}`,
		`{"feed":{"url":"https://a.example/rss"},"link":"https://b.example/c","title":"Rail strike called off after late-night talks"}`,
	}, "\n") + "\n"
	code, out, stderr := runCLI(t, in, "process", "--progress", "never", "-")
	if code != 0 {
		t.Fatalf("process exited %d: %s", code, stderr)
	}
	want := map[string]record.FeedRef{
		"https://www.example.com/news/a?x=1": {URL: "https://www.example.com/"},
		"http://harbour.example.org:8080/b":  {URL: "http://harbour.example.org:8080/", Title: "Harbour Daily"},
		"https://b.example/c":                {URL: "https://a.example/rss"},
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var s struct {
			Type record.Type    `json:"type"`
			URL  string         `json:"url"`
			Feed record.FeedRef `json:"feed"`
		}
		if err := json.Unmarshal([]byte(line), &s); err != nil {
			t.Fatalf("%v: %s", err, line)
		}
		if s.Type != record.TypeStory {
			continue
		}
		w, ok := want[s.URL]
		if !ok {
			t.Errorf("unexpected story %s", s.URL)
			continue
		}
		delete(want, s.URL)
		if s.Feed.URL != w.URL || s.Feed.Title != w.Title {
			t.Errorf("story %s: feed %+v, want %+v", s.URL, s.Feed, w)
		}
	}
	for u := range want {
		t.Errorf("no story for %s:\n%s", u, out)
	}
}
