package main

import (
	"context"
	"crypto/sha256"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/wirestream/wirestream/sources/feed"
)

func TestGeneratedItemsAreDeterministicAndVaried(t *testing.T) {
	for _, text := range []string{textNews, textTemplate} {
		g := gen{seed: 7, feeds: 100, bodyWords: 120, copyShare: 0.1, text: text}
		a, b := g.item("http://h", 3, 5), g.item("http://h", 3, 5)
		if a.Title != b.Title || strings.Join(a.Paras, "") != strings.Join(b.Paras, "") {
			t.Fatalf("%s: the same (seed, feed, seq) gave two different items", text)
		}
		titles := map[string]bool{}
		for seq := range 200 {
			it := g.item("http://h", 3, seq)
			titles[it.Title] = true
			if n := len(strings.Fields(strings.Join(it.Paras, " "))); n < 120 {
				t.Fatalf("%s: item %d has a %d-word body, want >= 120", text, seq, n)
			}
		}
		if len(titles) < 190 {
			t.Fatalf("%s: only %d distinct titles in 200 items", text, len(titles))
		}
	}
}

// The template text is the one rounds 11–27 measured, item for item: the
// digest of 200 items is what main 9c4a889's generator made (before -text).
func TestTheTemplateTextIsTheOneEarlierRoundsMeasured(t *testing.T) {
	g := gen{seed: 1, feeds: 1000, bodyWords: 120, copyShare: 0.1, text: textTemplate}
	h := sha256.New()
	for f := range 50 {
		for seq := 1; seq <= 4; seq++ {
			it := g.item("http://h", f, seq)
			fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00%s\n", it.GUID, it.Link, it.Title, it.Summary, strings.Join(it.Paras, "\x01"))
		}
	}
	if got, want := fmt.Sprintf("%x", h.Sum(nil)), "e10cb0beeef3f1aa79da4f9c872a78b05aa0db32b6e7275f64b707d04a429a29"; got != want {
		t.Fatalf("the template text changed: digest %s, rounds 11–27's %s", got, want)
	}
}

// A wire copy carries the original's story: word for word (but for the
// outlet's dateline-free headline and footer) unless edited, and then a
// different text; edited copies are editedShare of the copies.
func TestWireCopiesShareTheOriginalsBody(t *testing.T) {
	for _, text := range []string{textNews, textTemplate} {
		g := gen{seed: 7, feeds: 100, bodyWords: 120, copyShare: 0.3, text: text}
		exact, edited := 0, 0
		for seq := range 100 {
			if !g.isCopy(10, seq) || g.isCopy(11, seq) {
				continue
			}
			cp, orig := g.item("http://a", 10, seq), g.item("http://b", 11, seq)
			same := strings.Join(cp.Paras[:len(cp.Paras)-1], "") == strings.Join(orig.Paras[:len(orig.Paras)-1], "")
			switch {
			case text == textNews && g.isEdited(10, seq):
				edited++
				if same {
					t.Fatalf("%s: edited copy %d carries the original's body word for word", text, seq)
				}
			case !same:
				t.Fatalf("%s: copy %d does not carry the original's body", text, seq)
			default:
				exact++
			}
			if cp.Link == orig.Link || cp.GUID == orig.GUID {
				t.Fatalf("%s: copy %d has the original's link or GUID", text, seq)
			}
		}
		if exact == 0 || text == textNews && edited == 0 {
			t.Fatalf("%s: %d exact and %d edited copies in 100 items at copy share 0.3", text, exact, edited)
		}
	}
}

// Copies are the share asked of the items, and half of the news text's
// copies are edited: counted over 20,000 items.
func TestCopiesAreTheShareAsked(t *testing.T) {
	for _, share := range []float64{0.1, 0.3} {
		g := gen{seed: 11, feeds: 1000, copyShare: share}
		copies, edited, n := 0, 0, 0
		for f := range g.feeds {
			for seq := 1; seq <= 20; seq++ {
				n++
				if g.isCopy(f, seq) {
					copies++
					if g.isEdited(f, seq) {
						edited++
					}
				}
			}
		}
		c, e := float64(copies)/float64(n), float64(edited)/float64(max(copies, 1))
		if math.Abs(c-share) > 0.01 || math.Abs(e-editedShare) > 0.04 {
			t.Errorf("copy share %.1f: %.3f of %d items are copies, %.3f of them edited; want %.1f ± 0.01 and %.2f ± 0.04", share, c, n, e, share, editedShare)
		}
	}
}

func TestFixtureFeedsParseAndAnswerConditionalGETs(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		x := newFixtures(fixtureOptions{Seed: 1, Feeds: 4, Items: 10, PerChange: 2, Share: 1, Round: time.Second, BodyWords: 80, Gzip: true},
			[]string{"http://127.0.0.10:8080"}, time.Now())
		get := func(etag string) *httptest.ResponseRecorder {
			r := httptest.NewRequest(http.MethodGet, "/feeds/2.xml", nil)
			if etag != "" {
				r.Header.Set("If-None-Match", etag)
			}
			w := httptest.NewRecorder()
			x.ServeHTTP(w, r)
			return w
		}
		first := get("")
		if first.Code != http.StatusOK || first.Header().Get("ETag") == "" {
			t.Fatalf("first GET: %d, ETag %q", first.Code, first.Header().Get("ETag"))
		}
		doc, err := feed.Parse(first.Body.Bytes(), first.Header().Get("Content-Type"), x.URL(2), time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if len(doc.Items) != 10 {
			t.Fatalf("document has %d items, want 10", len(doc.Items))
		}
		etag := first.Header().Get("ETag")
		if w := get(etag); w.Code != http.StatusNotModified || w.Body.Len() != 0 {
			t.Fatalf("conditional GET in the same round: %d with %d bytes, want an empty 304", w.Code, w.Body.Len())
		}
		if w := get("*"); w.Code != http.StatusNotModified {
			t.Fatalf("If-None-Match: * got %d, want 304", w.Code)
		}
		time.Sleep(time.Second) // next round: share 1, so every feed publishes
		next := get(etag)
		if next.Code != http.StatusOK || next.Header().Get("ETag") == etag {
			t.Fatalf("after a publishing round: %d, ETag %q (was %q)", next.Code, next.Header().Get("ETag"), etag)
		}
		doc2, err := feed.Parse(next.Body.Bytes(), "", x.URL(2), time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if doc2.Items[0].GUID == doc.Items[0].GUID || doc2.Items[2].GUID != doc.Items[0].GUID {
			t.Fatalf("two new items should lead the document: newest %s, was %s", doc2.Items[0].GUID, doc.Items[0].GUID)
		}
	})
}

func TestQuantile(t *testing.T) {
	cases := []struct {
		name string
		xs   []float32
		q    float64
		want float64
	}{
		{"an empty sample is zero", nil, 0.99, 0},
		{"the median of five is the third", []float32{5, 1, 4, 2, 3}, 0.5, 3},
		{"p99 of a hundred is the 99th", func() []float32 {
			xs := make([]float32, 100)
			for i := range xs {
				xs[i] = float32(100 - i)
			}
			return xs
		}(), 0.99, 99},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := quantile(c.xs, c.q); got != c.want {
				t.Fatalf("quantile(%v) = %v, want %v", c.q, got, c.want)
			}
		})
	}
}

func TestBrokersMustBeLoopback(t *testing.T) {
	cases := []struct {
		name    string
		brokers []string
		ok      bool
	}{
		{"a loopback address is accepted", []string{"127.0.0.1:9092"}, true},
		{"no broker is refused", nil, false},
		{"a routable address is refused", []string{"10.1.2.3:9092"}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := checkLoopback(c.brokers); (err == nil) != c.ok {
				t.Fatalf("checkLoopback(%v) = %v", c.brokers, err)
			}
		})
	}
}

func TestReportShowsMediansAndRatiosToTheLimits(t *testing.T) {
	o := orchestration{fix: &fixtureOptions{Feeds: 1000, Share: 0.1, PerChange: 2, Round: time.Second, Items: 10, BodyWords: 120, Text: textNews}, hosts: 8,
		interval: time.Second, duration: 10 * time.Second}
	mk := func(polls float64, wrk float64) trial {
		return trial{Wrk304: wrk, Kcat: 10_000, Run: runResult{WindowSeconds: 10, Polls: polls * 10, Stories: 1000,
			PollsByOutcome: map[string]int{"not_modified": int(polls * 9)}, CPUSeconds: 2.5,
			RecordsByType: map[string]int{"story": 1000, "duplicate": 250, "event": 900}}}
	}
	var out strings.Builder
	writeReport(&out, o, []trial{mk(900, 40_000), mk(1100, 50_000), mk(1000, 45_000)})
	for _, want := range []string{"| feed polls/s | 1000 | 900, 1100, 1000 | wrk, 304s: 45000 req/s | 0.022 | ≥ 1,000 | met |",
		"120-word bodies of the news text,",
		"kcat -P, same records: 10000 rec/s | 0.010 |",
		"| CPU s per 1,000 stories | 2.500 |",
		"| … per 1,000 items processed (stories and duplicates) | 2.000 |"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	writeReport(&out, o, []trial{mk(900, 0)})
	if !strings.Contains(out.String(), "not measured (-baseline=false)") {
		t.Errorf("a run without limits should say so:\n%s", out.String())
	}
}

// A prefilled state is reused only for the text it was filled with and
// the span its stories were spread over: served the other text, a run
// would remember stories no item resembles; a young prefill measures the
// near index's worst case, a history one (-prefill-span history) what a
// deployment a week old holds, and one must not stand in for the other.
// A mark without a span is young, as every prefill before the span was.
func TestAPrefillIsReusedOnlyForItsOwnTextAndSpan(t *testing.T) {
	dir := t.TempDir()
	if reuse, err := prefilledWith(dir, textNews, spanYoung); reuse || err != nil {
		t.Fatalf("an unfinished prefill: reuse %t, %v", reuse, err)
	}
	for _, c := range []struct {
		complete, text, span string
		reuse, refused       bool
	}{
		{"news\n", textNews, spanYoung, true, false},
		{"news\n", textTemplate, spanYoung, false, true},
		{"template\n", textTemplate, spanYoung, true, false},
		{"template\n", textNews, spanYoung, false, true},
		{"", textTemplate, spanYoung, true, false}, // before round 28: the template text
		{"", textNews, spanYoung, false, true},
		{"news\n", textNews, spanHistory, false, true},
		{"news history\n", textNews, spanHistory, true, false},
		{"news history\n", textNews, spanYoung, false, true},
		{"template history\n", textNews, spanHistory, false, true}, // the text still decides
	} {
		if err := os.WriteFile(filepath.Join(dir, ".complete"), []byte(c.complete), 0o644); err != nil {
			t.Fatal(err)
		}
		reuse, err := prefilledWith(dir, c.text, c.span)
		if reuse != c.reuse || (err != nil) != c.refused {
			t.Errorf(".complete %q, -text %s, -prefill-span %s: reuse %t, err %v", c.complete, c.text, c.span, reuse, err)
		}
	}
}

// A prefill run by hand (`loadtest prefill`) marks its directory finished,
// as the harness's own prefill does: without the marker the next run with
// that -prefill-dir prefilled it again over the stories already there.
func TestAPrefillRunByHandIsReused(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "prefill")
	args := []string{"-state", dir, "-stories", "50", "-body-words", "20", "-text", textNews}
	if err := prefillCmd(context.Background(), args, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	if reuse, err := prefilledWith(dir, textNews, spanYoung); !reuse || err != nil {
		t.Errorf("after a finished prefill of the news text: reuse %t, %v", reuse, err)
	}
}

// -span history spreads the stories' first-seen times over 9/10 of
// state.seen_ttl, as a deployment's remembered stories arrive, where the
// default keeps every one inside dedupe.window: before it, a prefill put
// every story in the last 2.7 days whatever history was asked for.
func TestAHistoryPrefillSpreadsItsStoriesOverTheSeenTTL(t *testing.T) {
	cfg, err := loadConfig("")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		span string
		want time.Duration
	}{
		{spanYoung, cfg.Dedupe.Window * 9 / 10},
		{spanHistory, cfg.State.SeenTTL * 9 / 10},
	} {
		got, err := spanOf(c.span, cfg)
		if err != nil || got != c.want {
			t.Errorf("span %s: %s, %v; want %s", c.span, got, err, c.want)
		}
	}
	if young, _ := spanOf(spanYoung, cfg); young >= cfg.Dedupe.Window {
		t.Errorf("a young prefill spans %s, past dedupe.window %s", young, cfg.Dedupe.Window)
	}
	if history, _ := spanOf(spanHistory, cfg); history <= cfg.Dedupe.Window || history >= cfg.State.SeenTTL {
		t.Errorf("a history prefill spans %s: want past dedupe.window %s and inside state.seen_ttl %s", history, cfg.Dedupe.Window, cfg.State.SeenTTL)
	}
	if _, err := spanOf("week", cfg); err == nil {
		t.Error("an unknown span was taken")
	}

	// A history prefill run by hand finishes and marks its span.
	dir := filepath.Join(t.TempDir(), "prefill")
	args := []string{"-state", dir, "-stories", "50", "-body-words", "20", "-text", textNews, "-span", spanHistory}
	if err := prefillCmd(context.Background(), args, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	if reuse, err := prefilledWith(dir, textNews, spanHistory); !reuse || err != nil {
		t.Errorf("after a finished history prefill: reuse %t, %v", reuse, err)
	}
}

// FuzzReadPrefillMark: a .complete is read back from disk (a person may
// have written one); any bytes give a text and a span, never a panic, and
// what markPrefilled writes reads back as written.
func FuzzReadPrefillMark(f *testing.F) {
	for _, seed := range []string{"", "news\n", "template\n", "news history\n", " \n", "news  history", "a b c"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, mark string) {
		text, span := readPrefillMark(mark)
		if text == "" || span == "" {
			t.Fatalf("%q read as text %q span %q", mark, text, span)
		}
	})
}

func TestAPrefillMarkReadsBackAsWritten(t *testing.T) {
	for _, text := range []string{textNews, textTemplate} {
		for _, span := range []string{spanYoung, spanHistory} {
			dir := t.TempDir()
			if err := markPrefilled(dir, text, span); err != nil {
				t.Fatal(err)
			}
			if reuse, err := prefilledWith(dir, text, span); !reuse || err != nil {
				t.Errorf("marked %s %s: reuse %t, %v", text, span, reuse, err)
			}
		}
	}
}
