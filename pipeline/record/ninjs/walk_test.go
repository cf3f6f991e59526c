package ninjs

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// decodeByCopy is decode as it was up to round 20: the whole list
// unmarshalled into []json.RawMessage (every element copied), then its
// first keep and last keep decoded. decode steps over the middle
// instead (jsonlist.Ends); the two must decide alike.
func decodeByCopy(body []byte, keep int) (items []wireItem, version string, bad []error, notRead int, err error) {
	b := trimLeft(body)
	var raws []json.RawMessage
	switch {
	case len(b) > 0 && b[0] == '[':
		if err := json.Unmarshal(b, &raws); err != nil {
			return nil, "", nil, 0, fmt.Errorf("ninjs list: %w", err)
		}
	case len(b) > 0 && b[0] == '{':
		raws = []json.RawMessage{b}
	default:
		return nil, "", nil, 0, ErrNotNinjs
	}
	skipFrom, skipTo := len(raws), len(raws)
	if keep > 0 && len(raws)-keep > keep {
		skipFrom, skipTo = keep, len(raws)-keep
		notRead = skipTo - skipFrom
	}
	for i, raw := range raws {
		if i >= skipFrom && i < skipTo {
			continue
		}
		var keys map[string]json.RawMessage
		if err := json.Unmarshal(raw, &keys); err != nil || !looksLikeItem(keys) {
			bad = append(bad, fmt.Errorf("ninjs item %d: not a ninjs object (an object with a uri and ninjs properties)", i))
			continue
		}
		if version == "" {
			version = versionOf(keys)
		}
		var it wireItem
		if err := json.Unmarshal(raw, &it); err != nil {
			bad = append(bad, fmt.Errorf("ninjs item %d (%s): %w", i, clip(keys["uri"]), err))
			continue
		}
		items = append(items, it)
	}
	if len(items) == 0 && len(bad) > 0 {
		return nil, "", bad, 0, fmt.Errorf("%w: %w", ErrNotNinjs, bad[0])
	}
	return items, version, bad, notRead, nil
}

// sameDecisions fails t where decode and decodeByCopy part on body.
func sameDecisions(t *testing.T, body []byte, keep int) {
	t.Helper()
	items, version, bad, notRead, err := decode(body, keep)
	oItems, oVersion, oBad, oNotRead, oErr := decodeByCopy(body, keep)
	if fmt.Sprint(err) != fmt.Sprint(oErr) {
		t.Fatalf("keep %d: error %v, reading the list by copy %v\nbody %q", keep, err, oErr, body)
	}
	if !reflect.DeepEqual(items, oItems) || version != oVersion || notRead != oNotRead {
		t.Fatalf("keep %d: %d items (version %q, %d not read), reading the list by copy %d (%q, %d)\nbody %q",
			keep, len(items), version, notRead, len(oItems), oVersion, oNotRead, body)
	}
	if fmt.Sprint(bad) != fmt.Sprint(oBad) {
		t.Fatalf("keep %d: errors %v, reading the list by copy %v\nbody %q", keep, bad, oBad, body)
	}
}

// randomList is a ninjs list of n elements: mostly objects of each ninjs
// generation, with what could mislead a walk that finds an element's end
// by brackets and quotes — strings holding them and escaped quotes and
// backslashes, nested lists and objects, numbers and literals ended by
// the list's ']' — and elements that are no ninjs object or fail to
// decode, with random white space between.
func randomList(r *rand.Rand, n int) string {
	space := func() string { return []string{"", " ", "\n", "\t ", "\r\n  "}[r.IntN(5)] }
	var b strings.Builder
	b.WriteString(space() + "[" + space())
	for i := range n {
		if i > 0 {
			b.WriteString(space() + "," + space())
		}
		switch k := r.IntN(12); k {
		case 0:
			b.WriteString([]string{"7", "-1.5e3", "true", "null", "false", `"s"`, "[]", "{}", `[{"uri":"u"}]`}[r.IntN(9)])
		case 1:
			fmt.Fprintf(&b, `{"uri":"urn:n:%d","headlines":"not a list"}`, i) // a ninjs object that does not decode
		case 2:
			fmt.Fprintf(&b, `{"uri":"urn:n:%d","title":"no ninjs marker"}`, i)
		case 3:
			fmt.Fprintf(&b, `{"uri":"urn:n:%d","headline":"1.x %d","body_text":"a \"]}\" and a \\","subject":[{"name":"S","code":"medtop:1"}]}`, i, i)
		case 4:
			fmt.Fprintf(&b, `{"uri":"urn:n:%d","versioncreated":"2026-03-01T1%d:00:00Z","headlines":[{"value":"2.x %d"}],"x":[1,[2,{"y":"]},\\\"["}]]}`, i, i%10, i)
		default:
			fmt.Fprintf(&b, `{ "uri" : "urn:n:%d" ,"type":"text","versionCreated":"2026-03-01T%02d:%02d:00Z","headlines":[{"role":"main","value":"Story [%d] {\u00e9}"}],"bodies":[{"contentType":"text/plain","value":"Body, %d"}]}`,
				i, i/60%24, i%60, i, k)
		}
	}
	b.WriteString(space() + "]" + space())
	return b.String()
}

// A list read by stepping over its middle keeps the items, the
// errors (each naming its element's place in the whole list), the
// version and the count not read that copying every element kept, on
// random lists of every length around the margins, at every keep.
func TestDecodeSteppingOverTheMiddleDecidesAsCopyingEveryElement(t *testing.T) {
	r := rand.New(rand.NewPCG(22, 4))
	for range 300 {
		n := r.IntN(40)
		body := []byte(randomList(r, n))
		for _, keep := range []int{0, 1, 2, 3, r.IntN(25), n / 2, n, n + 1} {
			sameDecisions(t, body, keep)
		}
	}
	// A list that is no valid JSON fails with the same error, wherever
	// it breaks.
	body := randomList(r, 30)
	for _, cut := range []int{1, len(body) / 3, len(body) / 2, len(body) - 2} {
		sameDecisions(t, []byte(body[:cut]), 3)
		sameDecisions(t, []byte(body[:cut]+`"`+body[cut:]), 3)
	}
	sameDecisions(t, []byte(body+`]`), 3)
	sameDecisions(t, []byte("\xef\xbb\xbf"+body), 3)
}

// FuzzDecodeAtMost: on any input, decode reading a list's two ends decides
// as reading the list by copy did.
func FuzzDecodeAtMost(f *testing.F) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 5, 14} {
		f.Add([]byte(randomList(r, n)), 2)
	}
	f.Add([]byte(`{"uri":"urn:x","headline":"H"}`), 1)
	f.Add([]byte(`[1,2,3,4,5,6,{"uri":"u","by":"B"}]`), 2)
	f.Fuzz(func(t *testing.T, body []byte, keep int) {
		sameDecisions(t, body, keep%64)
	})
}
