package hostname

import (
	"strings"
	"sync"

	"golang.org/x/net/publicsuffix"
)

// RegistrableDomain is publicsuffix.EffectiveTLDPlusOne(host), and whether
// it had one, remembered by host: dedupe asks it of every story's feed
// host and link host, sources/feed of every parsed document's feed and
// channel link (and of each item's link when the channel declares another
// site), and a feed's stories come from a few hosts, while the
// public-suffix search (an IP address parse, a table walk per label) was
// most of what the dedupe check spent on a headline. The cache is
// cleared whole when it reaches maxKnownHosts.
func RegistrableDomain(host string) (string, bool) {
	knownHosts.mu.Lock()
	d, found := knownHosts.m[host]
	knownHosts.mu.Unlock()
	if found {
		return d.domain, d.ok
	}
	host = strings.Clone(host) // a slice of a story's link: not kept past it
	domain, err := publicsuffix.EffectiveTLDPlusOne(host)
	d = registrable{domain, err == nil}
	if len(host) > maxHostLen {
		return d.domain, d.ok // no DNS name: not kept, so the cache's bytes stay bounded
	}
	knownHosts.mu.Lock()
	if len(knownHosts.m) >= maxKnownHosts {
		clear(knownHosts.m)
	}
	knownHosts.m[host] = d
	knownHosts.mu.Unlock()
	return d.domain, d.ok
}

// registrable is what RegistrableDomain says of a host.
type registrable struct {
	domain string
	ok     bool
}

// knownHosts is RegistrableDomain's cache, shared by every caller (the
// answer is the host's alone).
var knownHosts = struct {
	mu sync.Mutex
	m  map[string]registrable
}{m: map[string]registrable{}}

// maxKnownHosts bounds knownHosts: ≈ 100 bytes a host.
const maxKnownHosts = 8192

// maxHostLen is the longest DNS name; callers need not check a host's
// length, and a longer host is answered without being kept.
const maxHostLen = 253
