package dedupe

import (
	"slices"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/state"
)

// Stories checked far in the future (a foreign or buggy writer's, dated
// 2100 and 2200) leave more than a signature and the clock: the
// remembered story's first- and last-seen times. Read as round 41 left
// it, a restore cut the clock and the signatures but kept those: a story
// last seen in 2100 never left the window (prune expires by last seen)
// and was the last any eviction by count took, and a revision of it
// published "first seen 2100". One such story, and two (whose second
// latest signature is hostile too), are cut to the state's own times.
func TestRestoredStoriesFarInTheFutureAreCutToTheStatesOwnTimes(t *testing.T) {
	t0 := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	for name, far := range map[string][]time.Time{
		"one story of 2100":           {time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)},
		"stories of 2100 and of 2200": {time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)},
	} {
		t.Run(name, func(t *testing.T) {
			live, st := newDeduper(t, nil)
			tx := live.Begin()
			a, atext := story(item{"https://a.example/rss", "s_a1", "a-1", "https://a.example/ecb", "ECB", wire})
			b, btext := story(item{"https://b.example/rss", "s_b1", "b-1", "https://b.example/rain", "Floods", other})
			tx.Check(a, atext, t0)
			tx.Check(b, btext, t0.Add(10*time.Minute))
			commit(t, tx, st)
			for i, at := range far {
				tx := live.Begin()
				f, ftext := story(item{"https://f.example/rss", []string{"s_f1", "s_f2"}[i], []string{"f-1", "f-2"}[i], []string{"https://f.example/x", "https://f.example/y"}[i], "Elsewhere", farText[i]})
				if dec, _ := tx.Check(f, ftext, at); dec.Kind != KindNew {
					t.Fatalf("the story of %s: %v", at, dec.Kind)
				}
				commit(t, tx, st)
			}
			var es []state.Entry
			if err := live.Snapshot(func(e state.Entry) error {
				es = append(es, state.Entry{Table: e.Table, Key: slices.Clone(e.Key), Value: slices.Clone(e.Value)})
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			d, err := New(DefaultConfig(), BoundsOf(state.DefaultConfig()), nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range es {
				if err := d.Load(e); err != nil {
					t.Fatal(err)
				}
			}
			if err := d.Restored(); err != nil {
				t.Fatal(err)
			}
			bound := t0.Add(time.Hour)
			if d.clock > bound.UnixNano() {
				t.Errorf("window clock %s after the restore, want it cut", time.Unix(0, d.clock).UTC())
			}
			m := d.mem
			for i := range m.stories.len() {
				r := m.rec(uint32(i))
				if !r.live() {
					continue
				}
				if r.first > bound.UnixNano() || int64(r.last) > bound.Unix() {
					t.Errorf("a remembered story first seen %s, last seen %s after the restore, want both cut to the state's own times",
						time.Unix(0, r.first).UTC(), time.Unix(int64(r.last), 0).UTC())
				}
			}
			for _, r := range m.copies {
				if r.key != 0 && (r.first > bound.UnixNano() || int64(r.last) > bound.Unix()) {
					t.Errorf("a remembered copy first seen %s, last seen %s after the restore, want both cut", time.Unix(0, r.first).UTC(), time.Unix(int64(r.last), 0).UTC())
				}
			}
			// the real stories are kept as they were
			for _, id := range []string{"s_a1", "s_b1"} {
				if s, ok := m.story(hkey(id)); !ok || s.first > t0.Add(10*time.Minute).UnixNano() || s.first < t0.UnixNano() {
					t.Errorf("%s: remembered %v, first seen %s, want it kept", id, ok, time.Unix(0, s.first).UTC())
				}
			}
		})
	}
}

// farText is the text of the stories dated far in the future: unlike
// each other and the remembered stories, and long enough to be signed.
var farText = []string{
	`Container ships queued outside the harbour for a second week as dock workers extended their strike over pay, and shipping lines said cargo bound for the region would be diverted to ports further north until the dispute was settled.`,
	`The national rail operator cancelled most long-distance trains after a storm brought down overhead lines across the northern network, and engineers warned that repairs to the damaged bridges could take until the end of the month.`,
}
