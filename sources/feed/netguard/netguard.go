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
	"errors"
	"fmt"
	"net"
	"net/netip"
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
	if addr.Is6() {
		b := addr.As16()
		var embedded netip.Addr
		switch {
		case nat64.Contains(addr):
			embedded = netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]})
		case sixToFour.Contains(addr):
			embedded = netip.AddrFrom4([4]byte{b[2], b[3], b[4], b[5]})
		}
		if embedded.IsValid() {
			if err := g.Check(embedded); err != nil {
				return fmt.Errorf("netguard: %s embeds %s: %w", addr, embedded, err)
			}
		}
	}
	return nil
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
