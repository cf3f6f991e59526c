package feed

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/textproto"
	"net/url"
	"strings"

	"github.com/wirestream/wirestream/sources/feed/netguard"
)

// classify maps a transport error to an error class. The order matters:
// the guard's refusal arrives as a dial error, and a DNS timeout is a DNS
// problem before it is a timeout.
func classify(err error) string {
	var (
		dnsErr  *net.DNSError
		certErr *tls.CertificateVerificationError
		recErr  tls.RecordHeaderError
		alert   tls.AlertError
		unkAuth x509.UnknownAuthorityError
		hostErr x509.HostnameError
		invErr  x509.CertificateInvalidError
		netErr  net.Error
		opErr   *net.OpError
	)
	switch {
	case errors.Is(err, netguard.ErrBlocked), errors.Is(err, errSchemeNotAllowed):
		return ClassBlocked
	case errors.Is(err, errTooLarge), strings.Contains(err.Error(), "server response headers exceeded"):
		return ClassTooLarge
	case errors.Is(err, errTooManyRedirects), strings.Contains(err.Error(), "failed to parse Location header"):
		return ClassRedirect
	case malformedResponse(err):
		return ClassProtocol
	case errors.As(err, &dnsErr):
		return ClassDNS
	case errors.As(err, &certErr), errors.As(err, &recErr), errors.As(err, &alert),
		errors.As(err, &unkAuth), errors.As(err, &hostErr), errors.As(err, &invErr):
		return ClassTLS
	case errors.Is(err, context.DeadlineExceeded):
		return ClassTimeout
	case errors.As(err, &netErr) && netErr.Timeout():
		return ClassTimeout
	case errors.As(err, &opErr):
		return ClassConnect
	case strings.Contains(err.Error(), "tls:"), strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"):
		// The second is an https URL whose port speaks plain HTTP: the
		// transport replaces the handshake's RecordHeaderError with it.
		return ClassTLS
	}
	return ClassConnect
}

// malformedMarks are what net/http's errors for an answer that is no
// HTTP/1.x response say (its error types are unexported, textproto's
// ProtocolError aside): a status line or version that is none (also a
// body with no headers at all: HTTP/0.9, or a port that speaks another
// protocol), a Content-Length that is none or given twice, a
// Transfer-Encoding it cannot read.
var malformedMarks = []string{"malformed HTTP ", "bad Content-Length", "invalid empty Content-Length",
	"multiple Content-Length", "unsupported transfer encoding", "too many transfer encodings"}

// malformedResponse tells an answer that is no HTTP response from one
// that never came: the server answered, so it is no connect failure.
func malformedResponse(err error) bool {
	var pe textproto.ProtocolError
	if errors.As(err, &pe) {
		return true
	}
	msg := err.Error()
	for _, m := range malformedMarks {
		if strings.Contains(msg, m) {
			return true
		}
	}
	return false
}

// nameLimit says which bound ended a request: the transport's own
// errors name neither the setting nor its value — "net/http: timeout
// awaiting response headers" (poller.header_timeout), "net/http: TLS
// handshake timeout" (poller.connect_timeout) — where a poll over
// poller.timeout names both; and its "server response headers exceeded
// N bytes" becomes too_large, as a body over its cap is.
func (f *fetcher) nameLimit(err error) error {
	var ue *url.Error
	if !errors.As(err, &ue) {
		return err
	}
	switch msg := ue.Err.Error(); {
	case strings.Contains(msg, "timeout awaiting response headers"):
		return &url.Error{Op: ue.Op, URL: ue.URL,
			Err: fmt.Errorf("no response headers within poller.header_timeout (%s): %w", f.headerTimeout, ue.Err)}
	case strings.Contains(msg, "TLS handshake timeout"):
		return &url.Error{Op: ue.Op, URL: ue.URL,
			Err: fmt.Errorf("no TLS handshake within poller.connect_timeout (%s): %w", f.connectTimeout, ue.Err)}
	case strings.Contains(msg, "server response headers exceeded"):
		return &url.Error{Op: ue.Op, URL: ue.URL,
			Err: fmt.Errorf("response headers over %d bytes: %w", maxResponseHeaderBytes, errTooLarge)}
	}
	return err
}
