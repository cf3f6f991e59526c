package config

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Problem is one thing wrong with a configuration: what, and where.
type Problem struct {
	// Line is the line of the key in the file (1-based); 0 when the
	// problem has no line: a default, an environment override, a flag.
	Line int
	// Source names where a value without a line came from, e.g.
	// "WIRESTREAM_LISTEN"; "" for defaults and the file.
	Source string
	Msg    string
}

func (p Problem) String() string {
	switch {
	case p.Line > 0:
		return fmt.Sprintf("line %d: %s", p.Line, p.Msg)
	case p.Source != "":
		return fmt.Sprintf("%s (from %s)", p.Msg, p.Source)
	}
	return p.Msg
}

// Problems is every problem found in one configuration, in file order. A
// user fixes them in one go rather than one run at a time.
type Problems []Problem

func (ps Problems) Error() string {
	if len(ps) == 1 {
		return ps[0].String()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d problems:", len(ps))
	for _, p := range ps {
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	return b.String()
}

// FileError is Problems of the file at Path. Its message names the file
// once: "path: line 3: …", or "path: 3 problems:" and one line each.
type FileError struct {
	Path     string
	Problems Problems
}

func (e *FileError) Error() string { return e.Path + ": " + e.Problems.Error() }

// With returns err as a problem of the file: Problems become e's, any
// other error is prefixed with the path.
func (e *FileError) With(err error) error {
	var ps Problems
	if errors.As(err, &ps) {
		return &FileError{Path: e.Path, Problems: ps}
	}
	return fmt.Errorf("%s: %w", e.Path, err)
}

// Unwrap lets errors.As find the Problems.
func (e *FileError) Unwrap() error { return e.Problems }

// sortProblems puts problems with a line in file order, then the rest in
// the order found.
func sortProblems(ps Problems) Problems {
	slices.SortStableFunc(ps, func(a, b Problem) int {
		switch {
		case a.Line == 0 && b.Line == 0:
			return 0
		case a.Line == 0:
			return 1
		case b.Line == 0:
			return -1
		}
		return a.Line - b.Line
	})
	return ps
}

// errorsOf flattens joined errors (errors.Join, and Validate methods that
// return one) into their parts.
func errorsOf(err error) []error {
	if err == nil {
		return nil
	}
	var ps Problems
	if errors.As(err, &ps) {
		out := make([]error, 0, len(ps))
		for _, p := range ps {
			out = append(out, errors.New(p.String()))
		}
		return out
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, errorsOf(e)...)
		}
		return out
	}
	return []error{err}
}

// keyLines maps every key path of a document to the line it is on:
// "poller.min_interval", "feeds[0]", "feeds[0].url",
// "kafka.topics.events.cleanup_policy".
type keyLines map[string]int

func linesOf(root *yaml.Node) keyLines {
	out := keyLines{}
	var walk func(n *yaml.Node, path string)
	walk = func(n *yaml.Node, path string) {
		switch n.Kind {
		case yaml.DocumentNode:
			for _, c := range n.Content {
				walk(c, path)
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := join(path, n.Content[i].Value)
				out[k] = n.Content[i].Line
				walk(n.Content[i+1], k)
			}
		case yaml.SequenceNode:
			for i, c := range n.Content {
				k := path + "[" + strconv.Itoa(i) + "]"
				out[k] = c.Line
				walk(c, k)
			}
		}
	}
	walk(root, "")
	return out
}

// keyPrefix is the dotted key a validation message starts with, as every
// Validate in the tree writes them: "poller.min_interval: …",
// "feeds[1]: …", "kafka.topics.events.cleanup_policy: …".
var keyPrefix = regexp.MustCompile(`^([a-z_][a-z0-9_]*(?:\[[^\]]*\])?(?:\.[a-z0-9_]+(?:\[[^\]]*\])?)*)(?::| \()`)

// where finds the line of the key a message is about, or of the nearest
// section above it that the file has (a missing kafka.sasl.password is
// reported at the kafka.sasl line), or the environment variable that set
// it.
func (c *Config) where(msg string) (line int, source string) {
	m := keyPrefix.FindStringSubmatch(msg)
	if m == nil {
		return 0, ""
	}
	// An environment variable replaced the whole value, list included:
	// it is to blame even where the file has a line for the same key.
	for key := m[1]; key != ""; key = parentKey(key) {
		if env := c.setBy[key]; env != "" {
			return 0, env
		}
	}
	if _, written := c.lines[m[1]]; !written {
		// A key the file lacks that other values made needed: the
		// variables that set those are to blame, not the section's line.
		var envs []string
		for _, k := range neededBy[m[1]] {
			if env := c.setBy[k]; env != "" {
				envs = append(envs, env)
			}
		}
		if len(envs) > 0 {
			return 0, strings.Join(envs, " and ")
		}
	}
	for key := m[1]; key != ""; key = parentKey(key) {
		if l, ok := c.lines[key]; ok {
			return l, ""
		}
	}
	return 0, ""
}

// neededBy names, for a key that must be set once others are, those
// others: the Kubernetes manifests set the SASL username and password
// from a Secret through the environment, and a pod without
// kafka.sasl.mechanism in its file was told of the mechanism at the
// kafka: line, not of the variables that made it needed.
var neededBy = map[string][]string{
	"kafka.sasl.mechanism": {"kafka.sasl.username", "kafka.sasl.password"},
}

// parentKey is the key above key: "kafka.sasl" for "kafka.sasl.password",
// "feeds" for "feeds[0]", "" at the top.
func parentKey(key string) string {
	if i := strings.LastIndexAny(key, ".["); i >= 0 {
		return key[:i]
	}
	return ""
}

// problemsOf turns validation errors into problems with lines, or with
// the environment variable a value came from.
func (c *Config) problemsOf(err error) Problems {
	var out Problems
	for _, e := range errorsOf(err) {
		p := Problem{Msg: e.Error()}
		p.Line, p.Source = c.where(p.Msg)
		out = append(out, p)
	}
	return out
}

// afterTypeError tells whether p, a validation problem, is about a key of
// the file whose value was refused for its type, or a key under it: the
// value was not decoded, so what validation says of it ("feeds[0].url:
// must not be empty" after "feeds[0].url: want a single value, got a
// list") is the type error again, said wrongly. A value the environment
// set is judged on its own.
func (c *Config) afterTypeError(p Problem) bool {
	m := keyPrefix.FindStringSubmatch(p.Msg)
	if m == nil || p.Source != "" {
		return false
	}
	for _, t := range c.typeErrs {
		if k := m[1]; k == t || strings.HasPrefix(k, t+".") || strings.HasPrefix(k, t+"[") {
			return true
		}
	}
	return false
}

// yamlTypeError is yaml.v3's message for a value of the wrong type, e.g.
// "line 4: cannot unmarshal !!str `two` into int", or, for a list or a
// mapping, which it does not quote, "line 1: cannot unmarshal !!seq into
// string".
var yamlTypeError = regexp.MustCompile("^line (\\d+): cannot unmarshal !!(\\w+)(?: `(.*)`)? into (.+)$")

// wantsMapping says what a section of keys takes: a configuration struct
// (feed.Config, kafka.Config, …) or a map such as a feed's headers.
const wantsMapping = `a mapping of keys, each "key: value" on a line of its own under it`

// typeWants says in the user's terms what a Go type of the configuration
// takes; yaml.v3 names the Go type.
var typeWants = map[string]string{
	"time.Duration": "a duration such as 90s or 10m",
	"int":           "a whole number",
	"int64":         "a whole number",
	"float64":       "a number",
	"bool":          "true or false",
	"string":        "a single value",
	"[]string":      "a list such as [a, b]",
	"[]feed.Spec":   `a list of feeds, each "- url: https://…" on a line of its own`,
}

// typeProblem rewrites yaml.v3's type error so that it names the key, as
// every other problem does: "poller.per_host_concurrency: want a whole
// number, got \"two\"" rather than "cannot unmarshal !!str `two` into int",
// which leaves the user to find the key from the line alone. The key is
// the one whose value on that line is the value refused; a message it
// cannot place is kept as yaml.v3 wrote it.
func typeProblem(root *yaml.Node, msg string) Problem {
	m := yamlTypeError.FindStringSubmatch(msg)
	if m == nil {
		return yamlProblem(cleanYAMLError(errors.New(msg)).Error())
	}
	line, _ := strconv.Atoi(m[1])
	tag, goType := m[2], m[4]
	want, ok := typeWants[goType]
	if !ok && (strings.HasPrefix(goType, "map[") || !strings.HasPrefix(goType, "[]") && strings.Contains(goType, ".")) {
		want, ok = wantsMapping, true
	}
	if tag == "seq" || tag == "map" {
		// yaml.v3 quotes no value of a list or a mapping: name it by its kind.
		got := map[string]string{"seq": "a list", "map": "a mapping"}[tag]
		kind := map[string]yaml.Kind{"seq": yaml.SequenceNode, "map": yaml.MappingNode}[tag]
		key := keyOfNode(root, line, kind)
		if key == "" || !ok {
			return yamlProblem(cleanYAMLError(errors.New(msg)).Error())
		}
		return Problem{Line: line, Msg: fmt.Sprintf("%s: want %s, got %s", key, want, got)}
	}
	key, value := keyOfValue(root, line, m[3])
	if goType == "feed.Spec" && key != "" {
		// A list of bare URLs is how many tools take feeds; yaml.v3 said
		// "cannot unmarshal !!str `https:/...` into feed.Spec".
		return Problem{Line: line, Msg: fmt.Sprintf("%s: a feed is a mapping with its url, got the plain value %q: write it as \"- url: %s\"", key, value, value)}
	}
	if key == "" || !ok {
		return yamlProblem(cleanYAMLError(errors.New(msg)).Error())
	}
	text := fmt.Sprintf("%s: want %s, got %q", key, want, value)
	switch {
	case goType == "time.Duration":
		text += DurationProblemHint(value)
	case goType == "[]string" && tag == "str" && value != "" && !strings.ContainsAny(value, "[]{}#\n"):
		// One tag or term written without its brackets ("tags: world").
		text += fmt.Sprintf(": did you mean [%s]?", value)
	}
	return Problem{Line: line, Msg: text}
}

// keyOfValue is the dotted path and the whole text of the first scalar on
// line that yaml.v3 quoted as value ("" when there is none): it shortens a
// value of more than 10 bytes to its first 7 and "...".
func keyOfValue(n *yaml.Node, line int, value string) (key, text string) {
	matches := func(v string) bool {
		if p, cut := strings.CutSuffix(value, "..."); cut && len(v) > 10 {
			return strings.HasPrefix(v, p)
		}
		return v == value
	}
	key = walkValues(n, func(v *yaml.Node, _ string, _ int) bool {
		if v.Kind == yaml.ScalarNode && v.Line == line && matches(v.Value) {
			text = v.Value
			return true
		}
		return false
	})
	return key, text
}

// walkValues calls visit with n and every value under it, in document
// order, with its dotted path ("feeds[0].url") and its depth, until visit
// returns true; it returns the path visit stopped at ("" when none).
func walkValues(n *yaml.Node, visit func(v *yaml.Node, path string, depth int) bool) string {
	var walk func(n *yaml.Node, path string, depth int) (string, bool)
	walk = func(n *yaml.Node, path string, depth int) (string, bool) {
		if visit(n, path, depth) {
			return path, true
		}
		switch n.Kind {
		case yaml.DocumentNode:
			for _, c := range n.Content {
				if p, ok := walk(c, path, depth); ok {
					return p, true
				}
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				if p, ok := walk(n.Content[i+1], join(path, n.Content[i].Value), depth+1); ok {
					return p, true
				}
			}
		case yaml.SequenceNode:
			for i, c := range n.Content {
				if p, ok := walk(c, path+"["+strconv.Itoa(i)+"]", depth+1); ok {
					return p, true
				}
			}
		}
		return "", false
	}
	p, _ := walk(n, "", 0)
	return p
}

// keyOfNode is the dotted path of the value of kind (a list or a mapping)
// that starts on line, the deepest one when several do ("feeds[0].name"
// for "  - url: …\n    name: [a]" rather than the feeds list itself, whose
// first item starts on the same line), or "" when none does.
func keyOfNode(n *yaml.Node, line int, kind yaml.Kind) string {
	best, bestDepth := "", -1
	walkValues(n, func(v *yaml.Node, path string, depth int) bool {
		if v.Kind == kind && v.Line == line && path != "" && depth > bestDepth {
			best, bestDepth = path, depth
		}
		return false
	})
	return best
}

// yamlLine splits yaml.v3's "line N: message" into its parts.
var yamlLine = regexp.MustCompile(`^line (\d+): (.*)$`)

func yamlProblem(msg string) Problem {
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return Problem{Line: n, Msg: repeatedKey(m[2])}
	}
	return Problem{Msg: msg}
}

// yamlRepeatedKey is yaml.v3's refusal of a key written twice in one
// mapping: `mapping key "poller" already defined at line 10`.
var yamlRepeatedKey = regexp.MustCompile(`^mapping key "(.*)" already defined at line (\d+)$`)

// repeatedKey says what to do with a key written twice, most often a
// section added at the end of a file that has it already (a newcomer's
// "poller:" with min_interval under it, below the README's "poller:" with
// allow_networks): yaml.v3 says only that the key is "already defined".
func repeatedKey(msg string) string {
	m := yamlRepeatedKey.FindStringSubmatch(msg)
	if m == nil {
		return msg
	}
	if isSection(reflect.TypeOf(Config{}), m[1]) {
		return fmt.Sprintf("section %q is written twice, here and at line %s: a section is written once; put the keys under this one under line %s's", m[1]+":", m[2], m[2])
	}
	return fmt.Sprintf("%q is written twice, here and at line %s: keep one", m[1], m[2])
}

// isSection tells whether name is a key of t, or of a section under it,
// that holds keys of its own (poller, kafka, topics), not a value.
func isSection(t reflect.Type, name string) bool {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || t == durationType {
		return false
	}
	for k, ft := range yamlFields(t) {
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if k == name && (ft.Kind() == reflect.Struct && ft != durationType || ft.Kind() == reflect.Map) {
			return true
		}
		if isSection(ft, name) {
			return true
		}
	}
	return false
}

// syntaxProblem turns yaml.v3's syntax error in data into a Problem on
// the line where the document stops being YAML, quoting that line.
// yaml.v3 numbers a parser error by the block it was parsing when it gave
// up, one line early: an item indented one space short three lines into a
// list is blamed on the line above the list. The problem is on the first
// line, from there on, at which the document cut after it fails with the
// same message. The search is bounded, so a huge file keeps yaml.v3's
// line rather than parse hundreds of prefixes.
func syntaxProblem(data []byte, err error) Problem {
	p := yamlProblem(cleanYAMLError(err).Error())
	if p.Line == 0 {
		return p
	}
	// yaml.v3 counts NEL, U+2028 and U+2029 as line breaks; the line
	// named, and the cuts tried, are an editor's.
	el := newEditorLines(data)
	p.Line = el.line(p.Line)
	lines := el.text
	const look = 200
	for k := max(p.Line, 1); k <= len(lines) && k < p.Line+look; k++ {
		var n yaml.Node
		e := yaml.Unmarshal(bytes.Join(lines[:k], nil), &n)
		if e != nil && yamlProblem(cleanYAMLError(e).Error()).Msg == p.Msg {
			p.Line = k
			break
		}
	}
	if p.Line <= len(lines) {
		text := strings.TrimRight(string(lines[p.Line-1]), "\r\n")
		if r := []rune(text); len(r) > 80 {
			text = string(r[:80]) + "…"
		}
		p.Msg += fmt.Sprintf(" (line %d reads %q)", p.Line, text)
		// A tab in the indentation is what "cannot start any token"
		// most often means, and the quoted \t is easy to read past.
		if indent := text[:len(text)-len(strings.TrimLeft(text, " \t"))]; strings.Contains(indent, "\t") {
			p.Msg += ": a tab indents it, and YAML indents with spaces only"
		} else {
			p.Msg += layoutHint(lines, p.Line, p.Msg)
		}
	}
	return p
}

// indentSlips are yaml.v3's words for a key indented wrongly; none says
// "indentation".
var indentSlips = []string{"did not find expected '-' indicator", "did not find expected key", "mapping values are not allowed in this context"}

// layoutHint names what a syntax error on editor line n most likely is
// when YAML's words say neither (round 42): a line that starts at another
// column than the key of the line above it is an indentation slip (2
// spaces under "  - url:", whose key is at 4); one at the same column with
// a second ": " in its value is a value to quote. "" otherwise.
func layoutHint(lines [][]byte, n int, msg string) string {
	if !slices.ContainsFunc(indentSlips, func(s string) bool { return strings.HasPrefix(msg, s) }) || n < 1 || n > len(lines) {
		return ""
	}
	text := strings.TrimRight(string(lines[n-1]), "\r\n")
	col := len(text) - len(strings.TrimLeft(text, " "))
	prev, prevKey, prevCol := keyAbove(lines, n)
	// A list item's dash sits left of the keys above it ("  - name:"
	// under "    url:", or under "feeds:") in every valid list: its
	// column says nothing of a slip, and YAML's words stay.
	item := strings.HasPrefix(strings.TrimLeft(text, " "), "- ")
	if prevCol >= 0 && col != prevCol && !item {
		spaces := "spaces"
		if col == 1 {
			spaces = "space"
		}
		return fmt.Sprintf(": check its indentation: %d %s, where line %d's key %s has %d (the keys of one mapping line up, a list item's with the key after its dash)",
			col, spaces, prev, cutQuoted(prevKey, 80), prevCol)
	}
	if strings.HasPrefix(msg, "mapping values") {
		key, value, ok := strings.Cut(strings.TrimLeft(text, " -"), ": ")
		// A plain value ends where " #" starts its comment.
		value, _, _ = strings.Cut(value, " #")
		value = strings.TrimRight(value, " \t")
		if ok && strings.Contains(value, ": ") && !strings.HasPrefix(value, `"`) && !strings.HasPrefix(value, "'") {
			return fmt.Sprintf(`: a value holding ": " is quoted: %s: %s`, cutRunes(key, 80), cutQuoted(value, 80))
		}
	}
	return ""
}

// Merge returns err with the problems of more added, in file order: what
// Load found and what Preflight found, reported together. A problem of
// more about a key err already reports is left out: one value, one
// complaint.
func Merge(err, more error) error {
	if err == nil || more == nil {
		return errors.Join(err, more)
	}
	var pa, pb Problems
	if !errors.As(err, &pa) || !errors.As(more, &pb) {
		return errors.Join(err, more)
	}
	reported := map[string]bool{}
	for _, p := range pa {
		if m := keyPrefix.FindStringSubmatch(p.Msg); m != nil {
			reported[m[1]] = true
		}
	}
	all := append(Problems{}, pa...)
	for _, p := range pb {
		if m := keyPrefix.FindStringSubmatch(p.Msg); m == nil || !reported[m[1]] {
			all = append(all, p)
		}
	}
	all = sortProblems(all)
	var fe *FileError
	if errors.As(err, &fe) {
		return &FileError{Path: fe.Path, Problems: all}
	}
	return all
}

// KeyLine is the line a key is on in the file the configuration was read
// from, 0 when the file does not set it. Keys are dotted paths:
// "data_dir", "poller.min_interval", "feeds[0].url".
func (c *Config) KeyLine(key string) int { return c.lines[key] }

// cutRunes is s, cut to n runes with "…" after: a hint repeats a line's
// text no longer than "line N reads" does, whatever the line's length.
func cutRunes(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// cutQuoted is s quoted, cut to n runes with "…" after the quote.
func cutQuoted(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return strconv.Quote(string(r[:n])) + "…"
	}
	return strconv.Quote(s)
}

// keyAbove is the last key YAML reads before editor line n: its line, its
// text and its column (the spaces before it, a list item's dash and the
// space after it counted). The lines above are parsed rather than read as
// text, as a block scalar's text, a plain value's second line or a flow
// list's last line are no keys. -1 for the column when those lines are no
// YAML either: then no key is named.
func keyAbove(lines [][]byte, n int) (int, string, int) {
	var root yaml.Node
	above := bytes.Join(lines[:n-1], nil)
	if yaml.Unmarshal(above, &root) != nil {
		return 0, "", -1
	}
	var last *yaml.Node
	var walk func(*yaml.Node)
	walk = func(x *yaml.Node) {
		// A flow mapping's keys ({url: a, name: b}) line up with nothing.
		if x.Kind == yaml.MappingNode && x.Style&yaml.FlowStyle == 0 {
			for i := 0; i+1 < len(x.Content); i += 2 {
				if k := x.Content[i]; last == nil || k.Line > last.Line || k.Line == last.Line && k.Column > last.Column {
					last = k
				}
			}
		}
		for _, c := range x.Content {
			walk(c)
		}
	}
	walk(&root)
	if last == nil {
		return 0, "", -1
	}
	return newEditorLines(above).line(last.Line), last.Value, last.Column - 1
}
