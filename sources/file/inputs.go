package file

import (
	"errors"
	"io"
	"net/url"
	"strings"
)

// What a user hands process that is not what it reads as given: a URL
// for a file, a terminal for stdin.

// endOnce is a reader that ends at its reader's first end of input. A
// terminal ends a read at each Ctrl-D and waits for more typing at the
// next: stdin with nothing typed needed Ctrl-D twice (readStdin reads
// again after its first line), and what was typed after the first was
// read as more input.
type endOnce struct {
	r    io.Reader
	done bool
}

func (e *endOnce) Read(p []byte) (int, error) {
	if e.done {
		return 0, io.EOF
	}
	n, err := e.r.Read(p)
	if errors.Is(err, io.EOF) {
		e.done = true
	}
	return n, err
}

// isHTTPURL tells whether name, which is no file, is an http(s) URL:
// `wirestream process https://…/rss.xml` is what one types after validate
// and run took URLs, and "no such file or directory" did not say why.
func isHTTPURL(name string) bool {
	u, err := url.Parse(name)
	return err == nil && (strings.EqualFold(u.Scheme, "http") || strings.EqualFold(u.Scheme, "https")) && u.Host != ""
}

// shellWord is s as a shell reads it back: bare when it is only letters,
// digits and . _ - / : +, else quoted (a pattern may follow it unquoted).
func shellWord(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-/:+") == "" {
		return s
	}
	return shellQuote(s)
}

// shellQuote quotes s for a POSIX shell, so that the command an error
// suggests can be pasted as it is (a URL's & and ? included).
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
