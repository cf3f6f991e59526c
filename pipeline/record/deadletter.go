package record

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"
	"unicode/utf8"
)

// Dead-letter stages: where on the way something failed.
const (
	StageRead      = "read"      // a source could not turn its input into items (a feed's entry, a file, a JSONL line)
	StageNormalize = "normalize" // an item could not become a story
	StagePublish   = "publish"   // a record the sink could not write
)

// MaxDeadLetterPayload caps the copy of a failed record or input line a
// dead letter carries, so the dead letter itself always fits in a message.
const MaxDeadLetterPayload = 64 << 10

// NewDeadLetter is the one way to build a dead letter. stage says where it
// failed (StageRead, StageNormalize, StagePublish), err what and where;
// subject names what failed — an item's feed, GUID, link and title; a
// record's type and id; an input file and line — and is all its id is
// derived from: "dl_" and 24 hex digits of SHA-256(stage, subject). So the
// same failure met again (a feed read again, a write retried) has the same
// id, and consumers and compaction collapse the copies. feedURL may be "".
// The caller attaches the Item, or the Payload through WithPayload.
func NewDeadLetter(stage, subject, feedURL string, err error, at time.Time) *DeadLetter {
	h := sha256.Sum256([]byte(stage + "\x00" + subject))
	return &DeadLetter{
		Type:          TypeDeadLetter,
		ID:            "dl_" + hex.EncodeToString(h[:12]),
		SchemaVersion: SchemaVersion,
		FeedURL:       feedURL,
		Stage:         stage,
		Error:         err.Error(),
		At:            at.UTC(),
	}
}

// WithPayload keeps raw (a record's JSON, an input line) in the dead
// letter, cut to MaxDeadLetterPayload, and returns d.
func (d *DeadLetter) WithPayload(raw []byte) *DeadLetter {
	d.Payload = Truncate(string(raw), MaxDeadLetterPayload)
	return d
}

// Truncate returns s whole when it fits in n bytes. Otherwise it returns
// Prefix(s, n) followed by a marker saying how much was kept
// ("…[truncated: 300 of 1024 bytes kept]"), so the result is valid text
// wherever s was, and a cut is never taken for the whole.
func Truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	kept := Prefix(s, n)
	return kept + fmt.Sprintf("…[truncated: %d of %d bytes kept]", len(kept), len(s))
}

// Prefix returns the longest prefix of s of at most n bytes that does not
// split a UTF-8 character: the one way wirestream cuts text by size.
func Prefix(s string, n int) string {
	if n >= len(s) {
		return s
	}
	cut := max(n, 0)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}

// WithItem attaches a copy of it to the dead letter, its text cut so the
// dead letter stays within about 1.5 × MaxDeadLetterPayload however large
// the item was (an item is often dead-lettered because it is huge):
// content to 24 KiB, description and link to 8 KiB, every other string to
// 1 KiB, at most 20 authors, categories and subjects of 256 bytes each
// (per field), and at most 10 media with 2 KiB URLs and 256-byte texts. Cuts say so (Truncate).
// The caller's item is not changed. Returns d.
func (d *DeadLetter) WithItem(it Item) *DeadLetter {
	const (
		content = 24 << 10
		medium  = 8 << 10
		small   = 1 << 10
		entry   = 256
		entries = 20
		media   = 10
	)
	it.Content = Truncate(it.Content, content)
	it.Description = Truncate(it.Description, medium)
	it.Link = Truncate(it.Link, medium)
	for _, s := range []*string{&it.Title, &it.GUID, &it.Publisher, &it.FeedLanguage, &it.Feed.Title,
		&it.PublishedRaw, &it.UpdatedRaw} {
		*s = Truncate(*s, small)
	}
	clip := func(in []string) []string {
		if in == nil {
			return nil
		}
		out := make([]string, 0, min(len(in), entries))
		for _, s := range in[:min(len(in), entries)] {
			out = append(out, Truncate(s, entry))
		}
		return out
	}
	it.Authors, it.Categories = clip(it.Authors), clip(it.Categories)
	if it.Subjects != nil {
		subs := make([]Subject, 0, min(len(it.Subjects), entries))
		for _, s := range it.Subjects[:min(len(it.Subjects), entries)] {
			subs = append(subs, Subject{Name: Truncate(s.Name, entry), URI: Truncate(s.URI, entry), Literal: Truncate(s.Literal, entry), Rel: Truncate(s.Rel, entry)})
		}
		it.Subjects = subs
	}
	if it.Media != nil {
		ms := make([]Media, 0, min(len(it.Media), media))
		for _, m := range it.Media[:min(len(it.Media), media)] {
			m.URL = Truncate(m.URL, 2<<10)
			m.Type, m.Medium = Truncate(m.Type, entry), Truncate(m.Medium, entry)
			m.Title, m.Credit, m.Captions = Truncate(m.Title, entry), Truncate(m.Credit, entry), Truncate(m.Captions, entry)
			ms = append(ms, m)
		}
		it.Media = ms
	}
	d.Item = &it
	return d
}
