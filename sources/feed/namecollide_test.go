package feed

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// Two feeds whose URLs differ only in the password (two accounts of one
// members' feed) are two feeds, polled apart, but their records name both
// https://user:xxxxx@host/feed. The poller's board, which /status reads,
// was keyed by that name: it showed one of them, and the first loop to
// stop took the other's entry off with its own.
func TestTwoFeedsDifferingOnlyInPasswordAreBothOnTheBoard(t *testing.T) {
	var (
		mu   sync.Mutex
		seen = map[string]bool{}
	)
	srv := newServerOn(t, "127.0.0.8", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, p, ok := r.BasicAuth(); ok {
			mu.Lock()
			seen[p] = true
			mu.Unlock()
		}
		http.Error(w, "down", http.StatusServiceUnavailable)
	}))
	host := strings.TrimPrefix(srv.URL, "http://")
	specs := []Spec{{URL: "http://user:one@" + host + "/feed"}, {URL: "http://user:two@" + host + "/feed"}}
	cfg := DefaultConfig()
	cfg.AllowNetworks = []string{"127.0.0.8"}
	cfg.StartSpread = 0
	p, err := NewPoller(cfg, specs, newMemStore(), nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer runAcking(t, p)()
	// Each loop puts its entry on the board before its first request:
	// once the server has seen both passwords, both loops have.
	deadline := time.Now().Add(30 * time.Second) // a guard against hanging, not a timing assertion
	for {
		mu.Lock()
		both := seen["one"] && seen["two"]
		mu.Unlock()
		if both {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 30 s the server saw %v, want both passwords", seen)
		}
		time.Sleep(20 * time.Millisecond)
	}
	h := p.Health()
	if len(h) != 2 {
		t.Fatalf("/status shows %d feeds, want the 2 polled: %+v", len(h), h)
	}
	saidIn(t, "/status", h)
}
