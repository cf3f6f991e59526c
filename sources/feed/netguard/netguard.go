// Package netguard refuses outbound connections to addresses a feed URL
// must never reach: loopback, private (RFC 1918, fc00::/7), link-local
// (169.254.0.0/16, where cloud metadata lives), CGNAT, multicast and
// unspecified addresses.
//
// The check runs in net.Dialer.Control, on the IP the socket is about to
// connect to, after DNS resolution. A host name that resolves to a public
// address for a URL check and to 127.0.0.1 a moment later (DNS rebinding)
// is therefore still refused, as is every redirect hop. Nothing is sent to
// a refused address: Control runs before connect(2).
package netguard

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/netip"
	"sync"
	"syscall"
)

// ErrBlocked is wrapped by every refusal, so callers can classify it.
var ErrBlocked = errors.New("address is not allowed")

// blocked lists the ranges refused by default.
var blocked = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),       // "this network", includes unspecified
	netip.MustParsePrefix("10.0.0.0/8"),      // RFC 1918
	netip.MustParsePrefix("100.64.0.0/10"),   // CGNAT, RFC 6598
	netip.MustParsePrefix("127.0.0.0/8"),     // loopback
	netip.MustParsePrefix("169.254.0.0/16"),  // link-local, cloud metadata
	netip.MustParsePrefix("172.16.0.0/12"),   // RFC 1918
	netip.MustParsePrefix("192.0.0.0/24"),    // IETF protocol assignments
	netip.MustParsePrefix("192.168.0.0/16"),  // RFC 1918
	netip.MustParsePrefix("198.18.0.0/15"),   // benchmarking
	netip.MustParsePrefix("224.0.0.0/4"),     // multicast
	netip.MustParsePrefix("240.0.0.0/4"),     // reserved, includes broadcast
	netip.MustParsePrefix("::/128"),          // unspecified
	netip.MustParsePrefix("::1/128"),         // loopback
	netip.MustParsePrefix("fc00::/7"),        // unique local
	netip.MustParsePrefix("fe80::/10"),       // link-local
	netip.MustParsePrefix("ff00::/8"),        // multicast
	netip.MustParsePrefix("64:ff9b:1::/48"),  // local-use NAT64
	netip.MustParsePrefix("2001:db8::/32"),   // documentation
	netip.MustParsePrefix("100::/64"),        // discard-only
	netip.MustParsePrefix("::ffff:0:0:0/96"), // IPv4-translated (SIIT)
}

// embedsIPv4 lists IPv6 ranges that carry an IPv4 address in their last 32
// bits (NAT64) or in bits 16..48 (6to4); the embedded address is checked too.
var nat64 = netip.MustParsePrefix("64:ff9b::/96")
var sixToFour = netip.MustParsePrefix("2002::/16")

// Guard decides which addresses may be dialled.
type Guard struct {
	allow []netip.Prefix
	// public: addresses taken as public by the redirect rule
	// (checkHop), where every test server is on loopback. Tests only.
	public []netip.Prefix
}

// New returns a guard that refuses the default ranges except those inside
// one of allow.
func New(allow []netip.Prefix) *Guard {
	return &Guard{allow: append([]netip.Prefix(nil), allow...)}
}

// Check reports whether addr may be dialled, with an error wrapping
// ErrBlocked when not.
func (g *Guard) Check(addr netip.Addr) error {
	addr = addr.Unmap().WithZone("")
	if !addr.IsValid() {
		return fmt.Errorf("netguard: invalid address: %w", ErrBlocked)
	}
	for _, p := range g.allow {
		if p.Contains(addr) {
			return nil
		}
	}
	if reason := refused(addr); reason != "" {
		// Say which key admits a loopback or private address: a feed
		// served on the operator's own network is refused by default, and
		// the error is all they see. Not for link-local (a cloud's
		// metadata service), multicast or reserved ranges.
		if addr.IsLoopback() || addr.IsPrivate() {
			// "(poller.allow_networks admits it)" read as if it did.
			return fmt.Errorf("netguard: %s is %s, which poller.allow_networks does not admit (add %s to it to poll this host): %w",
				addr, reason, netip.PrefixFrom(addr, addr.BitLen()), ErrBlocked)
		}
		return fmt.Errorf("netguard: %s is %s: %w", addr, reason, ErrBlocked)
	}
	if embedded := embeddedV4(addr); embedded.IsValid() {
		if err := g.Check(embedded); err != nil {
			return fmt.Errorf("netguard: %s embeds %s: %w", addr, embedded, err)
		}
	}
	return nil
}

// embeddedV4 is the IPv4 address addr carries in NAT64 or 6to4; the
// zero Addr when it carries none.
func embeddedV4(addr netip.Addr) netip.Addr {
	if !addr.Is6() {
		return netip.Addr{}
	}
	b := addr.As16()
	switch {
	case nat64.Contains(addr):
		return netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]})
	case sixToFour.Contains(addr):
		return netip.AddrFrom4([4]byte{b[2], b[3], b[4], b[5]})
	}
	return netip.Addr{}
}

func refused(addr netip.Addr) string {
	switch {
	case addr.IsUnspecified():
		return "unspecified"
	case addr.IsLoopback():
		return "loopback"
	case addr.IsPrivate():
		return "private"
	case addr.IsLinkLocalUnicast(), addr.IsLinkLocalMulticast():
		return "link-local"
	case addr.IsMulticast(), addr.IsInterfaceLocalMulticast():
		return "multicast"
	}
	for _, p := range blocked {
		if p.Contains(addr) {
			return "in reserved range " + p.String()
		}
	}
	return ""
}

// Control is a net.Dialer.Control function: it is called with the resolved
// "ip:port" just before the socket connects.
func (g *Guard) Control(network, address string, _ syscall.RawConn) error {
	switch network {
	case "tcp", "tcp4", "tcp6":
	default:
		return fmt.Errorf("netguard: network %q: %w", network, ErrBlocked)
	}
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return fmt.Errorf("netguard: address %q: %w", address, ErrBlocked)
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return fmt.Errorf("netguard: address %q is not an IP: %w", address, ErrBlocked)
	}
	return g.Check(ip)
}

// A redirect into an allowed network from outside it.
//
// allow_networks opens a network for the feeds the operator serves there;
// it must not open it to every feed's redirects. A public feed answering
// 302 to http://127.0.0.1:9464/debug/pprof/profile or to an intranet page
// would otherwise have the poller send that GET (blind, but sent). So a
// redirect from a public address (one no default range refuses) to an
// address only an allow entry admits is refused; within the operator's
// networks, and out of them, redirects go on as before.

// hops follows one request's connections through its redirects.
type hops struct {
	mu   sync.Mutex
	last netip.Addr // the remote address of the latest hop's connection
	from netip.Addr // the address the current redirect came from
}

type hopsKey struct{}

func hopsOf(ctx context.Context) *hops {
	h, _ := ctx.Value(hopsKey{}).(*hops)
	return h
}

// Follow returns ctx set up for a request whose redirects CheckRedirect
// and ControlContext hold to where they came from: each connection the
// request gets, new or pooled, is recorded (httptrace GotConn). Without
// an allow entry there is nothing to hold (every refused range stays
// refused), and ctx is returned as it is.
func (g *Guard) Follow(ctx context.Context) context.Context {
	if len(g.allow) == 0 {
		return ctx
	}
	h := &hops{}
	return httptrace.WithClientTrace(context.WithValue(ctx, hopsKey{}, h), &httptrace.ClientTrace{
		GotConn: func(info httptrace.GotConnInfo) {
			if ap, err := netip.ParseAddrPort(info.Conn.RemoteAddr().String()); err == nil {
				h.mu.Lock()
				h.last = ap.Addr().Unmap().WithZone("")
				h.mu.Unlock()
			}
		},
	})
}

// CheckRedirect, called from an http.Client's CheckRedirect with the
// request a redirect is about to send, refuses it when it would lead from
// a public address into a network only an allow entry admits. It checks
// the URL's host (an IP, or what the name resolves to now): a pooled
// connection to a local feed's host would be reused without a dial, so
// ControlContext alone would not see it. A request without Follow's
// context is not checked.
func (g *Guard) CheckRedirect(req *http.Request) error {
	h := hopsOf(req.Context())
	if h == nil {
		return nil
	}
	h.mu.Lock()
	h.from = h.last
	from := h.from
	h.mu.Unlock()
	if !from.IsValid() {
		return nil
	}
	host := req.URL.Hostname()
	if ip, err := netip.ParseAddr(host); err == nil {
		return g.checkHop(from, ip)
	}
	addrs, err := net.DefaultResolver.LookupNetIP(req.Context(), "ip", host)
	if err != nil {
		return nil // the dial says why
	}
	for _, ip := range addrs {
		if err := g.checkHop(from, ip); err != nil {
			return err
		}
	}
	return nil
}

// ControlContext is Control for net.Dialer.ControlContext; for a request
// set up by Follow it also refuses a redirect's connection from a public
// address into an allowed network (a name that resolved elsewhere when
// CheckRedirect looked: DNS rebinding).
func (g *Guard) ControlContext(ctx context.Context, network, address string, c syscall.RawConn) error {
	if err := g.Control(network, address, c); err != nil {
		return err
	}
	h := hopsOf(ctx)
	if h == nil {
		return nil
	}
	h.mu.Lock()
	from := h.from
	h.mu.Unlock()
	if !from.IsValid() {
		return nil
	}
	host, _, _ := net.SplitHostPort(address)
	ip, _ := netip.ParseAddr(host)
	return g.checkHop(from, ip)
}

// checkHop is the rule: to, when only an allow entry admits it, is
// reached by a redirect only from an address a default range refuses
// too (the operator's own networks).
func (g *Guard) checkHop(from, to netip.Addr) error {
	to, from = to.Unmap().WithZone(""), from.Unmap().WithZone("")
	if !g.refusedByDefault(to) || g.refusedByDefault(from) {
		return nil
	}
	return fmt.Errorf("netguard: a redirect from the public address %s to %s, which poller.allow_networks admits for feeds there, not for redirects from outside: %w",
		from, to, ErrBlocked)
}

// refusedByDefault reports whether a default range refuses addr, whatever
// allow admits.
func (g *Guard) refusedByDefault(addr netip.Addr) bool {
	for _, p := range g.public {
		if p.Contains(addr) {
			return false
		}
	}
	if refused(addr) != "" {
		return true
	}
	if embedded := embeddedV4(addr); embedded.IsValid() {
		return g.refusedByDefault(embedded)
	}
	return false
}
