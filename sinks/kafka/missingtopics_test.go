package kafka

import (
	"strings"
	"testing"
	"time"
)

// The refusal of a start with kafka.provision off names what to create:
// "create it" for one topic, "create them" for several.
func TestTheMissingTopicsErrorIsGrammaticalForOneAndMany(t *testing.T) {
	cases := []struct {
		name   string
		topics []string
		want   []string
		not    string
	}{
		{"one topic", []string{"wirestream.items"}, []string{"topic wirestream.items does not exist", "create it with", "let wirestream create it"}, "them"},
		{"two topics", []string{"a", "b"}, []string{"2 topics do not exist: a, b", "create them with", "let wirestream create them"}, " it "},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			msg := (&MissingTopicsError{Topics: tc.topics, Brokers: []string{"k:9092"}, Waited: 10 * time.Second}).Error()
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("%q\nlacks %q", msg, w)
				}
			}
			if strings.Contains(msg, tc.not) {
				t.Errorf("%q\nsays %q", msg, tc.not)
			}
		})
	}
}
