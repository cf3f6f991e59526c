package spikes

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
)

// inside reports whether s's bytes lie within text's.
func inside(s, text string) bool {
	if len(s) == 0 {
		return false
	}
	p, start := uintptr(unsafe.Pointer(unsafe.StringData(s))), uintptr(unsafe.Pointer(unsafe.StringData(text)))
	return p >= start && p < start+uintptr(len(text))
}

// A story's keywords and entity names are slices of its whole text
// (enrich lower-cases the text once and cuts the words from it): the
// counts and baselines must keep copies, or a term tracked for days keeps
// a whole article alive for its few bytes.
func TestTermsKeepNoSliceOfTheStorysText(t *testing.T) {
	f := newFeed(DefaultConfig())
	f.d.TrackChanges(true)
	text := "the port strike in rotterdam " + strings.Repeat("filler words ", 100) + "anna kowalska"
	s := f.story("Reuters")
	s.Keywords = []string{text[4:15], text[4:8]} // "port strike", "port"
	s.Entities = []record.Entity{{Key: "person:anna_kowalska", Name: text[len(text)-13:], Kind: "person"}}
	f.add(s)
	f.d.Changes()
	check := func(where, k string) {
		t.Helper()
		if inside(k, text) {
			t.Errorf("%s %q is a slice of the story's text", where, k)
		}
	}
	for _, b := range f.d.open {
		for k, c := range b.counts.all() {
			check("count key", k)
			check("count name", b.counts.name(c))
		}
	}
	for _, o := range f.d.log.obs[:cap(f.d.log.obs)] {
		if o != nil {
			t.Errorf("the log keeps observation %s after Changes", o.id)
		}
	}
	f.tick()
	if f.d.terms.len() != 3 {
		t.Fatalf("%d baselines, want 3", f.d.terms.len())
	}
	for k, ts := range baselineMap(&f.d.terms) {
		check("baseline key", k)
		check("baseline's own key", ts.key)
		check("baseline name", ts.name)
	}
	// the baselines keep none of the bucket's text either: it goes with the bucket
	s = f.story("AP")
	s.Keywords = []string{text[4:15]}
	f.add(s)
	for _, b := range f.d.open {
		bucketText := unsafe.String(unsafe.SliceData(b.counts.text), cap(b.counts.text))
		for k := range b.counts.all() {
			if ts := termOf(&f.d.terms, k); ts != nil && (inside(ts.key, bucketText) || inside(ts.name, bucketText)) {
				t.Errorf("the baseline of %q keeps a slice of the open bucket's text", k)
			}
		}
	}
}

// BenchmarkTermMemory measures the heap a tracked term costs: a baseline
// (termState, its key and the map's entry) once its bucket closed, and a
// count in an open bucket (one story, one publisher: most of a bucket's
// counts), for spikes.max_terms and a bucket's share of the peak.
//
//	go test -run '^$' -bench TermMemory -benchtime 1x ./pipeline/spikes/
func BenchmarkTermMemory(b *testing.B) {
	const n = 100_000
	keys := make([]string, n)
	for i := range keys {
		keys[i] = fmt.Sprintf("keyword-%07d", i) // 15 bytes, a common keyword's length
	}
	for b.Loop() {
		d := New(DefaultConfig(), nil)
		d.TrackChanges(true)
		var before, open, closed runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		for i := 0; i < n; i += 10 {
			s := &record.Story{ID: fmt.Sprintf("s_%022d", i), Publisher: fmt.Sprintf("pub%d", i%100), FirstSeen: t0,
				EventID: fmt.Sprintf("e_%016d", i), Keywords: keys[i : i+10]}
			d.Observe(s)
			d.Changes()
		}
		runtime.GC()
		runtime.ReadMemStats(&open)
		// what a snapshot of the open bucket holds on top, at most (sampled)
		var peak uint64
		entries := 0
		if err := d.Snapshot(func(state.Entry) error {
			if entries++; entries%1024 == 0 {
				var m runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&m)
				peak = max(peak, m.HeapAlloc)
			}
			return nil
		}); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(peak-min(peak, open.HeapAlloc))/n, "snapshotB/term")
		d.Advance(t0.Add(time.Hour))
		d.Changes()
		runtime.GC()
		runtime.ReadMemStats(&closed)
		// the story ids remembered (seen) are in both; about 4 % of open
		b.ReportMetric(float64(open.HeapAlloc-before.HeapAlloc)/n, "openB/term")
		b.ReportMetric(float64(closed.HeapAlloc-before.HeapAlloc)/n, "baselineB/term")
		runtime.KeepAlive(d)
	}
}

// A count of one story keeps it in place of its lists: it must say what
// the lists would — publishers, samples, events, their stories and its
// state-log bytes — with and without an event, and sample_stories 0
// must still keep no sample.
func TestACountOfOneStorySaysWhatItsListsWould(t *testing.T) {
	for _, tc := range []struct {
		samples int
		event   string
	}{{5, "e_1"}, {5, ""}, {1, "e_1"}, {0, "e_1"}} {
		cfg := DefaultConfig()
		cfg.SampleStories = tc.samples
		d := New(cfg, nil)
		d.apply(&observation{bucket: 1, id: "s1", pub: "Reuters", eventID: tc.event, terms: []obsTerm{{key: "quake", name: "quake", keyword: true}}})
		ob := d.open[1]
		one := ob.counts.get("quake")
		name := fmt.Sprintf("sample_stories %d, event %q", tc.samples, tc.event)
		if tc.samples == 0 {
			if one.more == nil || len(ob.samples(one)) != 0 || one.publishers() != 1 {
				t.Errorf("%s: samples %v, %d publishers", name, ob.samples(one), one.publishers())
			}
			continue
		}
		lists := *one
		lists.more = nil
		ob.lists(&lists)
		if one.more != nil {
			t.Errorf("%s: a count of one story made its lists", name)
		}
		if got, want := encodeCount(ob, one), encodeCount(ob, &lists); string(got) != string(want) {
			t.Errorf("%s: encoded %x, its lists %x", name, got, want)
		}
		if one.publishers() != 1 || fmt.Sprint(ob.samples(one), ob.events(one), ob.eventStories(one)) != fmt.Sprint(ob.samples(&lists), ob.events(&lists), ob.eventStories(&lists)) {
			t.Errorf("%s: %d publishers, %v %v %v; its lists %v %v %v", name, one.publishers(),
				ob.samples(one), ob.events(one), ob.eventStories(one), ob.samples(&lists), ob.events(&lists), ob.eventStories(&lists))
		}
		// a second story moves the first into the lists, first
		d.apply(&observation{bucket: 1, id: "s2", pub: "AP", eventID: "e_2", terms: []obsTerm{{key: "quake", name: "quake", keyword: true}}})
		if one.stories != 2 || one.publishers() != 2 || ob.samples(one)[0] != "s1" {
			t.Errorf("%s: after a second story: %d stories, %d publishers, samples %v", name, one.stories, one.publishers(), ob.samples(one))
		}
	}
}

// An open bucket of more counts than a chunk is handed out while it is
// encoded: the snapshot must restore every count as it was, and a write
// that fails in the middle must return its error and leave the detector
// usable.
func TestALargeOpenBucketSnapshotsInChunks(t *testing.T) {
	f := newFeed(DefaultConfig())
	for i := range 3 * snapshotChunk {
		f.observe(fmt.Sprintf("p%d", i%7), fmt.Sprintf("kw%d", i), fmt.Sprintf("kw%d", i/2), "person:common")
	}
	var snap []state.Entry
	if err := f.d.Snapshot(func(e state.Entry) error { snap = append(snap, cloneEntry(e)); return nil }); err != nil {
		t.Fatal(err)
	}
	counts := 0
	d := New(DefaultConfig(), nil)
	for _, e := range snap {
		counts += boolInt(e.Key[0] == 'b')
		if err := d.Load(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.Restored(); err != nil {
		t.Fatal(err)
	}
	if counts <= snapshotChunk {
		t.Fatalf("%d counts in the snapshot: not more than a chunk", counts)
	}
	for b, ob := range f.d.open {
		for k, c := range ob.counts.all() {
			if got := d.open[b].counts.get(k); got == nil || string(encodeCount(d.open[b], got)) != string(encodeCount(ob, c)) {
				t.Fatalf("count %q of bucket %d: restored %+v, was %+v", k, b, got, c)
			}
		}
	}
	boom := errors.New("disk full")
	n := 0
	err := f.d.Snapshot(func(e state.Entry) error {
		if e.Key[0] == 'b' {
			if n++; n == snapshotChunk/2 {
				return boom
			}
		}
		return nil
	})
	if !errors.Is(err, boom) {
		t.Fatalf("a write failing in the open buckets: %v", err)
	}
	done := make(chan struct{})
	go func() { f.observe("AP", "quake"); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the detector is still locked after a failed snapshot")
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// BenchmarkPopularTermMemory measures what the terms many publishers name
// cost in an open bucket: a cold start of 10,000 feeds' first pages (10
// stories each, all in one bucket), each story naming 10 of 1,000 common
// terms, so that a term counts some 1,000 stories from some 950 distinct
// publishers (round 32: a map of their names, 42 MB of such maps in the
// harness's bucket at 10,000 feeds).
//
//	go test -run '^$' -bench PopularTermMemory -benchtime 1x ./pipeline/spikes/
func BenchmarkPopularTermMemory(b *testing.B) {
	const feeds, perFeed, terms = 10_000, 10, 1_000
	keys := make([]string, terms)
	for i := range keys {
		keys[i] = fmt.Sprintf("common-%04d", i)
	}
	pubs := make([]string, feeds)
	for i := range pubs {
		pubs[i] = fmt.Sprintf("https://feeds.example/%05d/rss.xml", i)
	}
	for b.Loop() {
		d := New(DefaultConfig(), nil)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		n := 0
		for p := range feeds {
			for range perFeed {
				n++
				s := &record.Story{ID: fmt.Sprintf("s_%08d", n), Publisher: pubs[p], FirstSeen: t0}
				for j := range 10 {
					s.Keywords = append(s.Keywords, keys[(n*7+j*101)%terms])
				}
				d.Observe(s)
			}
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/terms, "B/term")
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/1e6, "MB")
		runtime.KeepAlive(d)
	}
}

// BenchmarkListTermMemory is BenchmarkTermMemory's open bucket for terms
// of two stories, each in an event of its own: every count holds lists
// (countLists), as a cold start's every repeated term does.
func BenchmarkListTermMemory(b *testing.B) {
	const n = 100_000
	keys := make([]string, n)
	for i := range keys {
		keys[i] = fmt.Sprintf("keyword-%07d", i)
	}
	for b.Loop() {
		d := New(DefaultConfig(), nil)
		d.TrackChanges(true)
		var before, open runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		for copy := range 2 {
			for i := 0; i < n; i += 10 {
				s := &record.Story{ID: fmt.Sprintf("s%d_%020d", copy, i), Publisher: fmt.Sprintf("pub%d", (i+copy)%100), FirstSeen: t0,
					EventID: fmt.Sprintf("e%d_%015d", copy, i), Keywords: keys[i : i+10]}
				d.Observe(s)
				d.Changes()
			}
		}
		runtime.GC()
		runtime.ReadMemStats(&open)
		b.ReportMetric(float64(open.HeapAlloc-before.HeapAlloc)/n, "openB/term")
		runtime.KeepAlive(d)
	}
}
