package ninjs_test

import (
	"os"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/fuzzcap"
)

func TestMain(m *testing.M) {
	fuzzcap.MinimizeFor(3 * time.Second) // FuzzParse's seeds are whole IPTC documents
	os.Exit(m.Run())
}
