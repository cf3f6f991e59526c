package feedtopics

import (
	"testing"

	"github.com/wirestream/wirestream/internal/testkit/kafkatest"
)

func TestMain(m *testing.M) { kafkatest.VerifyTestMain(m) }
