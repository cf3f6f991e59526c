package feed

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/wirestream/wirestream/pipeline/record"
)

// flipper serves two feeds under one URL, one on each request in turn: a
// load balancer with one backend misrouted to another feed, a CDN whose
// two origins disagree.
type flipper struct {
	a, b http.Handler
	mu   sync.Mutex
	n    int
}

func (f *flipper) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.n++
	odd := f.n%2 == 1
	f.mu.Unlock()
	if odd {
		f.a.ServeHTTP(w, r)
	} else {
		f.b.ServeHTTP(w, r)
	}
}

// A URL that serves two different feeds on alternate requests showed each
// poll only items the poll before had not seen: every item of every poll
// was delivered again, and "every item is new" took it for missed items
// and polled it at the floor. Each item is delivered once, the flips are
// no gap, and the feed is polled no more often than one that does not
// flip. What a feed remembers stays within three times its document.
func TestAFeedThatFlipsBetweenTwoFeedsDeliversEachItemOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		honest := &publisher{start: start, every: 2 * time.Minute, show: 10}
		world := &publisher{start: start, every: 2 * time.Minute, show: 10}
		sport := &sportPublisher{publisher{start: start, every: 2 * time.Minute, show: 10}}
		flip := &flipper{a: world, b: sport}
		mux := http.NewServeMux()
		mux.Handle("/honest", honest)
		mux.Handle("/flip", flip)
		const base = "https://pub.example"
		cfg := hostileCfg()
		m := NewMetrics(nil)
		store := newMemStore()
		p, err := NewPoller(cfg, []Spec{{URL: base + "/honest"}, {URL: base + "/flip"}}, store, nil, nil, m)
		if err != nil {
			t.Fatal(err)
		}
		p.fetcher.client.Transport = handlerTransport{mux}
		delivered := map[string]int{}
		runPoller(p, time.Hour, func(b record.Batch) (bool, error) {
			if b.Feed.URL == base+"/flip" {
				for _, it := range b.Items {
					delivered[it.Link]++
				}
			}
			return true, nil
		})
		t.Logf("1 hour: %d requests of the feed that flips, %d of one that does not", flip.n, honest.count())
		for link, n := range delivered {
			if n != 1 {
				t.Errorf("%s delivered %d times, want once", link, n)
			}
		}
		if got := testutil.ToFloat64(m.Gaps); got > 1 {
			t.Errorf("%v gaps: the flips were taken for missed items (once is the second feed first seen)", got)
		}
		if f, h := flip.n, honest.count(); f > h+h/4 {
			t.Errorf("the feed that flips took %d requests in an hour, one that does not %d", f, h)
		}
		// What is remembered stays bounded: the document's 10 items and
		// at most twice as many it no longer shows.
		for _, u := range []string{base + "/honest", base + "/flip"} {
			if st := store.state(u); len(st.Seen) > 30 || len(st.Memo) > 30 {
				t.Errorf("%s: %d items remembered (%d memos), want at most 30", u, len(st.Seen), len(st.Memo))
			}
		}
		if len(delivered) < 2*world.published(start.Add(time.Hour-8*time.Minute)) {
			t.Errorf("%d items delivered, want each of both feeds' items", len(delivered))
		}
	})
}

// sportPublisher is a publisher whose items are other stories, at other
// links.
type sportPublisher struct{ publisher }

func (s *sportPublisher) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := &rewriter{ResponseWriter: w}
	s.publisher.ServeHTTP(rec, r)
}

type rewriter struct{ http.ResponseWriter }

func (r *rewriter) Write(b []byte) (int, error) {
	if etag := r.Header().Get("ETag"); etag != "" {
		r.Header().Set("ETag", `"sport-`+etag[1:]) // not the other feed's ETag
	}
	s := strings.NewReplacer("pub.example/story/", "pub.example/sport/", "<guid isPermaLink=\"false\">", "<guid isPermaLink=\"false\">sport-", "Story ", "Match ", "story ", "match ").Replace(string(b))
	if _, err := r.ResponseWriter.Write([]byte(s)); err != nil {
		return 0, err
	}
	return len(b), nil
}
