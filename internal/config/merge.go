package config

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/wirestream/wirestream/sources/feed"
)

// Merged is what MergeFeeds did.
type Merged struct {
	// Doc is the new document: the old one byte for byte, with the added
	// entries inserted at the end of the feeds list (or a feeds list
	// appended when there was none).
	Doc []byte
	// Added are the feeds added, in order; Lines the first and last line
	// of their entries in Doc (0, 0 when none).
	Added         []feed.Spec
	First, Last   int
	AlreadyListed []Listed // feeds skipped: the file lists their URL
}

// Listed is a feed the file already lists, and on which line.
type Listed struct {
	Spec feed.Spec
	Line int
	// As is the URL as the file lists it: another spelling of the same
	// request, or Spec.URL.
	As string
}

// MergeFeeds adds the specs whose URL the "feeds" list of a configuration
// document does not list yet. It edits the text, not a re-serialization:
// every existing line, comment, blank line and alignment stays as it was,
// and the new entries copy the list's own indentation. It reports what it
// added and what it skipped, and why.
func MergeFeeds(doc []byte, specs []feed.Spec) (Merged, error) {
	res := Merged{Doc: doc}
	key, list, next, err := feedsList(doc)
	if err != nil {
		return res, err
	}

	have := listedFeeds(list)
	for _, s := range specs {
		if l, ok := have[feed.RequestKey(s.URL)]; ok {
			if l.Line >= 0 {
				l.Spec = s
				res.AlreadyListed = append(res.AlreadyListed, l)
			}
			continue
		}
		have[feed.RequestKey(s.URL)] = Listed{Line: -1} // added now; a repeat in specs is skipped silently (ParseOPMLRepeats reports it)
		res.Added = append(res.Added, s)
	}
	if len(res.Added) == 0 {
		return res, nil
	}

	lines := splitLines(doc)
	eol := "\n" // the file's own line ending: a file written on Windows stays CRLF
	if len(lines) > 0 && strings.HasSuffix(lines[0], "\r\n") {
		eol = "\r\n"
	}
	var out []string
	var at int // index in lines after which the entries go
	dash, keyCol := 2, 4
	switch {
	case list == nil:
		// No feeds list: one goes at the end, after a blank line.
		at = len(lines)
		if at > 0 {
			lines[at-1] = withEOL(lines[at-1], eol)
			if strings.TrimSpace(lines[at-1]) != "" {
				out = append(out, eol)
			}
		}
		out = append(out, "feeds:"+eol)
	case list.Kind == yaml.ScalarNode: // "feeds:" with no value, or null / ~
		at = key.Line
		if list.Value != "" && list.Line == key.Line {
			lines[at-1] = removeToken(lines[at-1], list.Column, len(list.Value))
		}
	case list.Style&yaml.FlowStyle != 0:
		if len(list.Content) > 0 {
			return res, Problems{{Line: list.Line, Msg: "feeds: is a flow list ([...]); write it as a block list (one \"- url:\" per entry) to import into it"}}
		}
		at = list.Line
		lines[at-1] = removeToken(lines[at-1], list.Column, len("[]"))
	default:
		first := list.Content[0]
		keyCol = first.Column - 1
		if line := lines[first.Line-1]; keyCol < len(line) {
			if d := strings.LastIndex(line[:keyCol], "-"); d >= 0 {
				dash = d
			}
		}
		at = endOfList(lines, list, next)
	}
	entries := renderEntries(res.Added, dash, keyCol)
	res.First = at + len(out) + 1
	res.Last = res.First + len(entries) - 1
	if at > 0 {
		lines[at-1] = withEOL(lines[at-1], eol)
	}
	for _, e := range entries {
		out = append(out, strings.TrimSuffix(e, "\n")+eol)
	}
	merged := append(append(append([]string{}, lines[:at]...), out...), lines[at:]...)
	res.Doc = []byte(strings.Join(merged, ""))
	// The problem names a line of the file as it is left (the one the entries
	// would have followed), not res.First, a line of the edit thrown away.
	if err := readsBack(res.Doc, res.Added, max(at, 1)); err != nil {
		return Merged{Doc: doc}, err
	}
	return res, nil
}

// listedFeeds is the feeds list's entries by their request key (nil list:
// none), each with its line and its URL as written.
func listedFeeds(list *yaml.Node) map[string]Listed {
	have := map[string]Listed{}
	if list == nil {
		return have
	}
	for _, item := range list.Content {
		if u := mappingValue(item, "url"); u != nil {
			have[feed.RequestKey(u.Value)] = Listed{Line: item.Line, As: u.Value}
		}
	}
	return have
}

// readsBack checks that the edited document lists every added feed when
// read again; line is where the problem is said to be. The edit is made on lines, and some documents the YAML
// decoder accepts read otherwise than their layout says (a first key
// indented one column, a last line with no colon): there the entries would
// be written and silently not run, so the file is left as it was.
func readsBack(doc []byte, added []feed.Spec, line int) error {
	_, list, _, err := feedsList(doc)
	problem := Problem{Line: line, Msg: "the feeds could not be added after this line: the file does not read back with them (check this file's indentation), so it was left as it was"}
	if err != nil || list == nil {
		return Problems{problem}
	}
	listed := listedFeeds(list)
	for _, s := range added {
		if _, ok := listed[feed.RequestKey(s.URL)]; !ok {
			return Problems{problem}
		}
	}
	return nil
}

// feedsList finds the "feeds" key of a configuration document, its value
// (nil when there is none; a sequence, or a null scalar) and the key after
// it (nil when feeds is the last).
func feedsList(doc []byte) (key, list, next *yaml.Node, err error) {
	// The editors work on "\n"-ended lines, YAML counts a lone "\r" as a
	// line break too: on such a file they would edit lines other than the
	// ones YAML read (FuzzMergeFeeds' find: a feed added, then not removed).
	// So are NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR (yaml.v3's
	// is_break, anywhere, comments included): `feeds remove` indexed past
	// the file's lines on one of them and panicked.
	for i := range len(doc) {
		line := func() int { return 1 + bytes.Count(doc[:i], []byte("\n")) } // every "\r" before i ends a CRLF
		if doc[i] == '\r' && (i+1 == len(doc) || doc[i+1] != '\n') {
			return nil, nil, nil, Problems{{Line: line(), Msg: "a carriage return without a line feed: save the file with LF or CRLF line endings to edit its feeds"}}
		}
		for _, b := range yamlOnlyBreaks {
			if bytes.HasPrefix(doc[i:], []byte(b.text)) {
				return nil, nil, nil, Problems{{Line: line(), Msg: fmt.Sprintf("a %s (%U), which YAML reads as a line break: replace it (a space, or a line feed) to edit this file's feeds", b.name, []rune(b.text)[0])}}
			}
		}
	}
	var root yaml.Node
	if err := yaml.Unmarshal(doc, &root); err != nil {
		return nil, nil, nil, Problems{syntaxProblem(doc, err)}
	}
	if root.Kind != 0 {
		top := root.Content[0]
		if top.Kind != yaml.MappingNode {
			return nil, nil, nil, Problems{{Line: top.Line, Msg: "the configuration must be a mapping of keys, got " + kindName(top)}}
		}
		for i := 0; i+1 < len(top.Content); i += 2 {
			if top.Content[i].Value == "feeds" {
				key, list = top.Content[i], top.Content[i+1]
				if i+2 < len(top.Content) {
					next = top.Content[i+2]
				}
			}
		}
	}
	if list != nil && list.Kind != yaml.SequenceNode && !(list.Kind == yaml.ScalarNode && list.Tag == "!!null") {
		return nil, nil, nil, Problems{{Line: list.Line, Msg: "feeds: must be a list, got " + kindName(list)}}
	}
	return key, list, next, nil
}

type yamlBreak struct{ text, name string }

// yamlOnlyBreaks are the characters besides "\n" and "\r" that YAML reads
// as line breaks.
var yamlOnlyBreaks = []yamlBreak{
	{"\u0085", "next line character"},
	{"\u2028", "line separator"},
	{"\u2029", "paragraph separator"},
}

// endOfList is the number of lines up to and including the last line of a
// block list: the lines before the next top-level key (or the end), less
// the blank lines and top-level comments that lead into that key.
func endOfList(lines []string, list, next *yaml.Node) int {
	end := len(lines)
	if next != nil {
		end = next.Line - 1
	}
	// Comments at the left margin and blank lines before the next key
	// introduce it; comments indented into the list stay in it.
	for end > list.Line && (strings.TrimSpace(lines[end-1]) == "" || strings.HasPrefix(lines[end-1], "#")) {
		end--
	}
	return end
}

// renderEntries writes feed entries in the list's own layout: the dash at
// column dash, keys at column keyCol (0-based).
func renderEntries(specs []feed.Spec, dash, keyCol int) []string {
	keyCol = max(keyCol, dash+2)
	head := strings.Repeat(" ", dash) + "-" + strings.Repeat(" ", keyCol-dash-1)
	pad := strings.Repeat(" ", keyCol)
	var out []string
	for _, s := range specs {
		out = append(out, head+"url: "+scalar(s.URL)+"\n")
		if s.Name != "" {
			out = append(out, pad+"name: "+scalar(s.Name)+"\n")
		}
		if len(s.Tags) > 0 {
			tags := make([]string, len(s.Tags))
			for i, t := range s.Tags {
				tags[i] = flowScalar(t)
			}
			out = append(out, pad+"tags: ["+strings.Join(tags, ", ")+"]\n")
		}
		if s.MinInterval > 0 {
			out = append(out, pad+"min_interval: "+ShortDuration(s.MinInterval)+"\n")
		}
		if s.MaxInterval > 0 {
			out = append(out, pad+"max_interval: "+ShortDuration(s.MaxInterval)+"\n")
		}
	}
	return out
}

// ShortDuration is d as a person writes it and the config takes it: 5m, not
// 5m0s; 720h, 26h11m.
func ShortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// scalar is v as a YAML plain or quoted scalar on one line. yaml.Marshal
// writes U+2028 and U+2029 raw (single-quoted, what follows indented),
// line breaks to YAML alone: those go double-quoted, escaped, as Go quotes
// them (\u2028), so the value reads back as it was and the file has no
// break the line editors do not count (feedsList).
func scalar(v string) string {
	b, err := yaml.Marshal(v)
	if err != nil || bytes.Count(b, []byte("\n")) > 1 || slices.ContainsFunc(yamlOnlyBreaks, func(br yamlBreak) bool { return bytes.Contains(b, []byte(br.text)) }) {
		return fmt.Sprintf("%q", v)
	}
	return strings.TrimSuffix(string(b), "\n")
}

// flowScalar is v as a scalar that may stand inside [ ]: plain text with
// no flow indicators, else double-quoted.
func flowScalar(v string) string {
	s := scalar(v)
	if strings.ContainsAny(s, ",[]{}") && !strings.HasPrefix(s, `"`) && !strings.HasPrefix(s, "'") {
		return fmt.Sprintf("%q", v)
	}
	return s
}

// splitLines splits text into lines that keep their line endings.
func splitLines(b []byte) []string {
	var out []string
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			out = append(out, string(b))
			break
		}
		out = append(out, string(b[:i+1]))
		b = b[i+1:]
	}
	return out
}

func withEOL(l, eol string) string {
	if strings.HasSuffix(l, "\n") {
		return l
	}
	return l + eol
}

// removeToken cuts n bytes at the 1-based column col out of line, and the
// space before them: "feeds: [] # none" → "feeds: # none".
func removeToken(line string, col, n int) string {
	i := col - 1
	if i < 0 || i+n > len(line) {
		return line
	}
	before := strings.TrimRight(line[:i], " ")
	after := line[i+n:]
	if strings.TrimSpace(after) == "" {
		return before + after[len(strings.TrimRight(after, "\r\n")):]
	}
	return before + after
}
