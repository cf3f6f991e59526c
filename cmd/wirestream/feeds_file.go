package main

// `wirestream feeds add|remove --config FILE URL`: the feeds `run` polls
// are the "feeds:" of its config file; these edit that list in place, as
// `feeds import` does, rather than the fetchers' list in Kafka.

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/sources/feed"
)

// editsFile reports whether add or remove edit the --config file: a
// --config without --kafka or --brokers. --brokers names a cluster, so it
// means the list in Kafka, as before --config edited files.
func editsFile(common *commonFlags, inKafka bool) bool {
	return common.config != "" && !inKafka && common.brokers == ""
}

// readConfigFile is the file's text, nil for a file that does not exist
// yet (add creates it).
func readConfigFile(path string) ([]byte, error) {
	doc, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("read config: %w", err)
	}
	return doc, nil
}

func feedsAddToFile(env *cliEnv, common *commonFlags, spec feed.Spec, given config.FeedUpdate) error {
	path := common.config
	unlock, err := lockConfig(path)
	if err != nil {
		return err
	}
	defer unlock()
	orig, err := readConfigFile(path)
	if err != nil {
		return err
	}
	poller := feed.DefaultConfig()
	if cfg, err := config.Parse(orig, env.getenv); err == nil {
		poller = cfg.Poller
	} // else writeEdited says what is wrong with the file
	if err := underFloor(spec, poller, path, "lower poller.min_interval there if you mean it"); err != nil {
		return err
	}
	m, err := config.MergeFeeds(orig, []feed.Spec{spec})
	if err != nil {
		return (&config.FileError{Path: path}).With(err)
	}
	if len(m.AlreadyListed) > 0 {
		return updateInFile(env, path, orig, spec, m.AlreadyListed[0], given)
	}
	cfg, err := writeEdited(env, path, m.Doc, "added")
	if err != nil {
		return err
	}
	if lists := opmlListing(env, path, spec.URL); len(lists) > 0 {
		// AllFeeds lets the file's own entry win over the OPML file's.
		fmt.Fprintf(env.stdout, "added %s to %s (line %d); %s (under opml:) lists it too: `wirestream run --config %s` already polls it, and from its next start with this entry's settings\n",
			record.RedactURL(spec.URL), path, m.First, strings.Join(lists, ", "), path)
	} else {
		fmt.Fprintf(env.stdout, "added %s to %s (line %d): `wirestream run --config %s` polls it from its next start\n", record.RedactURL(spec.URL), path, m.First, path)
	}
	// As validate does: the file is valid, but run would refuse the feed
	// ("blocked") until poller.allow_networks admits its address.
	warnRefused(env.stderr, cfg, []feed.Spec{spec})
	warnSecrets(env.stderr, []feed.Spec{spec})
	if all, err := cfg.AllFeeds(); err == nil {
		warnLoopbackAliases(env.stderr, all, spec.URL)
	}
	kafkaNote(env, cfg, path)
	return nil
}

func feedsRemoveFromFile(env *cliEnv, common *commonFlags, url string, missingOK bool) error {
	path := common.config
	unlock, err := lockConfig(path)
	if err != nil {
		return err
	}
	defer unlock()
	orig, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read config: %w", err)
	}
	u, err := config.UnlistFeed(orig, url)
	if err != nil {
		return (&config.FileError{Path: path}).With(err)
	}
	if len(u.Removed) == 0 {
		// The feed may come from an OPML file the config names: say so
		// rather than "not listed", since run does poll it.
		if cfg, err := config.Load(path, env.getenv); err == nil && len(cfg.OPML) > 0 && inOPML(cfg, url) {
			return fmt.Errorf("%s does not list %s under feeds:, but an OPML file it names under opml: (%s) does: remove it there",
				path, record.RedactURL(url), strings.Join(cfg.OPML, ", "))
		}
		return notListedInFile(env, path, orig, url, missingOK)
	}
	cfg, err := writeEdited(env, path, u.Doc, "removed")
	if err != nil {
		return err
	}
	for _, r := range u.Removed {
		fmt.Fprintf(env.stdout, "removed %s from %s (was line %d)\n", record.RedactURL(r.Spec.URL), path, r.Line)
	}
	if lists := opmlListing(env, path, url); len(lists) > 0 {
		fmt.Fprintf(env.stdout, "%s (under opml:) still lists it: `wirestream run --config %s` goes on polling it; remove it there to stop it\n", strings.Join(lists, ", "), path)
	} else {
		fmt.Fprintf(env.stdout, "`wirestream run --config %s` stops polling it at its next start\n", path)
	}
	kafkaNote(env, cfg, path)
	return nil
}

// notListedInFile is remove's answer for a url the file's feeds: do not
// list: an error naming the file and the closest listed feed with its
// line, or with --missing-ok a line on stdout and success.
func notListedInFile(env *cliEnv, path string, orig []byte, url string, missingOK bool) error {
	if missingOK {
		fmt.Fprintf(env.stdout, "%s is not in the feeds of %s: nothing to remove\n", record.RedactURL(url), path)
		return nil
	}
	e := &notListedError{url: url, list: path + " (under feeds:)"}
	if cfg, err := config.Parse(orig, env.getenv); err == nil {
		if e.near = nearestFeed(url, specURLs(cfg.Feeds)); e.near != "" {
			if m, err := config.MergeFeeds(orig, []feed.Spec{{URL: e.near}}); err == nil && len(m.AlreadyListed) > 0 {
				e.nearLine = m.AlreadyListed[0].Line
			}
		}
	}
	return e
}

// writeEdited validates an edited file before it replaces the file, so an
// edit never leaves a configuration run would refuse; it returns what it
// read. A file that was invalid before the edit is said to be, rather
// than blamed on the edit. Hold lockConfig's lock.
func writeEdited(env *cliEnv, path string, doc []byte, did string) (config.Config, error) {
	cfg, err := config.Parse(doc, env.getenv)
	if err != nil {
		return cfg, editedInvalid(env, path, "with the feed "+did, err)
	}
	return cfg, writeFileAtomic(path, doc)
}

// editedInvalid is the error for an edit of path whose result would not
// parse (err): a file that did not parse before the edit either is
// refused as such, not as if the edit (what) had broken it.
func editedInvalid(env *cliEnv, path, what string, err error) error {
	if orig, rerr := readConfigFile(path); rerr == nil {
		if _, oerr := config.Parse(orig, env.getenv); oerr != nil {
			return fmt.Errorf("%s is already invalid, left as it was (fix it first): %w", path, oerr)
		}
	}
	return fmt.Errorf("%s %s would be invalid, left as it was: %w", path, what, err)
}

// opmlListing names the OPML files path's configuration names that list
// url: run polls url whatever the file's feeds: say. A file it cannot
// read names none (validate says why).
func opmlListing(env *cliEnv, path, url string) []string {
	cfg, err := config.Load(path, env.getenv)
	if err != nil || len(cfg.OPML) == 0 {
		return nil
	}
	lists, _ := cfg.OPMLListing(url)
	return lists
}

// kafkaNote reminds a file that names brokers that the fetchers' list in
// Kafka, if one is used, is a copy this edit did not change.
func kafkaNote(env *cliEnv, cfg config.Config, path string) {
	if len(cfg.Kafka.Brokers) == 0 {
		return
	}
	// Whether fetchers read a list in Kafka is not in the file: said as a condition, so a
	// single run's user (who needs nothing more) is not told to push.
	fmt.Fprintf(env.stdout, "if scale-out fetchers read their feed list from Kafka, it is unchanged: `wirestream feeds push --config %s` makes it match the file "+
		"(a single `wirestream run` reads the file and needs nothing more)\n", path)
}

// inOPML reports whether the OPML files of cfg list url (the file's own
// feeds do not: UnlistFeed found none).
func inOPML(cfg config.Config, url string) bool {
	specs, err := cfg.AllFeeds()
	if err != nil {
		return false
	}
	key := feed.RequestKey(url)
	for _, s := range specs {
		if feed.RequestKey(s.URL) == key {
			return true
		}
	}
	return false
}

// updateInFile gives a feed the file lists the settings `feeds add` was
// given, as `feeds add --kafka` does for the fetchers' list, by a text
// edit of that entry (config.UpdateFeed); settings not given stay.
func updateInFile(env *cliEnv, path string, orig []byte, spec feed.Spec, l config.Listed, given config.FeedUpdate) error {
	as := ""
	if l.As != spec.URL {
		as = " as " + record.RedactURL(l.As) + ", the same request"
	}
	if given.Name == nil && given.Tags == nil && given.MinInterval == nil && given.MaxInterval == nil {
		fmt.Fprintf(env.stdout, "unchanged: %s is already listed in %s (line %d%s); give --tag, --name, --min-interval or --max-interval to change its settings\n", record.RedactURL(spec.URL), path, l.Line, as)
		return nil
	}
	u, err := config.UpdateFeed(orig, spec.URL, given)
	if err != nil {
		return (&config.FileError{Path: path}).With(err)
	}
	if len(u.Changed) == 0 {
		fmt.Fprintf(env.stdout, "unchanged: %s is already listed in %s (line %d%s) with these settings\n", record.RedactURL(spec.URL), path, l.Line, as)
		return nil
	}
	cfg, err := writeEdited(env, path, u.Doc, "updated")
	if err != nil {
		return err
	}
	var set []string
	for _, k := range u.Changed {
		set = append(set, k+" "+settingOf(k, spec))
	}
	fmt.Fprintf(env.stdout, "updated %s in %s (line %d%s): %s; `wirestream run --config %s` polls it so from its next start\n",
		record.RedactURL(spec.URL), path, u.Line, as, strings.Join(set, ", "), path)
	kafkaNote(env, cfg, path)
	return nil
}

// settingOf is one of a spec's settings as the update message shows it.
func settingOf(key string, s feed.Spec) string {
	var d time.Duration
	switch key {
	case "name":
		if s.Name == "" {
			return "taken out"
		}
		return fmt.Sprintf("%q", s.Name)
	case "tags":
		return "[" + strings.Join(s.Tags, ", ") + "]"
	case "min_interval":
		d = s.MinInterval
	case "max_interval":
		d = s.MaxInterval
	}
	if d == 0 {
		return "taken out (the poller's)"
	}
	return d.String()
}
