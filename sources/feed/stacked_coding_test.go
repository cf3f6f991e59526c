package feed

import (
	"bytes"
	"compress/zlib"
	"context"
	"net/http"
	"strings"
	"testing"
)

func zlibbed(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zlib.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// Content-Encoding lists the codings in the order they were applied (RFC
// 9110 §8.4): "gzip, gzip" — a server compressing what an application
// compressed already — is read by undoing both, up to two layers, within
// poller.max_body_bytes. A coding the poller cannot read, or a third
// layer, is refused with what was refused named.
func TestStackedContentEncodingsAreDecodedUpToTwoLayers(t *testing.T) {
	const ip = "127.0.0.18"
	doc := rssDoc("Stacked", "s1", "s2")
	bomb := gzipped(gzipped(make([]byte, 4<<20)))
	serve := map[string]struct {
		coding string
		body   []byte
	}{
		"/gzip-gzip":     {"gzip, gzip", gzipped(gzipped(doc))},
		"/deflate-gzip":  {"deflate,gzip", gzipped(zlibbed(t, doc))},
		"/identity-gzip": {"identity, gzip", gzipped(doc)},
		"/gzip-br":       {"gzip, br", gzipped(doc)},
		"/three":         {"gzip, gzip, gzip", gzipped(gzipped(gzipped(doc)))},
		"/double-bomb":   {"gzip, gzip", bomb},
		"/empty-coding":  {"gzip, , gzip", gzipped(gzipped(doc))},
	}
	mux := http.NewServeMux()
	for path, s := range serve {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/rss+xml")
			w.Header().Set("Content-Encoding", s.coding)
			w.Write(s.body)
		})
	}
	srv := newServerOn(t, ip, mux)
	f := newTestFetcher(t, testFetcherConfig(ip))
	for _, path := range []string{"/gzip-gzip", "/deflate-gzip", "/identity-gzip", "/empty-coding"} {
		res, err := f.fetch(context.Background(), fetchRequest{URL: srv.URL + path})
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		if !bytes.Equal(res.Body, doc) {
			t.Errorf("%s: body %.60q, want the document", path, res.Body)
		}
	}
	for path, want := range map[string]string{
		"/gzip-br": `Content-Encoding "gzip, br" ("br" is not a coding the poller reads: gzip, deflate): unsupported Content-Encoding`,
		"/three":   `Content-Encoding "gzip, gzip, gzip" (3 codings stacked; the poller undoes at most 2): unsupported Content-Encoding`,
	} {
		_, err := f.fetch(context.Background(), fetchRequest{URL: srv.URL + path})
		fe := wantClass(t, err, ClassEncoding)
		if !strings.HasSuffix(fe.Error(), want) {
			t.Errorf("%s: %v\nwant it to end: %s", path, err, want)
		}
	}
	_, err := f.fetch(context.Background(), fetchRequest{URL: srv.URL + "/double-bomb"})
	wantClass(t, err, ClassTooLarge)
}

// FuzzContentCodings: any Content-Encoding header gives at most maxCodings
// codings the poller reads, or an error of bounded length naming it.
func FuzzContentCodings(f *testing.F) {
	for _, h := range []string{"", "gzip", "gzip, gzip", "x-gzip,deflate", "identity", "br", "gzip, gzip, gzip", " , GZIP ,", "gzip\x00, deflate"} {
		f.Add(h)
	}
	f.Fuzz(func(t *testing.T, header string) {
		codings, n, err := contentCodings(header)
		if err != nil {
			if n != 0 || len(err.Error()) > 1000 { // 140 bytes of the header, each up to 4 quoted
				t.Fatalf("error with %d codings, or of %d bytes: %v", n, len(err.Error()), err)
			}
			return
		}
		if n < 0 || n > maxCodings {
			t.Fatalf("%d codings", n)
		}
		for _, c := range codings[:n] {
			if c != "gzip" && c != "x-gzip" && c != "deflate" {
				t.Fatalf("coding %q handed to the decoder", c)
			}
		}
	})
}
