package config

import (
	"bytes"
	"fmt"

	"go.yaml.in/yaml/v3"
)

// editorLines translates YAML's line numbers into the lines an editor
// shows. YAML breaks a line at NEL (U+0085), LINE SEPARATOR (U+2028) and
// PARAGRAPH SEPARATOR (U+2029) as well as at "\n", "\r\n" and a lone
// "\r"; editors break only at the last three (a lone "\r" is an old Mac
// line end, which editors show as one), so on a file with one of the
// others every line YAML named after it was one too many: "line 5" in a
// file of two lines.
type editorLines struct {
	// of[n-1] is the editor line of YAML's line n.
	of []int
	// breaks names, by editor line, a YAML-only line break that line
	// holds, for a message that explains why the line reads as several.
	breaks map[int]string
	// text are the editor lines, each with its line end.
	text [][]byte
}

func newEditorLines(data []byte) editorLines {
	el := editorLines{of: []int{1}}
	line, start := 1, 0
	for i := 0; i < len(data); {
		n, yamlOnly := lineBreak(data[i:])
		switch {
		case n == 0:
			i++
			continue
		case yamlOnly != "":
			if el.breaks == nil {
				el.breaks = map[int]string{}
			}
			if _, ok := el.breaks[line]; !ok {
				el.breaks[line] = yamlOnly
			}
		default:
			line++
			el.text = append(el.text, data[start:i+n])
			start = i + n
		}
		el.of = append(el.of, line)
		i += n
	}
	if start < len(data) || len(el.text) == 0 {
		el.text = append(el.text, data[start:])
	}
	return el
}

// lineBreak is the length of the line break data starts with (0 when it
// starts with none) and, for one only YAML reads as a break, its name.
func lineBreak(data []byte) (n int, yamlOnly string) {
	switch {
	case bytes.HasPrefix(data, []byte("\r\n")):
		return 2, ""
	case data[0] == '\r' || data[0] == '\n':
		return 1, ""
	}
	for _, b := range yamlOnlyBreaks {
		if bytes.HasPrefix(data, []byte(b.text)) {
			return len(b.text), fmt.Sprintf("%s (%U)", b.name, []rune(b.text)[0])
		}
	}
	return 0, ""
}

// line is the editor line of YAML's line n (0 stays 0: no line). A line
// past the table (an encoding YAML reads otherwise, UTF-16) is the last.
func (el editorLines) line(n int) int {
	switch {
	case n <= 0 || len(el.of) == 0:
		return n
	case n > len(el.of):
		return el.of[len(el.of)-1]
	}
	return el.of[n-1]
}

// renumber rewrites the line of every node of the tree to the editor's,
// so that every message built from the tree names the editor's line.
func (el editorLines) renumber(root *yaml.Node) {
	done := map[*yaml.Node]bool{} // a node shared by two parents is renumbered once
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n == nil || done[n] {
			return
		}
		done[n] = true
		n.Line = el.line(n.Line)
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(root)
}

// explain adds to a problem on a line holding a YAML-only line break
// that YAML reads the line as several, which is why the key it names may
// sit mid-line.
func (el editorLines) explain(ps Problems) Problems {
	for i, p := range ps {
		if b, ok := el.breaks[p.Line]; ok && p.Line > 0 {
			ps[i].Msg += fmt.Sprintf(" (line %d holds a %s, which YAML reads as a line break: replace it with a line feed or a space)", p.Line, b)
		}
	}
	return ps
}
