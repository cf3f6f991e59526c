package ninjs_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/wirestream/wirestream/internal/testkit/ninjstest"
	"github.com/wirestream/wirestream/pipeline/normalize"
	"github.com/wirestream/wirestream/pipeline/record"
	"github.com/wirestream/wirestream/pipeline/record/ninjs"
)

var fetched = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

const wireURL = "https://wire.example.com/api/items"

func example(t testing.TB, name string) []byte {
	t.Helper()
	return readFile(t, filepath.Join(ninjstest.Dir(t), "examples", name))
}

// The IPTC's examples are real wire output (dpa, NTB, TT, AP, Business
// Wire, SIPA): each is recognised as ninjs, and each story in it becomes an
// item with what a story needs.
func TestParseReadsTheIPTCExamples(t *testing.T) {
	type want struct {
		items    int
		skipped  string // reason, when the object is not a story
		title    string // prefix
		lang     string
		body     string // a phrase of the story text
		subjects int
		media    int
	}
	cases := map[string]want{
		"3.0-dpa_text.json":                           {items: 1, title: "Faktencheck Derby-Elfmeter", lang: "de", body: "Revierderby gegen den FC Schalke 04"},
		"3.0-ntb_text.json":                           {items: 1, title: "Google har kjøpt giganttomt", lang: "nb-NO", subjects: 4},
		"3.0-tt_text_image_3.json":                    {items: 1, title: "Militärövning i jätteformat", lang: "sv", body: "Aurora 20 skulle omfatta", subjects: 1, media: 2},
		"3.0-ninjsExSimpleText_3.json":                {items: 1, title: "Captain of wrecked cruise ship", body: "GROSSETO, Italy (AP)"},
		"3.0-businesswire-newsml-20130605006126.json": {items: 1, title: "Cambrios", lang: "zh", subjects: 13},
		"3.0-businesswire-newsml-20130731006140.json": {items: 1, title: "Lunch Taking a Toll?", lang: "en", body: "Lunch Combos", subjects: 10, media: 4},
		"3.0-20231008-anti-doping-measures-at-the-tour-down-under-will-be-the-toughest-ever-addb-ninjs-nitf.json": {items: 1, title: "Anti-doping measures", lang: "en", subjects: 3},
		"3.0-ap_image.json":                               {items: 1, title: "Turkey Islamic State", lang: "en", subjects: 3, media: 2},
		"3.0-ap_video.json":                               {items: 1, title: "House leaders double down", lang: "en", subjects: 10, media: 2},
		"3.0-ap_audio.json":                               {items: 1, title: "Next up in impeachment", lang: "en", subjects: 5, media: 1},
		"3.0-SIPA_image_3.json":                           {items: 1, title: "Italy: Italy Demonstration", lang: "en", subjects: 10, media: 1},
		"3.0-imageEncodedRights.json":                     {items: 1, title: "MotoGP - Spain", media: 1},
		"3.0-imageLinkedRights.json":                      {items: 1, title: "MotoGP - Spain", media: 1},
		"3.0-simpleEvent.json":                            {skipped: ninjs.SkipNotAStory},
		"3.0-20231005-65-addb-event.json":                 {skipped: ninjs.SkipNotAStory},
		"3.0-tt_event_pressconference_3.0.json":           {skipped: ninjs.SkipNotAStory},
		"3.0-20231004-UEFA-ChampionLeague.json":           {skipped: ninjs.SkipNotAStory},
		"3.0-20231016-addb-example-press-conference.json": {skipped: ninjs.SkipNotAStory},
	}
	files, _ := filepath.Glob(filepath.Join(ninjstest.Dir(t), "examples", "*.json"))
	if len(files) != len(cases) {
		t.Errorf("%d IPTC examples, %d expectations: every example needs one", len(files), len(cases))
	}
	for name, w := range cases {
		t.Run(strings.TrimSuffix(name, ".json"), func(t *testing.T) {
			body := example(t, name)
			if !ninjs.Sniff(body) {
				t.Fatal("not recognised as ninjs")
			}
			doc, err := ninjs.Parse(body, wireURL, fetched)
			if err != nil {
				t.Fatal(err)
			}
			if doc.Version != "3.x" {
				t.Errorf("version %q, want 3.x", doc.Version)
			}
			if w.skipped != "" {
				if len(doc.Items) != 0 || doc.Skipped[w.skipped] != 1 {
					t.Fatalf("items %d, skipped %v; want it skipped as %s", len(doc.Items), doc.Skipped, w.skipped)
				}
				return
			}
			if len(doc.Items) != w.items {
				t.Fatalf("%d items, want %d (skipped %v)", len(doc.Items), w.items, doc.Skipped)
			}
			it := doc.Items[0]
			var raw struct{ URI string }
			_ = json.Unmarshal(body, &raw)
			switch {
			case it.GUID != raw.URI:
				t.Errorf("guid %q, want the uri %q", it.GUID, raw.URI)
			case !strings.HasPrefix(it.Title, w.title):
				t.Errorf("title %q, want it to start %q", it.Title, w.title)
			case it.FeedLanguage != w.lang:
				t.Errorf("language %q, want %q", it.FeedLanguage, w.lang)
			case w.body != "" && !strings.Contains(normalize.ToText(it.Content), w.body):
				t.Errorf("content lacks %q: %.300s", w.body, it.Content)
			case len(it.Subjects) != w.subjects:
				t.Errorf("%d subjects, want %d: %+v", len(it.Subjects), w.subjects, it.Subjects)
			case len(it.Media) != w.media:
				t.Errorf("%d media, want %d: %+v", len(it.Media), w.media, it.Media)
			case it.PublishedParsed == nil:
				t.Errorf("no published date from %q", it.PublishedRaw)
			case it.Feed.URL != wireURL || !it.FetchedAt.Equal(fetched):
				t.Errorf("feed %q fetched %v", it.Feed.URL, it.FetchedAt)
			}
			// Whatever the wire sent, normalize can make a story of it.
			if _, err := normalize.New(normalize.DefaultConfig(), nil).Normalize(it, fetched); err != nil {
				t.Errorf("normalize: %v", err)
			}
		})
	}
}

func TestParsePicksTheWireTextOverItsPresentations(t *testing.T) {
	doc, err := ninjs.Parse(example(t, "3.0-tt_text_image_3.json"), wireURL, fetched)
	if err != nil {
		t.Fatal(err)
	}
	text := normalize.ToText(doc.Items[0].Content)
	// The plain body is TT's copy; its HTML renderings run "Försvar" and
	// "TT" together in spans and add the photo byline.
	if !strings.Contains(text, "Försvar TT\nPandemin satte stopp") || strings.Contains(text, "Karl Melander") {
		t.Errorf("text is not TT's plain body:\n%s", text)
	}
	doc, err = ninjs.Parse(example(t, "3.0-20231008-anti-doping-measures-at-the-tour-down-under-will-be-the-toughest-ever-addb-ninjs-nitf.json"), wireURL, fetched)
	if err != nil {
		t.Fatal(err)
	}
	if c := doc.Items[0].Content; strings.Contains(c, "<nitf") || strings.Contains(c, "<?xml") {
		t.Errorf("the NITF body was taken over the plain one: %.200s", c)
	}
}

func TestSniffDecidesByContent(t *testing.T) {
	jsonFeed := `{"version":"https://jsonfeed.org/version/1.1","title":"T","items":[{"id":"1","url":"https://e.com/1","content_text":"x"}]}`
	cases := map[string]struct {
		body string
		want bool
	}{
		"a ninjs object":                                {`{"uri":"urn:x:1","headlines":[{"value":"H"}]}`, true},
		"a list of ninjs objects":                       {`[{"uri":"urn:x:1","bodies":[{"value":"B"}]},{"uri":"urn:x:2"}]`, true},
		"ninjs after a byte order mark and blank lines": {"\xef\xbb\xbf\n\n  {\"uri\":\"urn:x:1\",\"versionCreated\":\"2026-01-01T00:00:00Z\"}", true},
		"ninjs 1.x":                                     {`{"uri":"urn:x:1","headline":"H","body_text":"B"}`, true},
		"a JSON Feed":                                   {jsonFeed, false},
		"JSON with a uri and nothing of ninjs":          {`{"uri":"https://api.example.com/","status":"ok"}`, false},
		"ninjs properties without a uri":                {`{"headlines":[{"value":"H"}]}`, false},
		"an empty list":                                 {`[]`, false},
		"a list of numbers":                             {`[1,2]`, false},
		"an RSS feed":                                   {`<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>`, false},
		"broken JSON":                                   {`{"uri":"urn:x:1","headlines":[`, false},
		"nothing":                                       {``, false},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			if got := ninjs.Sniff([]byte(c.body)); got != c.want {
				t.Errorf("Sniff = %v, want %v", got, c.want)
			}
		})
	}
}

func TestParseKeepsTheGoodItemsOfAListWithABadOne(t *testing.T) {
	body := `[{"uri":"urn:x:1","headlines":[{"value":"One"}]},
	          {"uri":"urn:x:2","headlines":"not a list"},
	          42,
	          {"uri":"urn:x:3","headlines":[{"value":"Three"}]}]`
	doc, err := ninjs.Parse([]byte(body), wireURL, fetched)
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, it := range doc.Items {
		titles = append(titles, it.Title)
	}
	if !slices.Equal(titles, []string{"One", "Three"}) || doc.Skipped[ninjs.SkipUnreadable] != 2 || len(doc.Errors) != 2 {
		t.Fatalf("titles %v skipped %v errors %v", titles, doc.Skipped, doc.Errors)
	}
	if !strings.Contains(doc.Errors[0].Error(), "ninjs item 1 (urn:x:2)") {
		t.Errorf("the error does not say which item: %v", doc.Errors[0])
	}
}

func TestAnItemsErrorCutsItsURIAtACharacter(t *testing.T) {
	uri := "urn:x:" + strings.Repeat("a", 93) + "é-and-more" // "é" straddles byte 100
	body := `[{"uri":"urn:x:1","headlines":[{"value":"One"}]},{"uri":"` + uri + `","headlines":"not a list"}]`
	doc, err := ninjs.Parse([]byte(body), wireURL, fetched)
	if err != nil || len(doc.Errors) != 1 {
		t.Fatalf("Parse: %v, errors %v", err, doc.Errors)
	}
	msg := doc.Errors[0].Error()
	if !utf8.ValidString(msg) || !strings.Contains(msg, "urn:x:"+strings.Repeat("a", 93)+"…") {
		t.Errorf("the error cuts the uri mid-character or elsewhere: %q", msg)
	}
}

func TestParseRefusesWhatIsNotNinjs(t *testing.T) {
	for _, body := range []string{`{"version":"https://jsonfeed.org/version/1","items":[]}`, `[42]`, `<rss/>`, ``} {
		if _, err := ninjs.Parse([]byte(body), wireURL, fetched); !errors.Is(err, ninjs.ErrNotNinjs) {
			t.Errorf("Parse(%q) = %v, want ErrNotNinjs", body, err)
		}
	}
}

func TestParseSkipsWhatMustNotBePublished(t *testing.T) {
	body := `[{"uri":"urn:x:killed","pubStatus":"canceled","headlines":[{"value":"Killed"}]},
	          {"uri":"urn:x:held","pubstatus":"withheld","headlines":[{"value":"Held"}]},
	          {"uri":"urn:x:later","embargoedUntil":"2026-03-01T13:00:00Z","headlines":[{"value":"Embargoed"}]},
	          {"uri":"urn:x:lifted","embargoedUntil":"2026-03-01T11:00:00Z","headlines":[{"value":"Lifted"}]},
	          {"uri":"urn:x:plan","type":"planning","headlines":[{"value":"Plan"}]}]`
	doc, err := ninjs.Parse([]byte(body), wireURL, fetched)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{ninjs.SkipWithheld: 2, ninjs.SkipEmbargoed: 1, ninjs.SkipNotAStory: 1}
	if len(doc.Items) != 1 || doc.Items[0].Title != "Lifted" || !reflect.DeepEqual(doc.Skipped, want) {
		t.Fatalf("items %+v skipped %v", doc.Items, doc.Skipped)
	}
}

func TestParseReadsOlderSpellings(t *testing.T) {
	cases := map[string]struct {
		body                  string
		version, title, text  string
		published, subjectURI string
	}{
		"ninjs 2.x, lower-case properties": {
			body:    `{"uri":"urn:x:2","versioncreated":"2021-01-02T03:04:05Z","firstcreated":"2021-01-01T00:00:00Z","headlines":[{"role":"main","value":"Two"}],"bodies":[{"contenttype":"text/plain","value":"Body two."}],"subjects":[{"name":"Sport","uri":"http://cv.iptc.org/newscodes/mediatopic/15000000"}],"version":2}`,
			version: "2.x", title: "Two", text: "Body two.", published: "2021-01-01T00:00:00Z", subjectURI: "http://cv.iptc.org/newscodes/mediatopic/15000000",
		},
		"ninjs 1.x, single-valued properties": {
			body:    `{"uri":"urn:x:1","versioncreated":"2015-05-05T05:05:05Z","headline":"One","body_html":"<p>Body one.</p>","byline":"A. Writer","subject":[{"name":"sport","code":"medtop:15000000","scheme":"http://cv.iptc.org/newscodes/mediatopic/"}],"renditions":{"main":{"href":"https://e.com/p.jpg","mimetype":"image/jpeg"}}}`,
			version: "1.x", title: "One", text: "Body one.", published: "2015-05-05T05:05:05Z", subjectURI: "http://cv.iptc.org/newscodes/mediatopic/15000000",
		},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			doc, err := ninjs.Parse([]byte(c.body), wireURL, fetched)
			if err != nil {
				t.Fatal(err)
			}
			if doc.Version != c.version || len(doc.Items) != 1 {
				t.Fatalf("version %q items %d", doc.Version, len(doc.Items))
			}
			it := doc.Items[0]
			if it.Title != c.title || normalize.ToText(it.Content) != c.text || it.PublishedParsed.Format(time.RFC3339) != c.published ||
				len(it.Subjects) != 1 || it.Subjects[0].URI != c.subjectURI {
				t.Errorf("item %+v", it)
			}
		})
	}
}

// A story written as ninjs and read back keeps what matters: headline,
// body, summary, language, link, coded subjects, dates and media.
func TestAStoryRoundTripsThroughNinjs(t *testing.T) {
	s := goldenStory(t)
	s.Subjects = []record.Subject{{Name: "Cycling", URI: ninjs.MediaTopicURI + "20000892", Literal: "20000892", Rel: "classifies"}}
	doc, err := ninjs.Parse(marshal(t, ninjs.FromStory(s)), wireURL, fetched)
	if err != nil || len(doc.Items) != 1 {
		t.Fatalf("parse: %v (%d items)", err, len(doc.Items))
	}
	back, err := normalize.New(normalize.DefaultConfig(), nil).Normalize(doc.Items[0], fetched)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ what, got, want string }{
		{"title", back.Title, s.Title},
		{"body", back.Body, s.Body},
		{"summary", back.Summary, s.Summary},
		{"language", doc.Items[0].FeedLanguage, s.Language},
		{"link", back.URL, s.URL},
		{"published", back.Published.String(), s.Published.String()},
	} {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.what, c.got, c.want)
		}
	}
	got := map[string]bool{}
	for _, sub := range back.Subjects {
		got[sub.URI+"|"+sub.Name] = true
	}
	for _, want := range []string{ninjs.MediaTopicURI + "20000892|Cycling", ninjs.MediaTopicURI + "11000000|politics", "|World"} {
		if !got[want] {
			t.Errorf("subject %s lost in the round trip; got %v", want, back.Subjects)
		}
	}
	if len(back.Media) != 1 || back.Media[0].URL != s.Media[0].URL || !back.Media[0].Thumb {
		t.Errorf("media %+v, want %+v", back.Media, s.Media)
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"3.0-dpa_text.json", "3.0-tt_text_image_3.json", "3.0-ap_video.json", "3.0-businesswire-newsml-20130731006140.json"} {
		if b, err := os.ReadFile(filepath.Join(ninjstest.Dir(f), "examples", name)); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`[{"uri":"urn:x:1","headline":"H","renditions":{"a":{"href":"/p.jpg"}}},{"uri":"u","associations":{"x":{"uri":"u2","type":"picture"}}}]`))
	f.Add([]byte(`{"uri":"urn:x","bodies":[{"contentType":"text/vnd.IPTC.NITF","value":"<body.content><p>x</p></body.content>"}],"version":1e400}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		sniffed := ninjs.Sniff(body)
		doc, err := ninjs.Parse(body, wireURL, fetched)
		if err != nil {
			if !errors.Is(err, ninjs.ErrNotNinjs) && sniffed {
				// A list that sniffs as ninjs may still be broken JSON
				// further on; that is a parse error, not a panic.
				return
			}
			return
		}
		for _, e := range doc.Errors {
			if !utf8.ValidString(e.Error()) {
				t.Errorf("an item's error is not valid UTF-8: %q", e)
			}
		}
		for _, it := range doc.Items {
			if strings.TrimSpace(it.GUID) == "" {
				t.Errorf("item without a guid: %+v", it)
			}
			if it.Feed.URL != wireURL || it.FetchedAt.IsZero() {
				t.Errorf("item without its feed or fetch time: %+v", it)
			}
			for _, m := range it.Media {
				if !strings.HasPrefix(m.URL, "http://") && !strings.HasPrefix(m.URL, "https://") {
					t.Errorf("media URL %q is not http(s)", m.URL)
				}
			}
		}
	})
}
