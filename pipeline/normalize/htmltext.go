package normalize

// HTML to text: a byte scan for plain markup (plainText) and the HTML
// tokenizer for the rest (tokenText), both writing through textWriter.

import (
	"strings"

	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// skipped elements contribute no text: code, styling, embedded documents
// and form controls are never prose.
var skipped = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Iframe: true, atom.Object: true, atom.Embed: true, atom.Svg: true, atom.Math: true,
	atom.Canvas: true, atom.Audio: true, atom.Video: true, atom.Select: true, atom.Textarea: true,
	atom.Button: true, atom.Head: true, atom.Title: true, atom.Frameset: true, atom.Noframes: true,
	atom.Noembed: true, atom.Xmp: true,
	// Captions describe a photo, which republishers swap; Media keeps them.
	atom.Figcaption: true,
}

// blocks start and end paragraphs.
var blocks = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true,
	atom.H5: true, atom.H6: true, atom.Ul: true, atom.Ol: true, atom.Dl: true, atom.Blockquote: true,
	atom.Pre: true, atom.Table: true, atom.Section: true, atom.Article: true, atom.Header: true,
	atom.Footer: true, atom.Figure: true, atom.Hr: true, atom.Address: true,
	atom.Aside: true, atom.Main: true, atom.Nav: true, atom.Details: true, atom.Summary: true,
	atom.Fieldset: true, atom.Form: true, atom.Center: true, atom.Body: true, atom.Html: true,
}

// lines start and end lines within a paragraph.
var lines = map[atom.Atom]bool{atom.Li: true, atom.Tr: true, atom.Dt: true, atom.Dd: true, atom.Caption: true}

// Pending separators between two pieces of text, in increasing strength.
const (
	sepNone = iota
	sepSpace
	sepLine
	sepPara
)

// textWriter joins text runs with the strongest separator requested
// between them, so "</p>  <p>" yields one paragraph break, not three.
type textWriter struct {
	b   strings.Builder
	sep int
}

func (w *textWriter) want(sep int) { w.sep = max(w.sep, sep) }

// lineBreak is a <br>: a line break, or a paragraph break when a line
// break is already pending ("<br><br>").
func (w *textWriter) lineBreak() {
	if w.sep >= sepLine {
		w.want(sepPara)
	} else {
		w.want(sepLine)
	}
}

func (w *textWriter) write(s string) {
	if s == "" {
		return
	}
	w.separate()
	w.b.WriteString(s)
}

// writeBytes is write for the tokenizer's text, which need not become a
// string first.
func (w *textWriter) writeBytes(s []byte) {
	if len(s) == 0 {
		return
	}
	w.separate()
	w.b.Write(s)
}

// separate writes the pending separator before a run of text.
func (w *textWriter) separate() {
	if w.b.Len() > 0 {
		switch w.sep {
		case sepSpace:
			w.b.WriteByte(' ')
		case sepLine:
			w.b.WriteByte('\n')
		case sepPara:
			w.b.WriteString("\n\n")
		}
	}
	w.sep = sepNone
}

// htmlToText returns the text of the markup s: plainText's when s is made
// only of the plain tags and references, tokenText's otherwise.
func htmlToText(s string) string {
	if t, ok := plainText(s); ok {
		return t
	}
	return tokenText(s)
}

// tokenText walks the token stream rather than building a DOM: it is
// faster, allocates less, and a broken document cannot make it lose text
// the way tree repair can.
func tokenText(s string) string {
	z := xhtml.NewTokenizer(strings.NewReader(s))
	var w textWriter
	w.b.Grow(len(s) / 2)
	skip, pre := 0, 0
	for {
		tt := z.Next()
		switch tt {
		case xhtml.ErrorToken:
			return w.b.String()
		case xhtml.TextToken:
			if skip > 0 {
				continue
			}
			if pre > 0 {
				writePre(&w, string(z.Text()))
				continue
			}
			writeFlow(&w, z.Text())
		case xhtml.StartTagToken, xhtml.SelfClosingTagToken, xhtml.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			start := tt != xhtml.EndTagToken
			switch {
			case skipped[a]:
				if tt == xhtml.StartTagToken {
					skip++
				} else if tt == xhtml.EndTagToken && skip > 0 {
					skip--
				}
			case a == atom.Br:
				w.lineBreak()
			case blocks[a]:
				w.want(sepPara)
				if a == atom.Pre && tt != xhtml.SelfClosingTagToken {
					if start {
						pre++
					} else if pre > 0 {
						pre--
					}
				}
			case lines[a]:
				w.want(sepLine)
			case a == atom.Td || a == atom.Th:
				w.want(sepSpace)
			case a == atom.Img || a == atom.Wbr:
				// No alt text: "image", "photo" and file names are noise.
			}
		}
	}
}

// plainText is tokenText for markup made only of plainTags, plainEntities
// and text (sanitizePlain's input), found by a byte scan: the tokenizer
// and its 4 KB buffer per field cost more than the text they find in a
// feed's paragraphs. The tags map as tokenText maps them (p, ul, ol and
// blockquote break paragraphs, li lines, br by its rule, the inline ones
// nothing), a reference is its character, and whitespace is one space. It
// returns false, for the tokenizer to decide, on anything else: another
// tag, '<' or reference, a CR (the tokenizer turns it into LF) or a NUL.
// checkShortcuts holds it against tokenText.
func plainText(s string) (string, bool) {
	var w textWriter
	w.b.Grow(len(s)) // the text of plain markup is never longer than it
	for i := 0; i < len(s); {
		j := i
		for j < len(s) {
			if !textSpecial[s[j]] {
				j++
			} else if s[j] == ' ' && j > i && j+1 < len(s) && !textSpecial[s[j+1]] {
				j += 2 // one space between words is written as it is
			} else {
				break
			}
		}
		w.write(s[i:j])
		if j == len(s) {
			break
		}
		rest := s[j:]
		switch c := s[j]; c {
		case '<':
			n := prefixIn(rest, plainTags)
			if n == 0 {
				return "", false
			}
			switch strings.Trim(rest[:n], "</>") {
			case "p", "ul", "ol", "blockquote":
				w.want(sepPara)
			case "li":
				w.want(sepLine)
			case "br":
				w.lineBreak()
			}
			i = j + n
			continue
		case '&':
			k := prefixAt(rest, plainEntities)
			if k < 0 {
				return "", false
			}
			w.write(plainEntityText[k])
			i = j + len(plainEntities[k])
			continue
		case '\r', 0:
			return "", false
		default: // HTML whitespace
			w.want(sepSpace)
		}
		i = j + 1
	}
	return w.b.String(), true
}

// textSpecial marks the bytes plainText must look at.
var textSpecial = [256]bool{'<': true, '&': true, '\r': true, 0: true, ' ': true, '\t': true, '\n': true, '\f': true}

// plainEntityText is what each of plainEntities stands for.
var plainEntityText = []string{"&", "<", ">", "'", `"`}

// writeFlow writes normal HTML text: any run of whitespace is one space.
func writeFlow(w *textWriter, s []byte) {
	start := -1
	for i := 0; i <= len(s); i++ {
		if i < len(s) && !isHTMLSpace(s[i]) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			w.writeBytes(s[start:i])
			start = -1
		}
		if i < len(s) {
			w.want(sepSpace)
		}
	}
}

// writePre keeps the line structure of preformatted text.
func writePre(w *textWriter, s string) {
	for i, line := range strings.Split(s, "\n") {
		if i > 0 {
			w.want(sepLine)
		}
		w.write(strings.TrimRight(line, " \t\r"))
	}
}

func isHTMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }
