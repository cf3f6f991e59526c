package entities

import (
	"testing"

	"github.com/wirestream/wirestream/pipeline/record"
)

// TestDivisionIsItsBody covers mergeDivisions (issue 15, round 12): a
// body's channel, desk or unit named after it is the body, whether the
// gazetteer lists the division or the recognizer read it; a name with
// another word after the body's is its own.
func TestDivisionIsItsBody(t *testing.T) {
	for _, tt := range []struct {
		name        string
		body        string
		want        map[string]int
		absent      []string
		wantPresent []string
	}{
		{
			name:   "a listed channel and its broadcaster named apart are one body",
			body:   "The CBS correspondent saw the wreckage. Analysis: Jane Harrow, CBS News, Washington.",
			want:   map[string]int{"organization:cbs": 2},
			absent: []string{"organization:cbs_news"},
		},
		{
			name:   "a listed channel alone is its broadcaster",
			body:   "The match will be shown live on CBS News tonight.",
			want:   map[string]int{"organization:cbs": 1},
			absent: []string{"organization:cbs_news"},
		},
		{
			name:   "a division the recognizer read is the body the story named",
			body:   "The broadcaster Telvio won the rights. Telvio Sports Network will show 38 games.",
			want:   map[string]int{"organization:telvio": 2},
			absent: []string{"organization:telvio_sports_network"},
		},
		{
			name:        "another word after the body's name keeps a name of its own",
			body:        "The broadcaster Telvio won the rights. Telvio Star Sports will show 38 games.",
			wantPresent: []string{"organization:telvio_star_sports"},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := newX(t).Extract("News", tt.body, "en")
			checkMentions(t, got, tt.want)
			checkKeys(t, got, tt.wantPresent, tt.absent)
		})
	}
}

// checkMentions fails the test for each key of want whose entity in got
// has not that many mentions.
func checkMentions(t *testing.T, got []record.Entity, want map[string]int) {
	t.Helper()
	k := keys(got)
	for key, n := range want {
		if k[key].Mentions != n {
			t.Errorf("%s: %d mentions, want %d; got %v", key, k[key].Mentions, n, got)
		}
	}
}

// TestHyphenatedTitle: a title spelt with a hyphen ("Director-General",
// "Secretary-General") is stripped like one spelt with a space, and the
// name after it is a person's.
func TestHyphenatedTitle(t *testing.T) {
	for _, body := range []string{
		"Director-General Halvard Brekke said the search would go on.",
		"The Secretary-General Halvard Brekke arrived on Monday.",
	} {
		got := newX(t).Extract("News", body, "en")
		checkKeys(t, got, []string{"person:halvard_brekke"}, []string{"person:director_general_halvard_brekke", "person:secretary_general_halvard_brekke"})
	}
	// a hyphenated surname is no title
	got := newX(t).Extract("News", "Sarah Major-Ward said the talks had failed.", "en")
	checkKeys(t, got, []string{"person:sarah_major_ward"}, nil)
}

// TestTitleBeforeBodyWords: a title-like word before only a body's words
// ("Major League", "Star Sports") leaves no person.
func TestTitleBeforeBodyWords(t *testing.T) {
	got := newX(t).Extract("News", "The network wants the viewers of Major League baseball, an executive said.", "en")
	checkKeys(t, got, nil, []string{"person:league"})
}

// TestShortFormOfNationalBody covers mergeShortForms: a national body
// named in full, then without its country's demonym, is one body; two
// bodies of different countries stay two.
func TestShortFormOfNationalBody(t *testing.T) {
	got := newX(t).Extract("News", "The Canadian Seabed Mapping Agency led the search. Later the Seabed Mapping Agency said the maps were ready.", "en")
	checkMentions(t, got, map[string]int{"organization:canadian_seabed_mapping_agency": 2})
	checkKeys(t, got, nil, []string{"organization:seabed_mapping_agency"})
	got = newX(t).Extract("News", "The Canadian Seabed Mapping Agency and the Seabed Mapping Agency of Peru both said so.", "en")
	checkKeys(t, got, []string{"organization:canadian_seabed_mapping_agency"}, nil)
}

// A short form named before the long form stays apart: it may be another
// country's (review, round 12).
func TestShortFormOfAnotherCountrysBody(t *testing.T) {
	got := newX(t).Extract("News", "Russia's Seabed Mapping Agency denied it. The Canadian Seabed Mapping Agency said the maps were ready.", "en")
	checkMentions(t, got, map[string]int{"organization:canadian_seabed_mapping_agency": 1})
}

// A headline's short form is the body its story names in full (review,
// round 12).
func TestAShortFormInTheHeadlineIsTheStorysBody(t *testing.T) {
	got := newX(t).Extract("Seabed Mapping Agency summons envoy", "The Canadian Seabed Mapping Agency said the maps were ready.", "en")
	checkMentions(t, got, map[string]int{"organization:canadian_seabed_mapping_agency": 2})
}
