package dedupe

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/wirestream/wirestream/pipeline/state"
)

// A restart under a minhashes/bands setting that cannot read the
// remembered fingerprints loses near matching for the window: the
// operator who changed the setting must be told, in the log, what was
// dropped and how many; a convertible change says what it converted.
func TestARestoreSaysWhichFingerprintsItDroppedOrConverted(t *testing.T) {
	for _, tc := range []struct {
		name         string
		before, then [2]int
		level, says  string
	}{
		{"48/24 read under 64/32", [2]int{48, 24}, [2]int{64, 32}, "WARN",
			"fingerprints=2 written_minhashes=48 written_bands=24 minhashes=64 bands=32"},
		{"64/32 read under 48/24", [2]int{64, 32}, [2]int{48, 24}, "INFO",
			"fingerprints=2 written_minhashes=64 written_bands=32 minhashes=48 bands=24"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			cfg := DefaultConfig()
			cfg.MinHashes, cfg.Bands = tc.before[0], tc.before[1]
			d, st := openOnFileLog(t, dir, cfg)
			tx := d.Begin()
			a, atext := story(item{"https://a.example/rss", "s_a1", "a-1", "https://a.example/ecb", "ECB", wire})
			tx.Check(a, atext, t0)
			b, btext := story(item{"https://b.example/rss", "s_b1", "b-1", "https://b.example/other", "Other", strings.Repeat("harbour cranes unload grain ", 20)})
			tx.Check(b, btext, t0)
			commit(t, tx, st)
			st.Close()

			cfg.MinHashes, cfg.Bands = tc.then[0], tc.then[1]
			_, out := reopenLogged(t, dir, cfg)
			lines := strings.Split(strings.TrimSpace(out.String()), "\n")
			if len(lines) != 1 || !strings.Contains(lines[0], "level="+tc.level) || !strings.Contains(lines[0], tc.says) {
				t.Fatalf("restore logged %q, want one %s line saying %q", out.String(), tc.level, tc.says)
			}
		})
	}
}

// A restore under the setting the log was written with says nothing.
func TestARestoreUnderTheSameSettingSaysNothing(t *testing.T) {
	dir := t.TempDir()
	d, st := openOnFileLog(t, dir, DefaultConfig())
	tx := d.Begin()
	a, atext := story(item{"https://a.example/rss", "s_a1", "a-1", "https://a.example/ecb", "ECB", wire})
	tx.Check(a, atext, t0)
	commit(t, tx, st)
	st.Close()

	d2, out := reopenLogged(t, dir, DefaultConfig())
	if d2.idx.live != 1 {
		t.Fatalf("%d fingerprints restored, want 1", d2.idx.live)
	}
	if out.Len() != 0 {
		t.Fatalf("restore under the same setting logged %q", out.String())
	}
}

// reopenLogged restores a deduper under cfg from the file log in dir,
// its log lines captured: the logger is set before the restore runs.
func reopenLogged(t *testing.T, dir string, cfg Config) (*Deduper, *bytes.Buffer) {
	t.Helper()
	var out bytes.Buffer
	d, err := New(cfg, BoundsOf(state.DefaultConfig()), nil)
	if err != nil {
		t.Fatal(err)
	}
	d.SetLog(slog.New(slog.NewTextHandler(&out, nil)))
	l, err := state.OpenFile(dir, state.DefaultConfig(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	st, err := state.Open(context.Background(), l, state.Options{}, d)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return d, &out
}
