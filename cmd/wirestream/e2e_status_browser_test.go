package main

// Issue 14, point 8: the ops listener's /status page, loaded in a real
// headless Chromium (Debian's, installed by scripts/chromium.sh) while the
// demo feeds run through the real binary: what a person sees, checked.

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/wirestream/wirestream/internal/testkit"
)

// chromium finds the browser: $CHROMIUM (scripts/test.sh sets it), else
// the Debian names on PATH. Without one the test skips loudly, and fails
// under CI=true.
func chromium(t *testing.T) string {
	t.Helper()
	for _, c := range []string{os.Getenv("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if c == "" {
			continue
		}
		if p, err := exec.LookPath(c); err == nil {
			return p
		}
	}
	testkit.Missing(t, "no Chromium to load /status in: run scripts/chromium.sh install (scripts/test.sh does) or set CHROMIUM")
	return ""
}

// A feed name that would run script if the page did not escape it.
const hostileName = `<script>document.title="pwned"</script> Evil & Co <img src=x onerror="document.title='img'">`

func TestE2EStatusPageInAHeadlessBrowser(t *testing.T) {
	t.Parallel()
	browser := chromium(t)
	hostile := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Evil</title><link>https://evil.example/</link>`+
			`<item><title>Evil council votes on the evil budget</title><link>https://evil.example/budget</link><guid>evil-1</guid>`+
			`<description>The council voted on Tuesday on a budget that its critics called evil.</description></item></channel></rss>`)
	}))
	defer hostile.Close()
	cfg := e2eConfig{DataDir: filepath.Join(t.TempDir(), "data"), EmbeddedAddr: freeAddr(t), ShutdownTimeout: 30 * time.Second, MaxInFlight: 4,
		Feeds: []string{hostile.URL + "/feed.xml"}, Names: []string{hostileName}}
	d := startDaemon(t, cfg.write(t, t.TempDir()), "--demo")
	// The demo feeds run: stories, at least one event, every feed polled.
	e2eEventually(t, 2*time.Minute, func() bool {
		return d.storiesAcked() >= 10 && d.metric("wirestream_pipeline_records_total", `type="event"`) >= 1 &&
			d.metric("wirestream_pipeline_records_total", `type="feed_status"`) >= 9
	}, func() string {
		return fmt.Sprintf("demo not under way: %d stories, %v events, %v feed statuses", d.storiesAcked(),
			d.metric("wirestream_pipeline_records_total", `type="event"`), d.metric("wirestream_pipeline_records_total", `type="feed_status"`))
	})

	actx, cancelAlloc := chromedp.NewExecAllocator(t.Context(),
		chromedp.ExecPath(browser), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1280, 1600),
	)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()

	// Every request the page makes, to check it loads nothing from
	// elsewhere. Listen starts the browser: that first call takes no
	// timeout of its own (it would stop the browser with it).
	var mu sync.Mutex
	var requested []string
	if err := chromedp.Listen(bctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			mu.Lock()
			requested = append(requested, e.Request.URL)
			mu.Unlock()
		}
	}); err != nil {
		t.Fatalf("start Chromium (%s): %v", browser, err)
	}
	ctx, cancel := context.WithTimeout(bctx, 2*time.Minute) // bounds the steps below
	defer cancel()
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatalf("enable network events: %v", err)
	}
	page := "http://" + d.ops + "/status"
	if err := chromedp.Do(ctx, chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS("#feed-table"))); err != nil {
		t.Fatalf("load %s in Chromium: %v", page, err)
	}
	text := func(sel string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return v
	}
	eval := func(expr string) float64 {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[float64](expr))
		if err != nil {
			t.Fatalf("evaluate %s: %v", expr, err)
		}
		return v
	}
	title, err := chromedp.Run(ctx, chromedp.Title())
	if err != nil {
		t.Fatal(err)
	}
	refresh, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('meta[http-equiv="refresh"]').content`))
	if err != nil {
		t.Fatal(err)
	}
	scripts, images := eval(`document.scripts.length`), eval(`document.images.length`)
	summary, feeds, events := text("#feed-summary"), text("#feed-table"), text("#event-table")
	alerts, through := text("#alert-table"), text("#throughput-table")
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // 100: PNG (lower is JPEG)
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	art := filepath.Join(t.ArtifactDir(), "status.png")
	if err := os.WriteFile(art, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot of %s: %s (%d bytes; go test -artifacts -outputdir DIR keeps it, as scripts/test.sh does)", page, art, len(shot))

	// Escaped: the hostile name is text on the page; nothing in it ran.
	if title != "wirestream status" || scripts != 0 || images != 0 {
		t.Errorf("title %q, %v scripts, %v images: the page ran or loaded what a feed name carried", title, scripts, images)
	}
	if !strings.Contains(feeds, `<script>document.title="pwned"</script> Evil & Co`) {
		t.Errorf("the hostile feed's name is not shown as text:\n%s", feeds)
	}
	// The content: nine feeds (eight demo feeds and ours) by health, live
	// events with story counts, the alerts section, the throughput.
	if !strings.HasPrefix(summary, "9 feeds:") || !strings.Contains(summary, "ok") {
		t.Errorf("feed summary %q, want 9 feeds by health", summary)
	}
	if strings.Count(feeds, "/feeds/") != 8 || !strings.Contains(feeds, "demo") || !strings.Contains(feeds, "ok") {
		t.Errorf("the feed table does not list the 8 demo feeds, tagged demo, by health:\n%s", feeds)
	}
	if strings.Contains(events, "no live events") || !hasCountAtLeast(events, 2) {
		t.Errorf("the events table shows no event with two or more stories:\n%s", events)
	}
	if !strings.Contains(alerts, "no alerts yet") && !strings.Contains(alerts, "firing") {
		t.Errorf("the alerts table is neither empty nor listing alerts:\n%s", alerts)
	}
	if !strings.Contains(through, "stories published") || !strings.Contains(through, "items decided") {
		t.Errorf("the throughput table lacks the pipeline's counters:\n%s", through)
	}
	if refresh != "5" {
		t.Errorf("meta refresh = %q, want the page to refresh itself every 5 s", refresh)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, u := range requested {
		if !strings.HasPrefix(u, "http://"+d.ops+"/") {
			t.Errorf("the page requested %s: it must load nothing from elsewhere", u)
		}
	}
	if len(requested) == 0 {
		t.Error("no request seen: the network listener did not work")
	}
	stopCleanly(t, d, cfg.ShutdownTimeout)
}

// hasCountAtLeast reports whether a table's text has a row whose first
// number after the title (the stories column) is at least n.
func hasCountAtLeast(table string, n int) bool {
	for line := range strings.SplitSeq(table, "\n") {
		for _, f := range strings.Split(line, "\t") {
			if v, err := strconv.Atoi(strings.TrimSpace(f)); err == nil {
				if v >= n {
					return true
				}
				break
			}
		}
	}
	return false
}
