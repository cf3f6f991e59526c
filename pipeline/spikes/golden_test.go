package spikes

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
)

// goldenStreamDigest is the digest of goldenStream's alerts, state-log
// entries and final snapshot, as round 37's detector (main at b3ecc354)
// gave them. A change of the detector's memory layout (round 38: the
// baselines in one flat table) must leave every byte as it was; a change
// meant to alter the alerts or the state log's bytes says so and updates
// it. Round 44 (snap44) wrote the snapshot in the detector's own order,
// not sorted by key: the digest of the same stream with each snapshot's
// entries sorted before hashing was the same before and after
// (eb8ef4ff…), so only the snapshots' order moved.
const goldenStreamDigest = "a8f74847a8abaf1ee37976e367764c53f860f0dd79d50fd257e5ac81f11e4096"

// TestARandomStreamGivesTheAlertsAndStateBytesItAlwaysGave plays a random
// stream — an exponential vocabulary of keywords, entities whose names
// differ from their keys, recurring bursts, a watch and ignore list, and
// caps low enough that max_terms evicts and max_bucket_terms drops
// counts — taking the state log's entries as it goes, snapshots it
// halfway, restores a fresh detector from that snapshot and plays on:
// the alerts, the entries and the final snapshot must hash to
// goldenStreamDigest.
func TestARandomStreamGivesTheAlertsAndStateBytesItAlwaysGave(t *testing.T) {
	h := sha256.New()
	for seed := range uint64(3) {
		goldenStream(t, h, seed)
	}
	if got := fmt.Sprintf("%x", h.Sum(nil)); got != goldenStreamDigest {
		t.Errorf("digest %s, want %s: the alerts or the state bytes changed", got, goldenStreamDigest)
	}
}

func goldenStream(t *testing.T, h hash.Hash, seed uint64) {
	cfg := DefaultConfig()
	cfg.MaxTerms = 600
	cfg.MaxBucketTerms = 400
	cfg.Watch = []string{"port strike", "Beyoncé", "keyword:w7"}
	cfg.Ignore = []string{"w3"}
	rng := rand.New(rand.NewPCG(seed, 38))
	d := New(cfg, nil)
	d.TrackChanges(true)
	now := t0
	entry := func(e state.Entry) {
		writeBytes(h, e.Key)
		if e.Value == nil {
			h.Write([]byte{0})
		} else {
			h.Write([]byte{1})
			writeBytes(h, e.Value)
		}
	}
	alerts := func(as []*record.Alert) {
		for _, a := range as {
			b, err := json.Marshal(a)
			if err != nil {
				t.Fatal(err)
			}
			writeBytes(h, b)
		}
	}
	const stories = 12_000
	for n := range stories {
		now = now.Add(time.Duration(rng.IntN(4)) * time.Second)
		s := &record.Story{ID: fmt.Sprintf("g%d_%06d", seed, n), Publisher: fmt.Sprintf("pub%d", rng.IntN(40)),
			FirstSeen: now, EventID: fmt.Sprintf("e%d", rng.IntN(900))}
		if rng.IntN(50) == 0 {
			s.ID = fmt.Sprintf("g%d_%06d", seed, rng.IntN(n+1)) // a repeat
		}
		for range 1 + rng.IntN(5) {
			s.Keywords = append(s.Keywords, fmt.Sprintf("w%d", int(rng.ExpFloat64()*300)))
		}
		if rng.IntN(3) == 0 {
			i := int(rng.ExpFloat64() * 50)
			s.Entities = append(s.Entities, record.Entity{Key: fmt.Sprintf("person:p%d", i), Name: fmt.Sprintf("P %d", i), Kind: "person"})
		}
		if n%2000 > 1900 { // a burst from many outlets
			s.Keywords = append(s.Keywords, "port strike", fmt.Sprintf("burst%d", n/2000))
			s.Entities = append(s.Entities, record.Entity{Key: "person:beyonce", Name: "Beyoncé", Kind: "person"})
		}
		alerts(d.Observe(s))
		if n%97 == 0 {
			alerts(d.Advance(now))
		}
		if n%250 == 0 {
			for _, e := range d.Changes() {
				entry(e)
			}
		}
		if n == stories/2 {
			var snap []state.Entry
			if err := d.Snapshot(func(e state.Entry) error { snap = append(snap, cloneEntry(e)); return nil }); err != nil {
				t.Fatal(err)
			}
			d = New(cfg, nil)
			for _, e := range snap {
				entry(e)
				if err := d.Load(e); err != nil {
					t.Fatal(err)
				}
			}
			if err := d.Restored(); err != nil {
				t.Fatal(err)
			}
			d.TrackChanges(true)
		}
	}
	alerts(d.Advance(now.Add(time.Hour)))
	for _, e := range d.Changes() {
		entry(e)
	}
	if err := d.Snapshot(func(e state.Entry) error { entry(e); return nil }); err != nil {
		t.Fatal(err)
	}
	h.Write(binary.LittleEndian.AppendUint64(nil, math.Float64bits(float64(d.Terms()))))
}

func writeBytes(h hash.Hash, b []byte) {
	h.Write(binary.AppendUvarint(nil, uint64(len(b))))
	h.Write(b)
}
