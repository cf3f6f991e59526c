package entities

import (
	_ "embed"
	"hash/maphash"
	"strings"
	"sync"
)

//go:embed lexicon/common-en.txt
var commonEnText string

var (
	commonOnce sync.Once
	commonText string // commonEnText trimmed: one word a line
	// commonSet holds the words of commonText by hash, open addressing
	// with linear probing: 1 + a word's offset in commonText, 0 for a free
	// slot. A lookup hashes once and compares a word or two, where a binary
	// search over the 63k words compared sixteen, most of them cache
	// misses; and the table (512 KB) is half the []string it replaces,
	// built as fast.
	commonSet  []uint32
	commonSeed maphash.Seed
)

func loadCommon() {
	commonText = strings.TrimSpace(commonEnText)
	n := strings.Count(commonText, "\n") + 1
	size := 1
	for size < 2*n {
		size <<= 1
	}
	commonSet = make([]uint32, size)
	commonSeed = maphash.MakeSeed()
	mask := uint64(size - 1)
	for off := 0; off <= len(commonText); {
		end := strings.IndexByte(commonText[off:], '\n')
		if end < 0 {
			end = len(commonText) - off
		}
		i := maphash.String(commonSeed, commonText[off:off+end]) & mask
		for commonSet[i] != 0 {
			i = (i + 1) & mask
		}
		commonSet[i] = uint32(off + 1)
		off += end + 1
	}
}

// commonWord reports whether the folded word is an ordinary English word
// (written in lower case in a dictionary). A run of capitalised words that
// are all ordinary ("Best Picture", "Geological Survey") is a title or a
// name of a thing, rarely a person.
func commonWord(w string) bool {
	commonOnce.Do(loadCommon)
	mask := uint64(len(commonSet) - 1)
	for i := maphash.String(commonSeed, w) & mask; commonSet[i] != 0; i = (i + 1) & mask {
		off := int(commonSet[i] - 1)
		end := off + len(w)
		if end <= len(commonText) && commonText[off:end] == w && (end == len(commonText) || commonText[end] == '\n') {
			return strings.IndexByte(w, '\n') < 0 // not several lines at once
		}
	}
	return false
}

func allCommon(ws []string) bool {
	for _, w := range ws {
		if !commonWord(w) {
			return false
		}
	}
	return true
}

// IsDictionaryWord reports whether w, lower case, is a word of the
// embedded English dictionary (SCOWL's american-english list, every
// inflection: "visits", "visited", "visiting"): for callers that judge a
// word by the forms English gives it, as keywords tells a verb by its
// past.
func IsDictionaryWord(w string) bool { return commonWord(w) }
