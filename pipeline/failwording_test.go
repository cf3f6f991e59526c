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

// A batch the sink did not write is read again by a long-running source
// (Run acks it with the error: a feed keeps its old progress, the items
// topic its offset), and Run's log says so. Process is a one-shot run's
// (`wirestream process` over files): nothing reads the batch again, the
// caller stops on the error; its log said "it will be read again" all the
// same when `process | head` closed stdout.
func TestAFailedWriteSaysWhatHappensToTheBatch(t *testing.T) {
	for _, tt := range []struct {
		name         string
		run          func(p *Pipeline)
		want, wantNo string
	}{
		{"a long-running pipeline", func(p *Pipeline) { runAll(t, p, fixtureBatches(newAcks())[:1]) },
			"batch not written; it will be read again", "nothing reads it again"},
		{"a one-shot run", func(p *Pipeline) {
			err := p.Process(t.Context(), fixtureBatches(newAcks())[0])
			if err == nil || !strings.Contains(err.Error(), "leader not available") {
				t.Errorf("Process: err = %v, want the sink's error", err)
			}
		}, "batch not written; nothing reads it again: the run stops", "read again"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			now := t0.Add(time.Hour)
			dd, err := dedupe.New(dedupe.DefaultConfig(), dedupe.BoundsOf(state.DefaultConfig()), nil)
			if err != nil {
				t.Fatal(err)
			}
			st, err := state.Open(t.Context(), nil, state.Options{}, dd)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			var log bytes.Buffer
			p, err := New(DefaultConfig(), Deps{
				Normalizer: normalize.New(normalize.DefaultConfig(), nil), Dedupe: dd, Store: st, Sink: &memSink{fail: 1},
				Now: func() time.Time { return now }, Log: slog.New(slog.NewTextHandler(&log, nil)),
			}, nil)
			if err != nil {
				t.Fatal(err)
			}
			tt.run(p)
			if !strings.Contains(log.String(), tt.want) || strings.Contains(log.String(), tt.wantNo) {
				t.Errorf("log:\n%s\nwant it to say %q, and not %q", log.String(), tt.want, tt.wantNo)
			}
		})
	}
}
