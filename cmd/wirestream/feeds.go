package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/sources/feed"
)

func feedsCommand() *command {
	c := &command{name: "feeds", summary: "the feed list: add, remove (in a config file or in Kafka), push, list, import OPML; status", usage: `Usage: wirestream feeds import --config FILE [--dry-run] FILE.opml
       wirestream feeds status [--health H] [--tag T] [--json]   (see feeds status --help)` + feedsTopicForms + `

import merges the feeds of an OPML file (as exported by feed readers; nested
outlines become tags) into the "feeds:" list of a configuration file.
Only the new entries are written, at the end of the list in its own
layout: every existing line stays as it is. It says what it skipped and
why: feeds the file already lists, outlines the OPML lists twice. The
result is validated before it is written.
` + feedsTopicUsage + `
  wirestream feeds import --config wirestream.yaml subscriptions.opml`}
	c.run = func(ctx context.Context, env *cliEnv, args []string) error {
		if len(args) > 0 && args[0] == "status" {
			return feedsStatus(ctx, env, args[1:])
		}
		if len(args) > 0 && feedsTopicCommands[args[0]] != nil {
			sub := *c
			sub.name, sub.usage = c.name+" "+args[0], feedsSubUsage(args[0])
			return feedsTopicCommands[args[0]](ctx, &sub, env, args[1:])
		}
		fs := newFlagSet(c, env)
		// feeds --help ends on these flags: say they are import's, so no
		// reader takes --dry-run for every subcommand's.
		fs.Usage = func() {
			printHelp(env.stdout, c.usage, `(feeds import's; "wirestream feeds add --help" and the others list their own)`, fs)
		}
		cfgPath := fs.String("config", "", "configuration `file` to merge into (created if missing)")
		dryRun := fs.Bool("dry-run", false, "print the result instead of writing it")
		rest, err := parseFlags(fs, args)
		if err != nil {
			return err
		}
		if len(rest) != 2 || rest[0] != "import" {
			return usagef("want: feeds import --config FILE FILE.opml, or feeds status|push|add|remove|list (see --help)")
		}
		if *cfgPath == "" {
			return usagef("--config is required: the file to merge the feeds into")
		}
		fh, err := os.Open(rest[1])
		if err != nil {
			return fmt.Errorf("open opml: %w", err)
		}
		specs, repeats, err := feed.ParseOPMLRepeats(fh)
		fh.Close()
		if err != nil {
			return fmt.Errorf("import %s: %w", rest[1], err)
		}
		if !*dryRun {
			unlock, err := lockConfig(*cfgPath)
			if err != nil {
				return err
			}
			defer unlock()
		}
		orig, err := os.ReadFile(*cfgPath)
		if err != nil && !os.IsNotExist(err) {
			return fmt.Errorf("read config: %w", err)
		}
		m, err := config.MergeFeeds(orig, specs)
		if err != nil {
			return (&config.FileError{Path: *cfgPath}).With(err)
		}
		if _, err := config.Parse(m.Doc, env.getenv); err != nil {
			return editedInvalid(env, *cfgPath, "with the OPML file's feeds merged", err)
		}
		if *dryRun {
			_, err := env.stdout.Write(m.Doc)
			return err
		}
		if len(m.Added) > 0 {
			if err := writeFileAtomic(*cfgPath, m.Doc); err != nil {
				return err
			}
		}
		printImport(env.stdout, rest[1], *cfgPath, m, repeats)
		return nil
	}
	return c
}

func feedLines(feeds []feed.Spec) []string {
	out := make([]string, 0, len(feeds))
	for _, f := range feeds {
		line := record.RedactURL(f.URL) // printed, as logs say it
		if f.Name != "" {
			line += "  (" + f.Name + ")"
		}
		if len(f.Tags) > 0 {
			line += "  [" + strings.Join(f.Tags, ", ") + "]"
		}
		out = append(out, line)
	}
	return out
}

// feedsSubUsage is the help of feeds push, add, remove or list: its own
// forms first, then what they share. The feeds command's help begins with
// import and its OPML paragraph, and feeds add --help printed that first.
func feedsSubUsage(name string) string {
	var forms []string
	for _, l := range strings.Split(strings.TrimSpace(feedsTopicForms), "\n") {
		if l = strings.TrimSpace(l); strings.HasPrefix(l+" ", "wirestream feeds "+name+" ") {
			forms = append(forms, l)
		}
	}
	return "Usage: " + strings.Join(forms, "\n       ") + "\n" + feedsTopicUsage
}
