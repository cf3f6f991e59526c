package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/wirestream/wirestream/sinks/kafka"
	"github.com/wirestream/wirestream/sources/feed"
)

// Preflight checks what a valid configuration refers to outside itself,
// the way `run` will meet it: OPML files that must parse, environment
// variables that feed headers reference, the SASL password file and TLS
// files, a data_dir that must be a directory, the Kafka cluster a fetcher
// or a processor needs. It returns every problem
// at once (as Problems, with lines), so `validate` rejects what `run`
// would reject, before anything starts. lookup reads the environment.
// With a file, the error is a *FileError.
func (c *Config) Preflight(lookup func(string) (string, bool)) error {
	var errs []error
	for i, p := range c.OPML {
		if err := checkOPML(c.Resolve(p)); err != nil {
			errs = append(errs, fmt.Errorf("opml[%d]: %w", i, err))
		}
	}
	for i, f := range c.Feeds {
		if err := f.CheckEnv(lookup); err != nil {
			errs = append(errs, fmt.Errorf("feeds[%d].headers: %w", i, err))
		}
	}
	kc, err := c.Kafka.ResolveSecrets()
	if err != nil {
		errs = append(errs, err)
	}
	if len(kc.Brokers) == 0 && c.Role != RoleAll && validRole(c.Role) == nil {
		// Blamed on the role (its line, variable or flag): the brokers
		// are what is missing, and may come from any of three places.
		errs = append(errs, fmt.Errorf("role: %s needs kafka.brokers: fetchers, processors and the feed list they share live in Kafka "+
			"(set kafka.brokers, --brokers or WIRESTREAM_KAFKA_BROKERS; the embedded broker is for role all)", c.Role))
	}
	if len(kc.Brokers) == 0 {
		// The embedded broker is dialled with the same TLS and SASL
		// settings; NewConn only needs an address to check them.
		kc.Brokers = []string{c.Embedded.Addr}
	}
	if _, err := kafka.NewConn(kc); err != nil {
		errs = append(errs, err)
	}
	if st, err := os.Stat(c.DataDir); err == nil && !st.IsDir() {
		errs = append(errs, fmt.Errorf("data_dir: %s is a file; the state needs a directory", c.DataDir))
	} else if err != nil {
		if err := checkCreatable(c.DataDir); err != nil {
			errs = append(errs, fmt.Errorf("data_dir: %s: %w", c.DataDir, err))
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return c.inFile(sortProblems(c.problemsOf(errors.Join(errs...))))
}

func checkOPML(path string) error {
	fh, err := os.Open(path)
	if err != nil {
		return err
	}
	defer fh.Close()
	if _, err := feed.ParseOPML(fh); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// checkCreatable says why dir, which does not exist, cannot be created the
// way run creates its state directory: its nearest existing ancestor must
// be a directory in which one can be made. That is tried with an empty
// directory, removed at once, so nothing of dir is left behind.
func checkCreatable(dir string) error {
	parent := filepath.Dir(dir)
	for {
		st, err := os.Stat(parent)
		if err == nil {
			if !st.IsDir() {
				return fmt.Errorf("cannot be created: %s is a file, not a directory", parent)
			}
			break
		}
		up := filepath.Dir(parent)
		if up == parent {
			return nil // nothing to look at: let run say what it meets
		}
		parent = up
	}
	probe, err := os.MkdirTemp(parent, ".wirestream-data-dir-check-")
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return fmt.Errorf("cannot be created in %s: %w", parent, err)
	}
	return os.Remove(probe)
}
