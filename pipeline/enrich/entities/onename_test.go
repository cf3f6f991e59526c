package entities

import "testing"

// TestOneNameIsOneEntityInAStory covers the round-10 coreference rules
// (issue 15): a name a cue read as an organization somewhere in the
// story stays that organization where another sentence reads it as a
// person.
func TestOneNameIsOneEntityInAStory(t *testing.T) {
	for _, tt := range []struct {
		name   string
		body   string
		want   map[string]int
		absent []string
	}{
		{
			name:   "a body's one-word name after a speech verb is the body",
			body:   "She posed for the fashion magazine Quorvane. It was a first, Mrs Obama told Quorvane.",
			want:   map[string]int{"organization:quorvane": 2},
			absent: []string{"person:quorvane"},
		},
		{
			name:   "a run read as a person by its shape is the organization a cue named so",
			body:   "Shares in Brellick Towne rose. Later Brellick Towne said profits grew.",
			want:   map[string]int{"organization:brellick_towne": 2},
			absent: []string{"person:brellick_towne"},
		},
		{
			name: "a person and a body of different names are both kept",
			body: "Tomasz Wrobel, the chairman of Varga Lund Holdings, said Varga Lund Holdings would grow.",
			want: map[string]int{"person:tomasz_wrobel": 1, "organization:varga_lund_holdings": 2},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := newX(t).Extract("News", tt.body, "en")
			checkMentions(t, got, tt.want)
			checkKeys(t, got, nil, tt.absent)
		})
	}
}
