package kafka

import (
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/fuzzcap"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	fuzzcap.MinimizeFor(3 * time.Second) // FuzzDecodeItem
	goleak.VerifyTestMain(m)
}
