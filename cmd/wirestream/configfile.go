package main

// Editing a configuration file in place (`feeds add|remove --config`,
// `feeds import`): the file a service reads may be a symlink, owned by
// the service's user with a mode of its own, and edited by two commands
// at once. An edit locks the file's directory across read, edit and
// replace; it replaces the link's target, not the link, through a
// temporary file of its own in the target's directory that takes the old
// file's mode (and, for root, owner), synced before the rename and the
// directory synced after it.

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

// lockWait bounds how long an edit waits for another to finish with the
// same directory; an edit takes milliseconds.
const lockWait = 30 * time.Second

// lockConfig takes the edit lock of the configuration file at path (its
// directory's, symlinks resolved) for the read-modify-write of one
// command, so concurrent edits apply one after another instead of each
// replacing the file with its own copy. A file replaced by rename is a new
// inode, so the lock is on the directory, which stays. Call unlock once.
func lockConfig(path string) (unlock func(), err error) {
	target, err := resolveConfig(path)
	if err != nil {
		return nil, err
	}
	dir := filepath.Dir(target)
	d, err := os.Open(dir)
	if err != nil {
		return nil, fmt.Errorf("lock config %s: %w", path, err)
	}
	if err := lockFile(d, lockWait); err != nil {
		d.Close()
		return nil, fmt.Errorf("lock config %s (its directory %s): %w", path, dir, err)
	}
	return func() {
		unlockFile(d)
		d.Close()
	}, nil
}

// resolveConfig is the file path names once its symlinks are followed:
// the one to replace. A dangling link resolves to where it points (add
// creates the file there); a path that does not exist is itself.
func resolveConfig(path string) (string, error) {
	for range 40 {
		fi, err := os.Lstat(path)
		if errors.Is(err, os.ErrNotExist) {
			return path, nil
		}
		if err != nil {
			return "", fmt.Errorf("config %s: %w", path, err)
		}
		if fi.Mode()&os.ModeSymlink == 0 {
			return path, nil
		}
		dest, err := os.Readlink(path)
		if err != nil {
			return "", fmt.Errorf("config %s: %w", path, err)
		}
		if !filepath.IsAbs(dest) {
			dest = filepath.Join(filepath.Dir(path), dest)
		}
		path = dest
	}
	return "", fmt.Errorf("config %s: %w", path, syscall.ELOOP)
}

// writeFileAtomic replaces the file path names (through its symlinks) by
// data, so a crash never leaves half a config and a reader sees the old
// file or the new one. The new file keeps the old one's mode, which the
// umask would cut, and when root its owner and group; one that did not
// exist gets 0644 less the umask. Hold lockConfig's lock around the read
// the data was made from.
func writeFileAtomic(path string, data []byte) error {
	target, err := resolveConfig(path)
	if err != nil {
		return err
	}
	perm := os.FileMode(0o644)
	old, err := os.Stat(target)
	switch {
	case err == nil:
		perm = old.Mode().Perm()
	case !errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("write config: %w", err)
	}
	dir, base := filepath.Split(target)
	if dir == "" {
		dir = "."
	}
	f, tmp, err := createTemp(dir, base, perm)
	if err != nil {
		return fmt.Errorf("write config: %w", err)
	}
	fail := func(err error) error {
		f.Close()
		os.Remove(tmp)
		return fmt.Errorf("write config %s: %w", target, err)
	}
	if _, err := f.Write(data); err != nil {
		return fail(err)
	}
	if old != nil {
		if err := keepOwner(f, old); err != nil {
			return fail(err)
		}
		if err := f.Chmod(perm); err != nil { // after chown, which clears set-id bits
			return fail(err)
		}
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write config %s: %w", target, err)
	}
	if err := os.Rename(tmp, target); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write config: %w", err)
	}
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("write config %s: the file is replaced, but syncing its directory failed: %w", target, err)
	}
	return nil
}

// createTemp makes a new file next to base in dir under a name no other
// writer uses, created with perm through the umask, as os.WriteFile
// creates a file.
func createTemp(dir, base string, perm os.FileMode) (*os.File, string, error) {
	for range 100 {
		name := filepath.Join(dir, "."+base+"."+strconv.FormatUint(rand.Uint64(), 36)+".tmp")
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, perm)
		if errors.Is(err, os.ErrExist) {
			continue
		}
		return f, name, err
	}
	return nil, "", fmt.Errorf("create a temporary file in %s: too many names taken", dir)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) && !errors.Is(err, syscall.ENOTSUP) {
		return err // EINVAL, ENOTSUP: a file system that cannot sync a directory
	}
	return nil
}
