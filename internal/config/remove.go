package config

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wirestream/wirestream/sources/feed"
)

// Unlisted is what UnlistFeed did.
type Unlisted struct {
	// Doc is the new document: the old one byte for byte, less the lines
	// of the removed entries (and the comments written just above them).
	Doc []byte
	// Removed are the entries taken out: every spelling of the feed's URL
	// that makes the same request (feed.RequestKey), with the line each
	// stood on in the old document. None when the file did not list it.
	Removed []Listed
}

// UnlistFeed removes the feed whose request url makes from the "feeds"
// list of a configuration document, under every spelling of its URL. Like
// MergeFeeds it edits the text: every other line, comment and blank line
// stays as it was. A list it cannot edit line by line — a flow list
// ([...]), an entry that is not a mapping, an entry with an anchor other
// parts of the file may refer to — is refused with the line and what to
// write instead, and nothing is changed.
func UnlistFeed(doc []byte, url string) (Unlisted, error) {
	res := Unlisted{Doc: doc}
	key, list, next, err := feedsList(doc)
	if err != nil || list == nil || list.Kind != yaml.SequenceNode || len(list.Content) == 0 {
		return res, err
	}
	if list.Style&yaml.FlowStyle != 0 {
		return res, Problems{{Line: list.Line, Msg: "feeds: is a flow list ([...]); write it as a block list (one \"- url:\" per entry) to remove a feed from it"}}
	}
	want := feed.RequestKey(url)
	var gone []int // indexes in list.Content
	for i, item := range list.Content {
		if item.Kind != yaml.MappingNode {
			return res, Problems{{Line: item.Line, Msg: fmt.Sprintf("feeds[%d]: is %s, not an entry such as \"- url: https://…\"; it cannot be edited in place", i, kindName(item))}}
		}
		u := mappingValue(item, "url")
		if u == nil || feed.RequestKey(u.Value) != want {
			continue
		}
		if item.Anchor != "" || u.Anchor != "" {
			return res, Problems{{Line: item.Line, Msg: fmt.Sprintf("feeds[%d]: has an anchor (&%s) that other parts of the file may refer to; remove the entry by hand", i, item.Anchor+u.Anchor)}}
		}
		gone = append(gone, i)
		res.Removed = append(res.Removed, Listed{Spec: feed.Spec{URL: u.Value}, Line: item.Line})
	}
	if len(gone) == 0 {
		return res, nil
	}
	lines := splitLines(doc)
	// Entry i runs from its start (its dash, less the comments just above
	// it) to the line before entry i+1's start, the last one to the end
	// of the list.
	starts := make([]int, len(list.Content)) // 0-based line index
	for i, item := range list.Content {
		starts[i] = entryStart(lines, item, key.Line)
	}
	drop := make([]bool, len(lines))
	for _, i := range gone {
		end := endOfList(lines, list, next) // the list's last line (1-based): as a 0-based index, the line after it
		if i+1 < len(list.Content) {
			end = starts[i+1]
		}
		for l := starts[i]; l < end; l++ {
			drop[l] = true
		}
	}
	var b strings.Builder
	for l, line := range lines {
		if !drop[l] {
			b.WriteString(line)
		}
	}
	res.Doc = []byte(b.String())
	return res, nil
}

// entryStart is the 0-based index of the first line of a block list's
// entry: the line of its dash, or the first of the comment lines right
// above it that are indented exactly as the dash. A comment further left
// is about the key, not the entry; one further right, at the previous
// entry's keys, is that entry's (typically a key commented out). keyLine
// is the 1-based line of the "feeds:" key, which nothing of an entry goes
// above.
func entryStart(lines []string, item *yaml.Node, keyLine int) int {
	l := item.Line - 1
	for l > keyLine && !strings.HasPrefix(strings.TrimSpace(lines[l]), "-") {
		l-- // "-" alone on its line, the mapping below it
	}
	dash := indentOf(lines[l])
	for l-1 >= keyLine {
		prev := lines[l-1]
		if !strings.HasPrefix(strings.TrimSpace(prev), "#") || indentOf(prev) != dash {
			break
		}
		l--
	}
	return l
}

func indentOf(line string) int { return len(line) - len(strings.TrimLeft(line, " ")) }
