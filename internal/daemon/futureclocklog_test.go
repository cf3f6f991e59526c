package daemon

import (
	"bytes"
	"context"
	"encoding/binary"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/pipeline/state"
)

// NewPipeline gives the clusterer and the spike detector the process's
// logger, as it gives the deduper: a restore that cuts far-future times
// says so under component events / spikes, on the daemon's handler, not
// on the default logger a daemon with its own handler never shows.
func TestNewPipelineLogsTheFarFutureCutsOfEventsAndSpikes(t *testing.T) {
	cfg := config.Default()
	now := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	far := time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
	floor := func(at time.Time) []byte { return state.AppendTime(binary.AppendUvarint(nil, 3), at) }
	bucket := func(at time.Time) int64 { return at.UnixNano() / int64(cfg.Spikes.Bucket) }
	seen := func(k uint64, at time.Time) state.Entry {
		return state.Entry{Table: state.Spikes, Key: binary.LittleEndian.AppendUint64([]byte{'k'}, k), Value: binary.AppendVarint(nil, bucket(at))}
	}
	global := []byte{1}
	for _, b := range []int64{bucket(now), bucket(far), bucket(far)} { // first, next, pruned
		global = binary.AppendVarint(global, b)
	}
	global = binary.AppendUvarint(global, 0)
	log := entriesLog{
		// two events' floors, one of 2100
		{Table: state.Events, Key: []byte("re_a"), Value: floor(now)},
		{Table: state.Events, Key: []byte("re_b"), Value: floor(far)},
		// two stories counted now, the spike clock in 2100
		seen(1, now), seen(2, now), seen(3, now.Add(10*time.Minute)), seen(4, now.Add(10*time.Minute)),
		{Table: state.Spikes, Key: []byte{'g'}, Value: global},
	}
	var out bytes.Buffer
	pl, err := NewPipeline(context.Background(), cfg, log, &collect{}, NewMetrics(prometheus.NewRegistry(), "test"), slog.New(slog.NewTextHandler(&out, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer pl.Store.Close()
	for _, component := range []string{"events", "spikes"} {
		said := ""
		for _, l := range strings.Split(out.String(), "\n") {
			if strings.Contains(l, "component="+component) && strings.Contains(l, "far past the state's own story times") {
				said = l
			}
		}
		if !strings.Contains(said, "level=ERROR") {
			t.Errorf("the restore logged\n%s\nwant an ERROR line of component %s saying what it cut", out.String(), component)
		}
	}
}
