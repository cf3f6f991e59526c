package tokens

import (
	"reflect"
	"testing"
)

func TestSplit(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"inner apostrophes and hyphens stay", "O'Brien met Jean-Luc at Fifa's HQ", []string{"O'Brien", "met", "Jean-Luc", "at", "Fifa's", "HQ"}},
		{"dotted abbreviations keep their final period", "The U.S. and U.K. agreed.", []string{"The", "U.S.", "and", "U.K.", "agreed"}},
		{"decimals stay whole", "iOS 7.1 is out", []string{"iOS", "7.1", "is", "out"}},
		{"Cyrillic and Arabic are words", "Путин قال", []string{"Путин", "قال"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, tk := range Split(tt.in) {
				got = append(got, tk.Text)
				if tt.in[tk.Start:tk.End] != tk.Text {
					t.Errorf("offsets of %q wrong", tk.Text)
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Split(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSentenceStartsAndBreaks(t *testing.T) {
	ts := Split(`Shares fell. Mr. Smith said: "Sell", then left`)
	byText := map[string]Token{}
	for _, tk := range ts {
		byText[tk.Text] = tk
	}
	if !byText["Shares"].SentStart {
		t.Error("first word not a sentence start")
	}
	if !byText["Mr"].SentStart || byText["Smith"].SentStart {
		t.Error("the period of Mr. must not start a sentence")
	}
	if !byText["Sell"].Break || !byText["then"].Break {
		t.Error("quotes and commas must mark breaks")
	}
}

func FuzzSplit(f *testing.F) {
	for _, s := range []string{"U.S.-led", "l'Allemagne", "\xff\xfe", "a.b.c.d.e.f.g", "’s"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		last := 0
		for _, tk := range Split(s) {
			if tk.Start < last || tk.End <= tk.Start || tk.End > len(s) || s[tk.Start:tk.End] != tk.Text {
				t.Fatalf("bad token %+v in %q", tk, s)
			}
			last = tk.End
		}
	})
}
