package feedtopics

import (
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/fuzzcap"
	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
)

func TestMain(m *testing.M) {
	fuzzcap.MinimizeFor(3 * time.Second) // FuzzDecodeSpec
	kafkatest.VerifyTestMain(m)
}
