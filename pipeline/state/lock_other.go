//go:build !unix

package state

import (
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// lockDir creates dir/LOCK without an OS lock: on systems without flock the
// operator keeps one process per data directory.
func lockDir(dir string, _ time.Duration) (*os.File, error) {
	path := filepath.Join(dir, "LOCK")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open state lock %s: %w", path, err)
	}
	return f, nil
}

func unlockDir(f *os.File) error {
	if f == nil {
		return nil
	}
	return f.Close()
}
