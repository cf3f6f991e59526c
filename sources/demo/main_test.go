package demo

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
	"github.com/wirestream/wirestream/internal/fuzzcap"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	fuzzcap.MinimizeFor(3 * time.Second) // FuzzAcceptsGzip
	goleak.VerifyTestMain(m)
}

// testStart is a fixed, unremarkable moment for the timeline to begin.
var testStart = time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC)

// fakeClock lets a test move the demo's timeline by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Set(offset time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = testStart.Add(offset)
}

// startDemo starts a server whose timeline begins at testStart and lasts
// the default 3 minutes, with the clock under the test's control.
func startDemo(t testing.TB) (*Server, *fakeClock, *http.Client) {
	t.Helper()
	clk := &fakeClock{t: testStart}
	s, err := Start(context.Background(), Options{Now: clk.Now, Run: "t1"}, nil)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	// No keep-alives: an idle client connection would outlive the test and
	// trip goleak.
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true, DisableCompression: true}}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s, clk, client
}

func get(t testing.TB, client *http.Client, url string, hdr http.Header) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range hdr {
		req.Header[k] = vs
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: read body: %v", url, err)
	}
	return resp, body
}

// fetchFeed GETs and parses one feed with gofeed, as the poller would.
func fetchFeed(t testing.TB, client *http.Client, url string) *gofeed.Feed {
	t.Helper()
	resp, body := get(t, client, url, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d", url, resp.StatusCode)
	}
	feed, err := gofeed.NewParser().ParseString(string(body))
	if err != nil {
		t.Fatalf("parse %s: %v\n%s", url, err, body)
	}
	return feed
}

var tags = regexp.MustCompile(`<[^>]*>`)

// itemText is the fullest text a feed item carries, tags stripped.
func itemText(it *gofeed.Item) string {
	text := it.Content
	if text == "" {
		text = it.Description
	}
	text = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&", "&#34;", `"`, "&#39;", "'").Replace(text)
	return strings.Join(strings.Fields(tags.ReplaceAllString(text, " ")), " ")
}

// shingles are the word 3-grams of a text, lower-cased: the usual unit for
// measuring how much text two documents share.
func shingles(text string) map[string]bool {
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127)
	})
	out := map[string]bool{}
	for i := 0; i+3 <= len(words); i++ {
		out[strings.Join(words[i:i+3], " ")] = true
	}
	return out
}

func jaccard(a, b map[string]bool) float64 {
	inter := 0
	for k := range a {
		if b[k] {
			inter++
		}
	}
	union := len(a) + len(b) - inter
	if union == 0 {
		return 0
	}
	return float64(inter) / float64(union)
}
