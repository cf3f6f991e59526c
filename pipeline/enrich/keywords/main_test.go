package keywords

import (
	"os"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/fuzzcap"
)

// TestMain caps the minimization of each new fuzz input (Go's default is
// 60 s, in which a run reports 0 execs/s): fuzzcap.TestEveryFuzzedPackageCapsMinimization.
func TestMain(m *testing.M) {
	fuzzcap.MinimizeFor(3 * time.Second)
	os.Exit(m.Run())
}
