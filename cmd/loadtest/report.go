package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/wirestream/wirestream/pipeline/record"
)

// median of the values f picks from each trial.
func median(ts []trial, f func(trial) float64) float64 {
	if len(ts) == 0 {
		return 0
	}
	xs := make([]float64, len(ts))
	for i, t := range ts {
		xs[i] = f(t)
	}
	slices.Sort(xs)
	if len(xs)%2 == 1 {
		return xs[len(xs)/2]
	}
	return (xs[len(xs)/2-1] + xs[len(xs)/2]) / 2
}

func all(ts []trial, f func(trial) float64, format string) string {
	var s []string
	for _, t := range ts {
		s = append(s, fmt.Sprintf(format, f(t)))
	}
	return strings.Join(s, ", ")
}

func ratio(a, b float64) string {
	if b == 0 {
		return "–"
	}
	return fmt.Sprintf("%.3f", a/b)
}

func metLE(v, target float64) string {
	if v <= target {
		return "met"
	}
	return "**not met**"
}

func metGE(v, target float64) string {
	if v >= target {
		return "met"
	}
	return "**not met**"
}

// writeReport prints the markdown table of medians, with every run's value
// beside it and the ratio to the limit measured in the same runs.
func writeReport(w io.Writer, o orchestration, ts []trial) {
	per := func(f func(runResult) float64) func(trial) float64 {
		return func(t trial) float64 {
			if t.Run.WindowSeconds == 0 {
				return 0
			}
			return f(t.Run) / t.Run.WindowSeconds
		}
	}
	polls := per(func(r runResult) float64 { return r.Polls })
	stories := per(func(r runResult) float64 { return float64(r.Stories) })
	records := per(func(r runResult) float64 { return float64(r.Records) })
	cpuPer1k := func(t trial) float64 {
		if t.Run.Stories == 0 {
			return 0
		}
		return t.Run.CPUSeconds / float64(t.Run.Stories) * 1000
	}
	// A wire copy costs normalize, dedupe and its duplicate record like a
	// new story does, but is not one: CPU per item processed is the figure
	// comparable with BenchmarkProcess and the ceiling.
	cpuPerItem1k := func(t trial) float64 {
		items := t.Run.Stories + t.Run.RecordsByType[string(record.TypeDuplicate)]
		if items == 0 {
			return 0
		}
		return t.Run.CPUSeconds / float64(items) * 1000
	}
	cpuUse := func(t trial) float64 { return t.Run.CPUSeconds / t.Run.WindowSeconds }
	p50 := func(t trial) float64 { return t.Run.P50ms }
	p99 := func(t trial) float64 { return t.Run.P99ms }
	rss := func(t trial) float64 { return t.Run.PeakRSSMB }
	heap := func(t trial) float64 { return t.Run.HeapInuseMB }
	stateMB := func(t trial) float64 { return float64(t.Run.StateBytes) / (1 << 20) }
	idx := func(t trial) float64 { return t.Run.RestoreSecs }
	w304 := func(t trial) float64 { return t.Wrk304 }
	w200 := func(t trial) float64 { return t.Wrk200 }
	kc := func(t trial) float64 { return t.Kcat }
	share304 := func(t trial) float64 {
		if t.Run.Polls == 0 {
			return 0
		}
		return float64(t.Run.PollsByOutcome["not_modified"]) / t.Run.Polls
	}

	fmt.Fprintf(w, "### %d feeds, %d remembered stories before the run (%d runs, medians)\n\n", o.fix.Feeds, o.prefill, len(ts))
	if o.prefill > 0 {
		fmt.Fprintf(w, "Prefill spread: %s (-prefill-span).\n\n", o.prefillSpan)
	}
	fmt.Fprintf(w, "Setup: %d loopback hosts, poll interval %s, %.0f%% of feeds publish %d items per %s round, %d items per document, %d-word bodies of the %s text, %.0f%% wire copies; window %s after %s warm-up.\n\n",
		o.hosts, o.interval, o.fix.Share*100, o.fix.PerChange, o.fix.Round, o.fix.Items, o.fix.BodyWords, o.fix.Text, o.fix.CopyShare*100, o.duration, o.warmup)
	lim := func(label string, v float64, unit string) string {
		if v == 0 {
			return "not measured (-baseline=false)"
		}
		return fmt.Sprintf("%s: %.0f %s", label, v, unit)
	}
	fmt.Fprintln(w, "| figure | wirestream (median) | runs | limit, same run (median) | ratio | target | |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|")
	fmt.Fprintf(w, "| feed polls/s | %.0f | %s | %s | %s | ≥ 1,000 | %s |\n",
		median(ts, polls), all(ts, polls, "%.0f"), lim("wrk, 304s", median(ts, w304), "req/s"), ratio(median(ts, polls), median(ts, w304)), metGE(median(ts, polls), 1000))
	fmt.Fprintf(w, "| | (304 share %.0f%%) | | %s | %s | | |\n",
		median(ts, share304)*100, lim("wrk, full gzip bodies", median(ts, w200), "req/s"), ratio(median(ts, polls), median(ts, w200)))
	cpuPoll := func(t trial) float64 {
		if t.Run.Polls == 0 {
			return 0
		}
		return t.Run.CPUSeconds / t.Run.Polls * 1e6
	}
	lagMs := func(t trial) float64 { return t.Run.PollLagMs }
	fmt.Fprintf(w, "| | CPU per poll %.0f µs (%s); mean lag from due to request start %.2f ms (%s) | | | | | |\n",
		median(ts, cpuPoll), all(ts, cpuPoll, "%.0f"), median(ts, lagMs), all(ts, lagMs, "%.2f"))
	fmt.Fprintf(w, "| new stories/s, fetch → Kafka ack | %.0f | %s | %s | %s | ≥ 5,000 | %s |\n",
		median(ts, stories), all(ts, stories, "%.0f"), lim("kcat -P, same records", median(ts, kc), "rec/s"), ratio(median(ts, stories), median(ts, kc)), metGE(median(ts, stories), 5000))
	fmt.Fprintf(w, "| records/s acknowledged (all types) | %.0f | %s | %s | %s | | |\n",
		median(ts, records), all(ts, records, "%.0f"), lim("kcat", median(ts, kc), "rec/s"), ratio(median(ts, records), median(ts, kc)))
	fmt.Fprintf(w, "| fetch → ack p50 | %.0f ms | %s | | | | |\n", median(ts, p50), all(ts, p50, "%.0f"))
	fmt.Fprintf(w, "| fetch → ack p99 | %.0f ms | %s | | | ≤ 250 ms | %s |\n", median(ts, p99), all(ts, p99, "%.0f"), metLE(median(ts, p99), 250))
	part := func(f func(partsSummary) float64) func(trial) float64 {
		return func(t trial) float64 { return f(t.Run.Parts) }
	}
	for _, row := range []struct {
		name     string
		p50, p99 func(partsSummary) float64
	}{
		{"fetched → screened (parse, hand-off, the pipeline's input)", func(s partsSummary) float64 { return s.BeforeP50 }, func(s partsSummary) float64 { return s.BeforeP99 }},
		{"screened → sink write (both stages, write queue)", func(s partsSummary) float64 { return s.InsideP50 }, func(s partsSummary) float64 { return s.InsideP99 }},
		{"sink write → ack", func(s partsSummary) float64 { return s.SinkP50 }, func(s partsSummary) float64 { return s.SinkP99 }},
	} {
		fmt.Fprintf(w, "| … new stories, %s: p50 / p99 | %.0f / %.0f ms | %s / %s | | | | |\n", row.name,
			median(ts, part(row.p50)), median(ts, part(row.p99)), all(ts, part(row.p50), "%.0f"), all(ts, part(row.p99), "%.0f"))
	}
	tail := func(t trial) string {
		s := t.Run.Parts
		return fmt.Sprintf("%.0f = %.0f + %.0f + %.0f", s.TailTotal, s.TailBefore, s.TailInside, s.TailSink)
	}
	var tails []string
	for _, t := range ts {
		tails = append(tails, tail(t))
	}
	fmt.Fprintf(w, "| … the slowest 1 %% of new stories, mean ms: total = before + inside + sink | %s | | | | | |\n", strings.Join(tails, "; "))
	if ts[0].Run.Alignment.Samples > 0 {
		var al []string
		for _, t := range ts {
			a := t.Run.Alignment
			al = append(al, fmt.Sprintf("%.0f%% / %.0f%% / %.0f%%, GCs %.1f / %.1f", a.TailSnapshot*100, a.RestSnapshot*100, a.Window*100, a.TailGCs, a.RestGCs))
		}
		fmt.Fprintf(w, "| … share of a spell under a state snapshot: slowest 1 %% / the rest / the window; GCs in a spell: slowest / rest (-latency-log's timeline) | %s | | | | | |\n", strings.Join(al, "; "))
	}
	fmt.Fprintf(w, "| CPU s per 1,000 stories | %.3f | %s | 2 cores | | | |\n", median(ts, cpuPer1k), all(ts, cpuPer1k, "%.3f"))
	fmt.Fprintf(w, "| … per 1,000 items processed (stories and duplicates) | %.3f | %s | | | | |\n", median(ts, cpuPerItem1k), all(ts, cpuPerItem1k, "%.3f"))
	gcPer1k := func(t trial) float64 {
		if t.Run.Stories == 0 {
			return 0
		}
		return float64(t.Run.GCs) / float64(t.Run.Stories) * 1000
	}
	cycles := func(t trial) float64 { return float64(t.Run.GCs) }
	cyclesAll := func(t trial) float64 { return float64(t.Run.GCsAll) }
	fmt.Fprintf(w, "| GC cycles in the window (from the start); per 1,000 stories | %.0f (%.0f); %.2f | %s (%s); %s | | | | |\n",
		median(ts, cycles), median(ts, cyclesAll), median(ts, gcPer1k), all(ts, cycles, "%.0f"), all(ts, cyclesAll, "%.0f"), all(ts, gcPer1k, "%.2f"))
	fmt.Fprintf(w, "| CPU used (cores) | %.2f | %s | 2 | %s | | |\n", median(ts, cpuUse), all(ts, cpuUse, "%.2f"), ratio(median(ts, cpuUse), 2))
	rssTarget := "(target applies at 10,000 feeds + 1M stories)"
	rssMet := ""
	if o.fix.Feeds >= 10_000 && o.prefill >= 1_000_000 {
		rssTarget, rssMet = "≤ 600 MB", metLE(median(ts, rss), 600)
	}
	fmt.Fprintf(w, "| peak RSS | %.0f MB | %s | | | %s | %s |\n", median(ts, rss), all(ts, rss, "%.0f"), rssTarget, rssMet)
	fmt.Fprintf(w, "| Go heap in use at window end | %.0f MB | %s | | | | |\n", median(ts, heap), all(ts, heap, "%.0f"))
	fmt.Fprintf(w, "| state on disk at end | %.0f MB | %s | | | | |\n", median(ts, stateMB), all(ts, stateMB, "%.0f"))
	remembered := func(t trial) float64 { return float64(t.Run.Remembered) }
	fmt.Fprintf(w, "| entries remembered at end | %.0f | %s | | | | |\n", median(ts, remembered), all(ts, remembered, "%.0f"))
	firstAck := func(t trial) float64 { return t.Run.FirstAckSecs }
	fmt.Fprintf(w, "| start (before the restore) → first record acknowledged | %.2f s | %s | | | | |\n", median(ts, firstAck), all(ts, firstAck, "%.2f"))
	fmt.Fprintf(w, "| near-index rebuild at start | %.2f s | %s | | | | |\n", median(ts, idx), all(ts, idx, "%.2f"))
	if o.untilDone {
		last := func(t trial) float64 { return t.Run.LastAnswerSecs }
		fmt.Fprintf(w, "| start → the record that answered the last offered item (0: not all were) | %.1f s | %s | | | | |\n", median(ts, last), all(ts, last, "%.1f"))
		var rows []string
		for _, t := range ts {
			r := t.Run
			rows = append(rows, fmt.Sprintf("%d / %d / %d / %d", r.Offered, r.Answered, r.AnsweredTwice, r.Offered-r.Answered))
		}
		fmt.Fprintf(w, "| items offered / answered (story v1 or duplicate) / answered again / never answered | | %s | | | | |\n", strings.Join(rows, "; "))
	}
	sinkMs := func(t trial) float64 { return t.Run.SinkWriteMeanMs }
	batchMs := func(t trial) float64 { return t.Run.BatchMeanMs }
	waitMs := func(t trial) float64 { return t.Run.CommitWaitMs }
	bps := per(func(r runResult) float64 { return r.Batches })
	fmt.Fprintf(w, "| sink writes/s | %.0f | %s | | | | |\n", median(ts, bps), all(ts, bps, "%.0f"))
	bpw := func(t trial) float64 { return t.Run.BatchesPerWrite }
	fmt.Fprintf(w, "| batches per sink write (coalesced when writes lag) | %.1f | %s | | | | |\n", median(ts, bpw), all(ts, bpw, "%.1f"))
	fmt.Fprintf(w, "| mean sink write (pipeline → ack) | %.1f ms | %s | | | | |\n", median(ts, sinkMs), all(ts, sinkMs, "%.1f"))
	reqPerStory := func(t trial) float64 {
		if t.Run.Stories == 0 {
			return 0
		}
		return t.Run.WriterRequests / float64(t.Run.Stories)
	}
	lingerMs := func(t trial) float64 { return t.Run.WriterBatchWaitMs }
	fmt.Fprintf(w, "| Kafka produce requests per new story (the sink's writer; under -split the fetcher's items writer) | %.2f | %s | | | | |\n", median(ts, reqPerStory), all(ts, reqPerStory, "%.2f"))
	fmt.Fprintf(w, "| mean wait of a partition batch before it is sent (kafka-go batch phase) | %.1f ms | %s | | | | |\n", median(ts, lingerMs), all(ts, lingerMs, "%.1f"))
	fmt.Fprintf(w, "| mean decided → committed | %.1f ms | %s | | | | |\n", median(ts, batchMs), all(ts, batchMs, "%.1f"))
	commitsPS := per(func(r runResult) float64 { return r.StateCommits })
	commitMs := func(t trial) float64 { return t.Run.StateCommitMeanMs }
	comps := func(t trial) float64 { return t.Run.Compactions }
	fmt.Fprintf(w, "| state log: synced appends/s, mean append + fsync, snapshots in the window | %.0f, %.1f ms, %.0f | %s; %s; %s | | | | |\n",
		median(ts, commitsPS), median(ts, commitMs), median(ts, comps), all(ts, commitsPS, "%.0f"), all(ts, commitMs, "%.1f"), all(ts, comps, "%.0f"))
	appPerStory := func(t trial) float64 { return t.Run.AppendedBytes / 1024 / max(float64(t.Run.Stories), 1) }
	fmt.Fprintf(w, "| … KiB appended to the state log a new story (what sets the snapshots' cadence) | %.1f | %s | | | | |\n", median(ts, appPerStory), all(ts, appPerStory, "%.1f"))
	fmt.Fprintf(w, "| mean poller wait for commit | %.1f ms | %s | | | | |\n", median(ts, waitMs), all(ts, waitMs, "%.1f"))
	var failed, errs float64
	for _, t := range ts {
		failed += t.Run.BatchesFailed
		errs += t.Run.FetchErrors
	}
	fmt.Fprintf(w, "\nFailed batches: %.0f; fetch errors: %.0f (all runs). Records by type (run 1): %v. Polls by outcome (run 1): %v.\n",
		failed, errs, ts[0].Run.RecordsByType, ts[0].Run.PollsByOutcome)
	for i, t := range ts {
		if len(t.Run.Unanswered) > 0 {
			fmt.Fprintf(w, "Run %d: items never answered (feed:seq, first %d): %s.\n", i+1, len(t.Run.Unanswered), strings.Join(t.Run.Unanswered, " "))
		}
	}
}
