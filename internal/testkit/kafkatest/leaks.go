//go:build unix

package kafkatest

import (
	"fmt"
	"os"
	"testing"

	"github.com/segmentio/kafka-go"
	"go.uber.org/goleak"
)

// VerifyTestMain is goleak.VerifyTestMain for packages whose tests use this package: it runs
// the tests and fails the binary if a goroutine outlives them, after closing the idle
// connections of kafka-go's DefaultTransport, which Topic warms on behalf of every test (its
// connection pool is not a goroutine the package under test started).
func VerifyTestMain(m *testing.M) {
	code := m.Run()
	if tr, ok := kafka.DefaultTransport.(*kafka.Transport); ok {
		tr.CloseIdleConnections()
	}
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintln(os.Stderr, "goleak:", err)
			code = 1
		}
	}
	os.Exit(code)
}
