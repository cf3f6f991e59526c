package record

import (
	"encoding/json"
	"math/rand/v2"
	"testing"
)

// JSONBytes is what json.Marshal writes of a string, less its two quotes.
func TestJSONBytesIsWhatJSONMarshalWrites(t *testing.T) {
	cases := []string{"", "plain", "AT&T", "a<b>c", "\"q\" \\", "\b\f\n\r\t\x00\x1f\x7f", "Zoë Ørsted 東京",
		"line\u2028para\u2029", "bad \xff\xfe utf-8", "\xe2\x80"}
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{"a", "&", "<", "\"", "\\", "\n", "\x01", "é", "東", "\u2028", "\xff", " "}
	for range 200 {
		var s string
		for range r.IntN(40) {
			s += alphabet[r.IntN(len(alphabet))]
		}
		cases = append(cases, s)
	}
	for _, s := range cases {
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := JSONBytes(s), len(b)-2; got != want {
			t.Errorf("JSONBytes(%q) = %d, json.Marshal writes %d (%s)", s, got, want, b)
		}
	}
}
