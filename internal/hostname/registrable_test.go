package hostname

import (
	"fmt"
	"strings"
	"testing"

	"golang.org/x/net/publicsuffix"
)

// RegistrableDomain answers as publicsuffix does, the first time and from
// its cache, for hosts with a registrable domain and without, and across
// a clearing of the cache.
func TestRegistrableDomainIsThePublicSuffixAnswer(t *testing.T) {
	hosts := []string{"www.nytimes.com", "rss.nytimes.com", "feeds.bbci.co.uk", "www.bbc.co.uk", "co.uk", "com",
		"localhost", "127.0.0.1", "[::1]", "example", "a.b.example.com", "xn--bcher-kva.example", ""}
	for round := range 2 {
		for _, h := range hosts {
			want, err := publicsuffix.EffectiveTLDPlusOne(h)
			if got, ok := RegistrableDomain(h); ok != (err == nil) || ok && got != want {
				t.Errorf("round %d: RegistrableDomain(%q) = %q, %v; publicsuffix %q, %v", round, h, got, ok, want, err)
			}
		}
	}
	for i := range maxKnownHosts + 10 {
		RegistrableDomain(fmt.Sprintf("h%d.example.com", i))
	}
	if n := len(knownHosts.m); n > maxKnownHosts {
		t.Errorf("the cache holds %d hosts, over its bound %d", n, maxKnownHosts)
	}
	if got, ok := RegistrableDomain("rss.nytimes.com"); !ok || got != "nytimes.com" {
		t.Errorf("after clearing: RegistrableDomain(rss.nytimes.com) = %q, %v", got, ok)
	}
}

// The cache is bounded in bytes as well as hosts: a link's host is any
// text up to its first "/" (hostOf in dedupe checks no length), and 8,192 hosts of
// a feed's megabyte each would be gigabytes. A host longer than a DNS
// name can be (253 bytes) is answered but not kept.
func TestRegistrableDomainKeepsNoHostLongerThanADNSName(t *testing.T) {
	long := strings.Repeat("a", 300) + ".example.com"
	want, err := publicsuffix.EffectiveTLDPlusOne(long)
	if got, ok := RegistrableDomain(long); ok != (err == nil) || ok && got != want {
		t.Errorf("RegistrableDomain(%d bytes) = %q, %v; publicsuffix %q, %v", len(long), got, ok, want, err)
	}
	knownHosts.mu.Lock()
	_, kept := knownHosts.m[long]
	knownHosts.mu.Unlock()
	if kept {
		t.Errorf("the cache kept a host of %d bytes", len(long))
	}
}
