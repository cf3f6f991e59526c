package spikes

import (
	"strings"
	"unicode"
)

// A watched word or phrase counts every story whose text says it, not
// only those whose few picked keywords (enrich.max_keywords) hold it: a
// newcomer's `watch: [strike]` met stories that said "strike" in their
// text and carried "dockworkers" and "port" as keywords. It counts under
// the keyword's own key (the entry in lower case, its words single-spaced),
// so a story whose keywords do hold it counts once, under the same term.
// Entity keys (person:…, organization:…, place:…) are matched as keys only.

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
		if kind, _, ok := strings.Cut(name, ":"); ok && entityKinds[strings.ToLower(kind)] != "" {
			continue
		}
		ws := words(name)
		if len(ws) == 0 {
			continue
		}
		out = append(out, watchWords{key: strings.Join(strings.Fields(strings.ToLower(name)), " "), name: name, words: ws})
	}
	return out
}

// words are s's runs of letters and digits, in lower case.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// in reports whether text (words) holds w's words one after another.
func (w watchWords) in(text []string) bool {
	for i := 0; i+len(w.words) <= len(text); i++ {
		if text[i] != w.words[0] {
			continue
		}
		j := 1
		for j < len(w.words) && text[i+j] == w.words[j] {
			j++
		}
		if j == len(w.words) {
			return true
		}
	}
	return false
}
