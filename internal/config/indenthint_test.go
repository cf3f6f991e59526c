package config

import (
	"strings"
	"testing"
)

// YAML's words for a key indented wrongly ("did not find expected '-'
// indicator", "did not find expected key", "mapping values are not
// allowed in this context") say nothing of indentation, and the last is
// also what an unquoted value holding ": " gets (round 42). Each names
// which it most likely is.
func TestAnIndentationSlipIsNamed(t *testing.T) {
	for _, tc := range []struct{ doc, want string }{
		{"feeds:\n  - url: https://e.com/rss\n  tags: [x]\n",
			`line 3: did not find expected '-' indicator (line 3 reads "  tags: [x]"): check its indentation: 2 spaces, where line 2's key "url" has 4`},
		{"feeds:\n  - url: https://e.com/rss\n      tags: [x]\n",
			`line 3: mapping values are not allowed in this context (line 3 reads "      tags: [x]"): check its indentation: 6 spaces, where line 2's key "url" has 4`},
		{"feeds:\n- url: https://e.com/rss\n  tags: [x]\n kafka:\n  brokers: [a:1]\n",
			`line 4: did not find expected key (line 4 reads " kafka:"): check its indentation: 1 space, where line 3's key "tags" has 2`},
		{"feeds:\n  - url: https://e.com/rss\n    name: Breaking: news\n",
			`line 3: mapping values are not allowed in this context (line 3 reads "    name: Breaking: news"): a value holding ": " is quoted: name: "Breaking: news"`},
	} {
		_, err := Parse([]byte(tc.doc), noEnv)
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%q:\n got  %v\n want %s…", tc.doc, err, tc.want)
		}
	}
}

// A list item's dash does not line up with the keys above it: "  - name:"
// under "    url:" (or under "feeds:") is how every list is written, not
// an indentation slip. An unquoted ": " in a list item's first key was
// told "check its indentation: 2 spaces, where line 2's key "url" has 4"
// (round 42's review); it is told to quote the value, and no line of
// valid layout is called misindented.
func TestAListItemIsNotCalledAnIndentationSlip(t *testing.T) {
	for _, tc := range []struct{ doc, want string }{
		{"feeds:\n  - url: https://e.com/rss\n  - name: Breaking: news\n    url: https://f.com/rss\n",
			`line 3: mapping values are not allowed in this context (line 3 reads "  - name: Breaking: news"): a value holding ": " is quoted: name: "Breaking: news"`},
		{"feeds:\n- url: https://e.com/rss\n- name: Breaking: news\n",
			`line 3: mapping values are not allowed in this context (line 3 reads "- name: Breaking: news"): a value holding ": " is quoted: name: "Breaking: news"`},
		{"kafka:\n  brokers: [a:1]\nfeeds:\n  - name: Breaking: news\n    url: https://f.com/rss\n",
			`line 4: mapping values are not allowed in this context (line 4 reads "  - name: Breaking: news"): a value holding ": " is quoted: name: "Breaking: news"`},
	} {
		_, err := Parse([]byte(tc.doc), noEnv)
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) || strings.Contains(err.Error(), "indentation") {
			t.Errorf("%q:\n got  %v\n want %s…", tc.doc, err, tc.want)
		}
	}
}

// A trailing comment is no part of the value: "name: a: b # why" is told
// to read name: "a: b", not "a: b # why" (which would load the comment
// into the name).
func TestTheQuoteHintLeavesTheCommentOut(t *testing.T) {
	doc := "feeds:\n  - url: https://e.com/rss\n    name: Breaking: news # from the wire\n"
	want := `a value holding ": " is quoted: name: "Breaking: news"`
	_, err := Parse([]byte(doc), noEnv)
	if err == nil || !strings.HasSuffix(strings.SplitN(err.Error(), "\n", 2)[0], want) {
		t.Errorf("got  %v\nwant …%s", err, want)
	}
}

// The quote hint is bounded as "line N reads" is: a 1 MB value holding
// ": " was echoed whole (a 1,000,196-byte message, round 42's review).
func TestTheQuoteHintOfALongValueIsCut(t *testing.T) {
	doc := "feeds:\n  - url: https://e.com/rss\n    name: " + strings.Repeat("a: b ", 200000) + "\n"
	_, err := Parse([]byte(doc), noEnv)
	if err == nil || len(err.Error()) > 400 || !strings.Contains(err.Error(), `a value holding ": " is quoted: name: "a: b a: b`) {
		n := 0
		if err != nil {
			n = len(err.Error())
		}
		t.Errorf("got a %d-byte message, want < 400 with the quote hint cut: %.300v", n, err)
	}
}

// The key a slip is compared with is a key: the text of a block scalar,
// a plain value's second line or a flow list's last line above the slip
// was named as one ("line 4's key \"some text\" has 6", round 42's
// review). The key above is the last key YAML read before the slip.
func TestASlipIsComparedWithAKey(t *testing.T) {
	for _, tc := range []struct{ doc, want string }{
		{"feeds:\n  - url: x\n    name: |\n      some text\n   tags: [x]\n",
			`check its indentation: 3 spaces, where line 3's key "name" has 4`},
		{"feeds:\n  - url: x\n    name: |\n      some: text\n   tags: [x]\n",
			`check its indentation: 3 spaces, where line 3's key "name" has 4`},
		{"feeds:\n  - url: x\n    name: a\n      long plain\n   tags: [x]\n",
			`check its indentation: 3 spaces, where line 3's key "name" has 4`},
		{"feeds:\n  - url: x\n    tags: [a,\n      b]\n   name: y\n",
			`check its indentation: 3 spaces, where line 3's key "tags" has 4`},
		{"feeds:\n  - url: x\n    # a comment: here\n\n   name: y\n",
			`check its indentation: 3 spaces, where line 2's key "url" has 4`},
	} {
		_, err := Parse([]byte(tc.doc), noEnv)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q:\n got  %v\n want …%s…", tc.doc, err, tc.want)
		}
	}
}
