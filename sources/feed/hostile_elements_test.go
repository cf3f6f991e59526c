package feed

import (
	"fmt"
	"strings"
	"testing"
)

// Sibling elements cost the parser per element, not per byte: 10 MiB of
// empty <a/> in one item (under the default poller.max_body_bytes) took
// 3–7 s and 150 MB in `wirestream process`, of <x:a/> 9 s and 560 MB. A
// document of more than 256 Ki elements and one for every 16 bytes, a
// prefixed element counting 4, is refused unparsed, saying how many it
// holds; so is one declaring more
// than 1,000 namespaces in scope at once (280,000 on one item, 8.5 MB,
// took 5 s and 320 MB).
func TestDocumentsOfTooManyElementsOrNamespacesAreRefusedUnparsed(t *testing.T) {
	flat := nsDoc(0, 400_000) // 1.6 MB: 400,008 elements, 262,144 + 100,016 allowed
	var err error
	n := allocated(func() { _, err = Parse([]byte(flat), "", "https://ns.example/feed", fetchedAt) })
	want := fmt.Sprintf("XML of 400008 elements in %d bytes, more than %d (262144 and one for every 16 bytes): not read", len(flat), 262144+len(flat)/16)
	if err == nil || err.Error() != want {
		t.Errorf("flat elements: error\n got: %v\nwant: %s", err, want)
	}
	if n > 20*uint64(len(flat)) && !raceOn {
		t.Errorf("refusing %d bytes allocated %d (%.1f times)", len(flat), n, float64(n)/float64(len(flat)))
	}

	// A prefixed element counts 4: 100,000 of them (1.2 MB) are 400,000.
	prefixed := strings.Replace(nsDoc(1, 0), "</item>", strings.Repeat("<p0:a>t</p0:a>", 100_000)+"</item>", 1)
	want = fmt.Sprintf("XML of 100008 elements (100000 of them prefixed, which count 4 each) in %d bytes, more than %d (262144 and one for every 16 bytes): not read",
		len(prefixed), 262144+len(prefixed)/16)
	if _, err := Parse([]byte(prefixed), "", "https://ns.example/feed", fetchedAt); err == nil || err.Error() != want {
		t.Errorf("prefixed elements: error\n got: %v\nwant: %s", err, want)
	}

	wide := nsDoc(1001, 0)
	at := strings.Index(wide, "<channel")
	want = fmt.Sprintf("XML declaring 1001 namespaces in scope at once, at byte %d of %d, more than 1000: not read", at, len(wide))
	if _, err := Parse([]byte(wide), "", "https://ns.example/feed", fetchedAt); err == nil || err.Error() != want {
		t.Errorf("namespaces: error\n got: %v\nwant: %s", err, want)
	}

	// At the bounds, both are read.
	for name, doc := range map[string]string{"1000 namespaces": nsDoc(1000, 0), "262,000 elements": nsDoc(0, 262_000),
		"60,000 prefixed": strings.Replace(nsDoc(1, 0), "</item>", strings.Repeat("<p0:a>t</p0:a>", 60_000)+"</item>", 1)} {
		if d, err := Parse([]byte(doc), "", "https://ns.example/feed", fetchedAt); err != nil || len(d.Items) != 1 {
			t.Errorf("%s: %d items, error %v: want the item read", name, len(d.Items), err)
		}
	}
}
