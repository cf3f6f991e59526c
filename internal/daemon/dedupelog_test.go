package daemon

import (
	"bytes"
	"context"
	"encoding/binary"
	"log/slog"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/pipeline/state"
)

// entriesLog is a state log that restores the entries it holds.
type entriesLog []state.Entry

func (l entriesLog) Append(context.Context, []state.Entry) error { return nil }
func (l entriesLog) Close() error                                { return nil }
func (l entriesLog) Restore(_ context.Context, fn func(state.Entry) error) error {
	for _, e := range l {
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}

// NewPipeline gives the deduper the process's logger: a restore under a
// minhashes/bands setting that cannot read the log's fingerprints says
// so (component dedupe) instead of losing near matching silently.
func TestNewPipelineLogsTheFingerprintsARestoreDropped(t *testing.T) {
	cfg := config.Default()
	cfg.Dedupe.MinHashes, cfg.Dedupe.Bands = 64, 32
	// a fingerprint written under 48 values in 24 bands, 1 check byte a
	// band: more values cannot be read from fewer
	v := binary.LittleEndian.AppendUint64(nil, 1)
	v = append(v, 48, 24, 1)
	v = append(v, make([]byte, 48+24)...)
	log := entriesLog{{Table: state.Fingerprints, Key: binary.LittleEndian.AppendUint64(nil, 7), Value: v}}
	var out bytes.Buffer
	pl, err := NewPipeline(context.Background(), cfg, log, &collect{}, NewMetrics(prometheus.NewRegistry(), "test"), slog.New(slog.NewTextHandler(&out, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer pl.Store.Close()
	var said string
	for _, l := range strings.Split(out.String(), "\n") {
		if strings.Contains(l, "component=dedupe") {
			said = l
		}
	}
	if !strings.Contains(said, "level=WARN") || !strings.Contains(said, "fingerprints=1 written_minhashes=48 written_bands=24") {
		t.Fatalf("the restore logged\n%s\nwant a WARN line of component dedupe naming the dropped fingerprint", out.String())
	}
}
