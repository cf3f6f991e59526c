package schema

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/enrich/entities"
	"github.com/wirestream/wirestream/pipeline/record"
)

// The golden records are what consumers see; they must validate.
func TestGoldenRecordsValidate(t *testing.T) {
	files, err := filepath.Glob("testdata/*.golden.json")
	if err != nil || len(files) < 6 {
		t.Fatalf("want a golden record per type in testdata, found %d (%v)", len(files), err)
	}
	types := map[string]bool{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := Validate(data); err != nil {
			t.Errorf("%s: %v", f, err)
		}
		var head struct{ Type string }
		_ = json.Unmarshal(data, &head)
		types[head.Type] = true
	}
	for _, typ := range record.Types {
		if !types[string(typ)] {
			t.Errorf("no golden record of type %q", typ)
		}
	}
}

// Decoding a golden record into its Go type and encoding it again must
// give the same JSON: the Go types and the schema describe one format.
func TestGoldenRecordsRoundTripThroughGoTypes(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.golden.json")
	for _, f := range files {
		data, _ := os.ReadFile(f)
		var head struct{ Type record.Type }
		_ = json.Unmarshal(data, &head)
		v := newOf(head.Type)
		if v == nil {
			t.Errorf("%s: unknown type %q", f, head.Type)
			continue
		}
		dec := json.NewDecoder(strings.NewReader(string(data)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(v); err != nil {
			t.Errorf("%s: the Go type rejects a field of the golden record: %v", f, err)
			continue
		}
		out, _ := json.Marshal(v)
		if !jsonEqual(t, data, out) {
			t.Errorf("%s: round trip through %T changed the record:\n got %s\nwant %s", f, v, out, compact(data))
		}
	}
}

// Fully populated Go values must validate: a field added to a Go type
// but not to the schema fails here (the schema forbids unknown fields).
func TestEveryGoFieldIsInTheSchema(t *testing.T) {
	now := time.Date(2026, 11, 27, 9, 30, 0, 0, time.UTC)
	item := record.Item{Feed: record.FeedRef{URL: "https://example.com/rss", Title: "Example", Tags: []string{"world"}, Site: "https://www.example.org/"}, FeedLanguage: "en", Publisher: "Example",
		GUID: "g1", Link: "https://example.com/a", Title: "T", Description: "d", Content: "<p>c</p>", Authors: []string{"A"}, Categories: []string{"World"},
		Subjects:     []record.Subject{{Name: "Sport", URI: "http://cv.iptc.org/newscodes/mediatopic/15000000", Literal: "15000000", Rel: "about"}},
		Media:        []record.Media{{URL: "https://example.com/i.jpg", Type: "image/jpeg", Medium: "image", Width: 1, Height: 1, Title: "t", Thumb: true, Length: 10, Credit: "c", Captions: "c"}},
		PublishedRaw: "x", PublishedParsed: &now, UpdatedRaw: "y", UpdatedParsed: &now, FetchedAt: now}
	deadLetter := record.NewDeadLetter(record.StageNormalize, "s", "https://example.com/rss", errors.New("no link"), now).WithPayload([]byte("{}"))
	deadLetter.Item = &item
	recs := []record.Record{
		&record.Story{Type: record.TypeStory, ID: "s_abcdefghijklmnopqrstuv", Version: 2, SchemaVersion: "1", Feed: item.Feed, Publisher: "Example",
			URL: "https://example.com/a?utm_source=x", CanonicalURL: "https://example.com/a", GUID: "g1", Title: "T", Summary: "s", Body: "b", HTML: "<p>b</p>",
			Authors: []string{"A"}, Categories: []string{"World"}, Subjects: item.Subjects, Language: "en", PublishedRaw: "x", Published: now, UpdatedRaw: "y", Updated: &now,
			DateFlags: []string{record.DateImplausible, record.DateNoTimezone}, Truncated: []string{record.FieldTitle, record.FieldSubjects, record.FieldMedia}, FirstSeen: now, FetchedAt: now, Media: item.Media, Fingerprint: "0123456789abcdef",
			ContentHash: strings.Repeat("ab", 32), EventID: "e_1", Entities: []record.Entity{{Key: "place:gb", Name: "United Kingdom", Kind: "place", ISO: "GB", Mentions: 2, InTitle: true}},
			Keywords: []string{"summit"}, Topics: []record.Topic{{Code: "medtop:11000000", Name: "politics", Score: 0.8}}},
		&record.Duplicate{Type: record.TypeDuplicate, ID: "s_bbbbbbbbbbbbbbbbbbbbbb", SchemaVersion: "1", DuplicateOf: "s_abcdefghijklmnopqrstuv", Method: "near", Similarity: 0.93,
			URL: "https://other.example/b", CanonicalURL: "https://other.example/b", Title: "T2", Feed: item.Feed, Publisher: "Other", SeenAt: now, EventID: "e_1"},
		&record.Event{Type: record.TypeEvent, ID: "e_1", SchemaVersion: "1", Revision: 3, Title: "T", FirstSeen: now, LastSeen: now, StoryCount: 2, Republications: 1,
			Publishers: []string{"Example"}, PublisherCount: 1, Entities: []record.EntityCount{{Key: "place:gb", Name: "United Kingdom", Kind: "place", Stories: 2}},
			Keywords: []string{"summit"}, Topics: []string{"politics"}, Languages: []string{"en"}, StoryIDs: []string{"s_1"}, Expired: true},
		&record.Event{Type: record.TypeEvent, ID: "e_2", SchemaVersion: "1", Revision: 4, Title: "T", FirstSeen: now, LastSeen: now,
			Publishers: []string{}, StoryIDs: []string{}, Expired: true, Retracted: true},
		&record.Alert{Type: record.TypeAlert, ID: "a_1", SchemaVersion: "1", Term: "person:zelensky", TermName: "Volodymyr Zelensky", TermKind: "entity", State: record.AlertFiring,
			Watched: true, BucketStart: now, BucketEnd: now.Add(5 * time.Minute), Stories: 12, Publishers: 7, Baseline: 0.4, Score: 9.1, Ratio: 30,
			SampleStories: []string{"s_1"}, EventIDs: []string{"e_1"}, At: now},
		&record.FeedStatus{Type: record.TypeFeedStatus, ID: "https://example.com/rss", SchemaVersion: "1", FeedURL: "https://example.com/rss", Name: "Example", Health: record.HealthDegraded,
			LastErrorClass: "http_5xx", LastError: "503", ConsecutiveFailures: 2, LastAttempt: now, LastSuccess: &now, HTTPStatus: 503, ItemsFound: 3, ItemsNew: 1, ItemsRotated: 2, ItemsRejected: 1, NextPoll: now, MovedTo: "https://example.com/feed.xml",
			Warnings: []string{record.WarnDatesUntrusted, record.WarnGUIDsRotate, record.WarnGUIDsShared, record.WarnItemsRejected},
			PolledBy: "fetch-1"},
		deadLetter,
	}
	for _, r := range recs {
		data, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		if err := Validate(data); err != nil {
			t.Errorf("%T: %v", r, err)
		}
	}
}

func TestInvalidRecordsAreRejected(t *testing.T) {
	cases := []struct{ name, json, want string }{
		{"a record without a type is rejected", `{"id":"x","schema_version":"1"}`, "type"},
		{"an unknown type is rejected", `{"type":"tweet","id":"x","schema_version":"1"}`, "tweet"},
		{"a story without its required fields is rejected", `{"type":"story","id":"s_abcdefghijklmnopqrstuv","schema_version":"1"}`, "missing"},
		{"a story with an unknown field is rejected", mustRead(t, "testdata/story.golden.json", `"title":`, `"headline":"x","title":`), "headline"},
		{"a future schema version is rejected", `{"type":"alert","id":"x","schema_version":"2"}`, "schema_version"},
		{"not JSON is rejected", `{"type":`, "not JSON"},
		{"a retracted event that still holds stories is rejected", mustRead(t, "testdata/event_retracted.golden.json", `"story_ids": []`, `"story_ids": ["s_1"]`), "story_ids"},
		{"a retracted alert that says firing is rejected", mustRead(t, "testdata/alert_retracted.golden.json", `"state": "cleared"`, `"state": "firing"`), "state"},
		{"a retracted event that is not expired is rejected", mustRead(t, "testdata/event_retracted.golden.json", `"expired": true,`, ``), "expired"},
		// The schema promises only what wirestream writes: a consumer
		// switching on method, or sizing by entities, is not told of
		// values that never come.
		{"a duplicate by a method dedupe does not have is rejected", mustRead(t, "testdata/duplicate.golden.json", `"method": "near"`, `"method": "title"`), "method"},
		{"a story with more entities than enrichment keeps is rejected", storyWithEntities(t, entities.MaxEntitiesLimit+1), "entities"},
		// feed_list is one of the forms run stamps (feedstatus): a
		// consumer that switches on the word before the space meets no
		// other.
		{"a feed_list of no form run stamps is rejected", mustRead(t, "testdata/feed_status.golden.json", `"topic wirestream.feeds"`, `"demo wirestream.feeds"`), "feed_list"},
		{"an event of no story that is not retracted is rejected", mustRead(t, "testdata/event.golden.json", `"story_count": 5`, `"story_count": 0`), "story_count"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := Validate([]byte(c.json))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Validate = %v, want an error mentioning %q", err, c.want)
			}
		})
	}
}

// storyWithEntities is the golden story with its first entity repeated
// n times.
func storyWithEntities(t *testing.T, n int) string {
	t.Helper()
	var story map[string]any
	if err := json.Unmarshal([]byte(mustRead(t, "testdata/story.golden.json", "", "")), &story); err != nil {
		t.Fatal(err)
	}
	first := story["entities"].([]any)[0]
	ents := make([]any, n)
	for i := range ents {
		ents[i] = first
	}
	story["entities"] = ents
	out, err := json.Marshal(story)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func mustRead(t *testing.T, path, old, new string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Replace(string(data), old, new, 1)
}

func newOf(t record.Type) any {
	switch t {
	case record.TypeStory:
		return &record.Story{}
	case record.TypeDuplicate:
		return &record.Duplicate{}
	case record.TypeEvent:
		return &record.Event{}
	case record.TypeAlert:
		return &record.Alert{}
	case record.TypeFeedStatus:
		return &record.FeedStatus{}
	case record.TypeDeadLetter:
		return &record.DeadLetter{}
	}
	return nil
}

func jsonEqual(t *testing.T, a, b []byte) bool {
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &y); err != nil {
		t.Fatal(err)
	}
	xs, _ := json.Marshal(x)
	ys, _ := json.Marshal(y)
	return string(xs) == string(ys)
}

func compact(b []byte) string {
	var x any
	_ = json.Unmarshal(b, &x)
	s, _ := json.Marshal(x)
	return string(s)
}

// The example records README.md shows a user are records the schema
// accepts: a README example that drifts from the schema misleads exactly
// the reader comparing the two field by field.
func TestREADMEExampleRecordsValidate(t *testing.T) {
	data, err := os.ReadFile("../../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var found int
	for _, block := range strings.Split(string(data), "```json\n")[1:] {
		body, _, _ := strings.Cut(block, "```")
		if !strings.HasPrefix(body, `{"type":`) {
			continue
		}
		found++
		if err := Validate([]byte(body)); err != nil {
			t.Errorf("README example record does not validate: %v\n%s", err, body)
		}
	}
	if found == 0 {
		t.Fatal("README.md shows no example record (a ```json block starting {\"type\":)")
	}
}

// The schema's bound on a story's entities is the most enrich.max_entities
// may configure: a record the pipeline writes at that setting validates,
// and one past it, which the pipeline never writes, does not.
func TestStoryEntitiesBoundIsTheConfigLimit(t *testing.T) {
	doc := readSchemaDefs(t)
	if got := doc.Defs["story"].Properties["entities"].MaxItems; got != entities.MaxEntitiesLimit {
		t.Errorf("the schema allows %d entities a story, enrich.max_entities up to %d", got, entities.MaxEntitiesLimit)
	}
	if err := Validate([]byte(storyWithEntities(t, entities.MaxEntitiesLimit))); err != nil {
		t.Errorf("a story at the limit does not validate: %v", err)
	}
}

// README sends a consumer to the schema for an alert, a feed_status, a
// dead letter, a duplicate and an event ("described field by field in the
// schema"): every field of those has a description there. Before, an
// alert's had none, so what its score, ratio, baseline or at meant was in
// no document; nor (round 30) a duplicate's similarity, url or event_id,
// or an event's republications, publishers or story_ids.
func TestTheRecordsREADMESendsToTheSchemaDescribeEveryField(t *testing.T) {
	doc := readSchemaDefs(t)
	for _, def := range []string{"alert", "feed_status", "dead_letter", "duplicate", "event"} {
		props := doc.Defs[def].Properties
		if len(props) == 0 {
			t.Fatalf("the schema has no %s properties", def)
		}
		for name, p := range props {
			if strings.TrimSpace(p.Description) == "" {
				t.Errorf("%s.%s has no description", def, name)
			}
		}
	}
}

// schemaDefs is what the tests read of record.schema.json's definitions:
// each property's bound on items and its description.
type schemaDefs struct {
	Defs map[string]struct {
		Properties map[string]struct {
			MaxItems    int    `json:"maxItems"`
			Description string `json:"description"`
		} `json:"properties"`
	} `json:"$defs"`
}

func readSchemaDefs(t *testing.T) schemaDefs {
	t.Helper()
	var doc schemaDefs
	data, err := os.ReadFile("record.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}
