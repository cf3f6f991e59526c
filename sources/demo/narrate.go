package demo

import (
	"context"
	"log/slog"
	"time"
)

// narrate logs each beat of the timeline when it comes due, so a newcomer
// reading the log knows what the pipeline downstream should be showing
// (a republication, an event forming, a spike). Beats already past when
// the demo starts are logged at once, in order.
func narrate(ctx context.Context, tl *timeline, now func() time.Time, log *slog.Logger) {
	for _, b := range tl.beats {
		at := tl.at(b.At)
		if wait := at.Sub(now()); wait > 0 {
			t := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				t.Stop()
				return
			case <-t.C:
			}
		}
		// "at" is the offset on this run's clock; it equals the script's
		// nominal time only at the default duration.
		log.Info("demo timeline", "at", at.Sub(tl.start).String(), "beat", b.Note)
	}
}
