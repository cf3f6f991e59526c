package feed

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

// Round 39 review of feedmem39 (Seen and Memo as sorted slices): a state
// saved by the maps era — keys in any order, hex in either case, the same
// key written twice — must load sorted with each key once, or a binary
// search misses an item and it is delivered again.
func TestAMapsEraSeenStateLoadsSortedAndFindsEveryKey(t *testing.T) {
	r := rand.New(rand.NewPCG(39, 2))
	for round := range 200 {
		want := map[uint64]uint64{}
		var parts, memoParts []string
		for range r.IntN(60) {
			k, v := r.Uint64(), r.Uint64()
			if r.IntN(5) == 0 {
				v = reasonCode(rejectReasons[r.IntN(len(rejectReasons))])
			}
			want[k] = v
			key := formatHash(k)
			if r.IntN(3) == 0 {
				key = strings.ToUpper(key)
			}
			parts = append(parts, fmt.Sprintf("%q:%q", key, formatValue(v)))
			memoParts = append(memoParts, fmt.Sprintf(`%q:{"f":%d}`, key, int64(k%1000)+1))
			if r.IntN(4) == 0 { // the same key again, same value
				parts = append(parts, fmt.Sprintf("%q:%q", formatHash(k), formatValue(v)))
			}
		}
		r.Shuffle(len(parts), func(i, j int) { parts[i], parts[j] = parts[j], parts[i] })
		r.Shuffle(len(memoParts), func(i, j int) { memoParts[i], memoParts[j] = memoParts[j], memoParts[i] })
		data := fmt.Sprintf(`{"v":%d,"seen":{%s},"memo":{%s},"next_poll":"2026-12-06T00:00:00Z","last_attempt":"2026-12-06T00:00:00Z"}`,
			stateVersion, strings.Join(parts, ","), strings.Join(memoParts, ","))
		st, err := decodeState([]byte(data))
		if err != nil {
			t.Fatal(err)
		}
		if len(st.Seen) != len(want) || st.Memo.len() != len(want) {
			t.Fatalf("round %d: loaded %d seen, %d memos; want %d each", round, len(st.Seen), st.Memo.len(), len(want))
		}
		if !slices.IsSortedFunc(st.Seen, func(a, b seenEntry) int { return cmpU(a.Key, b.Key) }) ||
			!slices.IsSortedFunc(st.Memo.entries(), func(a, b memoEntry) int { return cmpU(a.Key, b.Key) }) {
			t.Fatalf("round %d: loaded state not sorted", round)
		}
		for k, v := range want {
			if got, ok := st.Seen.get(k); !ok || got != v {
				t.Fatalf("round %d: key %x: got %x, %v; want %x", round, k, got, ok, v)
			}
			if m, ok := st.Memo.get(k); !ok || m.First != int64(k%1000)+1 {
				t.Fatalf("round %d: memo of %x: %+v, %v", round, k, m, ok)
			}
		}
		// Saved again: byte-identical to what encoding/json writes of
		// the maps-era state, and to the slices' own MarshalJSON.
		fast, err := st.encode()
		if err != nil {
			t.Fatal(err)
		}
		slow, err := encodeWithJSON(st)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(fast, slow) {
			t.Fatalf("round %d: encode differs from encoding/json:\n%s\n%s", round, fast, slow)
		}
		asMap := map[string]string{}
		for k, v := range want {
			asMap[formatHash(k)] = formatValue(v)
		}
		mapJSON, _ := json.Marshal(asMap)
		if len(want) > 0 && !bytes.Contains(fast, append([]byte(`"seen":`), mapJSON...)) {
			t.Fatalf("round %d: seen saved unlike the maps era: %s want %s", round, fast, mapJSON)
		}
	}
}

func cmpU(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// mergeSorted against a map merge, on random sorted inputs.
func TestMergeSortedIsAMapMerge(t *testing.T) {
	r := rand.New(rand.NewPCG(39, 3))
	for range 500 {
		a, b := map[uint64]uint64{}, map[uint64]uint64{}
		for range r.IntN(30) {
			a[uint64(r.IntN(50))] = r.Uint64()
		}
		for range r.IntN(30) {
			b[uint64(r.IntN(50))] = r.Uint64()
		}
		want := maps.Clone(a)
		maps.Copy(want, b)
		got := mergeSorted(seenListOf(a), seenListOf(b), func(e seenEntry) uint64 { return e.Key })
		if !slices.Equal(got, seenListOf(want)) {
			t.Fatalf("merged %v, want %v", got, seenListOf(want))
		}
	}
}

// A failing feed's delay after its backoff was dropped (a success) and
// made anew still grows with each failure, and a Retry-After longer than
// the backoff is kept.
func TestABackoffMadeAnewStillGrowsAndKeepsRetryAfter(t *testing.T) {
	cfg := DefaultConfig()
	cfg.BackoffJitter = 0
	spec := Spec{URL: "https://backoff39.example/rss"}
	p, err := NewPoller(cfg, []Spec{spec}, newMemStore(), nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer p.fetcher.close()
	var retryAfter time.Duration
	failing := true
	p.fetch = func(_ context.Context, _ fetchRequest) (*fetchResult, error) {
		if failing {
			return nil, &fetchError{Class: Class5xx, Status: 503, Err: errTestHTTP, RetryAfter: retryAfter}
		}
		return ok200(rssDoc("Feed", "a"), `"v1"`), nil
	}
	l := p.newLoop(spec, nil)
	l.begin()
	delay := func() time.Duration {
		t.Helper()
		now := time.Now()
		res, ok := l.poll(t.Context(), hostTurn{})
		if !ok {
			t.Fatal("poll not ok")
		}
		l.st = res.next
		return res.next.NextPoll.Sub(now)
	}
	for cycle := range 2 {
		failing = true
		d1, d2, d3 := delay(), delay(), delay()
		if !(d1 < d2 && d2 < d3) {
			t.Errorf("cycle %d: delays %v %v %v do not grow", cycle, d1, d2, d3)
		}
		failing = false
		delay()
		if l.bo != nil {
			t.Errorf("cycle %d: backoff kept after success", cycle)
		}
	}
	failing, retryAfter = true, time.Hour
	if d := delay(); d < 50*time.Minute {
		t.Errorf("Retry-After of an hour on a fresh backoff: next poll in %v", d)
	}
}

// Polls and pushes of random windows over a dozen items — items dropping
// out and coming back, a GUID twice in one document, a restart (the state
// saved and read back) between any two — deliver each item exactly once.
func TestRandomWindowsAndRestartsDeliverEachItemOnce(t *testing.T) {
	r := rand.New(rand.NewPCG(39, 4))
	base := time.Now().Add(-48 * time.Hour)
	for run := range 40 {
		p, err := NewPoller(DefaultConfig(), nil, newMemStore(), nil, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		l := p.newLoop(Spec{URL: "https://review39.example/rss"}, nil)
		const universe = 12
		delivered, polled := map[string]int{}, map[string]bool{}
		ns := feedState{V: stateVersion}
		for step := range 30 {
			now := base.Add(time.Duration(step) * time.Minute)
			var shown []string
			for i := range universe {
				if r.IntN(3) > 0 {
					shown = append(shown, dated(fmt.Sprintf("g%02d", i), base.Add(-time.Duration(i)*time.Hour)))
				}
			}
			if len(shown) < universe/2 {
				continue // keep Gone's room (twice the document) over the dozen
			}
			if r.IntN(4) == 0 {
				shown = append(shown, shown[r.IntN(len(shown))]) // a GUID twice
			}
			r.Shuffle(len(shown), func(i, j int) { shown[i], shown[j] = shown[j], shown[i] })
			doc, err := ParseAtMost(rssDoc("Feed", shown...), "application/rss+xml", l.name, now, p.cfg.MaxItems)
			if err != nil {
				t.Fatal(err)
			}
			next := ns.clone()
			push := step > 0 && r.IntN(4) == 0
			items, _, _, _ := l.pick(&next, &doc, push, now)
			for _, it := range doc.Items {
				polled[it.GUID] = polled[it.GUID] || !push
			}
			for _, it := range items {
				delivered[it.GUID]++
			}
			ns = next
			if r.IntN(3) == 0 { // restart
				data, err := ns.encode()
				if err != nil {
					t.Fatal(err)
				}
				if ns, err = decodeState(data); err != nil {
					t.Fatal(err)
				}
			}
		}
		for g, n := range delivered {
			if n != 1 {
				t.Errorf("run %d: %s delivered %d times", run, g, n)
			}
		}
		for g, byPoll := range polled {
			if byPoll && delivered[g] != 1 {
				t.Errorf("run %d: %s, shown by a poll, delivered %d times", run, g, delivered[g])
			}
		}
		p.fetcher.close()
	}
}

// testdata/mapsera_states.jsonl holds the states main saved, before the
// seen items were sorted slices (5778a2a1^1), after each of twelve polls
// and pushes of 40-odd items made as below. Each must load, save again
// byte for byte, and the same poll from it must leave the state the maps
// era left: the sorted slices forget, re-emit and save nothing differently.
func TestMapsEraStatesLoadAndPollAsTheyDid(t *testing.T) {
	data, err := os.ReadFile("testdata/mapsera_states.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n"))
	if len(lines) != 12 {
		t.Fatalf("%d states, want 12", len(lines))
	}
	r := rand.New(rand.NewPCG(39, 5))
	base := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	p, err := NewPoller(DefaultConfig(), nil, newMemStore(), nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer p.fetcher.close()
	l := p.newLoop(Spec{URL: "https://review39.example/rss"}, nil)
	ns := feedState{V: stateVersion}
	for step := range 12 {
		now := base.Add(time.Duration(step) * time.Hour)
		var shown []string
		for i := range 40 {
			if r.IntN(2) == 0 {
				shown = append(shown, dated(fmt.Sprintf("g%02d", i+step), base.Add(-time.Duration(i)*time.Hour)))
			}
		}
		shown = append(shown, "undated-"+fmt.Sprint(step))
		doc, err := ParseAtMost(rssDoc("Feed", shown...), "application/rss+xml", l.name, now, p.cfg.MaxItems)
		if err != nil {
			t.Fatal(err)
		}
		next := ns.clone()
		l.pick(&next, &doc, step%3 == 2, now)
		got, err := next.encode()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, lines[step]) {
			t.Fatalf("step %d: the state differs from the maps era's:\n%s\nwant\n%s", step, got, lines[step])
		}
		if ns, err = decodeState(lines[step]); err != nil {
			t.Fatal(err)
		}
		if !slices.IsSortedFunc(ns.Seen, func(a, b seenEntry) int { return cmpU(a.Key, b.Key) }) || len(ns.Seen) == 0 {
			t.Fatalf("step %d: %d seen loaded, sorted %v", step, len(ns.Seen), slices.IsSortedFunc(ns.Seen, func(a, b seenEntry) int { return cmpU(a.Key, b.Key) }))
		}
		if again, _ := ns.encode(); !bytes.Equal(again, lines[step]) {
			t.Fatalf("step %d: loaded and saved again, not byte-identical", step)
		}
	}
}
