package daemon

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/pipeline"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/state"
	"github.com/wirestream/wirestream/sources/file"
)

// ProcessOptions are what `wirestream process` adds to the configuration.
type ProcessOptions struct {
	// Files are read in order: feed documents, or JSONL items (.jsonl,
	// .ndjson); "-", or none at all, reads Stdin: JSONL items, or one
	// feed document (sources/file).
	Files []string
	Stdin io.Reader
	// DataDir keeps the state across runs — dedupe memory, live events,
	// spike baselines — so a run continues the last; "" keeps it in
	// memory, so two runs over the same input give the same output.
	DataDir   string
	BatchSize int
	// MaxItemsSetting names the setting cfg.Poller.MaxItems came from in
	// the over-limit dead letters: "" is poller.max_items; `process`
	// passes "--max-items" when its flag set it.
	MaxItemsSetting string
	// Sink is where the records go (JSONL, in `process`).
	Sink    pipeline.Sink
	Metrics *Metrics
	Log     *slog.Logger
	// Taken, when set, is told the item count of each batch as the
	// pipeline takes it (the progress display).
	Taken func(items int)
	// Now is the wall clock of the run: what stamps first_seen,
	// fetched_at, seen_at, events' first_seen/last_seen and dead letters,
	// through the pipeline's, the file source's and the size limit's own
	// clocks. nil is time.Now; `process --clock` passes a fixed instant,
	// so the same input gives the same bytes.
	Now func() time.Time
}

// Process runs the file source through the pipeline run ships, one batch
// at a time in file order, then publishes what time alone would produce
// (spike buckets that close, events that expire) as if event time — the
// latest published time of the stories read — had moved on by one spike
// bucket: the wall clock plays no part, so a replay of an archive gives
// what the live run did. With a data directory it stops at event time
// itself: the state carries on into the next run, and two runs over the
// two halves of an archive give what one run over all of it does. A file
// that cannot be read becomes a dead letter and the others are processed;
// the error then names it. It returns what the pipeline decided about the
// items, for a summary.
//
// It applies run's limits: at most poller.max_items items per feed
// document (the rest one dead letter), normalize's text caps, and
// kafka.max_message_bytes per record (a larger one is replaced by the dead
// letter run's Kafka sink would publish).
func Process(ctx context.Context, cfg config.Config, o ProcessOptions) (ProcessResult, error) {
	var res ProcessResult
	err := process(ctx, cfg, o, &res)
	return res, err
}

// ProcessResult is what Process decided and what it did not read: the
// read stage's dead letters stand for different things — a line that is
// not an item, a whole file, or up to all but max_items of a document —
// and a summary that called them all "not items" miscounted the last two.
type ProcessResult struct {
	pipeline.Tally
	// FilesNotRead are the inputs that could not be read or parsed, each
	// one dead letter.
	FilesNotRead []string
	// ItemsCut are the items of feed documents over poller.max_items not
	// read, from DocsCut documents (one dead letter each).
	ItemsCut, DocsCut int
	// Repeats are the entries of feed documents that repeat an earlier
	// item of the same document, one dead letter each.
	Repeats int
}

func process(ctx context.Context, cfg config.Config, o ProcessOptions, res *ProcessResult) error {
	tally := &res.Tally
	var stateLog state.Log
	note := "memory (this run only)"
	if o.DataDir != "" {
		note = "data_dir " + o.DataDir
		fl, err := state.OpenFile(o.DataDir, cfg.State, o.Metrics.State, o.Log.With("component", "state"))
		if err != nil {
			return err
		}
		stateLog = fl
	}
	now := o.Now
	if now == nil {
		now = time.Now
	}
	sink := &sizeLimit{next: o.Sink, kafka: cfg.Kafka.WithFormat(cfg.Output.Format), now: now}
	// A failed batch ends the run (the source stops at its ack: a file,
	// stdin above all, cannot be read again), so nothing is decided on
	// the memory it left: state in memory keeps no copy to rewind to.
	pl, err := newPipeline(ctx, cfg, stateLog, sink, o.Metrics, o.Log, now, true)
	if err != nil {
		return err
	}
	defer pl.Store.Close()
	pl.SetStateNote(note)
	src, err := file.New(file.Options{BatchSize: o.BatchSize, MaxItems: cfg.Poller.MaxItems, MaxItemsSetting: o.MaxItemsSetting, Stdin: o.Stdin, Log: o.Log,
		FutureSkew: cfg.Normalize.FutureSkew, Now: now})
	if err != nil {
		return err
	}
	files := o.Files
	if len(files) == 0 {
		files = []string{file.Stdin}
	}

	batches := make(chan record.Batch)
	var skipped []string
	srcErr := make(chan error, 1)
	go func() {
		var err error
		skipped, err = src.Run(ctx, files, batches)
		close(batches)
		srcErr <- err
	}()
	for b := range batches {
		if o.Taken != nil {
			o.Taken(len(b.Items))
		}
		// Process acks b; a failed batch stops the source, which returns
		// the error below.
		_ = pl.Process(ctx, b)
	}
	*tally = pl.Tally()
	err = <-srcErr
	res.FilesNotRead = skipped
	res.ItemsCut, res.DocsCut = src.Cut()
	res.Repeats = src.Repeats()
	if err != nil {
		return err
	}
	pl.NoteIfNothingNew()
	// The end of the input in event time (the stories' published times):
	// the last spike bucket closes, as it would a few minutes later live —
	// unless the state goes on in a data directory: the next run's stories
	// may still fall in that bucket, or join events this one would close,
	// so it stops at the input's own time, where a run over both inputs
	// would be at this point.
	until := pl.Clock()
	if o.DataDir == "" {
		until = until.Add(cfg.Spikes.Bucket)
	}
	if err := pl.Flush(ctx, until); err != nil {
		return err
	}
	if len(skipped) > 0 {
		return &InputsNotReadError{NotRead: skipped, Of: len(files)}
	}
	return nil
}

// InputsNotReadError ends a run that decided everything it could read: the inputs it could
// not read are each a dead letter in the output, and the run fails so that a script notices.
type InputsNotReadError struct {
	NotRead []string
	Of      int
}

func (e *InputsNotReadError) Error() string {
	return fmt.Sprintf("%d of %d inputs could not be read (each is a dead letter in the output): %s", len(e.NotRead), e.Of, strings.Join(e.NotRead, ", "))
}
