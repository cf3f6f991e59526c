package feed

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

// logLines collects the messages of the WARN lines a logger writes.
type logLines struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (w *logLines) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.Write(p)
}

func (w *logLines) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// take returns the lines written since the last take that contain msg.
func (w *logLines) take(msg string) []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []string
	for _, l := range strings.Split(w.buf.String(), "\n") {
		if strings.Contains(l, msg) {
			out = append(out, l)
		}
	}
	w.buf.Reset()
	return out
}

// A feed list entry that repeats another's request — the same URL twice,
// or another spelling of it — is logged once, not at every update of the
// assignment (every change of the list, every rebalance), and again only
// once the list dropped it and holds it again.
func TestARepeatedFeedListEntryIsLoggedOnceUntilTheListChanges(t *testing.T) {
	var w logLines
	p := &Poller{log: w.logger(), m: NewMetrics(nil)}
	a, aSpelt := Spec{URL: "https://example.com/rss"}, Spec{URL: "https://EXAMPLE.com:443/rss#top"}
	b, c := Spec{URL: "https://b.example/feed"}, Spec{URL: "https://c.example/feed"}
	const spellings = "under two spellings of one request"
	steps := []struct {
		what  string
		specs []Spec
		want  int // warnings of two spellings
	}{
		{"first assignment with a second spelling", []Spec{a, b, aSpelt}, 1},
		{"the same list again", []Spec{a, b, aSpelt}, 0},
		{"the same list in another order", []Spec{aSpelt, b, a}, 0},
		{"another feed added", []Spec{a, b, aSpelt, c}, 0},
		{"the spelling removed", []Spec{a, b, c}, 0},
		{"the spelling listed again", []Spec{a, b, c, aSpelt}, 1},
		{"and kept", []Spec{a, b, c, aSpelt}, 0},
	}
	for _, st := range steps {
		want := p.wanted(st.specs)
		if got := w.take(spellings); len(got) != st.want {
			t.Errorf("%s: %d warnings %q, want %d", st.what, len(got), got, st.want)
		} else if st.want == 1 && (!strings.Contains(got[0], aSpelt.URL) || !strings.Contains(got[0], a.URL)) {
			t.Errorf("%s: warning %q does not name both spellings", st.what, got[0])
		}
		// Both spellings are still polled: which one to keep is the list's to say.
		if len(want) != len(st.specs) {
			t.Errorf("%s: %d feeds wanted of %d", st.what, len(want), len(st.specs))
		}
	}
	// The same URL twice: polled once, said once.
	for i, n := range []int{1, 0, 0} {
		if want := p.wanted([]Spec{b, c, b}); len(want) != 2 {
			t.Errorf("%d feeds wanted, want 2", len(want))
		}
		if got := w.take("assigns a feed twice"); len(got) != n {
			t.Errorf("update %d of a list with a URL twice: %d warnings, want %d", i+1, len(got), n)
		}
	}
}

// An entry of a feed document that repeats an earlier one is logged once,
// when it is first published as a dead letter — not on every poll that
// finds the document changed (a new item each time) — and again when the
// repeat itself changes, which is a new entry to report.
func TestARepeatedItemOfADocumentIsLoggedOncePerEntry(t *testing.T) {
	var w logLines
	doc := func(n int) []byte {
		repeat := "Same story, told again"
		if n >= 6 {
			repeat = "Same story, told a third way" // the repeat changed: a new entry
		}
		items := ""
		for i := n; i > n-3; i-- { // a new item on every poll
			items += fmt.Sprintf(`<item><title>Story %d</title><link>https://r.example/%d</link><guid>g%d</guid></item>`, i, i, i)
		}
		return []byte(`<rss version="2.0"><channel><title>R</title>` + items +
			`<item><title>Same story</title><link>https://r.example/same</link><guid>same</guid></item>` +
			`<item><title>` + repeat + `</title><link>https://r.example/same</link><guid>same</guid></item></channel></rss>`)
	}
	cfg := hostileCfg()
	cfg.MaxInterval = time.Minute // a poll a minute at most apart
	s := &script{cfg: cfg, spec: Spec{URL: "https://r.example/rss"}, run: 20 * time.Minute, log: w.logger(),
		respond: func(n int, req fetchRequest) (*fetchResult, error) { return ok200(doc(n), fmt.Sprint(n)), nil }}
	s.play(t)
	t.Logf("%d polls", len(s.polls))
	if len(s.polls) < 8 {
		t.Fatalf("%d polls", len(s.polls))
	}
	if got := w.take("feed entry rejected"); len(got) != 2 {
		t.Errorf("%d warnings over %d changed polls, want 2 (the repeat, and once more when it changed): %q", len(got), len(s.polls), got)
	}
}

// rejectRepeats keeps the items in place (kept reuses the document's
// slots): a rejected repeat must keep its own item, not whatever item is
// later moved into the slot it held.
func TestARejectedRepeatKeepsItsOwnItemAfterLaterItemsMove(t *testing.T) {
	body := []byte(`<rss version="2.0"><channel><title>R</title>` +
		`<item><title>First</title><guid>a</guid></item>` +
		`<item><title>Second</title><guid>b</guid></item>` +
		`<item><title>First, told again</title><guid>a</guid></item>` +
		`<item><title>Third</title><guid>c</guid></item>` +
		`<item><title>Fourth</title><guid>d</guid></item>` +
		`</channel></rss>`)
	doc, err := Parse(body, "application/rss+xml", "https://r.example/rss", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, it := range doc.Items {
		titles = append(titles, it.Title)
	}
	if want := []string{"First", "Second", "Third", "Fourth"}; fmt.Sprint(titles) != fmt.Sprint(want) {
		t.Fatalf("kept %q, want %q", titles, want)
	}
	if len(doc.Rejected) != 1 || doc.Rejected[0].Item == nil || doc.Rejected[0].Item.Title != "First, told again" {
		t.Fatalf("rejected = %+v, want the repeat \"First, told again\"", doc.Rejected)
	}
	if !strings.Contains(doc.Rejected[0].Error, "repeats item 1") || !strings.Contains(doc.Rejected[0].Error, "different text") {
		t.Errorf("error = %q", doc.Rejected[0].Error)
	}
}

// A fetcher handed one machine's feed under two of its names (localhost
// and 127.0.0.1) polls both — they are two requests — and says so once,
// as it does of two spellings of one request.
func TestAFeedListEntryUnderAnotherLoopbackNameIsLoggedOnce(t *testing.T) {
	var w logLines
	p := &Poller{log: w.logger(), m: NewMetrics(nil)}
	a, alias := Spec{URL: "http://127.0.0.1:8000/x"}, Spec{URL: "http://localhost:8000/x"}
	other := Spec{URL: "http://localhost:8001/x"}
	const said = "under two of the machine's names"
	for i, n := range []int{1, 0} {
		if want := p.wanted([]Spec{a, other, alias}); len(want) != 3 {
			t.Errorf("update %d: %d feeds wanted, want 3", i+1, len(want))
		}
		got := w.take(said)
		if len(got) != n {
			t.Errorf("update %d: %d warnings %q, want %d", i+1, len(got), got, n)
		} else if n == 1 && (!strings.Contains(got[0], alias.URL) || !strings.Contains(got[0], a.URL) || strings.Contains(got[0], other.URL)) {
			t.Errorf("warning %q does not name the two feeds alone", got[0])
		}
	}
}
