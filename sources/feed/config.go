package feed

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/wirestream/wirestream/internal/editdist"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/sources/feed/netguard"
)

// Spec is one feed from the config file or an OPML file.
type Spec struct {
	URL  string   `yaml:"url"`
	Name string   `yaml:"name"`
	Tags []string `yaml:"tags"`
	// Interval bounds for this feed; 0 means the poller's default.
	MinInterval time.Duration `yaml:"min_interval"`
	MaxInterval time.Duration `yaml:"max_interval"`
	// Headers are sent with every request. Values may reference the
	// environment as ${VAR}; they are expanded when the poller starts and
	// never logged.
	Headers map[string]string `yaml:"headers"`
}

// Config tunes the poller. The lead embeds it under the `poller:` key.
type Config struct {
	UserAgent string `yaml:"user_agent"`

	MinInterval     time.Duration `yaml:"min_interval"`     // floor of the adaptive interval
	MaxInterval     time.Duration `yaml:"max_interval"`     // ceiling of the adaptive interval
	DefaultInterval time.Duration `yaml:"default_interval"` // when a feed gives no dates to learn from
	GoneInterval    time.Duration `yaml:"gone_interval"`    // how often a feed that answered 410 is retried
	StartSpread     time.Duration `yaml:"start_spread"`     // one host's first polls fit in this window (a second apart per per_host_concurrency feeds, closer for a host with more)

	PerHostConcurrency int `yaml:"per_host_concurrency"`
	GlobalConcurrency  int `yaml:"global_concurrency"`

	ConnectTimeout time.Duration `yaml:"connect_timeout"` // TCP connect and TLS handshake
	HeaderTimeout  time.Duration `yaml:"header_timeout"`  // request sent → response headers
	Timeout        time.Duration `yaml:"timeout"`         // one whole poll, body included
	MaxRedirects   int           `yaml:"max_redirects"`
	MaxBodyBytes   int64         `yaml:"max_body_bytes"` // after decompression
	MaxItems       int           `yaml:"max_items"`      // items kept per fetched document: the newest (Document.Limit)

	// AllowNetworks re-enables networks the private-network guard refuses,
	// e.g. "127.0.0.0/8" for a demo, or a single address such as "10.0.0.5".
	AllowNetworks []string `yaml:"allow_networks"`

	BackoffInitial time.Duration `yaml:"backoff_initial"`
	BackoffMax     time.Duration `yaml:"backoff_max"`
	BackoffJitter  float64       `yaml:"backoff_jitter"`  // randomization factor, 0..1
	MaxRetryAfter  time.Duration `yaml:"max_retry_after"` // a server's Retry-After is honoured up to this
	FailingAfter   int           `yaml:"failing_after"`   // consecutive failures before health is "failing"
	StatusInterval time.Duration `yaml:"status_interval"` // a feed_status is re-sent at least this often
	CommitTimeout  time.Duration `yaml:"commit_timeout"`  // safety net: give up waiting for a batch's ack; progress rolls back
	// DrainTimeout bounds how long a stopping loop still waits for the ack
	// of the batch it handed over, so progress acked while the pipeline
	// drains is saved. Not a file setting: the daemon sets it from
	// shutdown_timeout, so one knob bounds a stop.
	DrainTimeout time.Duration `yaml:"-"`
	// FutureSkew is normalize.future_skew: an item dated later than its
	// fetch plus this ranks as undated when max_items keeps the newest
	// (Document.Limit), as its story's date would be clamped. Not a file
	// setting: the daemon sets it from normalize's, so one knob draws
	// the line.
	FutureSkew time.Duration `yaml:"-"`
	// Instance is this wirestream's instance id, stamped on each
	// feed_status (polled_by). Not a file setting: the daemon sets it
	// from the instance id every role has.
	Instance string `yaml:"-"`
	// FeedList names the feed list this poller's feeds come from,
	// stamped on each feed_status (feed_list) so that `feeds status`
	// compares a feed with its own list. Not a file setting: the daemon
	// sets it from the role (the fetchers' topic, or run's --config).
	FeedList string `yaml:"-"`
}

// DefaultConfig returns the defaults every key falls back to.
func DefaultConfig() Config {
	return Config{
		UserAgent:          "wirestream/1.0 (+https://github.com/wirestream/wirestream; feed poller)",
		MinInterval:        time.Minute,
		MaxInterval:        60 * time.Minute,
		DefaultInterval:    10 * time.Minute,
		GoneInterval:       24 * time.Hour,
		StartSpread:        10 * time.Minute,
		PerHostConcurrency: 2,
		GlobalConcurrency:  64,
		ConnectTimeout:     10 * time.Second,
		HeaderTimeout:      20 * time.Second,
		Timeout:            60 * time.Second,
		MaxRedirects:       5,
		MaxBodyBytes:       10 << 20,
		MaxItems:           500,
		BackoffInitial:     time.Minute,
		BackoffMax:         60 * time.Minute,
		BackoffJitter:      0.2,
		MaxRetryAfter:      6 * time.Hour,
		FailingAfter:       3,
		StatusInterval:     time.Hour,
		CommitTimeout:      10 * time.Minute,
		DrainTimeout:       30 * time.Second,
		FutureSkew:         record.DefaultFutureSkew,
	}
}

// Validate reports the first few problems, each naming its key.
func (c Config) Validate() error {
	var errs []error
	positive := func(key string, d time.Duration) {
		if d <= 0 {
			errs = append(errs, fmt.Errorf("poller.%s: must be > 0, got %s", key, d))
		}
	}
	if strings.TrimSpace(c.UserAgent) == "" {
		errs = append(errs, errors.New("poller.user_agent: must not be empty"))
	}
	positive("min_interval", c.MinInterval)
	positive("max_interval", c.MaxInterval)
	positive("default_interval", c.DefaultInterval)
	positive("gone_interval", c.GoneInterval)
	positive("connect_timeout", c.ConnectTimeout)
	positive("header_timeout", c.HeaderTimeout)
	positive("timeout", c.Timeout)
	positive("backoff_initial", c.BackoffInitial)
	positive("backoff_max", c.BackoffMax)
	positive("max_retry_after", c.MaxRetryAfter)
	positive("status_interval", c.StatusInterval)
	positive("commit_timeout", c.CommitTimeout)
	if c.DrainTimeout <= 0 {
		errs = append(errs, fmt.Errorf("poller: drain timeout must be > 0, got %s", c.DrainTimeout))
	}
	if c.StartSpread < 0 {
		errs = append(errs, fmt.Errorf("poller.start_spread: must be >= 0, got %s", c.StartSpread))
	}
	if c.MinInterval > 0 && c.MaxInterval > 0 && c.MinInterval > c.MaxInterval {
		errs = append(errs, fmt.Errorf("poller.min_interval: must be <= max_interval (%s), got %s", c.MaxInterval, c.MinInterval))
	}
	if c.BackoffInitial > 0 && c.BackoffMax > 0 && c.BackoffInitial > c.BackoffMax {
		errs = append(errs, fmt.Errorf("poller.backoff_initial: must be <= backoff_max (%s), got %s", c.BackoffMax, c.BackoffInitial))
	}
	if c.PerHostConcurrency < 1 {
		errs = append(errs, fmt.Errorf("poller.per_host_concurrency: must be >= 1, got %d", c.PerHostConcurrency))
	}
	if c.GlobalConcurrency < 1 {
		errs = append(errs, fmt.Errorf("poller.global_concurrency: must be >= 1, got %d", c.GlobalConcurrency))
	}
	if c.MaxRedirects < 0 {
		errs = append(errs, fmt.Errorf("poller.max_redirects: must be >= 0, got %d", c.MaxRedirects))
	}
	if c.MaxBodyBytes < 1024 {
		errs = append(errs, fmt.Errorf("poller.max_body_bytes: must be >= 1024, got %d", c.MaxBodyBytes))
	}
	if c.MaxItems < 1 {
		errs = append(errs, fmt.Errorf("poller.max_items: must be >= 1, got %d", c.MaxItems))
	}
	if c.BackoffJitter < 0 || c.BackoffJitter > 1 {
		errs = append(errs, fmt.Errorf("poller.backoff_jitter: must be within [0, 1], got %g", c.BackoffJitter))
	}
	if c.FailingAfter < 1 {
		errs = append(errs, fmt.Errorf("poller.failing_after: must be >= 1, got %d", c.FailingAfter))
	}
	if _, err := parseNetworks(c.AllowNetworks); err != nil {
		errs = append(errs, fmt.Errorf("poller.allow_networks: %w", err))
	}
	return errors.Join(errs...)
}

// Guard is the address guard the poller dials through: private,
// loopback and link-local addresses refused unless allow_networks admits
// them (Validate reports a malformed entry; it is left out here).
func (c Config) Guard() *netguard.Guard {
	allow, _ := parseNetworks(c.AllowNetworks)
	return netguard.New(allow)
}

// RefusedAddress returns g's refusal of a feed URL whose host is an IP
// address (or "localhost"), and nil otherwise: a name is only known once
// resolved, so validate can warn about literal addresses alone, which a
// newcomer's feeds on loopback are.
func RefusedAddress(g *netguard.Guard, rawURL string) error {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil // Validate says what is wrong with it
	}
	host := u.Hostname()
	if strings.EqualFold(host, "localhost") {
		host = "127.0.0.1"
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return nil
	}
	return g.Check(addr)
}

// parseNetworks reads CIDRs or bare addresses (a /32 or /128).
func parseNetworks(nets []string) ([]netip.Prefix, error) {
	out := make([]netip.Prefix, 0, len(nets))
	for _, s := range nets {
		s = strings.TrimSpace(s)
		if p, err := netip.ParsePrefix(s); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(s)
		if err != nil {
			if strings.EqualFold(s, "localhost") {
				// A name is never matched: the poller compares the addresses it dials.
				return nil, fmt.Errorf("%q is neither a CIDR nor an IP address: networks are written as addresses; this machine is 127.0.0.1/32 (and ::1/128)", s)
			}
			return nil, fmt.Errorf("%q is neither a CIDR nor an IP address", s)
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}

// Validate checks one feed entry; messages name the feed by URL.
func (s Spec) Validate() error {
	var errs []error
	if err := CheckHTTPURL(s.URL); err != nil {
		errs = append(errs, fmt.Errorf("feeds[%s].url: %w", record.RedactURL(s.URL), err))
	}
	if s.MinInterval < 0 {
		errs = append(errs, fmt.Errorf("feeds[%s].min_interval: must be >= 0, got %s", record.RedactURL(s.URL), s.MinInterval))
	}
	if s.MaxInterval < 0 {
		errs = append(errs, fmt.Errorf("feeds[%s].max_interval: must be >= 0, got %s", record.RedactURL(s.URL), s.MaxInterval))
	}
	if s.MinInterval > 0 && s.MaxInterval > 0 && s.MinInterval > s.MaxInterval {
		errs = append(errs, fmt.Errorf("feeds[%s].min_interval: must be <= max_interval (%s), got %s", record.RedactURL(s.URL), s.MaxInterval, s.MinInterval))
	}
	for name := range s.Headers {
		if !validHeaderName(name) {
			errs = append(errs, fmt.Errorf("feeds[%s].headers: %q is not a valid header name", record.RedactURL(s.URL), name))
		}
	}
	for _, t := range s.Tags {
		if strings.TrimSpace(t) == "" {
			errs = append(errs, fmt.Errorf("feeds[%s].tags: empty tag", record.RedactURL(s.URL)))
			break
		}
	}
	return errors.Join(errs...)
}

// CheckHTTPURL reports why raw is not an absolute http(s) URL with a
// host, or nil.
func CheckHTTPURL(raw string) error {
	if strings.TrimSpace(raw) == "" {
		return errors.New("must not be empty")
	}
	if !utf8.ValidString(raw) {
		// url.Parse takes any byte, but the config file's YAML writes such
		// a string as !!binary, which `feeds remove` cannot find again; a
		// URL's other bytes are percent-encoded (%FF).
		i := 0
		for i < len(raw) {
			r, n := utf8.DecodeRuneInString(raw[i:])
			if r == utf8.RuneError && n == 1 {
				break
			}
			i += n
		}
		return fmt.Errorf("is not UTF-8 text (byte %#x at offset %d): percent-encode it (%%%02X)", raw[i], i, raw[i])
	}
	if !strings.Contains(raw, "://") {
		if meant := meantURL(raw); meant != "" { // "http//…", "https:/…"
			return fmt.Errorf("is not an absolute URL: did you mean %q?", record.RedactURL(meant))
		}
		// Checked before url.Parse, which reads "localhost:8000/rss" as
		// the scheme "localhost" and refuses "127.0.0.1:8000/rss".
		if err := schemelessHint(raw); err != nil {
			return err
		}
	}
	u, err := url.Parse(raw)
	if err != nil {
		// url.Error quotes the whole URL, a password too; the caller
		// names the feed (redacted), so say only what is wrong.
		var uerr *url.Error
		if errors.As(err, &uerr) {
			return fmt.Errorf("not a URL: %w", uerr.Err)
		}
		return fmt.Errorf("not a URL: %w", err)
	}
	if u.Scheme == "" { // one schemelessHint could not read: "rss/feed", "notaurl"
		return errors.New(`is not an absolute URL: want one such as "https://example.com/rss"`)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		if meant := meantURL(raw); meant != "" { // "htps://…"
			return fmt.Errorf("scheme must be http or https, got %q: did you mean %q?", u.Scheme, record.RedactURL(meant))
		}
		return fmt.Errorf("scheme must be http or https, got %q", u.Scheme)
	}
	if u.Hostname() == "" {
		return errors.New("has no host")
	}
	return nil
}

// meantURL is the http(s) URL raw most likely means when its scheme is a
// slip — a letter away from http or https ("htps://", "htttps://"), or
// short of its "://" ("http//", "https:/", "https:") — before a host; ""
// when it is not. A scheme of its own ("ftp", "feed") is two letters or
// more away, and "http/feed" (no colon, one slash) is a path.
func meantURL(raw string) string {
	i := strings.IndexAny(raw, ":/")
	if i <= 0 {
		return ""
	}
	word, rest := raw[:i], raw[i:]
	switch {
	case strings.HasPrefix(rest, "://"):
		rest = rest[3:]
	case strings.HasPrefix(rest, ":/"), strings.HasPrefix(rest, "//"):
		rest = rest[2:]
	case strings.HasPrefix(rest, ":"):
		rest = rest[1:]
	default:
		return ""
	}
	scheme := nearestHTTPScheme(strings.ToLower(word))
	if scheme == "" {
		return ""
	}
	host := rest
	if j := strings.IndexAny(rest, "/?#"); j >= 0 {
		host = rest[:j]
	}
	if h, p, err := net.SplitHostPort(host); err == nil && validHost(h) && validPort(p) ||
		validHost(host) && (strings.Contains(host, ".") || isLocalHost(host)) {
		// Only a URL the check takes is worth suggesting ("http//x.org/%"
		// is wrong twice); its scheme is right, so this never recurses.
		if meant := scheme + "://" + rest; CheckHTTPURL(meant) == nil {
			return meant
		}
	}
	return ""
}

// nearestHTTPScheme is "https" or "http", whichever w is at most one
// letter away from (https on a tie: most feeds are served over it), or "".
func nearestHTTPScheme(w string) string {
	toHTTPS, toHTTP := editdist.Bounded(w, "https", 2), editdist.Bounded(w, "http", 2)
	switch {
	case toHTTPS < 2 && toHTTPS <= toHTTP:
		return "https"
	case toHTTP < 2:
		return "http"
	}
	return ""
}

// schemelessHint says what raw, which has no "://", most likely means:
// a host without its scheme ("example.com/rss", "localhost:8000/rss") or
// a feed file ("./feed.xml"). It returns nil when raw is neither, so that
// a real scheme ("feed:", "mailto:") keeps url.Parse's message.
func schemelessHint(raw string) error {
	first := raw
	if i := strings.IndexAny(raw, "/?#"); i >= 0 {
		first = raw[:i]
	}
	if host, port, err := net.SplitHostPort(first); err == nil && validHost(host) && validPort(port) {
		scheme := "http://" // a port of its own is most often a local or test server
		if port == "443" {
			scheme = "https://"
		}
		return fmt.Errorf("has no scheme: want an absolute URL such as %q", scheme+raw)
	}
	if looksLikeFile(raw, first) {
		return fmt.Errorf("looks like a file, not a URL: run polls http(s) URLs; %q reads a feed file", "wirestream process "+raw)
	}
	if validHost(first) && (strings.Contains(first, ".") || isLocalHost(first)) {
		scheme := "https://"
		if isLocalHost(first) {
			scheme = "http://"
		}
		return fmt.Errorf("has no scheme: want an absolute URL such as %q", scheme+raw)
	}
	return nil
}

// feedFileExt are the endings of a feed saved as a file.
var feedFileExt = []string{".xml", ".rss", ".atom", ".json"}

// looksLikeFile reports whether raw (whose text before the first "/" is
// first) reads as a file path: "./x", "../x", "~/x", or a path or bare name
// ending as a feed file does whose first part is not a host name
// ("example.com/feed.xml" is a URL without its scheme).
func looksLikeFile(raw, first string) bool {
	for _, p := range []string{"./", "../", "~/"} {
		if strings.HasPrefix(raw, p) {
			return true
		}
	}
	lower := strings.ToLower(raw)
	ext := false
	for _, e := range feedFileExt {
		ext = ext || strings.HasSuffix(lower, e)
	}
	if !ext {
		return false
	}
	if first == raw || first == "" { // "feed.xml", "/tmp/feed.xml"
		return true
	}
	return !strings.Contains(first, ".") && !isLocalHost(first) // "rss/feed.xml"
}

// validHost reports whether h is a host name or an IP address (IPv6
// already without its brackets, as net.SplitHostPort leaves it).
func validHost(h string) bool {
	if h == "" || strings.HasPrefix(h, ".") || strings.HasPrefix(h, "-") {
		return false
	}
	if _, err := netip.ParseAddr(h); err == nil {
		return true
	}
	for _, r := range h {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

func validPort(p string) bool {
	n, err := strconv.Atoi(p)
	return err == nil && n > 0 && n <= 65535 && strings.Trim(p, "0123456789") == ""
}

// isLocalHost reports whether h names this machine or a private network,
// where feeds are most often served over plain http.
func isLocalHost(h string) bool {
	h = strings.ToLower(h)
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	a, err := netip.ParseAddr(h)
	return err == nil && (a.IsLoopback() || a.IsPrivate())
}

var headerToken = regexp.MustCompile("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")

func validHeaderName(s string) bool { return headerToken.MatchString(s) }

var envRef = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// expandHeaders resolves ${VAR} references. Only the braced form is
// expanded so that a literal "$" in a token survives. A reference to an
// unset variable is an error: sending an empty credential hides the mistake.
// Errors name the header and the variable, never the value.
func expandHeaders(s Spec, lookup func(string) (string, bool)) (map[string]string, error) {
	if len(s.Headers) == 0 {
		return nil, nil
	}
	if lookup == nil {
		lookup = os.LookupEnv
	}
	out := make(map[string]string, len(s.Headers))
	for name, v := range s.Headers {
		var missing []string
		out[name] = envRef.ReplaceAllStringFunc(v, func(ref string) string {
			key := envRef.FindStringSubmatch(ref)[1]
			val, ok := lookup(key)
			if !ok {
				missing = append(missing, key)
			}
			return val
		})
		if len(missing) > 0 {
			return nil, fmt.Errorf("feed %s: header %s references unset environment variable(s) %s", record.RedactURL(s.URL), name, strings.Join(missing, ", "))
		}
	}
	return out, nil
}

// bounds are a feed's effective interval limits. poller.min_interval is
// a floor no feed goes under: a feed's own min_interval can only raise it
// (one entry of a shared list must not make this instance hammer a
// publisher), and a max_interval below it polls at the floor.
func (c Config) bounds(s Spec) (lo, hi time.Duration) {
	lo, hi = max(c.MinInterval, s.MinInterval), c.MaxInterval
	if s.MaxInterval > 0 {
		hi = s.MaxInterval
	}
	if lo > hi {
		hi = lo
	}
	return lo, hi
}

// BelowFloor reports each interval of s set below poller.min_interval, the
// floor of every feed's polls, naming the feed and the key; nil when none
// is. A config file and `feeds add` refuse such a feed; a fetcher given
// one by the shared feed list warns and polls it at the floor (bounds).
func (c Config) BelowFloor(s Spec) error {
	var errs []error
	for _, k := range []struct {
		key string
		d   time.Duration
	}{{"min_interval", s.MinInterval}, {"max_interval", s.MaxInterval}} {
		if k.d > 0 && k.d < c.MinInterval {
			errs = append(errs, fmt.Errorf("feeds[%s].%s: %s is below poller.min_interval (%s), the floor of every feed's polls: a feed's interval may only raise it",
				s.URL, k.key, k.d, c.MinInterval))
		}
	}
	return errors.Join(errs...)
}

// CheckEnv reports a header that references an unset environment
// variable, so `wirestream validate` catches it before `run` would.
func (s Spec) CheckEnv(lookup func(string) (string, bool)) error {
	_, err := expandHeaders(s, lookup)
	return err
}
