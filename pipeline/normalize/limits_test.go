package normalize

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/wirestream/wirestream/pipeline/enrich/entities"
	"github.com/wirestream/wirestream/pipeline/enrich/keywords"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/record/schema"
)

// hostileItem has every text field far over its cap, written with the
// characters JSON escapes most ('<' takes six bytes there): the title of
// size bytes, content of size/4 and description of size/8 (over the
// default body cap at size 1 MiB), the other large ones of size/16, the
// hundred authors, categories and media of 4 KiB each: what one 10 MiB
// document can carry.
func hostileItem(size int) record.Item {
	sized := func(n int) func(string) string {
		return func(word string) string { return strings.Repeat(word+" <&> ", n/len(word+" <&> ")) }
	}
	huge, big := sized(size), sized(size/16)
	small := func(word string) string { return strings.Repeat(word+" <&> ", 4096/len(word+" <&> ")) }
	var authors, cats []string
	var media []record.Media
	var subjects []record.Subject
	for i := range 100 {
		authors = append(authors, fmt.Sprintf("Author %d %s", i, small("Name")))
		cats = append(cats, fmt.Sprintf("Category %d %s", i, small("cat")))
		subjects = append(subjects, record.Subject{Name: fmt.Sprintf("Subject %d %s", i, small("topic")),
			URI: fmt.Sprintf("http://cv.iptc.org/newscodes/mediatopic/%d", 20000000+i), Literal: fmt.Sprint(20000000 + i), Rel: "about"})
		media = append(media, record.Media{URL: fmt.Sprintf("https://img.example/%d.jpg?%s", i, strings.Repeat("q", maxMediaURL)),
			Type: "image/" + small("jpeg"), Medium: small("image"), Title: small("title"), Credit: small("credit"), Captions: small("caption")})
	}
	return record.Item{
		Feed:         record.FeedRef{URL: "https://hostile.example/rss", Title: big("Feed")},
		Publisher:    big("Publisher"),
		GUID:         "guid-" + strings.Repeat("g", size/16),
		Link:         "https://hostile.example/story?utm_source=" + strings.Repeat("u", size/16) + "&id=7",
		Title:        "Headline " + huge("headline"),
		Description:  "<p>" + sized(size/8)("summary") + "</p>",
		Content:      "<p>" + sized(size/8)("body") + "</p><p>" + sized(size/8)("more") + "</p>",
		Authors:      authors,
		Categories:   cats,
		Subjects:     subjects,
		Media:        media,
		PublishedRaw: "Tue, 05 Mar 2024 09:00:00 GMT " + big("x"),
		UpdatedRaw:   big("2024"),
		FetchedAt:    testNow,
	}
}

// A 1 MB title (and every other field as large) is cut to its cap and
// named in the story's truncated field and in the metric; the story still
// validates, its id is still derived from the whole GUID, and nothing but
// the cuts changes.
func TestOverlongFieldsAreCutAndFlagged(t *testing.T) {
	m := NewMetrics(nil)
	n := New(DefaultConfig(), m)
	it := hostileItem(1 << 20)
	s, err := n.Normalize(it, testNow)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{record.FieldTitle, record.FieldBody, record.FieldHTML, record.FieldGUID, record.FieldURL,
		record.FieldPublisher, record.FieldFeedTitle, record.FieldAuthors, record.FieldCategories, record.FieldSubjects,
		record.FieldMedia, record.FieldPublishedRaw, record.FieldUpdatedRaw}
	if !slices.Equal(s.Truncated, want) {
		t.Errorf("truncated = %q, want %q", s.Truncated, want)
	}
	for _, f := range want {
		if got := testutil.ToFloat64(m.Truncated.WithLabelValues(f)); got != 1 {
			t.Errorf("wirestream_normalize_truncated_total{field=%q} = %v, want 1", f, got)
		}
	}
	caps := map[string]struct {
		v   string
		max int
	}{
		"title": {s.Title, maxTitleBytes}, "guid": {s.GUID, maxGUIDBytes}, "url": {s.URL, maxURLBytes},
		"publisher": {s.Publisher, maxNameBytes}, "feed title": {s.Feed.Title, maxNameBytes},
		"published_raw": {s.PublishedRaw, maxRawDateBytes}, "updated_raw": {s.UpdatedRaw, maxRawDateBytes},
		"body": {s.Body, DefaultConfig().MaxTextBytes},
	}
	for name, c := range caps {
		if l := record.JSONBytes(c.v); l > c.max || !utf8.ValidString(c.v) {
			t.Errorf("%s: %d JSON bytes, cap %d", name, l, c.max)
		}
	}
	if !strings.HasSuffix(s.Title, "…") || !strings.HasPrefix(s.Title, "Headline headline") {
		t.Errorf("title not cut at a word with a mark: %q…%q", s.Title[:30], s.Title[len(s.Title)-10:])
	}
	if s.HTML != "" {
		t.Errorf("html over the cap kept (%d bytes): a cut would break the markup", len(s.HTML))
	}
	if len(s.Authors) != maxAuthors || len(s.Categories) != maxCategories || len(s.Subjects) != maxCategories || len(s.Media) != 0 {
		t.Errorf("kept %d authors, %d categories, %d subjects, %d media; want %d, %d, %d and none (every media URL is over %d bytes)",
			len(s.Authors), len(s.Categories), len(s.Subjects), len(s.Media), maxAuthors, maxCategories, maxCategories, maxMediaURL)
	}
	for _, sub := range s.Subjects {
		if record.JSONBytes(sub.Name) > maxNameBytes || sub.URI == "" {
			t.Errorf("subject %q (%d bytes) over its cap or without its code", sub.Name[:20], record.JSONBytes(sub.Name))
		}
	}
	for _, a := range append(s.Authors, s.Categories...) {
		if record.JSONBytes(a) > maxNameBytes {
			t.Errorf("a name of %d JSON bytes, cap %d", record.JSONBytes(a), maxNameBytes)
		}
	}
	if s.ID != StoryID(s.CanonicalURL, "", "") {
		t.Errorf("id %s is not the canonical URL's", s.ID)
	}
	if s.URL != s.CanonicalURL {
		t.Errorf("an over-long link should give way to its canonical form, got %d bytes", len(s.URL))
	}
	s.Fingerprint = "0123456789abcdef" // dedupe's stamp
	data, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate(data); err != nil {
		t.Fatal(err)
	}
	if len(data) > 600_000 {
		t.Errorf("story of %d bytes from a hostile item, want it bounded by the caps (< 600 kB at the default max_text_bytes)", len(data))
	}

	// A GUID-only item keeps a unique GUID after the cut.
	a := record.Item{Feed: it.Feed, GUID: it.GUID, Title: "A story without a link"}
	b := a
	b.GUID = it.GUID + "-other"
	sa, err1 := n.Normalize(a, testNow)
	sb, err2 := n.Normalize(b, testNow)
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	if sa.GUID == sb.GUID || sa.ID == sb.ID || record.JSONBytes(sa.GUID) > maxGUIDBytes {
		t.Errorf("two GUIDs sharing their first MB collide after the cut: %q / %q", sa.GUID[len(sa.GUID)-20:], sb.GUID[len(sb.GUID)-20:])
	}
}

// A link whose canonical form is over the URL cap cannot be cut (it is
// the story's identity): the item is rejected as a bad link, and the
// pipeline dead-letters it.
func TestAnOverlongCanonicalLinkIsABadLink(t *testing.T) {
	it := record.Item{Feed: record.FeedRef{URL: "https://f.example/rss"}, Title: "t",
		Link: "https://f.example/" + strings.Repeat("p", maxURLBytes)}
	if _, err := New(DefaultConfig(), nil).Normalize(it, testNow); err == nil || !strings.Contains(err.Error(), "over the 8192-byte cap") {
		t.Fatalf("err = %v, want a bad link over the cap", err)
	}
}

// The caps are chosen so that a story with every field at its cap, body
// and HTML at the largest max_text_bytes allowed, and enrichment at its
// own caps, still fits in Kafka's default message.max.bytes.
func TestAStoryAtEveryCapFitsInAKafkaMessage(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxTextBytes = maxMaxTextBytes
	// Every capped field from a hostile item; body and HTML then filled
	// to max_text_bytes of JSON with the most escaped character there is.
	s, err := New(cfg, nil).Normalize(hostileItem(256<<10), testNow)
	if err != nil {
		t.Fatal(err)
	}
	s.HTML = strings.Repeat("<", cfg.MaxTextBytes/6)
	// Media at their caps: the hostile ones were all dropped.
	for i := range maxMedia {
		s.Media = append(s.Media, record.Media{URL: "https://i.example/" + strings.Repeat("m", maxMediaURL-25) + fmt.Sprint(i),
			Type: strings.Repeat("t", maxMediaText), Medium: strings.Repeat("m", maxMediaText), Title: strings.Repeat("<", maxMediaText/6),
			Credit: strings.Repeat("<", maxMediaText/6), Captions: strings.Repeat("<", maxMediaText/6), Width: 1 << 30, Height: 1 << 30, Length: 1 << 60, Thumb: true})
	}
	s.Body = strings.Repeat("<", cfg.MaxTextBytes/6)
	// Enrichment at its caps: the most entities enrich.max_entities allows, 100 keywords, every topic.
	for i := range entities.MaxEntitiesLimit {
		s.Entities = append(s.Entities, record.Entity{Key: "organization:" + strings.Repeat("k", entities.MaxNameBytes) + fmt.Sprint(i),
			Name: strings.Repeat("N", entities.MaxNameBytes), Kind: "organization", ISO: "GB", Mentions: 1 << 20, InTitle: true})
	}
	for i := range 100 {
		s.Keywords = append(s.Keywords, strings.Repeat("w", keywords.MaxKeywordBytes-len(fmt.Sprint(i)))+fmt.Sprint(i))
	}
	for range 17 {
		s.Topics = append(s.Topics, record.Topic{Code: "medtop:20000000", Name: "disaster, accident and emergency incident", Score: 0.123456789})
	}
	// Subjects at their caps.
	s.Subjects = nil
	for range maxCategories {
		s.Subjects = append(s.Subjects, record.Subject{Name: strings.Repeat("<", maxNameBytes/6), URI: strings.Repeat("u", maxNameBytes),
			Literal: strings.Repeat("l", maxCodeBytes), Rel: strings.Repeat("r", maxCodeBytes)})
	}
	s.EventID, s.Language, s.Fingerprint = "e_"+strings.Repeat("x", 30), "en-GB", "0123456789abcdef"
	data, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	// Kafka adds the key, the headers and the batch framing (the sink
	// counts ~400 bytes for a story).
	const kafkaDefault, framing = 1_000_000, 1_000
	if len(data)+framing > kafkaDefault {
		t.Fatalf("a story at every cap is %d bytes: over Kafka's default message.max.bytes with framing", len(data))
	}
	t.Logf("a story at every cap (max_text_bytes %d) encodes to %d bytes", cfg.MaxTextBytes, len(data))
}

// Bidi embeddings, overrides and isolates are removed from every text
// field; marks, which right-to-left text uses, stay.
func TestBidiControlsAreRemoved(t *testing.T) {
	it := record.Item{Feed: record.FeedRef{URL: "https://f.example/rss", Title: "Feed\u202e"}, Link: "https://f.example/a",
		Title:       "Invoice \u202egnp.exe",
		Description: "<p>Open \u2066the\u2069 file \u202atoday\u202c or \u202bnow\u202c.</p>",
		Authors:     []string{"Jane \u202dDoe"}, Categories: []string{"Mal\u202eware"},
		Media: []record.Media{{URL: "https://f.example/i.jpg", Title: "pic\u2067ture\u2069", Credit: "\u2068AP\u2069"}}}
	s, err := New(DefaultConfig(), nil).Normalize(it, testNow)
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{s.Title, s.Body, s.Summary, s.HTML, s.Feed.Title, s.Publisher, s.Media[0].Title, s.Media[0].Credit}
	texts = append(append(texts, s.Authors...), s.Categories...)
	for _, x := range texts {
		if strings.ContainsFunc(x, isBidiControl) {
			t.Errorf("bidi control kept in %q", x)
		}
	}
	if s.Title != "Invoice gnp.exe" || s.Authors[0] != "Jane Doe" {
		t.Errorf("title %q, author %q", s.Title, s.Authors[0])
	}
	rtl := ToLine("\u05e9\u05dc\u05d5\u05dd \u200fABC\u200e \u0645\u0631\u062d\u0628\u0627\u061c")
	if !strings.ContainsRune(rtl, '\u200f') || !strings.ContainsRune(rtl, '\u200e') || !strings.ContainsRune(rtl, '\u061c') {
		t.Errorf("bidi marks removed from right-to-left text: %q", rtl)
	}
}

// The ordinary limits a story's record gives consumers: a cut is named
// once, in a fixed order, however many caps a field hit.
func TestTruncationsAreNamedOnceInFieldOrder(t *testing.T) {
	var c truncations
	c.add(record.FieldMedia, true)
	c.add(record.FieldTitle, true)
	c.add(record.FieldMedia, true)
	c.add(record.FieldBody, false)
	if got := c.sortedFields(); !slices.Equal(got, []string{record.FieldTitle, record.FieldMedia}) {
		t.Errorf("sortedFields = %q", got)
	}
	if got := (truncations{}).sortedFields(); got != nil {
		t.Errorf("no cuts gave %q, want nil (the field is omitted)", got)
	}
}

// jsonFits answers from the length alone only where that cannot be wrong:
// it is record.JSONBytes(s) <= n for strings of characters that encode to six bytes
// each (control characters, "<", invalid bytes), to one, and mixed, at
// every n around the boundaries.
func TestJSONFitsIsJSONLenWithin(t *testing.T) {
	for _, unit := range []string{"\x01", "<", "\xff", "a", "é", "\u2028", "\"", "a<\xffé"} {
		for k := range 40 {
			s := strings.Repeat(unit, k)
			for n := range 6*len(s) + 8 {
				if got, want := jsonFits(s, n), record.JSONBytes(s) <= n; got != want {
					t.Fatalf("jsonFits(%q, %d) = %v, record.JSONBytes %d", s, n, got, record.JSONBytes(s))
				}
			}
		}
	}
}
