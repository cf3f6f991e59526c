package dedupe

import (
	"log/slog"
)

// A restart under another minhashes/bands setting converts or drops the
// remembered fingerprints (Config.MinHashes, index.readsPrefixOf). A drop
// loses near matching for every story remembered before it until the
// window passes; the operator who changed the setting learns it from one
// line at the restore's end, not from a recall that fell silently.

// restoreNotes counts the fingerprints a restore read under a setting
// other than this deduper's, by the setting they were written under.
type restoreNotes struct {
	log       *slog.Logger // nil: discarded
	converted map[fingerprintSetting]int
	dropped   map[fingerprintSetting]int
}

// fingerprintSetting is the setting a stored fingerprint was written
// under: its values, bands and check bytes a band.
type fingerprintSetting struct{ k, bands, checks int }

// SetLog gives the deduper the logger its restore reports on (nil: none).
// Call it before state.Open restores it.
func (d *Deduper) SetLog(l *slog.Logger) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.notes.log = l
}

func (n *restoreNotes) note(m *map[fingerprintSetting]int, s fingerprintSetting) {
	if *m == nil {
		*m = map[fingerprintSetting]int{}
	}
	(*m)[s]++
}

// report logs what the restore converted (INFO) and dropped (WARN), one
// line a setting read, and forgets the counts. The counts are of
// fingerprint records in the log replayed: a story that left the window
// later in the same log is counted too.
func (n *restoreNotes) report(cfg Config) {
	if n.log != nil {
		for s, c := range n.converted {
			n.log.Info("dedupe: fingerprints remembered under another minhashes/bands setting converted to this one",
				"fingerprints", c, "written_minhashes", s.k, "written_bands", s.bands,
				"minhashes", cfg.MinHashes, "bands", cfg.Bands)
		}
		for s, c := range n.dropped {
			n.log.Warn("dedupe: fingerprints remembered under a minhashes/bands setting this one cannot read dropped: "+
				"near copies of stories seen before the restart are missed until those stories leave the window",
				"fingerprints", c, "written_minhashes", s.k, "written_bands", s.bands,
				"minhashes", cfg.MinHashes, "bands", cfg.Bands)
		}
	}
	n.converted, n.dropped = nil, nil
}
