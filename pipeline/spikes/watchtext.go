package spikes

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// A watched word or phrase counts every story whose text says it, not
// only those whose few picked keywords (enrich.max_keywords) hold it: a
// newcomer's `watch: [strike]` met stories that said "strike" in their
// text and carried "dockworkers" and "port" as keywords. It counts under
// the keyword's own key (the entry in lower case, its words single-spaced),
// so a story whose keywords do hold it counts once, under the same term.
// Entity keys (person:…, organization:…, place:…) are matched as keys
// only, and so are names the gazetteer knows (watchsince.go).

// watchWords is one watch entry searched in the text: its term key, its
// name as the list writes it, and its words.
type watchWords struct {
	key, name string
	words     []string
}

// textWatches returns the watch entries to search in the text: all but
// those in an entity key's form.
func textWatches(watch []string) []watchWords {
	var out []watchWords
	for _, w := range watch {
		name := strings.TrimSpace(w)
		if _, _, _, ok := entityEntry(name); ok {
			continue
		}
		ws := words(name)
		if len(ws) == 0 {
			continue
		}
		out = append(out, watchWords{key: termKey(name), name: name, words: ws})
	}
	return out
}

// words are s's runs of letters and digits, in lower case.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), notWord)
}

func notWord(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }

// saidIn reports whether one of texts (in lower case) holds w's words
// one after another, as whole words. The texts are searched in place:
// splitting a 4 KB body into words cost 48 KB a story.
func (w watchWords) saidIn(texts []string) bool {
	for _, t := range texts {
		if containsWords(t, w.words) {
			return true
		}
	}
	return false
}

// containsWords reports whether text (in lower case) holds ws as whole
// words, one after another, anything but letters and digits between them.
func containsWords(text string, ws []string) bool {
	for from := 0; ; {
		i := strings.Index(text[from:], ws[0])
		if i < 0 {
			return false
		}
		start := from + i
		from = start + 1
		if r, _ := utf8.DecodeLastRuneInString(text[:start]); start > 0 && !notWord(r) {
			continue
		}
		end, ok := start+len(ws[0]), true
		for _, next := range ws[1:] {
			gap := end
			for gap < len(text) {
				r, n := utf8.DecodeRuneInString(text[gap:])
				if !notWord(r) {
					break
				}
				gap += n
			}
			if gap == end || !strings.HasPrefix(text[gap:], next) {
				ok = false
				break
			}
			end = gap + len(next)
		}
		if !ok {
			continue
		}
		if r, _ := utf8.DecodeRuneInString(text[end:]); end < len(text) && !notWord(r) {
			continue
		}
		return true
	}
}
