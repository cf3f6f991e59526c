package pipeline

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/dedupe"
	"github.com/wirestream/wirestream/pipeline/normalize"
	"github.com/wirestream/wirestream/pipeline/state"
)

// A run in which every item was already seen by an earlier run publishes
// no story; it must say so, and where the state that remembers them is,
// rather than look like a pipeline that does nothing. A processor taking
// over (no state note) must not: its re-reads are seen by design, and the
// warning's advice (an empty data_dir) does not apply to a changelog
// (soak, round 13: every failover logged it).
func TestARunOfOnlyEarlierStoriesSaysSo(t *testing.T) {
	dir := t.TempDir()
	for run, wantWarning := range []bool{false, true, false} {
		now := t0.Add(time.Hour)
		dd, err := dedupe.New(dedupe.DefaultConfig(), dedupe.BoundsOf(state.DefaultConfig()), nil)
		if err != nil {
			t.Fatal(err)
		}
		st, err := state.Open(t.Context(), openLog(t, dir), state.Options{}, dd)
		if err != nil {
			t.Fatal(err)
		}
		var log bytes.Buffer
		p, err := New(DefaultConfig(), Deps{
			Normalizer: normalize.New(normalize.DefaultConfig(), nil), Dedupe: dd, Store: st, Sink: &memSink{},
			Now: func() time.Time { return now }, Log: slog.New(slog.NewTextHandler(&log, nil)),
		}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if run < 2 { // the third run is a processor's takeover: it reads again what is seen by design
			p.SetStateNote("data_dir " + dir)
		}
		runAll(t, p, fixtureBatches(newAcks()))
		if err := st.Close(); err != nil {
			t.Fatal(err)
		}
		tally := p.Tally()
		warned := strings.Count(log.String(), "seen by an earlier run")
		switch {
		case wantWarning && (warned != 1 || !strings.Contains(log.String(), "data_dir "+dir)):
			t.Errorf("run %d (tally %+v) logged the all-seen warning %d times, want once naming the state's data_dir:\n%s", run+1, tally, warned, log.String())
		case !wantWarning && warned != 0:
			t.Errorf("run %d published %d new stories but warned that nothing was new:\n%s", run+1, tally.New, log.String())
		}
		if run >= 1 && (tally.Items != 4 || tally.New != 0 || tally.Unchanged+tally.Duplicates != 4) {
			t.Errorf("second run tally %+v, want 4 items all seen before", tally)
		}
	}
}
