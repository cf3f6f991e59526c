// Package tsv reads the tab-separated lists the enrichment stages ship and
// accept — gazetteers, topic cues, hand labels — in one way: one record a
// line, blank lines and # comments skipped, line numbers for errors.
package tsv

import (
	"bufio"
	"io"
	"strings"
)

// maxLine bounds one line: the lists hold names and aliases, not text.
const maxLine = 1 << 20

// Each calls fn with the 1-based number and the tab-separated columns of
// every line of r that is neither blank nor a comment (first non-space
// character #). Spaces and a CR around a line are dropped; tabs are kept,
// so empty columns count. It stops at fn's first error and returns it, or
// the read error.
func Each(r io.Reader, fn func(line int, cols []string) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), maxLine)
	n := 0
	for sc.Scan() {
		n++
		line := strings.Trim(sc.Text(), " \r")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if err := fn(n, strings.Split(line, "\t")); err != nil {
			return err
		}
	}
	return sc.Err()
}
