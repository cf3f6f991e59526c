package entities

import (
	"os"
	"strings"
	"testing"
)

func TestZZWords(t *testing.T) {
	for _, w := range strings.Fields(os.Getenv("WORDS")) {
		t.Logf("%s common=%v surname=%v given=%v listed=%v ordgiven=%v", w, commonWord(w), surnameWord(w), givenNames[w], listedGivenName(w), ordinaryGivenName(w))
	}
}
