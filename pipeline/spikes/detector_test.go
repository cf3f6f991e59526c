package spikes

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/wirestream/wirestream/internal/testkit"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
)

var t0 = time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)

// feed is a synthetic stream driver: it observes stories and advances
// the detector bucket by bucket, collecting alerts.
type feed struct {
	d      *Detector
	now    time.Time
	n      int
	alerts []*record.Alert
}

func newFeed(cfg Config) *feed { return &feed{d: New(cfg, nil), now: t0} }

// story makes a distinct story naming terms (keywords; "person:" prefixed
// ones become entities).
func (f *feed) story(pub string, terms ...string) *record.Story {
	f.n++
	s := &record.Story{ID: fmt.Sprintf("s%05d", f.n), Publisher: pub, FirstSeen: f.now.Add(time.Duration(f.n%250) * time.Second), EventID: "e_x"}
	for _, t := range terms {
		if strings.HasPrefix(t, "person:") {
			s.Entities = append(s.Entities, record.Entity{Key: t, Name: strings.TrimPrefix(t, "person:"), Kind: "person"})
		} else {
			s.Keywords = append(s.Keywords, t)
		}
	}
	return s
}

func (f *feed) observe(pub string, terms ...string) { f.add(f.story(pub, terms...)) }

// add observes s, keeping the alerts of any bucket its time closed: a
// check of f.alerts ("no alert") must see those as well as tick's.
func (f *feed) add(s *record.Story) { f.alerts = append(f.alerts, f.d.Observe(s)...) }

// tick ends the current bucket.
func (f *feed) tick() []*record.Alert {
	f.now = f.now.Add(f.d.cfg.Bucket)
	a := f.d.Advance(f.now)
	f.alerts = append(f.alerts, a...)
	return a
}

// wirePubs is the publishers the tests' stories rotate through; read only.
var wirePubs = []string{"Reuters", "AP", "BBC", "Guardian", "NYT", "Le Monde", "DW", "CNN"}

// steady plays hours of ordinary news: a few common terms at noisy but
// stable rates from a rotating set of publishers.
func (f *feed) steady(hours int, rng *rand.Rand) {
	for range hours * int(time.Hour/f.d.cfg.Bucket) {
		for _, term := range []struct {
			name string
			mean int
		}{{"economy", 4}, {"person:trump", 6}, {"weather", 1}, {"football", 2}} {
			for range rng.IntN(2*term.mean + 1) {
				f.observe(wirePubs[rng.IntN(len(wirePubs))], term.name)
			}
		}
		f.tick()
	}
}

func burst(f *feed, stories, publishers int, terms ...string) {
	for i := range stories {
		f.observe(fmt.Sprintf("outlet-%d", i%publishers), terms...)
	}
}

func TestDetector(t *testing.T) {
	tests := []struct {
		name  string
		cfg   func(*Config)
		play  func(f *feed)
		check func(t *testing.T, f *feed, last []*record.Alert)
	}{{
		name: "steady traffic triggers nothing",
		play: func(f *feed) { f.steady(12, rand.New(rand.NewPCG(1, 2))) },
		check: func(t *testing.T, f *feed, _ []*record.Alert) {
			if len(f.alerts) != 0 {
				t.Fatalf("got %d alerts on steady traffic, first %+v", len(f.alerts), f.alerts[0])
			}
		},
	}, {
		name: "a spike is caught within one bucket",
		play: func(f *feed) {
			f.steady(6, rand.New(rand.NewPCG(1, 2)))
			burst(f, 12, 6, "person:zelensky", "summit")
		},
		check: func(t *testing.T, f *feed, last []*record.Alert) {
			got := map[string]*record.Alert{}
			for _, a := range last {
				got[a.Term] = a
			}
			a := got["person:zelensky"]
			if a == nil || got["summit"] == nil || len(last) != 2 {
				t.Fatalf("want firing alerts for person:zelensky and summit in the burst's bucket, got %v", terms(last))
			}
			if a.State != record.AlertFiring || a.Stories != 12 || a.Publishers != 6 || a.TermKind != "entity" || a.TermName != "zelensky" {
				t.Fatalf("alert = %+v", a)
			}
			if a.ID != "person:zelensky@2026-03-10T06:00:00Z/firing" || len(a.SampleStories) != 5 || len(a.EventIDs) != 1 {
				t.Fatalf("alert id/samples = %q %v %v", a.ID, a.SampleStories, a.EventIDs)
			}
			if a.Score < 4 || a.Ratio < 3 {
				t.Fatalf("score %v ratio %v below the bars", a.Score, a.Ratio)
			}
		},
	}, {
		name: "one story republished by 200 outlets triggers nothing",
		play: func(f *feed) {
			f.steady(2, rand.New(rand.NewPCG(3, 4)))
			s := f.story("Reuters", "person:zelensky")
			for i := range 200 {
				cp := *s
				cp.Publisher = fmt.Sprintf("outlet-%d", i)
				f.add(&cp)
			}
		},
		check: noAlerts,
	}, {
		name: "copies under new ids but one fingerprint count once",
		play: func(f *feed) {
			f.steady(2, rand.New(rand.NewPCG(3, 4)))
			for i := range 200 {
				s := f.story(fmt.Sprintf("outlet-%d", i), "person:zelensky")
				s.Fingerprint = "9f86d081884c7d65"
				f.add(s)
			}
		},
		check: noAlerts,
	}, {
		name: "a burst from a single publisher triggers nothing",
		play: func(f *feed) {
			f.steady(2, rand.New(rand.NewPCG(5, 6)))
			burst(f, 40, 1, "person:zelensky")
		},
		check: noAlerts,
	}, {
		name: "one burst gives one firing alert, then one cleared",
		play: func(f *feed) {
			rng := rand.New(rand.NewPCG(7, 8))
			f.steady(2, rng)
			for range 4 { // a burst over four buckets
				burst(f, 15, 5, "person:zelensky")
				f.tick()
			}
			f.steady(1, rng)                   // it subsides
			burst(f, 15, 5, "person:zelensky") // a rebound within the cooldown
			f.tick()
			f.steady(1, rng)
		},
		check: func(t *testing.T, f *feed, _ []*record.Alert) {
			want := []string{"person:zelensky@2026-03-10T02:00:00Z/firing", "person:zelensky@2026-03-10T02:30:00Z/cleared"}
			if got := ids(f.alerts); strings.Join(got, " ") != strings.Join(want, " ") {
				t.Fatalf("alerts = %v, want %v", got, want)
			}
		},
	}, {
		name: "a watched term alerts at lower counts, an unwatched one does not",
		cfg:  func(c *Config) { c.Watch = []string{"Zelensky"} },
		play: func(f *feed) {
			f.steady(2, rand.New(rand.NewPCG(9, 10)))
			burst(f, 3, 2, "person:zelensky")
			burst(f, 3, 2, "person:macron")
		},
		check: func(t *testing.T, f *feed, last []*record.Alert) {
			if len(last) != 1 || last[0].Term != "person:zelensky" || !last[0].Watched {
				t.Fatalf("got %v", terms(last))
			}
		},
	}, {
		name: "ignored terms are never counted",
		cfg:  func(c *Config) { c.Ignore = []string{"person:zelensky"} },
		play: func(f *feed) {
			f.steady(2, rand.New(rand.NewPCG(9, 10)))
			burst(f, 20, 10, "person:zelensky")
		},
		check: noAlerts,
	}, {
		name: "an alert keeps the entity key's case and a watch list matches either case",
		cfg:  func(c *Config) { c.Watch = []string{"PERSON:Zelensky"} },
		play: func(f *feed) {
			f.steady(2, rand.New(rand.NewPCG(11, 12)))
			burst(f, 3, 2, "person:Zelensky")
		},
		check: func(t *testing.T, f *feed, last []*record.Alert) {
			if len(last) != 1 || last[0].Term != "person:Zelensky" || !last[0].Watched {
				t.Fatalf("got %v, want one watched alert for person:Zelensky as the story spelled it", terms(last))
			}
		},
	}, {
		name:  "nothing fires during the warmup",
		play:  func(f *feed) { burst(f, 20, 10, "person:zelensky") },
		check: noAlerts,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := DefaultConfig()
			if tt.cfg != nil {
				tt.cfg(&cfg)
			}
			if err := cfg.Validate(); err != nil {
				t.Fatal(err)
			}
			f := newFeed(cfg)
			tt.play(f)
			last := f.tick()
			tt.check(t, f, last)
		})
	}
}

// noAlerts is the check of a scenario that must raise nothing.
func noAlerts(t *testing.T, f *feed, _ []*record.Alert) {
	t.Helper()
	if len(f.alerts) != 0 {
		t.Fatalf("got %v", terms(f.alerts))
	}
}

func terms(as []*record.Alert) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.Term+"/"+a.State)
	}
	return out
}

func ids(as []*record.Alert) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.ID)
	}
	return out
}

func TestReplayIsDeterministic(t *testing.T) {
	run := func() []string {
		f := newFeed(DefaultConfig())
		rng := rand.New(rand.NewPCG(11, 12))
		f.steady(2, rng)
		burst(f, 12, 4, "person:zelensky", "summit", "kyiv")
		f.tick()
		f.steady(2, rng)
		return ids(f.alerts)
	}
	a, b := run(), run()
	if len(a) != 6 || strings.Join(a, ",") != strings.Join(b, ",") {
		t.Fatalf("replays differ or missed the burst:\n%v\n%v", a, b)
	}
}

func TestMemoryStaysBounded(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxTerms = 1000
	cfg.StoryMemory = time.Hour
	f := newFeed(cfg)
	for b := range 100 {
		for i := range 50 {
			f.observe("p", fmt.Sprintf("rare-%d-%d", b, i))
		}
		f.tick()
	}
	if n := f.d.Terms(); n > cfg.MaxTerms {
		t.Fatalf("%d terms held, bound %d", n, cfg.MaxTerms)
	}
	if n := len(f.d.seen); n > 2*int(cfg.StoryMemory/cfg.Bucket)*50 {
		t.Fatalf("%d story ids held after pruning", n)
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []testkit.ConfigCase[Config]{
		{"the defaults are valid", func(*Config) {}, ""},
		{"a zero bucket is named", func(c *Config) { c.Bucket = 0 }, "spikes.bucket: must be > 0, got 0s"},
		{"a negative threshold is named", func(c *Config) { c.Threshold = -1 }, "spikes.threshold: must be > 0, got -1"},
		{"a ratio below one is named", func(c *Config) { c.MinRatio = 0.5 }, "spikes.min_ratio: must be >= 1, got 0.5"},
		{"clear_after shorter than a bucket is named", func(c *Config) { c.ClearAfter = time.Minute }, "spikes.clear_after: must be >= bucket, got 1m0s"},
		// A watch entry in an entity key's form that no story can carry
		// matched nothing, without a word.
		{"watch entries in key form are valid, in any case", func(c *Config) {
			c.Watch = []string{"Person:Volodymyr_Zelensky", "place:gb", "port strike", "covid-19"}
		}, ""},
		{"a watch key written as a name is named, with the key", func(c *Config) { c.Watch = []string{"port strike", "person:Volodymyr Zelensky"} },
			`spikes.watch[1]: "person:Volodymyr Zelensky" is no entity key as stories carry them (lower case, words joined by _): did you mean "person:volodymyr_zelensky"?`},
		{"a watch key under another kind's name is named, with the kind", func(c *Config) { c.Watch = []string{"org:nato"} },
			`spikes.watch[0]: "org:nato": entity keys begin with person:, organization: or place: (did you mean "organization:nato"?)`},
	}
	testkit.CheckValidate(t, DefaultConfig, tests)
}

func BenchmarkObserve(b *testing.B) {
	d := New(DefaultConfig(), nil)
	rng := rand.New(rand.NewPCG(1, 2))
	stories := make([]record.Story, 10_000)
	for i := range stories {
		s := &stories[i]
		s.ID, s.Publisher = fmt.Sprintf("s%d", i), fmt.Sprintf("p%d", rng.IntN(300))
		for range 5 {
			s.Entities = append(s.Entities, record.Entity{Key: fmt.Sprintf("person:p%d", rng.IntN(5000)), Name: "x"})
		}
		for range 8 {
			s.Keywords = append(s.Keywords, fmt.Sprintf("kw%d", rng.IntN(20000)))
		}
	}
	now := t0
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		s := stories[i%len(stories)]
		s.ID = fmt.Sprint(i)
		s.FirstSeen = now
		d.Observe(&s)
		if i%100 == 99 { // ~100 stories per bucket
			now = now.Add(d.cfg.Bucket)
			d.Advance(now)
		}
	}
}

// catchUp's closed form is folding zeros one by one, early in a baseline
// (the weight given still small) and late.
func TestCatchUpMatchesFoldingZeros(t *testing.T) {
	d := New(DefaultConfig(), nil)
	for _, counted := range []int64{1, 3, 40, 2000} {
		a := &termState{updated: -1}
		for i := range counted {
			d.fold(a, float64(3+i%5), i+1)
			a.updated = i
		}
		b := *a
		for i := counted; i < counted+137; i++ {
			d.fold(a, 0, i+1)
			a.updated = i
		}
		d.catchUp(&b, counted+136, 0)
		if math.Abs(a.mean-b.mean) > 1e-9*a.mean || math.Abs(a.variance-b.variance) > 1e-9*a.variance {
			t.Errorf("%d buckets counted: folded %+v, closed form %+v", counted, a, b)
		}
	}
}

// The baseline's variance is the weighted variance of the buckets it
// counted (weights α(1-α)^age, as its mean's): computed here from the
// counts themselves, at every step of a term's first days.
func TestTheBaselineIsTheWeightedMeanAndVarianceOfItsBuckets(t *testing.T) {
	d := New(DefaultConfig(), nil)
	rng := rand.New(rand.NewPCG(37, 3))
	ts := &termState{updated: -1}
	var xs []float64
	for i := range int64(600) {
		x := float64(rng.IntN(9))
		if i%50 == 7 {
			x = 0 // and buckets without it
		}
		xs = append(xs, x)
		d.fold(ts, x, i+1)
		ts.updated = i
		var w, sum, sq float64
		for j, x := range xs {
			wj := d.alpha * math.Pow(1-d.alpha, float64(len(xs)-1-j))
			w, sum, sq = w+wj, sum+wj*x, sq+wj*x*x
		}
		mean := sum / w
		variance := sq/w - mean*mean
		m, v := d.baseline(ts, i+1, 0)
		if math.Abs(m-mean) > 1e-9*(1+mean) || math.Abs(v-variance) > 1e-9*(1+variance) {
			t.Fatalf("after %d buckets: baseline %.6f ± %.6f, weighted %.6f ± %.6f", i+1, m, v, mean, variance)
		}
	}
}

// A story counts in the bucket of its published time, not of when it was
// seen: a replay, which sees a day of stories within seconds, counts them
// where the live run did.
func TestStoriesCountInTheBucketOfTheirPublishedTime(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Warmup = 0
	d := New(cfg, nil)
	start := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	seen := start.Add(30 * 24 * time.Hour) // the replay's wall clock, far later
	d.Advance(start)
	for i := range 6 {
		d.Observe(&record.Story{ID: fmt.Sprint("s", i), Publisher: fmt.Sprint("p", i), Published: start.Add(time.Minute), FirstSeen: seen,
			Entities: []record.Entity{{Key: "organization:acme", Name: "Acme", Kind: "organization"}}})
	}
	alerts := d.Advance(start.Add(cfg.Bucket))
	if len(alerts) != 1 || !alerts[0].BucketStart.Equal(start) || alerts[0].Stories != 6 {
		t.Fatalf("alerts %+v, want one firing for the bucket at %s", alerts, start)
	}
}

// A bucket spans many batches: an event its early stories joined may be
// folded into another before the bucket closes. With FollowMerges the
// alert names where each counted story is when the alert is made, once.
func TestAlertsNameTheEventsThatSurviveLaterMerges(t *testing.T) {
	now := map[string]string{} // story id → the event it is in now
	for _, follow := range []bool{false, true} {
		f := newFeed(DefaultConfig())
		if follow {
			f.d.FollowMerges(func(id string) string { return now[id] })
		}
		f.steady(6, rand.New(rand.NewPCG(1, 2)))
		for i := range 12 {
			s := f.story(fmt.Sprintf("outlet-%d", i%6), "person:zelensky")
			s.EventID = "e_a"
			if i >= 6 {
				s.EventID = "e_b"
			}
			now[s.ID] = "e_b" // e_a was folded into e_b after its stories were counted
			f.add(s)
		}
		var got *record.Alert
		for _, a := range f.tick() {
			if a.Term == "person:zelensky" {
				got = a
			}
		}
		if got == nil {
			t.Fatalf("follow %v: no alert for the burst", follow)
		}
		want := []string{"e_a", "e_b"}
		if follow {
			want = []string{"e_b"}
		}
		if fmt.Sprint(got.EventIDs) != fmt.Sprint(want) {
			t.Errorf("follow %v: event ids %v, want %v", follow, got.EventIDs, want)
		}
	}
}

// BenchmarkSnapshot measures a state-log rotation's snapshot of an open
// bucket of 2,000 stories (10,000 terms counted, each with its
// publishers), as the load harness makes one.
//
//	go test -run '^$' -bench Snapshot -benchmem ./pipeline/spikes/
func BenchmarkSnapshot(b *testing.B) {
	d := New(DefaultConfig(), nil)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 2_000 {
		s := record.Story{ID: fmt.Sprintf("s%d", i), Publisher: fmt.Sprintf("p%d", rng.IntN(100)), FirstSeen: t0}
		for range 5 {
			s.Entities = append(s.Entities, record.Entity{Key: fmt.Sprintf("person:p%d", rng.IntN(2000)), Name: "x"})
		}
		for range 8 {
			s.Keywords = append(s.Keywords, fmt.Sprintf("kw%d", rng.IntN(8000)))
		}
		d.Observe(&s)
	}
	b.ReportAllocs()
	entries := 0
	for b.Loop() {
		if err := d.Snapshot(func(state.Entry) error { entries++; return nil }); err != nil {
			b.Fatal(err)
		}
	}
	if entries == 0 {
		b.Fatal("the snapshot wrote nothing")
	}
}

// A fresh detector whose first story is an old item (a feed's pinned
// article from years back, first in its first poll) does not count the
// warm-up from it: the burst right after is not judged against baselines
// that saw nothing, and the years between are skipped in one step, not
// closed bucket by bucket (a million 5-minute buckets in ten years).
func TestAnOldFirstStoryDoesNotWarmTheDetector(t *testing.T) {
	f := newFeed(DefaultConfig())
	f.now = t0.AddDate(-10, 0, 0)
	f.observe("archive", "evergreen")
	f.now = t0
	burst(f, 8, 8, "earthquake")
	if a := f.tick(); len(a) != 0 {
		t.Fatalf("alerts in the first bucket after an old first story: %v", terms(a))
	}
	if got := f.d.m.buckets; testutil.ToFloat64(got) > 2 {
		t.Errorf("%v buckets closed over the ten years, want the gap skipped", testutil.ToFloat64(got))
	}
	// The warm-up runs from the stream's real start: an hour of quiet
	// news, then the same burst alerts.
	f.steady(2, rand.New(rand.NewPCG(1, 2)))
	burst(f, 8, 8, "earthquake")
	if a := f.tick(); !slices.Contains(terms(a), "earthquake/firing") {
		t.Fatalf("after two hours of news the burst did not alert: %v", terms(a))
	}
}

// A detector started by a tick that counted nothing (a fresh start whose
// first batch held only feed statuses) has seen no stream yet: a long
// silence before the first story restarts the warm-up from that story,
// as it does after a lone old story.
func TestAnEmptyFirstTickDoesNotWarmTheDetector(t *testing.T) {
	f := newFeed(DefaultConfig())
	f.now = t0.AddDate(0, 0, -3)
	f.d.Advance(f.now)
	f.now = t0
	burst(f, 8, 8, "earthquake")
	if a := f.tick(); len(a) != 0 {
		t.Fatalf("alerts in the first bucket after a detector started empty days before: %v", terms(a))
	}
	f.steady(2, rand.New(rand.NewPCG(1, 2)))
	burst(f, 8, 8, "earthquake")
	if a := f.tick(); !slices.Contains(terms(a), "earthquake/firing") {
		t.Fatalf("after two hours of news the burst did not alert: %v", terms(a))
	}
}
