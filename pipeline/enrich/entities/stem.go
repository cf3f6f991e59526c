package entities

import (
	"strings"
	"unicode"
)

// Russian and Ukrainian decline names: Япония, Японии, Японию are one
// country; Путин, Путина, Путиным one man. The gazetteer holds nominatives,
// so Cyrillic tokens are also matched by a crude stem: the longest of
// these case endings is cut when at least three letters remain. It is not
// a morphological analyser, only enough for names.
var cyrillicEndings = []string{
	"ией", "ами", "ями", "ого", "его", "ому", "ему", "ыми", "ими",
	"ий", "ый", "ой", "ая", "яя", "ое", "ее", "ые", "ие", "ую", "юю",
	"ей", "ом", "ем", "ым", "им", "ою", "ею", "ах", "ях", "ов", "ев", "ии", "ия", "ию",
	"ії", "ію", "ія", "ів",
	"а", "я", "о", "е", "и", "ы", "у", "ю", "й", "ь", "і", "ї", "є",
}

func isCyrillic(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return unicode.Is(unicode.Cyrillic, r)
		}
	}
	return false
}

// stemCyrillic returns the stem of a folded Cyrillic word, or the word.
func stemCyrillic(w string) string {
	n := len([]rune(w))
	for _, e := range cyrillicEndings {
		if strings.HasSuffix(w, e) && n-len([]rune(e)) >= 3 {
			return strings.TrimSuffix(w, e)
		}
	}
	return w
}

// stemForm stems each Cyrillic word of a folded, space-joined form; ok is
// false when the form has no Cyrillic word (no second lookup needed).
func stemForm(folded string) (string, bool) {
	if isASCII([]byte(folded)) { // no Cyrillic word; the conversion does not allocate
		return folded, false
	}
	parts := strings.Split(folded, " ")
	any := false
	for i, p := range parts {
		if isCyrillic(p) {
			parts[i] = stemCyrillic(p)
			any = true
		}
	}
	return strings.Join(parts, " "), any
}
