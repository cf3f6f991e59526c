//go:build unix

package kafkatest

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// A test waiting to stop the broker is not starved by packages that keep taking shared locks:
// once it waits (it holds the gate), a new shared holder queues behind it until it has had the
// broker. Plain flock let every new shared lock in ahead of the waiter, which ran out its
// deadline under load (review20). The "other packages" here are other open files of the same
// lock, which flock treats as other holders.
func TestAWaitingExclusiveLockIsNotStarvedByNewSharedHolders(t *testing.T) {
	path := filepath.Join(t.TempDir(), "broker.lock")
	running, err := flock(path, syscall.LOCK_SH) // a test of another package, holding the broker
	if err != nil {
		t.Fatal(err)
	}
	exclusive := make(chan *os.File, 1)
	go func() {
		f, err := acquireExclusive(path, time.Now().Add(time.Minute))
		if err != nil {
			t.Errorf("exclusive: %v", err)
		}
		exclusive <- f
	}()
	// Bounded wait until the waiter holds the gate.
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		g, err := flock(path+".gate", syscall.LOCK_SH|syscall.LOCK_NB)
		if err != nil {
			break
		}
		g.Close()
		if time.Now().After(deadline) {
			t.Fatal("the exclusive waiter never took the gate")
		}
	}
	shared := make(chan *os.File, 1)
	go func() { // a test of a third package arriving now
		f, err := enterShared(path, false)
		if err != nil {
			t.Errorf("shared: %v", err)
		}
		shared <- f
	}()
	select {
	case <-shared:
		t.Fatal("a new shared holder got the lock ahead of the waiting exclusive one")
	case <-exclusive:
		t.Fatal("the exclusive lock was granted while a shared holder still ran")
	case <-time.After(500 * time.Millisecond):
	}
	running.Close() // the running test ends: the waiter, not the newcomer, gets the broker
	var ex *os.File
	select {
	case ex = <-exclusive:
	case <-time.After(30 * time.Second):
		t.Fatal("the exclusive waiter did not get the lock once the shared holder left")
	}
	select {
	case <-shared:
		t.Fatal("a shared holder got the lock while the exclusive one held it")
	case <-time.After(200 * time.Millisecond):
	}
	ex.Close()
	select {
	case f := <-shared:
		f.Close()
	case <-time.After(30 * time.Second):
		t.Fatal("the queued shared holder did not get the lock once the exclusive one was done")
	}
}
