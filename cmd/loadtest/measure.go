package main

import (
	"bufio"
	"context"
	"encoding/json"
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
	counting bool // inside the measurement window
	lat      []float32
	stories  int // story records acknowledged in the window
	versions int // of which revisions (version > 1)
	records  int // all records acknowledged in the window
	byType   map[record.Type]int

	// dump receives the JSON of acknowledged records outside the window
	// (so its cost is not counted), for the kcat baseline.
	dump     *bufio.Writer
	dumped   int
	dumpMax  int
	dumpFile *os.File
}

func (m *measuringSink) Write(ctx context.Context, recs []record.Record) error {
	err := m.inner.Write(ctx, recs)
	if err != nil {
		return err
	}
	now := time.Now()
	m.mu.Lock()
	defer m.mu.Unlock()
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

// window starts or stops counting.
func (m *measuringSink) window(on bool) {
	m.mu.Lock()
	m.counting = on
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
