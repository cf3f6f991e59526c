package events

import (
	"strings"
	"testing"
	"unicode"

	"github.com/wirestream/wirestream/internal/testkit/shareddata"
	langstop "github.com/wirestream/wirestream/pipeline/enrich/stopwords"
	enrichtokens "github.com/wirestream/wirestream/pipeline/enrich/tokens"
)

// The word scanner replaced a tokenizer over strings (a lower-cased copy
// of the whole text, a string per word, the strips on strings) in round
// 22. The rule these tests pin: features interns the same words in the
// same order as before, so every vector, event and output is unchanged.
// tokensByStrings is that tokenizer as it was, kept as the oracle.

// tokens appends the normalized words of text to dst (wordScanner's
// words, each its own string): the tests' view of what features interns.
func tokens(dst []string, text, lang string) []string {
	sc := wordScanner{}
	sc.reset(text, lang)
	for sc.next() {
		dst = append(dst, string(sc.word))
	}
	return dst
}

func TestWordScannerGivesTheStringTokenizersWords(t *testing.T) {
	var texts []string
	for _, d := range shareddata.WikiRef(t) {
		texts = append(texts, d.Item.Title, d.Text, d.Item.Link)
	}
	for _, d := range shareddata.UCI(t) {
		texts = append(texts, d.Item.Title, d.Item.Link)
	}
	texts = append(texts, "Jay-Z’s G-20 plans: 37,000 £40,000-a-year cities' ÉTATS-UNIS İstanbul ΣΟΦΙΑ x- -x a--b", "Les États-Unis et la France ont dit ses mots", "\xff\xfeabc DEF\xc3")
	for _, lang := range []string{"en", "", "fr", "de"} {
		for _, text := range texts {
			want := tokensByStrings(nil, text, lang)
			got := tokens(nil, text, lang)
			if strings.Join(got, "\x00") != strings.Join(want, "\x00") {
				t.Fatalf("lang %q, text %.80q: scanner %q, the string tokenizer %q", lang, text, got, want)
			}
		}
	}
}

func FuzzWordScannerGivesTheStringTokenizersWords(f *testing.F) {
	for _, s := range []string{"Sprint Vows Price War If T-Mobile Deal Approved", "Jay-Z’s 6,2 37.000 cities' ies", "İSTANBUL Σ ǅ é-x", "\xff'sA"} {
		f.Add(s, "en")
		f.Add(s, "fr")
	}
	f.Fuzz(func(t *testing.T, text, lang string) {
		if len(text) > 4096 {
			return
		}
		want := tokensByStrings(nil, text, lang)
		got := tokens(nil, text, lang)
		if strings.Join(got, "\x00") != strings.Join(want, "\x00") {
			t.Fatalf("lang %q, text %q: scanner %q, the string tokenizer %q", lang, text, got, want)
		}
	})
}

func tokensByStrings(dst []string, text, lang string) []string {
	// lower-cased once for the whole text, when a word's lower case is the
	// same slice of it (see tokens.Lower), rather than a copy per word
	lowered, aligned := enrichtokens.Lower(text)
	start := -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		var w string
		if aligned {
			w = lowered[start:end]
		} else {
			w = strings.ToLower(text[start:end])
		}
		start = -1
		w = strings.TrimSuffix(w, "'s")
		w = strings.TrimSuffix(w, "’s")
		w = trimMarks(w) // the generic trimMarks, checked against strings.Trim by TestTrimMarksIsStringsTrim
		if len(w) < 2 && !(len(w) == 1 && w[0] >= '0' && w[0] <= '9') {
			return
		}
		if _, stop := stopwords[w]; stop {
			return
		}
		if lang != "" && lang != "en" && langstop.Is(lang, w) {
			return // the story's own function words: "la", "ses", "die"
		}
		if w[0] >= '0' && w[0] <= '9' {
			dst = append(dst, numberOfString(w))
			return
		}
		dst = append(dst, stemOfString(w))
	}
	prev := rune(0)
	for i, r := range text {
		switch {
		case isTermRune(r):
			if start < 0 {
				start = i
			}
		case (r == '.' || r == ',') && unicode.IsDigit(prev) && start >= 0 && i+1 < len(text) && text[i+1] >= '0' && text[i+1] <= '9':
			// a decimal or thousands separator inside a number
		case (r == '\'' || r == '’') && start >= 0 && i+1 < len(text) && (text[i+1] == 's' || text[i+1] == 't'):
			// possessive or contraction: keep the word whole, stripped in flush
		case r == '-' && start >= 0 && joinsHyphen(text, start, i):
			// a name with a one-letter part (T-Mobile, Jay-Z, G-20): kept whole
		default:
			flush(i)
		}
		prev = r
	}
	flush(len(text))
	return dst
}

// isTermRune: letters, digits and combining marks make a word.

// numberOfString and stemOfString are number and stem as they were, over
// strings.
func numberOfString(w string) string {
	if strings.IndexAny(w, ".,") < 0 {
		return w
	}
	b := []byte(w)
	out := b[:0]
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c == '.' || c == ',' {
			j := i + 1
			for j < len(b) && b[j] >= '0' && b[j] <= '9' {
				j++
			}
			if j-i-1 == 3 && (j == len(b) || b[j] == '.' || b[j] == ',') {
				continue // thousands
			}
			c = '.'
		}
		out = append(out, c)
	}
	return string(out)
}

func stemOfString(w string) string {
	n := len(w)
	if n <= 3 || w[n-1] != 's' {
		return w
	}
	switch {
	case strings.HasSuffix(w, "ies") && n > 4:
		return w[:n-3] + "y"
	case strings.HasSuffix(w, "ss"), strings.HasSuffix(w, "us"), strings.HasSuffix(w, "is"):
		return w
	case strings.HasSuffix(w, "sses"), strings.HasSuffix(w, "shes"), strings.HasSuffix(w, "ches"), strings.HasSuffix(w, "xes"):
		return w[:n-2]
	case w[n-2] == '-': // round 25: the scanner's stem keeps "ȼ-s" whole, and so does the oracle
		return w
	}
	return w[:n-1]
}
