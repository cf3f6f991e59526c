package encode

import "github.com/wirestream/wirestream/pipeline/record"

// appendEvent appends the event's native JSON record to b without
// reflection, as appendStory does for stories: below capacity every
// write publishes again each event its stories touched, each record
// listing all the event's story ids, and json.Marshal's reflection was
// most of that record's encoding. The output is byte for byte what
// json.Marshal writes for a *record.Event (eventjson_test.go compares
// the two on the golden record, on every field filled at random, and
// under FuzzEventJSON); ok is false where json.Marshal would fail (a
// time RFC 3339 cannot write).
func appendEvent(b []byte, e *record.Event) (_ []byte, ok bool) {
	w := jsonWriter{b: b, ok: true}
	w.b = append(w.b, '{')
	w.str("type", string(e.Type))
	w.str("id", e.ID)
	w.str("schema_version", e.SchemaVersion)
	w.int("revision", int64(e.Revision))
	w.str("title", e.Title)
	w.time("first_seen", e.FirstSeen)
	w.time("last_seen", e.LastSeen)
	w.time("first_published", e.FirstPublished)
	w.time("last_published", e.LastPublished)
	w.int("story_count", int64(e.StoryCount))
	w.int("republications", int64(e.Republications))
	w.strsOrNull("publishers", e.Publishers)
	w.int("publisher_count", int64(e.PublisherCount))
	objects(&w, "entities", e.Entities, func(w *jsonWriter, c record.EntityCount) {
		w.str("key", c.Key)
		w.str("name", c.Name)
		w.str("kind", c.Kind)
		w.int("stories", int64(c.Stories))
	})
	w.strs("keywords", e.Keywords)
	w.strs("topics", e.Topics)
	w.strs("languages", e.Languages)
	w.strsOrNull("story_ids", e.StoryIDs)
	w.trueOmit("expired", e.Expired)
	w.strOmit("merged_into", e.MergedInto)
	w.trueOmit("retracted", e.Retracted)
	w.b = append(w.b, '}')
	return w.b, w.ok
}
