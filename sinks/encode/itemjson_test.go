package encode

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/wirestream/wirestream/internal/testkit/randfill"
	"github.com/wirestream/wirestream/pipeline/record"
)

// itemByEncodingJSON is an item message's value as ItemMessage wrote it
// with encoding/json.
func itemByEncodingJSON(it *record.Item) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	err := enc.Encode(struct {
		V int `json:"v"`
		*record.Item
	}{V: 1, Item: it})
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), err
}

func checkItemJSON(t *testing.T, it *record.Item) {
	t.Helper()
	want, err := itemByEncodingJSON(it)
	got, ok := AppendItem(nil, 1, it)
	switch {
	case err != nil && ok:
		t.Fatalf("encoding/json refuses the item (%v), AppendItem wrote %s", err, got)
	case err == nil && !ok:
		t.Fatalf("AppendItem refuses an item encoding/json encodes as %s", want)
	case err == nil && !bytes.Equal(got, want):
		t.Fatalf("AppendItem wrote\n%s\nencoding/json\n%s", got, want)
	}
}

// Items with every field filled at random encode to the bytes
// encoding/json writes without HTML escaping, and are refused where it
// refuses them.
func TestItemJSONMatchesEncodingJSONOnRandomItems(t *testing.T) {
	r := rand.New(rand.NewPCG(12, 3))
	for range 20000 {
		it := new(record.Item)
		randfill.Fill(r, reflect.ValueOf(it).Elem())
		checkItemJSON(t, it)
	}
}

// Markup stays as it is (a "<" is one byte against max_message_bytes, not
// six), the escapes encoding/json keeps without HTML escaping are kept,
// and a time RFC 3339 cannot say is refused as encoding/json refuses it.
func TestItemJSONEscapesAsTheEncoderWithoutHTMLEscaping(t *testing.T) {
	at := time.Date(2026, 12, 3, 13, 0, 0, 5, time.FixedZone("", 3600))
	it := &record.Item{
		Feed:  record.FeedRef{URL: "https://example.com/feed?a=1&b=<2>", Tags: []string{"x"}},
		Title: "a <b>bold</b> & \"quoted\" \u2028 line\x01\xff", Content: "<p>text</p>\n\t",
		PublishedParsed: &at, FetchedAt: at.UTC(),
	}
	checkItemJSON(t, it)
	if got, _ := AppendItem(nil, 1, it); !bytes.Contains(got, []byte(`"a <b>bold</b> & \"quoted\" \u2028 line\u0001\ufffd"`)) {
		t.Errorf("AppendItem wrote %s", got)
	}
	late := time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	it.UpdatedParsed = &late
	checkItemJSON(t, it)
	if _, ok := AppendItem(nil, 1, it); ok {
		t.Error("AppendItem took a year of five digits")
	}
}
