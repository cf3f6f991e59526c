package normalize

import (
	"strings"
	"testing"

	"github.com/wirestream/wirestream/pipeline/record"
)

func fp(body string) string { return FingerprintText(&record.Story{Body: body}) }

func TestFingerprintTextRemovesBoilerplate(t *testing.T) {
	const core = "the minister resigned on tuesday"
	tests := []struct {
		name string
		body string
	}{
		{"an AFP dateline with an em dash", "LONDON (AFP) — The minister resigned on Tuesday."},
		{"a Reuters dateline with a hyphen", "WASHINGTON (Reuters) - The minister resigned on Tuesday."},
		{"a Reuters dateline with a date", "NEW YORK, March 5 (Reuters) - The minister resigned on Tuesday."},
		{"an AP dateline with a state", "KYIV, Ukraine (AP) — The minister resigned on Tuesday."},
		{"an AFP dateline in title case", "Paris (AFP) - The minister resigned on Tuesday."},
		{"an agency credit with a partner", "BERLIN (dpa/AFP) — The minister resigned on Tuesday."},
		{"a bare agency credit in parentheses", "(AP) — The minister resigned on Tuesday."},
		{"an agency name and a dash", "Reuters - The minister resigned on Tuesday."},
		{"a city dateline without agency", "PARIS — The minister resigned on Tuesday."},
		{"a byline paragraph", "By Jane Doe, Associated Press\n\nThe minister resigned on Tuesday."},
		{"an all-capitals byline", "By MARK SHERMAN Associated Press\n\nThe minister resigned on Tuesday."},
		{"a byline with two names", "By Jane Doe and John Smith | Reuters\n\nThe minister resigned on Tuesday."},
		{"a read more link", "The minister resigned on Tuesday.\n\nRead more…"},
		{"a read more link with a target", "The minister resigned on Tuesday.\n\nRead more: Who will replace her?"},
		{"a continue reading link", "The minister resigned on Tuesday.\n\nContinue reading..."},
		{"a WordPress footer as its own paragraph", "The minister resigned on Tuesday.\n\nThe post Minister resigns appeared first on Example News."},
		{"a WordPress footer glued to the last paragraph", "The minister resigned on Tuesday. The post Minister resigns appeared first on Example News."},
		{"a subscribe prompt", "The minister resigned on Tuesday.\n\nClick here to subscribe to our newsletter"},
		{"a newsletter sign-up", "The minister resigned on Tuesday.\n\nSign up for our free daily newsletter"},
		{"a copyright line", "The minister resigned on Tuesday.\n\n© 2024 Reuters. All rights reserved."},
		{"an AP copyright footer", "The minister resigned on Tuesday.\n\nCopyright 2024 The Associated Press. All rights reserved. This material may not be published, broadcast, rewritten or redistributed."},
		{"a related list under a header", "The minister resigned on Tuesday.\n\nRelated:\nWho will replace her\nA timeline of the crisis"},
		{"a related header then a list paragraph", "The minister resigned on Tuesday.\n\nRelated stories\n\nWho will replace her\nA timeline of the crisis"},
		{"an inline related link", "Related: A timeline of the crisis\n\nThe minister resigned on Tuesday."},
		{"share button text", "The minister resigned on Tuesday.\n\nShare this:\nTwitter\nFacebook\nWhatsApp"},
		{"share buttons on one line", "Share | Facebook | Twitter | Email\n\nThe minister resigned on Tuesday."},
		{"a Reuters reporting credit", "The minister resigned on Tuesday.\n\n(Reporting by Jane Doe; Editing by John Smith)"},
		{"the Reuters standards line", "The minister resigned on Tuesday.\n\nOur Standards: The Thomson Reuters Trust Principles."},
		{"an AP contributor line and separator", "The minister resigned on Tuesday.\n\n___\n\nAssociated Press writer Jane Doe contributed to this report."},
		{"an advertisement marker", "Advertisement\n\nThe minister resigned on Tuesday."},
		{"an inline photo credit", "The minister resigned (Photo by Jane Doe/Getty Images) on Tuesday."},
		{"a photo credit line", "Photograph: Jane Doe/EPA\n\nThe minister resigned on Tuesday."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fp(tt.body); got != core {
				t.Fatalf("FingerprintText(%q) = %q, want %q", tt.body, got, core)
			}
		})
	}
}

func TestFingerprintTextKeepsProse(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{"a sentence that mentions Reuters", "The company told Reuters on Monday it would cut 500 jobs.",
			"the company told reuters on monday it would cut 500 jobs"},
		{"a paragraph that starts with Reuters but is no credit", "Reuters reported on Monday that talks had stalled.",
			"reuters reported on monday that talks had stalled"},
		{"an agency quoted in parentheses mid-sentence", "Officials said (Reuters) that prices would rise.",
			"officials said reuters that prices would rise"},
		{"a sentence starting with By and a time", "By Monday, the government will decide.",
			"by monday the government will decide"},
		{"a sentence starting with By and lowercase words", "By the time police arrived, the crowd had gone.",
			"by the time police arrived the crowd had gone"},
		{"a paragraph about copyright law", "Copyright law changed in 2019 after a long campaign.",
			"copyright law changed in 2019 after a long campaign"},
		{"a sentence that says read more", "Officials urged people to read more about the risks.",
			"officials urged people to read more about the risks"},
		{"a sentence about sharing", "Share prices fell sharply.",
			"share prices fell sharply"},
		{"a subheading after a related link", "Related: Old story\n\nMinisters promise simpler rules\n\nThe rules will change.",
			"ministers promise simpler rules the rules will change"},
		{"a dateline in the middle of a sentence", "He flew to LONDON (Reuters) - sources say.",
			"he flew to london reuters sources say"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fp(tt.body); got != tt.want {
				t.Fatalf("FingerprintText(%q) = %q, want %q", tt.body, got, tt.want)
			}
		})
	}
}

func TestFingerprintTextFallsBack(t *testing.T) {
	if got := FingerprintText(&record.Story{Title: "Only A Title!", Summary: "  "}); got != "only a title" {
		t.Fatalf("title fallback = %q", got)
	}
	if got := FingerprintText(&record.Story{Title: "T", Summary: "The summary."}); got != "the summary" {
		t.Fatalf("summary fallback = %q", got)
	}
	if got := FingerprintText(nil); got != "" {
		t.Fatalf("nil story = %q", got)
	}
}

// TestWireRepublicationsShareAFingerprint is the property dedupe relies
// on: one wire story, wrapped three ways, folds to one text.
func TestWireRepublicationsShareAFingerprint(t *testing.T) {
	const story = "Oil prices steadied on Tuesday after OPEC+ extended output cuts.\n\nBrent crude rose 12 cents to $82.92 a barrel."
	copies := []string{
		"LONDON, March 5 (Reuters) - " + story + "\n\n(Reporting by Alex Lawler; Editing by Susan Fenton)",
		"Reuters - " + story + "\n\nShare this:\nTwitter\nFacebook\n\nThe post Oil steadies appeared first on Example Daily.",
		"By Reuters\n\n" + story + "\n\n© 2024 Thomson Reuters. All rights reserved.\n\nRead more…",
	}
	want := fp(story)
	for _, c := range copies {
		if got := fp(c); got != want {
			t.Errorf("copy folds to %q, want %q", got, want)
		}
	}
}

func TestTitleKey(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"a BBC suffix is removed", "Sweden formally joins Nato - BBC News", "sweden formally joins nato"},
		{"a Reuters pipe suffix is removed", "Oil steadies after OPEC+ extends cuts | Reuters", "oil steadies after opec extends cuts"},
		{"stacked Guardian suffixes are removed", "Farmers bring tractors back to Brussels | Farming | The Guardian", "farmers bring tractors back to brussels"},
		{"an en-dash suffix is removed", "Storm hits coast – Irish Times", "storm hits coast"},
		{"a label prefix is removed", "BREAKING: Earthquake hits Japan", "earthquake hits japan"},
		{"a Reuters update tag is removed", "UPDATE 1-Mt. Gox files for US bankruptcy | Reuters", "mt gox files for us bankruptcy"},
		{"a stacked Reuters tag is removed", "REFILE-UPDATE 2-Oil steadies after OPEC+ extends cuts", "oil steadies after opec extends cuts"},
		{"a watch prefix is removed", "WATCH: Rocket launch from Florida", "rocket launch from florida"},
		{"punctuation and case fold", "Trump’s “big” win — again?!", "trump s big win again"},
		{"a lowercase tail is part of the headline", "Apple unveils new iPhone - here's what changed", "apple unveils new iphone here s what changed"},
		{"a short headline keeps its tail", "Paris - Live Updates", "paris live updates"},
		{"an empty title is empty", "  ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := TitleKey(tt.in); got != tt.want {
				t.Fatalf("TitleKey(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestContentHashIgnoresWrapping(t *testing.T) {
	a := &record.Story{Title: "Minister resigns over expenses - Example News", Body: "LONDON (Reuters) - The minister resigned.\n\nRead more…"}
	b := &record.Story{Title: "Minister resigns over expenses | Other Paper", Body: "The minister resigned."}
	c := &record.Story{Title: "Minister resigns over expenses", Body: "The minister resigned on Tuesday."}
	contentHash := func(s *record.Story) string { return contentHash(TitleKey(s.Title), FingerprintText(s)) }
	if contentHash(a) != contentHash(b) {
		t.Fatal("wrapping changed the content hash")
	}
	if contentHash(a) == contentHash(c) {
		t.Fatal("a body change did not change the content hash")
	}
	if len(contentHash(a)) != 64 || strings.Trim(contentHash(a), "0123456789abcdef") != "" {
		t.Fatal("content hash is not 64 hex digits")
	}
}

// storyTexts is FingerprintText and TitleKey, however much of the title's
// work the two share: a title the fingerprint keeps whole and TitleKey
// cuts nothing from, one it cuts a suffix, label or wire tag from, one
// whose dateline or share text the fingerprint drops, a volatile
// fragment, more than one line, and a story whose body or summary, not
// its title, is the fingerprint's text.
func TestStoryTextsAreFingerprintTextAndTitleKey(t *testing.T) {
	titles := []string{
		"Fed official says weak data caused by weather, should not slow taper",
		"  Minister resigns over expenses  ",
		"Minister resigns over expenses - Example News",
		"Minister resigns over expenses | The Daily Paper Online",
		"BREAKING: Minister resigns over expenses",
		"UPDATE 2-Minister resigns over expenses",
		"LONDON (Reuters) - Minister resigns over expenses",
		"Ukraine war live: talks resume (updated 5 minutes ago)",
		"Talks resume, 1,234 comments",
		"Share",
		"Share on Facebook",
		"Read more",
		"Minister resigns\nover expenses - Example News",
		"Minister resigns\n\nShare",
		"Cats - BBC",
		"Élections : le ministre démissionne – Le Monde",
		"",
		" ",
	}
	for _, title := range titles {
		stories := []*record.Story{
			{Title: title},
			{Title: title, Summary: "  "},
			{Title: title, Body: "LONDON (Reuters) - The minister resigned.\n\nRead more…"},
			{Title: title, Summary: "The summary."},
			{Title: title, Body: title},
		}
		for _, s := range stories {
			fp, key := storyTexts(s)
			if want := FingerprintText(s); fp != want {
				t.Errorf("storyTexts(%q, body %q, summary %q) fingerprint %q, FingerprintText %q", s.Title, s.Body, s.Summary, fp, want)
			}
			if want := TitleKey(s.Title); key != want {
				t.Errorf("storyTexts(%q, body %q, summary %q) title key %q, TitleKey %q", s.Title, s.Body, s.Summary, key, want)
			}
		}
	}
}
