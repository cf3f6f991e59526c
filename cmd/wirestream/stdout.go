package main

import (
	"errors"
	"io"
	"syscall"
)

// stdoutWriter is the process's stdout. Go's default for a write to a
// closed pipe on fd 1 or 2 is death by SIGPIPE, which skips every deferred
// cleanup: a `make demo | tee` stopped with Ctrl-C, or a `| head` that had
// read enough, left the demo's throw-away state directory behind. main
// ignores SIGPIPE instead, so such a write fails with EPIPE, and this
// writer turns that into a *stdoutClosedError, which tells the commands
// (and dispatch) that stdout's reader has gone, not that some socket broke.
type stdoutWriter struct{ w io.Writer }

func (s stdoutWriter) Write(p []byte) (int, error) {
	n, err := s.w.Write(p)
	if err != nil && errors.Is(err, syscall.EPIPE) {
		err = &stdoutClosedError{err: err}
	}
	return n, err
}

// stdoutClosedError is a write to stdout after its reader exited.
type stdoutClosedError struct{ err error }

func (e *stdoutClosedError) Error() string {
	return "stdout was closed by its reader (" + e.err.Error() + ")"
}

func (e *stdoutClosedError) Unwrap() error { return e.err }

// stdoutClosed reports whether err is, or wraps, a *stdoutClosedError.
func stdoutClosed(err error) bool { return errors.As(err, new(*stdoutClosedError)) }
