package entities

import (
	_ "embed"
	"strings"
	"sync"
)

//go:embed lexicon/common-en.txt
var commonEnText string

var (
	commonOnce sync.Once
	commonEn   []string // substrings of commonEnText: no copy of the 550 KB
)

// commonWord reports whether the folded word is an ordinary English word
// (written in lower case in a dictionary). A run of capitalised words that
// are all ordinary ("Best Picture", "Geological Survey") is a title or a
// name of a thing, rarely a person.
func commonWord(w string) bool {
	commonOnce.Do(func() { commonEn = strings.Split(strings.TrimSpace(commonEnText), "\n") })
	// sort.SearchStrings by hand: without its closure call per step the
	// search costs half, and the recognizer asks it of most runs.
	lo, hi := 0, len(commonEn)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if commonEn[m] < w {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo < len(commonEn) && commonEn[lo] == w
}

func allCommon(ws []string) bool {
	for _, w := range ws {
		if !commonWord(w) {
			return false
		}
	}
	return true
}
