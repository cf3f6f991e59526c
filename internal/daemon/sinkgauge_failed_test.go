//go:build unix

package daemon

import (
	"log/slog"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/internal/kafkastate"
	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
	"github.com/wirestream/wirestream/internal/testkit/shareddata"
	wkafka "github.com/wirestream/wirestream/sinks/kafka"
)

// wirestream_sink_epochs reads 0 while the processor is not active (its Help, README's alert).
// An activation takes the sink epoch (which sets it to 1) before it opens and restores the
// state; when that fails — here the changelog's snapshot cache cannot be made, in production a
// broker outage during the restore — the processor is not active, but the gauge kept the 1 the
// sink fence set until the next activation or standby, which may be a generation away.
func TestSinkEpochsReadsZeroWhenAnActivationFailsAfterTakingTheSinkEpoch(t *testing.T) {
	brokers := kafkatest.Brokers(t)
	base := roleConfig(t, brokers)
	base.Kafka.SinkFence = wkafka.SinkFenceOn
	cfg := func() config.Config { return base }
	fillItems(t, base, itemsOf(shareddata.UCI(t))[:5])
	notDir := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(notDir, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	const failedMsg = ActivationFailedMsg
	const tookMsg = "sink fence: took the items partition's sink producer epoch; an older owner's record batches are refused on each output partition once this one wrote there"
	var failed, took atomic.Int64
	p := startProcessor(t, "process-1", cfg, func(p *Processor) {
		p.log = slog.New(counting{Handler: p.log.Handler(), n: map[string]*atomic.Int64{failedMsg: &failed, tookMsg: &took}})
		p.wrapState = func(o *kafkastate.Options) {
			o.CacheDir = filepath.Join(notDir, "changelog") // MkdirAll fails: the state's Open fails
		}
	})
	waitFor(t, 3*time.Minute, "the activation never failed", func() bool { return failed.Load() >= 1 })
	if took.Load() == 0 {
		t.Fatal("the failed activation took no sink epoch: the test tests nothing")
	}
	if a := p.value("wirestream_processor_active"); a != 0 {
		t.Fatalf("wirestream_processor_active %v after a failed activation, want 0", a)
	}
	if g := p.value("wirestream_sink_epochs"); g != 0 {
		t.Errorf("wirestream_sink_epochs %v on a processor whose activation failed after taking the sink epoch, want 0", g)
	}
}
