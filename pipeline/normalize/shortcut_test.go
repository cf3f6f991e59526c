package normalize

import (
	"bytes"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/wirestream/wirestream/internal/testkit/shareddata"
)

// checkShortcuts holds every fast path of the package against the slower
// path it replaces, on one input: the '<' guard, the bidi-control scan,
// the boilerplate forms tried one by one against their alternation before the markup regexp,
// sanitizing into a pooled buffer against bluemonday's own Sanitize, the
// reused lowercase buffer against asciiLower, the plain-markup text scan
// against the tokenizer, and the field read once for text and sanitizer
// against reading it separately.
func checkShortcuts(t *testing.T, s string) {
	t.Helper()
	checkReference(t, s)
	if got, want := hasMarkup(s), markupRe.MatchString(s); got != want {
		t.Fatalf("hasMarkup(%.80q) = %v, markupRe says %v", s, got, want)
	}
	if got, want := string(appendASCIILower([]byte("prefix"), s)), "prefix"+asciiLower(s); got != want {
		t.Fatalf("appendASCIILower(%.80q) differs from asciiLower", s)
	}
	if got, want := hasBidiControl(s), strings.ContainsFunc(s, isBidiControl); got != want {
		t.Fatalf("hasBidiControl(%.80q) = %v, ContainsFunc says %v", s, got, want)
	}
	for line := range strings.SplitSeq(s, "\n") {
		if got, want := matchesAny(boilerplateLineRes, line), boilerplateAlternation.MatchString(line); got != want {
			t.Fatalf("boilerplate forms one by one say %v on %.80q, their alternation %v", got, line, want)
		}
	}
	f := prepareField(s)
	// The plain line that ToText returns as it is, against every step it skips.
	if s != "" {
		if got, want := ToText(s), f.text(); got != want {
			t.Fatalf("ToText(%.80q) = %.80q, its steps make %.80q (plainLine %v)", s, got, want, plainLine(s))
		}
	}
	if f.isHTML && strings.TrimSpace(f.src) != "" {
		if got, want := sanitize(f.src), policy().Sanitize(f.src); got != want {
			t.Fatalf("pooled sanitize of %.80q:\n got %.200q\nwant %.200q", s, got, want)
		}
	}
	// The plain-markup text scan against the tokenizer, on s, on the HTML
	// it carries and on the decoded text's second pass (field.text).
	for _, m := range []string{s, f.src, strings.ReplaceAll(s, "\n", "<br>")} {
		if got, want := htmlToText(m), tokenText(m); got != want {
			t.Fatalf("htmlToText(%.80q):\n got %.200q\nwant %.200q", m, got, want)
		}
	}
	// The separate reads fillText did before.
	v := strings.ToValidUTF8(s, "\uFFFD")
	src, ok := htmlSource(stripCDATA(v))
	if ok != f.isHTML || src != f.src {
		t.Fatalf("prepareField(%.80q) found HTML %v, a separate read %v", s, f.isHTML, ok)
	}
}

// boilerplateAlternation is the one regexp boilerplateLineRes replaced.
var boilerplateAlternation = regexp.MustCompile(`(?i)^(?:` + strings.Join(boilerplateLineForms, "|") + `)\s*$`)

func matchesAny(res []*regexp.Regexp, s string) bool {
	for _, re := range res {
		if re.MatchString(s) {
			return true
		}
	}
	return false
}

func FuzzShortcutsMatchFullPath(f *testing.F) {
	for _, s := range []string{"", "plain text", "a < b & c", "<p>x</p>", "&lt;p&gt;x&lt;/p&gt;", "<![CDATA[<b>y</b>]]>",
		"<!-- c -->", "<P CLASS=x>Ünïcode\u212a</P>", "\xff<br>", "&amp;lt;b&amp;gt;", "x <3 y", "<a href='javascript:x'>l</a>", "a\u202eb", "\xe2\u2066", "\u2069\xe2", "(Reporting by A; Editing by B)", "Read more »", "ſubscribe to our newsletter", "All rights reserved.",
		"Jane Doe contributed to this report.", "Photo: X/Getty", "Follow us on X", "---", "Sponsored", "\u212aeep reading",
		// sanitizePlain's edges: every tag and reference it keeps, the bytes it escapes, and what it leaves to the policy
		"<p>a 'b' \"c\" d > e &amp; &lt; &gt; &#39; &#34;</p><br><br/><b>x</b><i>x</i><em>x</em><strong>x</strong><ul><li>x</li></ul><ol><li>x</li></ol><blockquote>q</blockquote>",
		"<p>x\r\ny</p>", "<p>a\x00b</p>", "<p>&nbsp;&#x27;&quot;</p>", "<P>x</P>", "<p >x</p>", "<br />", "<p>x<p", "<p>a <3 b</p>", "<b>x</i>",
		// plainText's edges: separators meeting at the start, end and each other, whitespace kinds, references next to text
		"<br><br><br>x<br>", "<p><br>x<br><br><li>y</li>\t\f\n<br></p>", " <b> a </b> <i>b</i>", "x&amp;amp;y&lt;p&gt;z&lt;/p&gt;", "<li></li><ol> </ol>",
		"a&#39;b&#34;c&gt;d", "&amp", "<p>\xff</p>", "<blockquote>q<br/>r</blockquote>", "<p>a\r</p>", "<p>\x00</p>", "<brr>", "</br>"} {
		f.Add(s)
	}
	// plainLine's edges: spaces leading, trailing, doubled; the bytes just
	// inside and outside printable ASCII; '<' and '&' alone.
	for _, s := range []string{" a", "a ", "a  b", "a b", "~", "", "a	b", "ab", "a&b", "a<b", "a & b", "a;b", "Fed's taper", "x", " "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkShortcuts(t, s)
		checkShortcuts(t, html.UnescapeString(s))
	})
}

// TestPlainTitlesSkipToTextSteps: uci-news' titles are the same through
// ToText's fast path as through its steps, and most take the path — were
// they to stop taking it, only the CPU would show it.
func TestPlainTitlesSkipToTextSteps(t *testing.T) {
	rows := shareddata.UCI(t)
	plain := 0
	for _, r := range rows {
		title := r.Item.Title
		checkShortcuts(t, title)
		if plainLine(title) {
			plain++
		}
	}
	// 2,786 of 3,285 are; the rest hold doubled or edge spaces (342),
	// non-ASCII (100), '&' (54) or '<' (3), which ToText's steps rewrite
	// or must look at.
	if plain*10 < len(rows)*8 {
		t.Fatalf("%d of %d uci-news titles are plain lines; want 80 %% or more", plain, len(rows))
	}
}

// TestShortcutsMatchFullPathOnRealInputs runs the same checks over the
// feed fixtures (raw, and unescaped as their items' HTML reads) and the
// shared data's full-text articles wrapped as HTML paragraphs.
func TestShortcutsMatchFullPathOnRealInputs(t *testing.T) {
	paths, err := filepath.Glob("../../sources/feed/testdata/feeds/*")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no feed fixtures: %v", err)
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		checkShortcuts(t, string(b))
		checkShortcuts(t, html.UnescapeString(string(b)))
	}
	for _, a := range shareddata.WikiRef(t) {
		checkShortcuts(t, a.Text)
		m := "<p>" + strings.ReplaceAll(html.EscapeString(a.Text), "\n\n", "</p><p>") + "</p>"
		checkShortcuts(t, m)
		// Equal output alone would hold with the scans switched off: plain
		// paragraphs must take them, or their saving is gone unnoticed.
		if _, ok := plainText(m); !ok {
			t.Fatalf("%s as <p> markup fell back to the tokenizer", a.ID)
		}
		var b bytes.Buffer
		if !sanitizePlain(&b, m) {
			t.Fatalf("%s as <p> markup fell back to bluemonday", a.ID)
		}
	}
	if _, ok := plainText("<p>a &amp; b</p><br/>c"); !ok {
		t.Fatal("plain markup with a reference and <br/> fell back to the tokenizer")
	}
}

// FuzzPlainTextMatchesTokenizer spells its input in plainText's alphabet
// (every plain tag and reference, each kind of whitespace, text, and the
// bytes that send it to the tokenizer), so that most inputs take the scan
// rather than falling back at their first byte, and holds the two against
// each other.
func FuzzPlainTextMatchesTokenizer(f *testing.F) {
	alphabet := append(append(slices.Clone(plainTags), plainEntities...),
		" ", "  ", "\n", "\t", "\f", "a", "Bc", "é", "'", `"`, ">", "&", "<", "\r", "\x00", "&nbsp;", "<p >", "&amp")
	for _, s := range []string{"", "\x00\x01\x02", "\x14\x15\x16\x02\x17", "\x02\x16\x02\x16\x03"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, spelling []byte) {
		var b strings.Builder
		for _, c := range spelling {
			b.WriteString(alphabet[int(c)%len(alphabet)])
		}
		s := b.String()
		if got, want := htmlToText(s), tokenText(s); got != want {
			t.Fatalf("htmlToText(%q):\n got %q\nwant %q", s, got, want)
		}
	})
}
