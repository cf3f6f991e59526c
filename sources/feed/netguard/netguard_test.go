package netguard

import (
	"errors"
	"net"
	"net/netip"
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	allowLoop2 := []netip.Prefix{netip.MustParsePrefix("127.0.0.2/32")}
	cases := []struct {
		name    string
		addr    string
		allow   []netip.Prefix
		blocked bool
	}{
		{"a public IPv4 address is allowed", "93.184.216.34", nil, false},
		{"a public IPv6 address is allowed", "2606:2800:220:1:248:1893:25c8:1946", nil, false},
		{"loopback is refused", "127.0.0.1", nil, true},
		{"IPv6 loopback is refused", "::1", nil, true},
		{"cloud metadata on link-local is refused", "169.254.169.254", nil, true},
		{"RFC 1918 10/8 is refused", "10.1.2.3", nil, true},
		{"RFC 1918 172.16/12 is refused", "172.31.255.1", nil, true},
		{"RFC 1918 192.168/16 is refused", "192.168.0.1", nil, true},
		{"CGNAT is refused", "100.64.0.1", nil, true},
		{"unspecified IPv4 is refused", "0.0.0.0", nil, true},
		{"unspecified IPv6 is refused", "::", nil, true},
		{"unique local IPv6 is refused", "fd00::1", nil, true},
		{"link-local IPv6 is refused", "fe80::1", nil, true},
		{"multicast is refused", "239.1.1.1", nil, true},
		{"IPv4-mapped loopback is refused", "::ffff:127.0.0.1", nil, true},
		{"NAT64 embedding metadata is refused", "64:ff9b::a9fe:a9fe", nil, true},
		{"6to4 embedding a private address is refused", "2002:c0a8:0101::1", nil, true},
		{"an allowed loopback address is accepted", "127.0.0.2", allowLoop2, false},
		{"another loopback address stays refused when only one is allowed", "127.0.0.1", allowLoop2, true},
		{"metadata stays refused when loopback is allowed", "169.254.169.254", allowLoop2, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := New(c.allow).Check(netip.MustParseAddr(c.addr))
			if got := errors.Is(err, ErrBlocked); got != c.blocked {
				t.Fatalf("Check(%s) = %v, want blocked=%v", c.addr, err, c.blocked)
			}
		})
	}
}

func TestControlRefusesBeforeConnecting(t *testing.T) {
	// A real dial through the guard: the refusal must come from Control,
	// before any packet leaves (the target is the metadata address).
	d := net.Dialer{Control: New(nil).Control}
	_, err := d.Dial("tcp", "169.254.169.254:80")
	if !errors.Is(err, ErrBlocked) {
		t.Fatalf("dial metadata address: got %v, want ErrBlocked", err)
	}
	if _, err := d.Dial("udp", "8.8.8.8:53"); !errors.Is(err, ErrBlocked) {
		t.Fatalf("dial udp: got %v, want ErrBlocked", err)
	}
}

// A refusal names the key that admits the address and what to add to it:
// a newcomer serving feeds from loopback saw only "127.0.0.1 is loopback",
// and then "(poller.allow_networks admits it)", which read as if it did.
func TestARefusalNamesTheKeyThatAdmitsIt(t *testing.T) {
	for addr, want := range map[string]string{
		"127.0.0.1":   "netguard: 127.0.0.1 is loopback, which poller.allow_networks does not admit (add 127.0.0.1/32 to it to poll this host)",
		"10.1.2.3":    "netguard: 10.1.2.3 is private, which poller.allow_networks does not admit (add 10.1.2.3/32 to it to poll this host)",
		"::1":         "netguard: ::1 is loopback, which poller.allow_networks does not admit (add ::1/128 to it to poll this host)",
		"192.168.0.9": "(add 192.168.0.9/32 to it",
	} {
		err := New(nil).Check(netip.MustParseAddr(addr))
		if !errors.Is(err, ErrBlocked) || !strings.Contains(err.Error(), want) {
			t.Errorf("Check(%s) = %v, want ErrBlocked saying %q", addr, err, want)
		}
	}
}

// A link-local address (a cloud's metadata service) gets no hint to admit it.
func TestALinkLocalRefusalGivesNoHint(t *testing.T) {
	err := New(nil).Check(netip.MustParseAddr("169.254.169.254"))
	if !errors.Is(err, ErrBlocked) || strings.Contains(err.Error(), "allow_networks") {
		t.Fatalf("Check(169.254.169.254) = %v, want ErrBlocked without the allow_networks hint", err)
	}
}
