package enricheval

import (
	"bufio"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/wirestream/wirestream/internal/eval/datasets"
	"github.com/wirestream/wirestream/pipeline/enrich/entities"
	"github.com/wirestream/wirestream/pipeline/record"
)

// WriteEntityKeys writes, for every wikiref220 article and every uci-news
// dev headline, the entities a recognizer that has read no other story
// gives it: one line per item, its source and ID, then its entities as
// kind, key and name, sorted. Not a measure: two builds' outputs, diffed,
// are the guard a recognizer change is checked by (which articles and
// headlines it changes, read by hand), over the 3,505 items no label file
// covers whole. Each item gets a fresh alias map (Extractor.Fresh), as a
// new extractor would, without loading the gazetteer 3,505 times.
func WriteEntityKeys(w io.Writer, dataDir string) error {
	base, err := entities.New(entities.Options{})
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	line := func(src, id string, es []record.Entity) {
		parts := make([]string, len(es))
		for i, e := range es {
			parts[i] = e.Kind + " " + e.Key + " " + e.Name
		}
		slices.Sort(parts)
		fmt.Fprintf(bw, "%s\t%s\t%s\n", src, id, strings.Join(parts, " | "))
	}
	arts, err := datasets.LoadWikiRefLabelled(filepath.Join(dataDir, "wikiref220"))
	if err != nil {
		return err
	}
	for _, d := range arts {
		line("wikiref220", d.ID, base.Fresh().Extract(d.Item.Title, d.Text, "en"))
	}
	heads, err := LoadUCIAsLive(dataDir)
	if err != nil {
		return err
	}
	for _, d := range heads {
		line("uci-news", d.ID, base.Fresh().Extract(d.Item.Title, "", "en"))
	}
	return bw.Flush()
}
