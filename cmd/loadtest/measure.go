package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/wirestream/wirestream/pipeline"
	"github.com/wirestream/wirestream/pipeline/record"
)

// measuringSink wraps the real sink: when a Write returns nil every record
// in it is acknowledged by Kafka, so that instant minus a story's
// FetchedAt is the story's fetch → acknowledgement latency.
type measuringSink struct {
	inner pipeline.Sink

	mu       sync.Mutex
	began    time.Time     // wirestream's start: before its state is restored
	firstAck time.Duration // began → the first Write that returned nil; 0 until then
	counting bool          // inside the measurement window
	start    time.Time     // the window's
	lat      []float32
	parts    []latencyParts // new stories' (version 1) latency, by where it went
	stories  int            // story records acknowledged in the window
	versions int            // of which revisions (version > 1)
	records  int            // all records acknowledged in the window
	byType   map[record.Type]int
	answers  *answers // the offered items each record answers (-until-done); nil otherwise

	// dump receives the JSON of acknowledged records outside the window
	// (so its cost is not counted), for the kcat baseline.
	dump     *bufio.Writer
	dumped   int
	dumpMax  int
	dumpFile *os.File
}

func (m *measuringSink) Write(ctx context.Context, recs []record.Record) error {
	called := time.Now()
	err := m.inner.Write(ctx, recs)
	if err != nil {
		return err
	}
	now := time.Now()
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.firstAck == 0 && len(recs) > 0 && !m.began.IsZero() {
		m.firstAck = max(now.Sub(m.began), time.Nanosecond)
	}
	if m.answers != nil {
		// inside the window or not: an item answered during the warm-up
		// or the shutdown is answered all the same
		for _, r := range recs {
			m.answers.answer(r, now.Sub(m.began))
		}
	}
	if m.counting {
		m.records += len(recs)
		for _, r := range recs {
			m.byType[r.RecordType()]++
			if s, ok := r.(*record.Story); ok {
				m.stories++
				if s.Version > 1 {
					m.versions++
				}
				m.lat = append(m.lat, float32(now.Sub(s.FetchedAt).Seconds()))
				if s.Version == 1 {
					m.parts = append(m.parts, latencyParts{
						before: float32(s.FirstSeen.Sub(s.FetchedAt).Seconds()),
						inside: float32(called.Sub(s.FirstSeen).Seconds()),
						sink:   float32(now.Sub(called).Seconds()),
						at:     float32(now.Sub(m.start).Seconds()),
					})
				}
			}
		}
		return nil
	}
	if m.dump != nil && m.dumped < m.dumpMax {
		for _, r := range recs {
			b, err := json.Marshal(r)
			if err != nil {
				continue
			}
			// kcat -K '\t': key, tab, value. JSON escapes tabs and newlines,
			// so one record is one line.
			m.dump.WriteString(r.RecordKey())
			m.dump.WriteByte('\t')
			m.dump.Write(b)
			m.dump.WriteByte('\n')
			m.dumped++
		}
	}
	return nil
}

// firstAckSeconds is the time from wirestream's start to the first
// record Kafka acknowledged (a cold start's "time to first record");
// 0 when none was.
func (m *measuringSink) firstAckSeconds() float64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.firstAck.Seconds()
}

// window starts or stops counting; start is the window's.
func (m *measuringSink) window(on bool, start time.Time) {
	m.mu.Lock()
	m.counting, m.start = on, start
	m.mu.Unlock()
}

func (m *measuringSink) closeDump() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.dump == nil {
		return nil
	}
	if err := m.dump.Flush(); err != nil {
		return err
	}
	m.dump = nil
	return m.dumpFile.Close()
}

// latencyParts splits a new story's fetch → ack at two instants the
// harness can see without touching the pipeline: its FirstSeen, which the
// first stage stamps with the wall clock as it starts screening the batch
// (normalize sets it; dedupe keeps it for a story seen for the first
// time), and the call of the sink's Write that carries it.
type latencyParts struct {
	before float32 // fetched → screened: parse, the feed's hand-off, the pipeline's input queue
	inside float32 // screened → handed to the sink: both stages, the write queue, key waits
	sink   float32 // the sink's Write: encoding, kafka-go's batch wait, the produce round trip
	at     float32 // when it was acknowledged, from the window's start
}

// writeLatencyLog writes ps, one story a line: seconds into the window
// when acknowledged, then fetch → ack and its three parts in ms, so a
// slow spell can be lined up with a trace of the same window.
func writeLatencyLog(path string, ps []latencyParts) error {
	return writeTable(path, "ack_s\ttotal_ms\tbefore_ms\tinside_ms\tsink_ms", func(w *bufio.Writer) {
		for _, p := range ps {
			fmt.Fprintf(w, "%.3f\t%.1f\t%.1f\t%.1f\t%.1f\n", p.at, (p.before+p.inside+p.sink)*1000, p.before*1000, p.inside*1000, p.sink*1000)
		}
	})
}

// writeTable writes a tab-separated file: the header line, then what
// rows writes.
func writeTable(path, header string, rows func(w *bufio.Writer)) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, header)
	rows(w)
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// partsSummary is latencyParts over a run's new stories, in milliseconds:
// each part's p50 and p99, and each part's mean over the slowest 1 % of
// the stories (fetch → ack at or above its p99), which says where the
// p99 went.
type partsSummary struct {
	N          int     `json:"n"`
	BeforeP50  float64 `json:"before_p50_ms"`
	BeforeP99  float64 `json:"before_p99_ms"`
	InsideP50  float64 `json:"inside_p50_ms"`
	InsideP99  float64 `json:"inside_p99_ms"`
	SinkP50    float64 `json:"sink_p50_ms"`
	SinkP99    float64 `json:"sink_p99_ms"`
	TailBefore float64 `json:"tail_before_ms"`
	TailInside float64 `json:"tail_inside_ms"`
	TailSink   float64 `json:"tail_sink_ms"`
	TailTotal  float64 `json:"tail_total_ms"`
}

func summarizeParts(ps []latencyParts) partsSummary {
	s := partsSummary{N: len(ps)}
	if len(ps) == 0 {
		return s
	}
	col := func(f func(latencyParts) float32) []float32 {
		xs := make([]float32, len(ps))
		for i, p := range ps {
			xs[i] = f(p)
		}
		return xs
	}
	b := col(func(p latencyParts) float32 { return p.before })
	in := col(func(p latencyParts) float32 { return p.inside })
	sk := col(func(p latencyParts) float32 { return p.sink })
	tot := col(func(p latencyParts) float32 { return p.before + p.inside + p.sink })
	p99 := float32(quantile(slices.Clone(tot), 0.99))
	var n int
	for i, t := range tot {
		if t >= p99 {
			n++
			s.TailBefore += float64(b[i])
			s.TailInside += float64(in[i])
			s.TailSink += float64(sk[i])
			s.TailTotal += float64(t)
		}
	}
	s.TailBefore, s.TailInside, s.TailSink, s.TailTotal = s.TailBefore/float64(n)*1000, s.TailInside/float64(n)*1000, s.TailSink/float64(n)*1000, s.TailTotal/float64(n)*1000
	s.BeforeP50, s.BeforeP99 = quantile(b, 0.5)*1000, quantile(b, 0.99)*1000
	s.InsideP50, s.InsideP99 = quantile(in, 0.5)*1000, quantile(in, 0.99)*1000
	s.SinkP50, s.SinkP99 = quantile(sk, 0.5)*1000, quantile(sk, 0.99)*1000
	return s
}

// quantile returns the q-quantile (nearest rank) of xs, sorting xs.
func quantile(xs []float32, q float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	slices.Sort(xs)
	i := int(q*float64(len(xs))+0.5) - 1
	i = max(0, min(i, len(xs)-1))
	return float64(xs[i])
}

// procStatusKB reads a "Vm…" line of /proc/self/status in KiB; 0 when
// unavailable (not Linux).
func procStatusKB(field string) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			f := strings.Fields(rest)
			if len(f) > 0 {
				n, _ := strconv.ParseInt(f[0], 10, 64)
				return n
			}
		}
	}
	return 0
}

// peakRSSMB is the process's high-water resident set: VmHWM, or
// getrusage's maxrss where /proc is missing.
func peakRSSMB() float64 {
	if kb := procStatusKB("VmHWM"); kb > 0 {
		return float64(kb) / 1024
	}
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Maxrss) / 1024
}

func newDumpWriter(f *os.File) *bufio.Writer { return bufio.NewWriterSize(f, 1<<20) }
