package feed

import (
	"context"
	"net/http"
	"testing"
	"time"
)

// BenchmarkUnchangedPoll measures one poll of a feed that has not changed
// (a 304) on a feed that carried 20 items: with the fetch faked (our code
// alone: limits, state, schedule, metrics) and against a loopback server
// (net/http included). The poller's loop around it (timer, board, save
// decision) is not in it; the load harness measures the whole.
// "net-http-only" is the floor: the same conditional GET with a plain
// net/http client, nothing else.
//
//	go test -run '^$' -bench UnchangedPoll -benchmem ./sources/feed/
func BenchmarkUnchangedPoll(b *testing.B) {
	srv := newServerOn(b, "127.0.0.1", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"v1"`)
		w.WriteHeader(http.StatusNotModified)
	}))
	b.Run("net-http-only", func(b *testing.B) {
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 2}}
		defer client.CloseIdleConnections()
		b.ReportAllocs()
		for b.Loop() {
			req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, srv.URL+"/feed.xml", nil)
			if err != nil {
				b.Fatal(err)
			}
			req.Header.Set("If-None-Match", `"v1"`)
			resp, err := client.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			resp.Body.Close()
		}
	})
	for _, c := range []struct {
		name string
		fake bool
	}{{"fake-fetch", true}, {"loopback", false}} {
		b.Run(c.name, func(b *testing.B) {
			cfg := DefaultConfig()
			cfg.AllowNetworks = []string{"127.0.0.0/8"}
			spec := Spec{URL: srv.URL + "/feed.xml"}
			p, err := NewPoller(cfg, []Spec{spec}, newMemStore(), nil, nil, nil)
			if err != nil {
				b.Fatal(err)
			}
			defer p.fetcher.close()
			if c.fake {
				p.fetch = func(context.Context, fetchRequest) (*fetchResult, error) {
					return &fetchResult{Status: http.StatusNotModified, ETag: `"v1"`}, nil
				}
			}
			l := p.newLoop(spec, nil)
			l.st = unchangedState(time.Now())
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			b.ReportAllocs()
			for b.Loop() {
				res, ok := l.poll(ctx, hostTurn{})
				if !ok || res.next.HTTPStatus != 0 || res.next.Health != "ok" {
					b.Fatalf("poll: ok %v, state %+v", ok, res.next)
				}
				l.st = res.next
			}
		})
	}
}

// unchangedState is a feed read before, with 20 items and validators.
func unchangedState(now time.Time) feedState {
	st := feedState{V: stateVersion, ETag: `"v1"`, LastModified: "Mon, 30 Nov 2026 10:00:00 GMT",
		BodyHash: "00", Seen: seenList{}, SeenAt: now,
		Health: "ok", SentHealth: "ok", SentAt: now, LastSuccess: now, LastAttempt: now, BodyAt: now}
	var recent []time.Time
	memos := []memoEntry{}
	for i := range 20 {
		k := uint64(i)
		st.Seen = append(st.Seen, seenEntry{k, k})
		memos = append(memos, memoEntry{k, memo{Link: uint64(i + 1), Text: uint64(i + 1), First: now.Unix()}})
		recent = append(recent, now.Add(-time.Duration(i)*time.Hour))
	}
	st.Recent = recentListOf(recent)
	st.Memo = memoListFrom(memos)
	return st
}
