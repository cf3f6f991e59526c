package feed

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/wirestream/wirestream/pipeline/record"
)

// countingReader counts bytes read off the wire.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// readBody decompresses and caps the body. The cap applies to the wire
// bytes and, separately, to the decoded bytes: a 10 KiB gzip bomb that
// inflates to gigabytes stops at the limit.
func (f *fetcher) readBody(resp *http.Response) ([]byte, int64, error) {
	wire := &countingReader{r: io.LimitReader(resp.Body, f.maxBody+1)}
	var r io.Reader = wire
	codings, layers, err := contentCodings(resp.Header.Get("Content-Encoding"))
	if err != nil {
		return nil, wire.n, err
	}
	// Undone last applied first. What each layer took is handed back
	// after the copy below (a gzip reader's Reset drops wire).
	var gzips [maxCodings]*gzip.Reader
	var closers [maxCodings]io.Closer
	defer func() {
		for i := range layers {
			if gzips[i] != nil {
				f.gzips.Put(gzips[i])
			}
			if closers[i] != nil {
				closers[i].Close()
			}
		}
	}()
	for i := layers - 1; i >= 0; i-- {
		switch codings[i] {
		case "gzip", "x-gzip":
			gs, err := newGzipStream(r, f.gzipReader)
			if err != nil {
				return nil, wire.n, fmt.Errorf("gzip body: %w", err)
			}
			gzips[i], r = gs.zr, gs
		case "deflate":
			// "deflate" is zlib-wrapped by the spec, raw by many servers.
			br := &peekReader{r: r}
			hdr := br.peek(2)
			if len(hdr) == 2 && (uint16(hdr[0])<<8|uint16(hdr[1]))%31 == 0 && hdr[0]&0x0f == 8 {
				zr, err := zlib.NewReader(br)
				if err != nil {
					return nil, wire.n, fmt.Errorf("deflate body: %w", err)
				}
				closers[i], r = zr, zr
			} else {
				fr := flate.NewReader(br)
				closers[i], r = fr, fr
			}
		}
	}
	buf, _ := f.bufs.Get().(*bytes.Buffer)
	if buf == nil {
		buf = new(bytes.Buffer)
	}
	defer func() {
		if buf.Cap() <= maxPooledBuf {
			buf.Reset()
			f.bufs.Put(buf)
		}
	}()
	n, err := io.Copy(buf, io.LimitReader(r, f.maxBody+1))
	if n > f.maxBody || wire.n > f.maxBody {
		return nil, wire.n, fmt.Errorf("body over poller.max_body_bytes (%d): %w", f.maxBody, errTooLarge)
	}
	if err != nil {
		return nil, wire.n, fmt.Errorf("read body (%d bytes so far): %w", wire.n, err)
	}
	if buf.Len() == 0 {
		return nil, wire.n, nil // as an unpooled empty buffer's Bytes was
	}
	return bytes.Clone(buf.Bytes()), wire.n, nil
}

// maxCodings is how many stacked Content-Encodings a body may have:
// "gzip, gzip" is a server compressing what an application compressed
// already (a .xml.gz served as gzip), met in the wild; a third layer is
// not, and each layer is one more decompressor a poll runs.
const maxCodings = 2

// contentCodings reads a Content-Encoding header: the codings in the order
// they were applied (RFC 9110 §8.4), "identity" and empty members left
// out, lower-cased, at most maxCodings of them. An error names what is
// refused: a coding the poller cannot read (the first), or too many. The
// header is the server's text, up to maxResponseHeaderBytes, and the
// error is logged on every poll: it is cut.
func contentCodings(header string) (codings [maxCodings]string, n int, err error) {
	total := 0
	for rest := header; rest != ""; {
		var c string
		c, rest, _ = strings.Cut(rest, ",")
		c = strings.ToLower(strings.TrimSpace(c))
		switch c {
		case "", "identity":
			continue
		case "gzip", "x-gzip", "deflate":
		default:
			return codings, 0, fmt.Errorf("Content-Encoding %q (%q is not a coding the poller reads: gzip, deflate): %w",
				record.Truncate(header, 100), record.Truncate(c, 40), errUnsupportedCoding)
		}
		if total < maxCodings {
			codings[total] = c
		}
		total++
	}
	if total > maxCodings {
		return codings, 0, fmt.Errorf("Content-Encoding %q (%d codings stacked; the poller undoes at most %d): %w",
			record.Truncate(header, 100), total, maxCodings, errUnsupportedCoding)
	}
	return codings, total, nil
}

// gzipStream reads a gzip body member by member and ends with the last:
// bytes after a member that do not begin another (a newline a script
// echoed, padding, an HTML comment a cache appended) are not the
// document. gzip(1) ignores them as "trailing garbage", browsers and curl
// read the stream, and the deflate readers stop at its end; gzip.Reader's
// own multistream mode took them for the next member's header and failed
// the whole body ("gzip: invalid header", or "unexpected EOF" under 10
// bytes). Each member's checksum is still verified, and a member cut in
// its header is still a body cut short.
type gzipStream struct {
	zr *gzip.Reader // in single-member mode
	br *bufio.Reader
}

func (g *gzipStream) Read(p []byte) (int, error) {
	for {
		n, err := g.zr.Read(p)
		if err != io.EOF {
			return n, err
		}
		// A member ended whole (gzip.Reader verified its checksum and
		// size): another follows only where its magic number does.
		if next, _ := g.br.Peek(2); len(next) < 2 || next[0] != 0x1f || next[1] != 0x8b {
			return n, io.EOF
		}
		if err := g.zr.Reset(g.br); err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF // magic, then nothing: a member cut short
			}
			return n, err
		}
		g.zr.Multistream(false) // Reset turns it back on
		if n > 0 {
			return n, nil
		}
	}
}

// GzipReader reads a gzip body as the poller does (gzipStream): member by
// member, each checksum verified, bytes after the last member that do not
// begin another left unread. The WebSub callback reads pushed bodies with
// it, so a body is read alike whichever way it came.
func GzipReader(r io.Reader) (io.Reader, error) {
	gs, err := newGzipStream(r, gzip.NewReader)
	if err != nil {
		return nil, err
	}
	return gs, nil
}

// newGzipStream is a gzipStream over r, its gzip.Reader from open (a new
// one, or one of the fetcher's pool).
func newGzipStream(r io.Reader, open func(io.Reader) (*gzip.Reader, error)) (*gzipStream, error) {
	br := bufio.NewReader(r) // what gzip.Reader's Reset would make; shared, so no byte is lost between members
	zr, err := open(br)
	if err != nil {
		return nil, err
	}
	zr.Multistream(false)
	return &gzipStream{zr: zr, br: br}, nil
}

// gzipReader takes a pooled gzip reader reset onto r, or a new one.
func (f *fetcher) gzipReader(r io.Reader) (*gzip.Reader, error) {
	if zr, ok := f.gzips.Get().(*gzip.Reader); ok {
		if err := zr.Reset(r); err != nil {
			f.gzips.Put(zr)
			return nil, err
		}
		return zr, nil
	}
	return gzip.NewReader(r)
}

// peekReader lets readBody look at the first bytes without losing them.
type peekReader struct {
	r   io.Reader
	buf []byte
}

func (p *peekReader) peek(n int) []byte {
	for len(p.buf) < n {
		b := make([]byte, n-len(p.buf))
		m, err := p.r.Read(b)
		p.buf = append(p.buf, b[:m]...)
		if err != nil {
			break
		}
	}
	return p.buf
}

func (p *peekReader) Read(b []byte) (int, error) {
	if len(p.buf) > 0 {
		n := copy(b, p.buf)
		p.buf = p.buf[n:]
		return n, nil
	}
	return p.r.Read(b)
}
