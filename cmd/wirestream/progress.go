package main

import (
	"fmt"
	"io"
	"maps"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/mattn/go-isatty"

	"github.com/wirestream/wirestream/pipeline/record"
)

// progress shows items/s and records by type on a terminal while process
// runs, and stays silent when stderr is not a terminal (piped, in CI).
type progress struct {
	w       io.Writer
	enabled bool
	start   time.Time

	mu      sync.Mutex
	nItems  int
	byType  map[record.Type]int
	lastOut time.Time
}

func newProgress(w io.Writer, mode string, stdoutIsOutput bool) *progress {
	p := &progress{w: w, start: time.Now(), byType: map[record.Type]int{}}
	switch mode {
	case "always":
		p.enabled = true
	case "never":
	default:
		f, ok := w.(*os.File)
		p.enabled = ok && isatty.IsTerminal(f.Fd())
		// When records go to a terminal too, a progress line would
		// interleave with them.
		if stdoutIsOutput && isatty.IsTerminal(os.Stdout.Fd()) {
			p.enabled = false
		}
	}
	return p
}

func (p *progress) items(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.nItems += n
	p.maybePrint(false)
}

func (p *progress) record(t record.Type) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.byType[t]++
	p.maybePrint(false)
}

// counts returns the records written so far, by type.
func (p *progress) counts() map[record.Type]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return maps.Clone(p.byType)
}

func (p *progress) done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.maybePrint(true)
	if p.enabled {
		fmt.Fprintln(p.w)
	}
}

func (p *progress) maybePrint(force bool) {
	if !p.enabled {
		return
	}
	now := time.Now()
	if !force && now.Sub(p.lastOut) < 200*time.Millisecond {
		return
	}
	p.lastOut = now
	fmt.Fprintf(p.w, "\r%s", p.line(now))
}

func (p *progress) line(now time.Time) string {
	secs := now.Sub(p.start).Seconds()
	rate := 0.0
	if secs > 0 {
		rate = float64(p.nItems) / secs
	}
	types := make([]string, 0, len(p.byType))
	for t := range p.byType {
		types = append(types, string(t))
	}
	sort.Strings(types)
	parts := make([]string, 0, len(types))
	for _, t := range types {
		parts = append(parts, fmt.Sprintf("%s %d", t, p.byType[record.Type(t)]))
	}
	return fmt.Sprintf("%d items (%.0f/s)  %s\033[K", p.nItems, rate, strings.Join(parts, "  "))
}
