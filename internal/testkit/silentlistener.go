package testkit

import (
	"net"
	"sync"
	"testing"
)

// HoldSilently accepts connections on ln and never answers on them: a peer whose server hangs
// after accept, so a client's read waits until its own deadline or context ends. accepted gets a
// value at each connection (dropped when nobody is listening). The listener and every held
// connection close at the test's end. The caller opens ln, so it chooses the address and what a
// failed Listen means (Fatal or Skip).
func HoldSilently(t testing.TB, ln net.Listener) (accepted <-chan struct{}) {
	t.Helper()
	conns := make(chan struct{}, 64)
	var mu sync.Mutex
	var held []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			held = append(held, c)
			mu.Unlock()
			select {
			case conns <- struct{}{}:
			default:
			}
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range held {
			c.Close()
		}
	})
	return conns
}
