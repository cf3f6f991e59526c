package main

import (
	"io"
	"log"
	"log/slog"
	"strings"
	"sync/atomic"
)

// goLog takes what Go's standard library prints through the log package
// — net/http's transport writes "Unsolicited response received on idle
// HTTP channel…" there when a publisher sends more than its
// Content-Length — and hands each line to the command's logger, so the
// log stays one structured record a line (JSON by default) instead of a
// bare line in the middle of it. Until a command installs its logger the
// lines go to raw as they are (nothing else would show them).
type goLog struct {
	to  atomic.Pointer[slog.Logger]
	raw io.Writer
}

// routeGoLog points the log package at a new goLog writing to raw until a
// logger is installed; main calls it once, before any command runs.
func routeGoLog(raw io.Writer) *goLog {
	g := &goLog{raw: raw}
	log.SetFlags(0) // the logger stamps the time
	log.SetPrefix("")
	log.SetOutput(g)
	return g
}

// install sends the lines to l from now on.
func (g *goLog) install(l *slog.Logger) { g.to.Store(l) }

func (g *goLog) Write(p []byte) (int, error) {
	l := g.to.Load()
	if l == nil {
		return g.raw.Write(p)
	}
	// The log package writes one Print a call, ending in a newline; a
	// message of several lines stays one record.
	l.Warn(strings.TrimRight(string(p), "\n"), "logger", "go")
	return len(p), nil
}
