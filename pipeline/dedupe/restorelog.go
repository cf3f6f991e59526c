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
