package encode

import "github.com/wirestream/wirestream/pipeline/record"

// AppendItem appends an item message's value to b: {"v":version, then
// its fields}, byte for byte what a json.Encoder with
// SetEscapeHTML(false) writes for struct{V int `json:"v"`; *record.Item}
// (without its newline), but without reflection: the fetcher encodes
// every item it polls, and encoding/json was most of an item message's
// CPU (itemjson_test.go compares the two). ok is false where
// encoding/json would fail (a time RFC 3339 cannot say); the caller then
// asks encoding/json for the error.
func AppendItem(b []byte, version int, it *record.Item) (_ []byte, ok bool) {
	w := jsonWriter{b: b, ok: true, noHTML: true}
	w.b = append(w.b, '{')
	w.int("v", int64(version))
	w.key("feed")
	w.feed(it.Feed)
	w.strOmit("feed_language", it.FeedLanguage)
	w.strOmit("publisher", it.Publisher)
	w.strOmit("guid", it.GUID)
	w.strOmit("link", it.Link)
	w.strOmit("title", it.Title)
	w.strOmit("description", it.Description)
	w.strOmit("content", it.Content)
	w.strs("authors", it.Authors)
	w.strs("categories", it.Categories)
	objects(&w, "subjects", it.Subjects, (*jsonWriter).subject)
	objects(&w, "media", it.Media, (*jsonWriter).media)
	w.strOmit("published_raw", it.PublishedRaw)
	if it.PublishedParsed != nil {
		w.time("published_parsed", *it.PublishedParsed)
	}
	w.strOmit("updated_raw", it.UpdatedRaw)
	if it.UpdatedParsed != nil {
		w.time("updated_parsed", *it.UpdatedParsed)
	}
	w.time("fetched_at", it.FetchedAt)
	w.b = append(w.b, '}')
	return w.b, w.ok
}

// Item is AppendItem into a buffer of the value's own size.
func Item(version int, it *record.Item) ([]byte, bool) {
	return encodeRecord(it, func(b []byte, it *record.Item) ([]byte, bool) { return AppendItem(b, version, it) })
}
