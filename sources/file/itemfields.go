package file

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/wirestream/wirestream/internal/editdist"
	"github.com/wirestream/wirestream/pipeline/record"
)

// itemFields and feedFields are the JSON names a JSONL item and its
// "feed" take, in their declared order.
var (
	itemFields = jsonNames(reflect.TypeFor[record.Item]())
	feedFields = jsonNames(reflect.TypeFor[record.FeedRef]())
)

// storyNames are the names a story record gives what an item holds under
// another: one who writes items from the records process and run write
// uses these first.
var storyNames = map[string]string{
	"url":       "link",
	"summary":   "description",
	"body":      "content",
	"published": "published_raw",
	"updated":   "updated_raw",
}

// unknownField adds to encoding/json's `json: unknown field "x"` the
// field most likely meant, or the fields taken there when none is close:
// Go names the field but not the ones it would have taken. Go does not
// say where the field stands either: line is decoded again (only on this
// error path): a name it has not at its top level is one of "feed"'s,
// the object under an item one writes by hand, or else of a media or
// subject object, left as Go says it. Any other error is returned as it is.
func unknownField(err error, line []byte) error {
	name, ok := strings.CutPrefix(err.Error(), `json: unknown field "`)
	if !ok || !strings.HasSuffix(name, `"`) {
		return err
	}
	name = strings.TrimSuffix(name, `"`)
	var top map[string]json.RawMessage
	if json.Unmarshal(line, &top) == nil {
		if _, ok := top[name]; !ok {
			var fd map[string]json.RawMessage
			if json.Unmarshal(top["feed"], &fd) != nil || fd[name] == nil {
				return err // in media or subjects: Go's message is all there is
			}
			if s := editdist.Closest(name, feedFields, 3); s != "" {
				return fmt.Errorf("%w (in \"feed\": did you mean %q?)", err, s)
			}
			return fmt.Errorf("%w (in \"feed\", whose fields are %s)", err, strings.Join(feedFields, ", "))
		}
	}
	if s, ok := storyNames[name]; ok {
		return fmt.Errorf("%w (did you mean %q? an item names its fields as a feed does)", err, s)
	}
	if s := editdist.Closest(name, itemFields, 3); s != "" { // a slip of one or two letters
		return fmt.Errorf("%w (did you mean %q?)", err, s)
	}
	return fmt.Errorf("%w (an item's fields: %s)", err, strings.Join(itemFields, ", "))
}

func jsonNames(t reflect.Type) []string {
	var out []string
	for f := range t.Fields() {
		if name, _, _ := strings.Cut(f.Tag.Get("json"), ","); name != "" && name != "-" {
			out = append(out, name)
		}
	}
	return out
}
