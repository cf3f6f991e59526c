package shareddata

import (
	"os"
	"path/filepath"
	"testing"
)

func TestDirFindsTheSharedData(t *testing.T) {
	dir := Dir(t)
	if _, err := os.Stat(filepath.Join(dir, "uci-news", "dev.csv")); err != nil {
		t.Errorf("Dir = %s, which lacks uci-news/dev.csv: %v", dir, err)
	}
}
