package feed

import (
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// redirectsError says where a feed's redirects went when they passed
// poller.max_redirects, every hop (a loop stops earlier: redirectLoop).
// The client's own "Get \"/next\": stopped after 10 redirects" names
// neither the hops nor the setting.
func redirectsError(via []*http.Request, next *http.Request, max int) error {
	return fmt.Errorf("more than poller.max_redirects (%d): %s: %w", max, hopList(via, next), errTooManyRedirects)
}

// redirectLoop is the error for a redirect to a URL the poll requested
// already, nil for one to a new URL. Without a cookie jar the same
// request gets the same redirect again: each hop after the first repeat
// would be one more request to a publisher for nothing (a loop cost
// 1 + poller.max_redirects requests per poll).
func redirectLoop(via []*http.Request, next *http.Request) error {
	u := next.URL.String()
	for _, r := range via {
		if r.URL.String() == u {
			return fmt.Errorf("redirect loop: %s (stopped at its first repeat): %w", hopList(via, next), errTooManyRedirects)
		}
	}
	return nil
}

// hopList names each URL of a redirect chain, cut: a Location may be as
// long as the headers.
func hopList(via []*http.Request, next *http.Request) string {
	hops := make([]string, 0, len(via)+1)
	for _, r := range append(via, next) {
		hops = append(hops, record.Truncate(record.RedactURL(r.URL.String()), 200)) // a hop's token too, not only its password
	}
	return strings.Join(hops, " → ")
}

// fetchError is a failed poll with its class (see record.FeedStatus).
type fetchError struct {
	Class      string
	Status     int
	RetryAfter time.Duration
	URL        string
	Err        error
}

// Error is the one place a poll's error message is built: "fetch URL:
// cause", or "parse URL: cause" when the body came whole and is no feed
// (the fetch worked: "fetch" there sent readers to the network), which
// the log and feed_status's last_error carry. The class is
// not in it: both carry it beside the message (err_class,
// last_error_class), and every view of the message shows it. The URL is
// said once: the client's "Get \"URL\": …" around a transport error is
// dropped when it names the URL fetched, kept when it names where a
// redirect led.
func (e *fetchError) Error() string {
	cause := e.Err
	if ue, ok := cause.(*url.Error); ok {
		inner := redactLocationError(ue.Err)
		if ue.URL == e.URL || errors.Is(ue.Err, errTooManyRedirects) {
			cause = inner // a redirect error names every hop itself
		} else {
			// Where a redirect led: the client hides its password, not a token (redactClientURL).
			cause = &url.Error{Op: ue.Op, URL: redactClientURL(ue.URL), Err: inner}
		}
	}
	verb := "fetch"
	if e.Class == ClassParse {
		verb = "parse"
	}
	return fmt.Sprintf("%s %s: %v", verb, record.RedactURL(e.URL), cause)
}
func (e *fetchError) Unwrap() error { return e.Err }

// redactClientURL is record.RedactURL of a URL as net/http's client names it in an error: the
// client masks any password as ***, an empty one too, so a token given as the user name with
// an empty password (https://TOKEN:@host, which RedactURL says xxxxx@) comes as TOKEN:***@ —
// a user name that may be the secret, said as xxxxx then.
func redactClientURL(s string) string {
	if p, err := url.Parse(s); err == nil && p.User != nil {
		if pw, _ := p.User.Password(); pw == "***" {
			p.User = url.User("xxxxx")
			s = p.String()
		}
	}
	return record.RedactURL(s)
}

// locationPrefix begins net/http's error for a redirect whose Location it cannot parse:
// `failed to parse Location header "LOC": parse "LOC": …`, the Location quoted whole, its
// token or signature too (a publisher's redirect to a signed URL).
const locationPrefix = "failed to parse Location header "

// redactLocationError is err with the Location it quotes said as RedactURL says it, when err
// is the client's refusal of a Location; err itself otherwise. The client's error wraps
// nothing (fmt.Errorf with %v): only its message changes.
func redactLocationError(err error) error {
	msg := err.Error()
	rest, ok := strings.CutPrefix(msg, locationPrefix)
	if !ok {
		return err
	}
	quoted, qerr := strconv.QuotedPrefix(rest)
	if qerr != nil {
		return err
	}
	loc, qerr := strconv.Unquote(quoted)
	if qerr != nil {
		return err
	}
	said := record.RedactURL(loc)
	if said == loc {
		return err
	}
	return errors.New(strings.ReplaceAll(msg, quoted, strconv.Quote(said)))
}

// Error classes.
const (
	ClassDNS       = "dns"
	ClassConnect   = "connect"
	ClassTLS       = "tls"
	ClassTimeout   = "timeout"
	ClassTruncated = "truncated" // the response came but its body broke off: short of Content-Length, a stream cut, a reset
	ClassEncoding  = "encoding"  // a Content-Encoding we cannot read, or a compressed body that does not decompress
	Class4xx       = "http_4xx"
	Class5xx       = "http_5xx"
	ClassTooLarge  = "too_large"
	ClassParse     = "parse"
	ClassBlocked   = "blocked"
	ClassRedirect  = "redirect" // too many redirects, or a redirect without a usable Location
	ClassProtocol  = "protocol" // the answer is no HTTP response: a malformed status line, header or Content-Length, a 1xx to a GET
)

var (
	errTooLarge          = errors.New("too large")
	errTooManyRedirects  = errors.New("too many redirects")
	errSchemeNotAllowed  = errors.New("only http and https are allowed")
	errUnsupportedCoding = errors.New("unsupported Content-Encoding")
	errGone              = errors.New("HTTP 410 Gone: the publisher removed this feed") // a 410 is no failure, but last_error says it as it says one
)

// bodyErrorClass classes a failure to read a body whose response had
// arrived: the transport worked, so it is never "connect"; and the body
// was never parsed, so it is never "parse".
func bodyErrorClass(err error) string {
	var corrupt flate.CorruptInputError
	switch {
	case errors.Is(err, errTooLarge):
		return ClassTooLarge
	case errors.Is(err, errUnsupportedCoding), errors.As(err, &corrupt),
		errors.Is(err, gzip.ErrHeader), errors.Is(err, gzip.ErrChecksum),
		errors.Is(err, zlib.ErrHeader), errors.Is(err, zlib.ErrChecksum), errors.Is(err, zlib.ErrDictionary):
		return ClassEncoding
	case classify(err) == ClassTimeout:
		return ClassTimeout
	}
	return ClassTruncated
}
