package feed

import (
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/wirestream/wirestream/internal/fuzzcap"
)

func TestMain(m *testing.M) {
	fuzzcap.MinimizeFor(3 * time.Second) // FuzzParse's seeds are whole feeds
	goleak.VerifyTestMain(m)
}
