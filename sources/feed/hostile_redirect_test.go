package feed

import (
	"net/http"
	"sync/atomic"
	"testing"
)

// A redirect loop across two hosts (a site moved to a CDN that sends it
// back) is stopped at the first URL it would request again: without a
// cookie jar the same request gets the same redirect, so each hop after
// it was one more request to the publishers for nothing — a loop cost
// 1 + poller.max_redirects requests per poll. The error names the loop,
// hop by hop, and the feed beside it on the same hosts is read.
func TestARedirectLoopAcrossHostsStopsAtItsFirstRepeat(t *testing.T) {
	const ipA, ipB = "127.0.0.18", "127.0.0.19"
	var hits atomic.Int32
	muxA, muxB := http.NewServeMux(), http.NewServeMux()
	srvA := newServerOn(t, ipA, muxA)
	srvB := newServerOn(t, ipB, muxB)
	muxA.HandleFunc("/feed", func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Redirect(w, r, srvB.URL+"/feed", http.StatusMovedPermanently)
	})
	muxB.HandleFunc("/feed", func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Redirect(w, r, srvA.URL+"/feed", http.StatusFound)
	})
	muxA.HandleFunc("/good", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, srvB.URL+"/good", http.StatusFound)
	})
	muxB.HandleFunc("/good", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(rssDoc("Good", "g1"))
	})
	cfg := DefaultConfig()
	cfg.AllowNetworks = []string{ipA, ipB}
	cfg.StartSpread = 0
	loop, good := srvA.URL+"/feed", srvA.URL+"/good"
	got, _ := pollEach(t, cfg, []Spec{{URL: loop}, {URL: good}}, nil)
	for _, s := range got {
		switch s.FeedURL {
		case loop:
			want := "fetch " + loop + ": redirect loop: " + loop + " → " + srvB.URL + "/feed → " + loop + " (stopped at its first repeat): too many redirects"
			if s.LastErrorClass != ClassRedirect || s.LastError != want {
				t.Errorf("loop: class %q, error\n got: %s\nwant: %s", s.LastErrorClass, s.LastError, want)
			}
		case good:
			if s.LastError != "" || s.ItemsFound != 1 {
				t.Errorf("the feed beside the loop: error %q, %d items", s.LastError, s.ItemsFound)
			}
		}
	}
	if n := hits.Load(); n != 2 {
		t.Errorf("the loop's poll made %d requests, want 2: each URL once", n)
	}
}
