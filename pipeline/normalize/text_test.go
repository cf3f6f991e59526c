package normalize

import (
	"strings"
	"testing"
)

func TestToText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"paragraphs become blank-line breaks", "<p>One.</p><p>Two.</p>", "One.\n\nTwo."},
		{"a br is a line break and two are a paragraph", "a<br>b<br/><br>c", "a\nb\n\nc"},
		{"headings and lists are blocks and lines", "<h2>Head</h2><ul><li>x</li><li>y</li></ul>", "Head\n\nx\ny"},
		{"inline tags do not split words", "He<b>llo</b> <i>world</i>", "Hello world"},
		{"table cells are separated by spaces", "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", "a b\nc"},
		{"scripts and styles vanish with their content", "a<script>var x=1;</script><style>p{}</style>b", "ab"},
		{"noscript, iframe and svg vanish", "a<noscript>enable js</noscript><iframe>x</iframe><svg><text>s</text></svg>b", "ab"},
		{"figure captions are left to media", "<p>Text.</p><figure><img src=a.jpg><figcaption>Photo: AP</figcaption></figure>", "Text."},
		{"entities are decoded", "Tom &amp; Jerry &#8211; &#x2014; &eacute;", "Tom & Jerry – — é"},
		{"double-escaped entities are decoded", "Tom &amp;amp; Jerry &amp;#8217;s", "Tom & Jerry ’s"},
		{"entity-escaped html is parsed as html", "&lt;p&gt;One&lt;/p&gt;&lt;p&gt;Two&lt;/p&gt;", "One\n\nTwo"},
		{"escaped markup inside markup is parsed too", "<p>A</p><p>&lt;b&gt;B&lt;/b&gt;</p>", "A\n\nB"},
		{"CDATA wrappers are unwrapped", "<![CDATA[<p>Inside</p>]]>", "Inside"},
		{"a plain-text less-than sign survives", "if a < b then", "if a < b then"},
		{"plain text keeps its paragraphs", "One.\n\n\n\nTwo.\r\nThree.", "One.\n\nTwo.\nThree."},
		{"non-breaking and exotic spaces become spaces", "a\u00a0b\u2009c\u3000d", "a b c d"},
		{"zero-width characters and soft hyphens go", "zero\u200bwidth\ufeff soft\u00adhyphen", "zerowidth softhyphen"},
		{"control characters go", "bell\u0007 and\u0000 nul\u0085x", "bell and nul x"},
		{"utf-8 read as windows-1252 is repaired", "Itâ€™s a cafÃ© â€œtestâ€\u009d", "It’s a café “test”"},
		{"real Latin-1 text is left alone", "Grüße aus Köln, señor", "Grüße aus Köln, señor"},
		{"decomposed accents are composed", "Cafe\u0301", "Café"},
		{"invalid utf-8 is replaced", "bad \xff byte", "bad \uFFFD byte"},
		{"preformatted text keeps its lines", "<pre>a\n  b</pre>", "a\nb"},
		{"an unterminated script tag leaves nothing behind", "text &lt;script", "text"},
		{"an empty string is empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ToText(tt.in); got != tt.want {
				t.Fatalf("ToText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestCapText(t *testing.T) {
	s := strings.Repeat("para one is here. ", 20) + "\n\n" + strings.Repeat("x", 100)
	got, cut := capText(s, len(s)-10)
	if strings.Contains(got, "x") || strings.HasSuffix(got, " ") || !cut {
		t.Fatalf("capText cut mid-paragraph: ...%q (cut %v)", got[len(got)-20:], cut)
	}
	if got, _ := capText("héllo wörld", 2); got != "h" {
		t.Fatalf("capText on a rune boundary = %q", got)
	}
	// The cap is on the JSON encoding: 100 '<' weigh 600 bytes there.
	if got, cut := capText(strings.Repeat("<", 100), 60); len(got) != 10 || !cut {
		t.Fatalf("capText of escaped text kept %d bytes, want the 10 whose JSON fits in 60", len(got))
	}
	if got, cut := capText("short", 4096); got != "short" || cut {
		t.Fatalf("capText changed text under the cap: %q %v", got, cut)
	}
}

func TestCutSentences(t *testing.T) {
	tests := []struct {
		name, in string
		n        int
		want     string
	}{
		{"short text is kept whole", "One. Two.", 300, "One. Two."},
		{"long text is cut after a sentence", "First sentence here. Second sentence is much longer than the limit.", 40, "First sentence here."},
		{"text without sentence ends is cut at a word with an ellipsis", "one two three four five six seven", 20, "one two three four…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cutSentences(tt.in, tt.n); got != tt.want {
				t.Fatalf("cutSentences = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSanitizeHTML(t *testing.T) {
	in := `<p onclick="x()">Hi <a href="javascript:alert(1)">js</a> <a href="https://ok.example/">ok</a></p><script>alert(1)</script><style>*{}</style><iframe src="https://e.example"></iframe><img src="https://i.example/a.jpg" onerror="x()">`
	got, _ := sanitizeHTML(prepareField(in), 1<<20)
	for _, bad := range []string{"onclick", "javascript:", "<script", "alert", "<style", "<iframe", "onerror"} {
		if strings.Contains(got, bad) {
			t.Errorf("sanitized html keeps %q: %s", bad, got)
		}
	}
	for _, good := range []string{`rel="nofollow"`, `href="https://ok.example/"`, `<img src="https://i.example/a.jpg"`} {
		if !strings.Contains(got, good) {
			t.Errorf("sanitized html lost %q: %s", good, got)
		}
	}
	if got, dropped := sanitizeHTML(prepareField("just text &amp; more"), 1<<20); got != "" || dropped {
		t.Errorf("plain text produced html %q", got)
	}
	if got, dropped := sanitizeHTML(prepareField("<p>"+strings.Repeat("a", 100)+"</p>"), 50); got != "" || !dropped {
		t.Errorf("html over the cap kept: %q", got)
	}
	if got, _ := sanitizeHTML(prepareField("<p>Invoice \u202egnp.exe</p>"), 1<<20); got != "<p>Invoice gnp.exe</p>" {
		t.Errorf("a bidi override survived in html: %q", got)
	}
}

func TestCleanAuthors(t *testing.T) {
	tests := []struct {
		name string
		in   []string
		want []string
	}{
		{"an RSS email-and-name becomes the name", []string{"jdoe@example.com (Jane Doe)"}, []string{"Jane Doe"}},
		{"a bare email is dropped", []string{"desk@example.com"}, nil},
		{"a By prefix is removed", []string{"By Jane Doe"}, []string{"Jane Doe"}},
		{"and-joined names are split", []string{"Jane Doe and John Smith"}, []string{"Jane Doe", "John Smith"}},
		{"comma-joined full names are split", []string{"Jane Doe, John Smith"}, []string{"Jane Doe", "John Smith"}},
		{"a surname-first name is not split", []string{"Doe, Jane"}, []string{"Doe, Jane"}},
		{"a location suffix is removed", []string{"Jennifer Rankin in Brussels"}, []string{"Jennifer Rankin"}},
		{"placeholders are dropped", []string{"Unknown", "admin", "and agencies"}, nil},
		{"repeats are removed ignoring case", []string{"Jane Doe", "JANE DOE", "jane doe"}, []string{"Jane Doe"}},
		{"html in a name is stripped and entities decoded", []string{"<a href='/a'>Zoë O&#39;Neil</a>"}, []string{"Zoë O'Neil"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := cleanAuthors(tt.in)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Fatalf("cleanAuthors(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
