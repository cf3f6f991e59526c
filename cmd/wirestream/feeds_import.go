package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/sources/feed"
)

// showSkipped bounds the already-listed feeds named one by one: a second
// import of a large OPML file would list them all.
const showSkipped = 20

// printImport says what `feeds import` did: what it added and where, and
// each feed it skipped with the reason.
func printImport(w io.Writer, opml, cfgPath string, m config.Merged, repeats []feed.OPMLRepeat) {
	where := ""
	if len(m.Added) > 0 {
		where = fmt.Sprintf(" (lines %d-%d)", m.First, m.Last)
	}
	fmt.Fprintf(w, "imported %s from %s into %s%s\n", plural(len(m.Added), "feed"), opml, cfgPath, where)
	if n := len(m.AlreadyListed) + len(repeats); n > 0 {
		fmt.Fprintf(w, "skipped %d:\n", n)
	}
	for i, l := range m.AlreadyListed {
		if i == showSkipped {
			fmt.Fprintf(w, "  … and %d more already listed in %s\n", len(m.AlreadyListed)-i, cfgPath)
			break
		}
		fmt.Fprintf(w, "  %s: already listed in %s (line %d)\n", record.RedactURL(l.Spec.URL), cfgPath, l.Line)
	}
	for _, r := range repeats {
		why := "listed twice in " + opml + ": taken once"
		if len(r.Tags) > 0 {
			why += ", with the tags of both (" + strings.Join(r.Tags, ", ") + ")"
		}
		fmt.Fprintf(w, "  %s: %s\n", record.RedactURL(r.URL), why)
	}
}
