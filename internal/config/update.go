package config

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/wirestream/wirestream/sources/feed"
)

// FeedUpdate is the settings `feeds add` was given for a feed the file
// lists already: a nil field was not given and stays as the file has it.
// A zero interval or an empty name takes the key out (the poller's
// default); tags, when given, replace the entry's tags.
type FeedUpdate struct {
	Name        *string
	Tags        []string // nil: not given
	MinInterval *time.Duration
	MaxInterval *time.Duration
}

// Apply returns s with the settings u gives: what `feeds add` makes of a
// listed feed, in a file (UpdateFeed) or in the fetchers' list.
func (u FeedUpdate) Apply(s feed.Spec) feed.Spec {
	if u.Name != nil {
		s.Name = *u.Name
	}
	if u.Tags != nil {
		s.Tags = slices.Clone(u.Tags)
	}
	if u.MinInterval != nil {
		s.MinInterval = *u.MinInterval
	}
	if u.MaxInterval != nil {
		s.MaxInterval = *u.MaxInterval
	}
	return s
}

// Updated is what UpdateFeed did.
type Updated struct {
	// Doc is the new document: the old one byte for byte but for the lines
	// of the keys changed, added or taken out.
	Doc []byte
	// Line is the line of the entry (0: the file does not list the feed),
	// As its URL as the file spells it.
	Line int
	As   string
	// Changed are the keys whose value changed, in the entry's order of
	// settings (name, tags, min_interval, max_interval); none when the
	// entry already had the settings given.
	Changed []string
}

// UpdateFeed sets the keys u gives on the entry of the "feeds" list whose
// URL makes the same request as url (feed.RequestKey). Like MergeFeeds and
// UnlistFeed it edits the text: a key written on one line is rewritten on
// that line, its comment kept; a block list of tags keeps its indentation;
// a key the entry lacks is added after the entry's last line at the
// indentation of its keys, with the entry's line ending; every other byte
// stays. What cannot be rewritten line by line (a flow list of entries, an
// entry written {…}, an anchor or alias, a value over several lines with
// comments inside, a block scalar) is refused with its line and nothing
// changes. The result is decoded again and must hold the settings wanted
// on that entry and every other entry as it was, or it is refused.
func UpdateFeed(doc []byte, url string, u FeedUpdate) (Updated, error) {
	res := Updated{Doc: doc}
	key, list, next, err := feedsList(doc)
	if err != nil || list == nil || list.Kind != yaml.SequenceNode || len(list.Content) == 0 {
		return res, err
	}
	want := feed.RequestKey(url)
	idx := -1
	for i, item := range list.Content {
		if v := mappingValue(item, "url"); v != nil && feed.RequestKey(v.Value) == want {
			idx = i
			break
		}
	}
	if idx < 0 {
		return res, nil
	}
	item := list.Content[idx]
	res.Line, res.As = item.Line, mappingValue(item, "url").Value
	refuse := func(line int, format string, a ...any) (Updated, error) {
		return Updated{Doc: doc, Line: res.Line, As: res.As}, Problems{{Line: line, Msg: fmt.Sprintf("feeds[%d]: ", idx) + fmt.Sprintf(format, a...) + "; edit the entry by hand"}}
	}
	if list.Style&yaml.FlowStyle != 0 {
		return Updated{Doc: doc, Line: res.Line, As: res.As}, Problems{{Line: list.Line, Msg: "feeds: is a flow list ([...]); write it as a block list (one \"- url:\" per entry) to update an entry in place"}}
	}
	if item.Kind != yaml.MappingNode {
		return refuse(item.Line, "is %s, not an entry such as \"- url: https://…\"", kindName(item))
	}
	if item.Style&yaml.FlowStyle != 0 {
		return refuse(item.Line, "is written {…}, which cannot be rewritten key by key")
	}
	if item.Anchor != "" {
		return refuse(item.Line, "has an anchor (&%s) that other parts of the file may refer to", item.Anchor)
	}

	before, err := decodeFeeds(doc)
	if err != nil || idx >= len(before) {
		return res, err
	}
	cur := before[idx]
	wanted := cur
	type change struct {
		key   string
		value string   // the value on the key's line; "" with items or to take the key out
		items []string // a list's items, rendered in the entry's own style
	}
	var changes []change
	if u.Name != nil && *u.Name != cur.Name {
		wanted.Name = *u.Name
		v := ""
		if *u.Name != "" {
			v = scalar(*u.Name)
		}
		changes = append(changes, change{key: "name", value: v})
	}
	if u.Tags != nil && !slices.Equal(u.Tags, cur.Tags) {
		wanted.Tags = slices.Clone(u.Tags)
		changes = append(changes, change{key: "tags", items: u.Tags})
	}
	for _, d := range []struct {
		key  string
		set  *time.Duration
		have *time.Duration
	}{{"min_interval", u.MinInterval, &wanted.MinInterval}, {"max_interval", u.MaxInterval, &wanted.MaxInterval}} {
		if d.set == nil || *d.set == *d.have {
			continue
		}
		*d.have = *d.set
		v := ""
		if *d.set > 0 {
			v = ShortDuration(*d.set)
		}
		changes = append(changes, change{key: d.key, value: v})
	}
	if len(changes) == 0 {
		return res, nil
	}

	lines := splitLines(doc)
	// The entry's lines run to the next entry's start, or the list's end.
	end := endOfList(lines, list, next) // 0-based, exclusive
	if idx+1 < len(list.Content) {
		end = entryStart(lines, list.Content[idx+1], key.Line)
	}
	eol := "\n"
	if strings.HasSuffix(lines[item.Line-1], "\r\n") {
		eol = "\r\n"
	}
	type edit struct {
		from, to int // 0-based line range replaced, to exclusive
		with     []string
	}
	var edits []edit
	var added []string // lines of keys the entry lacks
	keyCol := item.Content[0].Column - 1
	pad := strings.Repeat(" ", keyCol)
	for _, c := range changes {
		ki := -1
		for i := 0; i+1 < len(item.Content); i += 2 {
			if item.Content[i].Value == c.key {
				ki = i
			}
		}
		if ki < 0 {
			if c.value == "" && c.items == nil {
				continue // taking out a key the entry does not have
			}
			v := c.value
			if c.items != nil {
				v = flowList(c.items)
			}
			added = append(added, pad+c.key+": "+v+eol)
			continue
		}
		k, v := item.Content[ki], item.Content[ki+1]
		// The key's value ends before the next key of the entry, or the
		// entry's end; lines between that are blank or comments stay.
		stop := end
		if ki+2 < len(item.Content) {
			stop = item.Content[ki+2].Line - 1
		}
		if v.Anchor != "" || v.Kind == yaml.AliasNode {
			return refuse(k.Line, "%s: has an anchor or alias", c.key)
		}
		switch {
		case v.Line == k.Line && (v.Kind == yaml.ScalarNode && v.Style&(yaml.LiteralStyle|yaml.FoldedStyle) == 0 ||
			v.Kind == yaml.SequenceNode && v.Style&yaml.FlowStyle != 0):
			for l := k.Line; l < stop; l++ {
				if !blankOrComment(lines[l]) {
					return refuse(l+1, "%s: its value goes on over several lines", c.key)
				}
			}
			if c.value == "" && c.items == nil {
				edits = append(edits, edit{k.Line - 1, k.Line, nil})
				continue
			}
			val := c.value
			if c.items != nil {
				val = flowList(c.items)
			}
			line, ok := replaceValue(lines[k.Line-1], v, k.LineComment+v.LineComment, val)
			if !ok {
				return refuse(k.Line, "%s: its value cannot be found on its line", c.key)
			}
			edits = append(edits, edit{k.Line - 1, k.Line, []string{line}})
		case v.Kind == yaml.SequenceNode && v.Line > k.Line && len(v.Content) > 0:
			// A block list: its items are rewritten at their own
			// indentation, if each is one plain line and nothing else
			// (a comment) sits among them.
			first := v.Content[0].Line
			for j, it := range v.Content {
				if it.Kind != yaml.ScalarNode || it.Line != first+j || it.HeadComment != "" || it.LineComment != "" {
					return refuse(it.Line, "%s: a list with comments or values over several lines among its items", c.key)
				}
			}
			last := first + len(v.Content) - 1
			for l := last; l < stop; l++ {
				if !blankOrComment(lines[l]) {
					return refuse(l+1, "%s: its value goes on over several lines", c.key)
				}
			}
			if c.items == nil { // taking the key out
				edits = append(edits, edit{k.Line - 1, last, nil})
				continue
			}
			dash := strings.Repeat(" ", indentOf(lines[first-1])) + "- "
			var with []string
			for _, t := range c.items {
				with = append(with, dash+scalar(t)+eolOf(lines[first-1], eol))
			}
			edits = append(edits, edit{first - 1, last, with})
		default:
			return refuse(k.Line, "%s: is written in a form that cannot be rewritten line by line", c.key)
		}
	}
	if len(added) > 0 {
		at := end // after the entry's last line that is not blank or a comment
		for at > item.Line && blankOrComment(lines[at-1]) {
			at--
		}
		if !strings.HasSuffix(lines[at-1], "\n") {
			edits = append(edits, edit{at - 1, at, []string{lines[at-1] + eol}})
		}
		edits = append(edits, edit{at, at, added})
	}
	slices.SortStableFunc(edits, func(a, b edit) int { return b.from - a.from })
	for _, e := range edits {
		lines = slices.Concat(lines[:e.from], e.with, lines[e.to:])
	}
	out := []byte(strings.Join(lines, ""))

	// The edit must have done exactly what was asked: the entry holds the
	// settings wanted, every other entry is as it was.
	after, err := decodeFeeds(out)
	if err != nil || len(after) != len(before) {
		return refuse(item.Line, "the edited file would not read back as the same list (%v)", err)
	}
	for i := range before {
		w := before[i]
		if i == idx {
			w = wanted
		}
		if !sameEntry(after[i], w) {
			return refuse(item.Line, "the edited file would not read back with the settings given")
		}
	}
	res.Doc = out
	for _, c := range changes {
		res.Changed = append(res.Changed, c.key)
	}
	return res, nil
}

// decodeFeeds is the document's feeds list as run reads it.
func decodeFeeds(doc []byte) ([]feed.Spec, error) {
	var v struct {
		Feeds []feed.Spec `yaml:"feeds"`
	}
	var root yaml.Node
	if err := yaml.Unmarshal(doc, &root); err != nil {
		return nil, err
	}
	if root.Kind == 0 { // an empty document: no feeds
		return nil, nil
	}
	zeroDurations(&root, reflect.TypeOf(v)) // as Parse reads them
	if err := root.Decode(&v); err != nil {
		return nil, err
	}
	return v.Feeds, nil
}

func sameEntry(a, b feed.Spec) bool {
	return a.URL == b.URL && a.Name == b.Name && slices.Equal(a.Tags, b.Tags) &&
		a.MinInterval == b.MinInterval && a.MaxInterval == b.MaxInterval && maps.Equal(a.Headers, b.Headers)
}

// replaceValue rewrites the value of v on its line, keeping what comes
// before it and the line comment after it (with the spacing before it).
func replaceValue(line string, v *yaml.Node, comment, val string) (string, bool) {
	body := strings.TrimRight(line, "\r\n")
	ending := line[len(body):]
	start, ok := byteOffset(body, v.Column-1)
	if !ok {
		return "", false
	}
	stop := len(body)
	if comment != "" {
		c := strings.LastIndex(body, comment)
		if c < start {
			return "", false
		}
		stop = c
	}
	old := strings.TrimRight(body[start:stop], " \t")
	prefix := body[:start]
	if v.Tag == "!!null" && v.Value == "" && old == "" && !strings.HasSuffix(prefix, " ") {
		prefix += " " // "name:" with no value
	}
	rest := body[start+len(old):]
	if strings.HasPrefix(rest, "#") {
		rest = " " + rest // "name: # none": the comment stood where the value goes
	}
	return prefix + val + rest + ending, true
}

// byteOffset is the byte offset of the rune column col (0-based) of s.
func byteOffset(s string, col int) (int, bool) {
	i := 0
	for n := 0; n < col; n++ {
		if i >= len(s) {
			return i, n == col
		}
		_, w := utf8.DecodeRuneInString(s[i:])
		i += w
	}
	return i, true
}

func blankOrComment(line string) bool {
	t := strings.TrimSpace(line)
	return t == "" || strings.HasPrefix(t, "#")
}

func eolOf(line, dflt string) string {
	switch {
	case strings.HasSuffix(line, "\r\n"):
		return "\r\n"
	case strings.HasSuffix(line, "\n"):
		return "\n"
	}
	return dflt
}

// flowList is items as a YAML flow list on one line: [a, b].
func flowList(items []string) string {
	out := make([]string, len(items))
	for i, t := range items {
		out[i] = flowScalar(t)
	}
	return "[" + strings.Join(out, ", ") + "]"
}
