package state

import (
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

var t0 = time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)

func seen(id string, last time.Time) (Seen, string) {
	a := URLAlias("https://x.example/" + id)
	return Seen{ID: id, Version: 1, FirstSeen: last, LastSeen: last, Aliases: []string{a}}, a
}

func apply(t *testing.T, st Store, last time.Time, ids ...string) {
	t.Helper()
	c := Changes{Stories: map[string]Seen{}, Aliases: map[string]string{}}
	for _, id := range ids {
		s, a := seen(id, last)
		c.Stories[id] = s
		c.Aliases[a] = id
		c.Fingerprints = append(c.Fingerprints, Fingerprint{StoryID: id, FirstSeen: last, Sig: []byte(id)})
	}
	if err := st.Apply(c); err != nil {
		t.Fatal(err)
	}
}

func stores(t *testing.T, cfg Config) map[string]Store {
	b, err := OpenBolt(t.TempDir(), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return map[string]Store{"bolt": b, "memory": NewMemory(cfg)}
}

func TestPruneEnforcesTTLAndSize(t *testing.T) {
	cfg := Config{SeenTTL: 48 * time.Hour, FingerprintTTL: 24 * time.Hour, MaxEntries: 3}
	for name, st := range stores(t, cfg) {
		t.Run(name, func(t *testing.T) {
			apply(t, st, t0, "old")
			apply(t, st, t0.Add(20*time.Hour), "a", "b")
			apply(t, st, t0.Add(40*time.Hour), "c", "d")
			ps, err := st.Prune(t0.Add(50 * time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			if ps.Stories != 1 || ps.Evicted != 1 {
				t.Fatalf("pruned %+v, want 1 expired and 1 evicted", ps)
			}
			for id, want := range map[string]bool{"old": false, "a": false, "b": true, "c": true, "d": true} {
				if _, ok, _ := st.Story(id); ok != want {
					t.Errorf("story %s present = %v, want %v", id, ok, want)
				}
				if _, ok, _ := st.Alias(URLAlias("https://x.example/" + id)); ok != want {
					t.Errorf("alias of %s present = %v, want %v", id, ok, want)
				}
			}
			var fps []string
			st.Fingerprints(time.Time{}, func(f Fingerprint) error { fps = append(fps, f.StoryID); return nil })
			if strings.Join(fps, ",") != "c,d" {
				t.Errorf("fingerprints after prune = %v, want c,d (b is past the 24h window)", fps)
			}
		})
	}
}

func TestApplyKeepsFirstSeenAndAliasesOfAnEntry(t *testing.T) {
	for name, st := range stores(t, DefaultConfig()) {
		t.Run(name, func(t *testing.T) {
			apply(t, st, t0, "s")
			rev := Seen{ID: "s", Version: 2, FirstSeen: t0.Add(time.Hour), LastSeen: t0.Add(time.Hour), Aliases: []string{BodyAlias("h2")}}
			if err := st.Apply(Changes{Stories: map[string]Seen{"s": rev}}); err != nil {
				t.Fatal(err)
			}
			got, _, _ := st.Story("s")
			if got.Version != 2 || !got.FirstSeen.Equal(t0) || len(got.Aliases) != 2 {
				t.Fatalf("after revision: %+v", got)
			}
		})
	}
}

func TestFeedStateRoundTrips(t *testing.T) {
	for name, st := range stores(t, DefaultConfig()) {
		t.Run(name, func(t *testing.T) {
			if b, err := st.LoadFeedState("https://f.example/rss"); err != nil || b != nil {
				t.Fatalf("unknown feed: %q, %v; want nil, nil", b, err)
			}
			if err := st.SaveFeedState("https://f.example/rss", []byte(`{"etag":"W/\"1\""}`)); err != nil {
				t.Fatal(err)
			}
			if b, _ := st.LoadFeedState("https://f.example/rss"); string(b) != `{"etag":"W/\"1\""}` {
				t.Fatalf("got %q", b)
			}
		})
	}
}

func TestBoltReportsMetrics(t *testing.T) {
	reg := prometheus.NewRegistry()
	b, err := OpenBolt(t.TempDir(), DefaultConfig(), NewMetrics(reg))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	apply(t, b, t0, "a", "b")
	if _, err := b.Prune(t0); err != nil {
		t.Fatal(err)
	}
	if got := testutil.ToFloat64(b.m.Keys.WithLabelValues("stories")); got != 2 {
		t.Errorf("stories keys gauge = %v, want 2", got)
	}
	if n := testutil.CollectAndCount(reg, "wirestream_state_commit_duration_seconds"); n != 1 {
		t.Errorf("commit duration not reported")
	}
}

func TestOpenBoltRejectsBadConfig(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxEntries = 0
	if _, err := OpenBolt(t.TempDir(), cfg, nil); err == nil || !strings.Contains(err.Error(), "state.max_entries") {
		t.Fatalf("err = %v", err)
	}
}
