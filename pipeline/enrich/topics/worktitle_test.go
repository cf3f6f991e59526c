package topics

import "testing"

func TestQuotesAWork(t *testing.T) {
	for _, tt := range []struct {
		headline string
		want     bool
	}{
		{"Zac Efron's 'Neighbors' tops the box office", true},
		{"First look at the ‘Mean Girls’ reunion", true},
		{"Critics split over \"The Lord of the Rings\" stage version", true},
		{"'Breaking Bad' star joins new drama", true},
		// a headline in title case capitalises every quoted phrase
		{"Sprint Chairman Vows 'Price War' If Deal Approved", false},
		// speech and scare quotes
		{"Minister says deal is 'dead in the water'", false},
		{"Lohan says she wants 'integrity'", false},
		{"Fans told: 'We will be back!'", false},
		// an apostrophe in a word opens no quote
		{"Zac's neighbours can't sleep", false},
		{"Markets fall as rates rise", false},
	} {
		if got := quotesAWork(tt.headline); got != tt.want {
			t.Errorf("quotesAWork(%q) = %v, want %v", tt.headline, got, tt.want)
		}
	}
}

func TestAQuotedWorkIsArts(t *testing.T) {
	c := newC(t)
	got := c.Classify("Everyone is still talking about 'Mean Girls'", "", "", nil, "en", nil)
	if got[0].Code != Code("01000000") {
		t.Errorf("%v, want arts and entertainment first", got)
	}
	// a capitalised quote is as often a slogan, a law or a project: alone
	// it is a guess, and beside a plain cue it adds nothing
	if got := c.Classify("Drivers warned about 'Smart Motorway' dangers", "", "", nil, "en", nil); !Guess(got) {
		t.Errorf("a lone quote: %v, want a guess", got)
	}
	got = c.Classify("Senate passes 'Inflation Reduction Act' after long debate", "", "", nil, "en", nil)
	for _, tp := range got {
		if tp.Code == Code("01000000") {
			t.Errorf("a quoted law beside politics: %v, want no arts", got)
		}
	}
	// only English headlines follow the convention
	if got := c.Classify("Zac Efron's 'Neighbors' ist wieder vorn", "", "", nil, "de", nil); !NoEvidence(got) {
		t.Errorf("German: %v, want the no-evidence fallback", got)
	}
}
