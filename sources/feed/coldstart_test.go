package feed

import (
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"
)

// A newcomer's first run used to wait for its first polls spread over
// min_interval (up to a minute with the defaults) to learn whether a feed
// works. Now a feed alone on its host, and the first per_host_concurrency
// feeds of a host, are polled at once; the rest of a busy host follow a
// second apart per per_host_concurrency, never all at once.
func TestAColdStartPollsASmallListAtOnceAndSpreadsABusyHost(t *testing.T) {
	var specs []Spec
	for _, h := range []string{"a.example", "b.example", "c.example"} {
		specs = append(specs, Spec{URL: "https://" + h + "/rss"})
	}
	for i := range 6 {
		specs = append(specs, Spec{URL: fmt.Sprintf("https://busy.example/feed/%d", i)})
	}
	first := firstPollsOf(t, specs, nil, 0, 30*time.Second) // min_interval 1m, the default start_spread

	for _, s := range specs[:3] {
		if d, ok := first[s.URL]; !ok || d != 0 {
			t.Errorf("%s, alone on its host: first poll at %v (polled: %v), want at once", s.URL, d, ok)
		}
	}
	var busy []time.Duration
	for _, s := range specs[3:] {
		busy = append(busy, first[s.URL])
	}
	slices.Sort(busy)
	if want := []time.Duration{0, 0, time.Second, time.Second, 2 * time.Second, 2 * time.Second}; !slices.Equal(busy, want) {
		t.Errorf("busy.example's first polls at %v, want %v (two at a time, a second apart)", busy, want)
	}
}

// A cold start of 10,000 feeds: 5,000 on one host and 5,000 on hosts of
// their own. The lone feeds are due at once (the global limit paces them);
// the busy host's are spread in waves of per_host_concurrency over at
// most start_spread, evenly, in a fixed order.
func TestStartOffsetsOfTenThousandFeeds(t *testing.T) {
	var urls []string
	for i := range 5000 {
		urls = append(urls, fmt.Sprintf("https://big.example/feed/%d", i), fmt.Sprintf("https://site%d.example/rss", i))
	}
	const perHost, spread = 2, 10 * time.Minute
	all := func(string) bool { return true }
	t0 := time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)
	off := newFirstPolls(perHost, spread).next(t0, urls, all)
	if len(off) != len(urls) {
		t.Fatalf("%d offsets for %d feeds", len(off), len(urls))
	}
	var big []time.Duration
	for _, u := range urls {
		if HostKey(u) == "big.example" {
			big = append(big, off[u])
		} else if off[u] != 0 {
			t.Fatalf("%s, alone on its host, due at %v, want at once", u, off[u])
		}
	}
	slices.Sort(big)
	gap := spread / 2499 // 2,500 waves of 2 in 10 minutes
	for i, d := range big {
		if want := time.Duration(i/perHost) * gap; d != want {
			t.Fatalf("big.example's feed %d of the order due at %v, want %v", i, d, want)
		}
	}
	if last := big[len(big)-1]; last > spread {
		t.Errorf("big.example's last first poll at %v, after start_spread %v", last, spread)
	}
	// The order is the URLs', not the list's: a restart keeps it.
	rev := slices.Clone(urls)
	slices.Reverse(rev)
	if again := newFirstPolls(perHost, spread).next(t0, rev, all); !maps.Equal(again, off) {
		t.Errorf("the offsets depend on the order feeds are listed in")
	}
}
