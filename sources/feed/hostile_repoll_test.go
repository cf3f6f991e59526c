package feed

import (
	"fmt"
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
			if st := store.state(u); len(st.Seen) != 10 || len(st.Gone) > 20 || st.Memo.len() != 10 {
				t.Errorf("%s: %d items of the document remembered (%d memos) and %d before it, want 10 (10) and at most 20", u, len(st.Seen), st.Memo.len(), len(st.Gone))
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

// churner serves its publisher's feed with a new ETag and Last-Modified
// on every request, and never a 304: a CMS that renders the feed anew for
// each request and stamps it with the time.
type churner struct {
	p *publisher
	n int
}

func (c *churner) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.n++
	r.Header.Del("If-None-Match")
	r.Header.Del("If-Modified-Since")
	w.Header().Set("Last-Modified", time.Now().UTC().Format(http.TimeFormat))
	c.p.ServeHTTP(&restamp{ResponseWriter: w, etag: fmt.Sprintf(`"r%d"`, c.n)}, r)
}

type restamp struct {
	http.ResponseWriter
	etag string
}

func (r *restamp) Write(b []byte) (int, error) {
	r.Header().Set("ETag", r.etag)
	return r.ResponseWriter.Write(b)
}

// Validators that change on every request over the same body make every
// conditional GET a full one; the body is still the same, so the poll is
// "identical": no item is delivered again and the feed is polled at its
// publish rate, as one that answers 304.
func TestValidatorsThatChangeOnEveryRequestChangeNothingElse(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		honest := &publisher{start: start, every: 5 * time.Minute, show: 10}
		churn := &churner{p: &publisher{start: start, every: 5 * time.Minute, show: 10}}
		mux := http.NewServeMux()
		mux.Handle("/honest", honest)
		mux.Handle("/churn", churn)
		const base = "https://pub.example"
		m := NewMetrics(nil)
		p, err := NewPoller(hostileCfg(), []Spec{{URL: base + "/honest"}, {URL: base + "/churn"}}, newMemStore(), nil, nil, m)
		if err != nil {
			t.Fatal(err)
		}
		p.fetcher.client.Transport = handlerTransport{mux}
		delivered := map[string]int{}
		runPoller(p, time.Hour, func(b record.Batch) (bool, error) {
			if b.Feed.URL == base+"/churn" {
				for _, it := range b.Items {
					delivered[it.Link]++
				}
			}
			return true, nil
		})
		t.Logf("1 hour: %d requests with churning validators, %d with stable ones", churn.n, honest.count())
		for link, n := range delivered {
			if n != 1 {
				t.Errorf("%s delivered %d times, want once", link, n)
			}
		}
		if c, h := churn.n, honest.count(); c > h+h/4 {
			t.Errorf("the feed with churning validators took %d requests in an hour, one with stable ones %d", c, h)
		}
		if got := testutil.ToFloat64(m.ValidatorAnomalies.WithLabelValues("validators_churn")); got == 0 {
			t.Error("the churn was not counted")
		}
	})
}
