package feed

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
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
	case errors.Is(err, errTooLarge):
		return ClassTooLarge
	case errors.Is(err, errTooManyRedirects):
		return ClassRedirect
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
	case strings.Contains(err.Error(), "tls:"):
		return ClassTLS
	}
	return ClassConnect
}
