package main

import (
	"context"
	"flag"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// A run until done counts each offered item once, whether it came out as
// a new story or as a duplicate record; a revision answers nothing; an
// item answered again is counted as such, and a GUID no feed offered is
// told apart. The run is done at the write that answers the last item,
// not before, and the items never answered are named.
func TestEveryOfferedItemIsAnsweredOnceAndTheRunIsDoneAtTheLast(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		g := gen{seed: 7, feeds: 3, text: textNews}
		guid := func(f, seq int) string { return g.item("http://h", f, seq).GUID }
		story := func(f, seq, version int) record.Record {
			return &record.Story{GUID: guid(f, seq), Version: version, FetchedAt: time.Now(), FirstSeen: time.Now()}
		}
		dup := func(f, seq int) record.Record { return &record.Duplicate{GUID: guid(f, seq)} }

		ms := &measuringSink{byType: map[record.Type]int{}, began: time.Now(), answers: newAnswers(3, 2)}
		ms.inner = sinkFunc(func(context.Context, []record.Record) error { return nil })
		ctx := context.Background()
		write := func(recs ...record.Record) {
			t.Helper()
			if err := ms.Write(ctx, recs); err != nil {
				t.Fatal(err)
			}
		}
		isDone := func() bool {
			select {
			case <-ms.answers.done:
				return true
			default:
				return false
			}
		}

		write(story(0, 1, 1), story(0, 2, 1), dup(1, 1))
		time.Sleep(time.Second)
		write(story(0, 1, 2), &record.Story{GUID: "urn:elsewhere:1", Version: 1}, &record.Event{})
		a := ms.answers
		if a.answered != 3 || a.twice != 0 || a.foreign != 1 || isDone() {
			t.Fatalf("after 3 items, a revision and a foreign story: answered %d, twice %d, foreign %d, done %t; want 3, 0, 1, false",
				a.answered, a.twice, a.foreign, isDone())
		}
		if got, want := a.missing(10), []string{"1:2", "2:1", "2:2"}; !slices.Equal(got, want) {
			t.Fatalf("never answered: %v, want %v", got, want)
		}
		write(dup(0, 1)) // a story's item answered again, as a duplicate of itself
		time.Sleep(time.Second)
		write(story(1, 2, 1), dup(2, 1))
		if isDone() {
			t.Fatal("done with item 2:2 unanswered")
		}
		time.Sleep(2 * time.Second)
		write(story(2, 2, 1))
		if !isDone() {
			t.Fatal("not done after every item was answered")
		}
		if a.doneAt != 4*time.Second {
			t.Fatalf("done at %v, want 4s: the write that answered the last item", a.doneAt)
		}
		write(story(2, 2, 1)) // once more after done: counted, done stays
		if a.answered != 6 || a.twice != 2 || len(a.missing(10)) != 0 {
			t.Fatalf("at the end: answered %d, twice %d, missing %v; want 6, 2, none", a.answered, a.twice, a.missing(10))
		}
	})
}

// The window of a run until done ends at done, or at its bound if done
// never comes.
func TestTheWindowEndsWhenDoneOrAtItsBound(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		done := make(chan struct{})
		go func() {
			time.Sleep(3 * time.Second)
			close(done)
		}()
		start := time.Now()
		waitWindow(context.Background(), time.Minute, done)
		if d := time.Since(start); d != 3*time.Second {
			t.Fatalf("with done at 3 s the window lasted %v", d)
		}
		start = time.Now()
		waitWindow(context.Background(), time.Minute, nil)
		if d := time.Since(start); d != time.Minute {
			t.Fatalf("with no done the window lasted %v, want its bound", d)
		}
	})
}

// -until-done offers the first page only, counts from the start and is
// bounded by 30 minutes unless told otherwise; a -change-share or
// -warmup that contradicts it is refused, not quietly overridden.
func TestUntilDoneOffersTheFirstPageFromTheStart(t *testing.T) {
	parse := func(args ...string) (orchestration, error) {
		fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
		var o orchestration
		o.fix = fixtureFlags(fs)
		fs.DurationVar(&o.warmup, "warmup", 10*time.Second, "")
		fs.DurationVar(&o.duration, "duration", 20*time.Second, "")
		if err := fs.Parse(args); err != nil {
			t.Fatal(err)
		}
		return o, untilDoneDefaults(fs, &o)
	}
	o, err := parse()
	if err != nil || o.fix.Share != 0 || o.warmup != 0 || o.duration != 30*time.Minute {
		t.Fatalf("defaults: share %v, warmup %v, duration %v, err %v; want 0, 0, 30m, nil", o.fix.Share, o.warmup, o.duration, err)
	}
	o, err = parse("-change-share", "0", "-warmup", "0s", "-duration", "5m")
	if err != nil || o.duration != 5*time.Minute {
		t.Fatalf("given consistently: duration %v, err %v", o.duration, err)
	}
	for _, bad := range [][]string{{"-change-share", "0.2"}, {"-warmup", "10s"}} {
		if _, err := parse(bad...); err == nil || !strings.Contains(err.Error(), bad[0]) {
			t.Errorf("%v: err %v, want a refusal naming %s", bad, err, bad[0])
		}
	}
}

// A run until done reports when the last item was answered, every run's
// account of the items, and the items a run never answered.
func TestReportShowsWhatEachRunUntilDoneAnswered(t *testing.T) {
	o := orchestration{fix: &fixtureOptions{Feeds: 100, Round: time.Second, Items: 10, BodyWords: 120, Text: textNews}, hosts: 8,
		interval: time.Second, duration: 30 * time.Minute, untilDone: true}
	mk := func(last float64, answered, twice int, missing ...string) trial {
		return trial{Run: runResult{WindowSeconds: last + 1, Stories: 900, CPUSeconds: 1, RecordsByType: map[string]int{"story": 900},
			Offered: 1000, Answered: answered, AnsweredTwice: twice, LastAnswerSecs: last, Unanswered: missing}}
	}
	var out strings.Builder
	writeReport(&out, o, []trial{mk(61.5, 1000, 0), mk(0, 998, 3, "17:4", "80:10")})
	for _, want := range []string{
		"| start → the record that answered the last offered item (0: not all were) | 30.8 s | 61.5, 0.0 |",
		"| 1000 / 1000 / 0 / 0; 1000 / 998 / 3 / 2 |",
		"Run 2: items never answered (feed:seq, first 2): 17:4 80:10.",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
}
