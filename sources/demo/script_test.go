package demo

import (
	"maps"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// wireOutlet is the agency whose copy the other outlets republish.
const wireOutlet = "meridian"

func TestTheScriptHasWhatTheDemoPromises(t *testing.T) {
	sc, err := loadScript()
	if err != nil {
		t.Fatal(err)
	}
	perOutlet := map[string]int{}
	eventOutlets := map[string]map[string]bool{}
	republishers := map[string][]string{} // wire story -> outlets republishing it
	revisions := 0
	for _, st := range sc.stories {
		perOutlet[st.Outlet]++
		if st.Event != "" {
			if eventOutlets[st.Event] == nil {
				eventOutlets[st.Event] = map[string]bool{}
			}
			eventOutlets[st.Event][st.Outlet] = true
		}
		if st.Republish != "" {
			republishers[st.Republish] = append(republishers[st.Republish], st.Outlet)
			if !strings.HasPrefix(st.Republish, "mer-") {
				t.Errorf("%s republishes %s, which is not wire copy", st.ID, st.Republish)
			}
		}
		if st.Revise != nil {
			revisions++
		}
	}
	if n := len(sc.stories); n < 60 || n > 100 {
		t.Errorf("%d stories, want 60..100", n)
	}
	for _, o := range sc.outlets {
		if perOutlet[o.ID] == 0 {
			t.Errorf("outlet %s has no stories", o.ID)
		}
	}
	if n := len(eventOutlets); n < 4 || n > 6 {
		t.Errorf("%d events, want 4..6", n)
	}
	for ev, outlets := range eventOutlets {
		if len(outlets) < 3 {
			t.Errorf("event %s is covered by %d outlets, want at least 3", ev, len(outlets))
		}
	}
	most := 0
	for _, outs := range republishers {
		most = max(most, len(outs))
	}
	if most < 3 || most > 5 {
		t.Errorf("the most republished wire story has %d republishers, want 3..5", most)
	}
	if revisions != 1 {
		t.Errorf("%d revised stories, want 1", revisions)
	}
	formats := map[string]bool{}
	for _, o := range sc.outlets {
		formats[o.Format] = true
	}
	if got := slices.Sorted(maps.Keys(formats)); !slices.Equal(got, []string{"atom", "json", "rss"}) {
		t.Errorf("formats %v, want atom, json and rss", got)
	}
	tl := newTimeline(sc, testStart, scriptLength, "t1")
	links, guids := map[string]string{}, map[string]string{}
	for _, es := range tl.entries {
		for _, e := range es {
			if other, ok := links[e.link]; ok {
				t.Errorf("%s and %s share the link %s", e.ID, other, e.link)
			}
			if other, ok := guids[e.guid]; ok {
				t.Errorf("%s and %s share the guid %s", e.ID, other, e.guid)
			}
			links[e.link], guids[e.guid] = e.ID, e.ID
		}
	}
	t.Logf("%d stories from %d outlets; %d events; %d wire stories republished (max %d times)",
		len(sc.stories), len(sc.outlets), len(eventOutlets), len(republishers), most)
}

// servedStories fetches every feed at the end of the timeline and returns
// each story's served headline and text, by story id: what a pipeline
// downstream gets to work with.
func servedStories(t *testing.T) (map[string]string, *Server) {
	t.Helper()
	s, clk, client := startDemo(t)
	clk.Set(scriptLength)
	byLink := map[string]*entry{}
	for _, es := range s.tl.entries {
		for _, e := range es {
			byLink[e.link] = e
		}
	}
	text := map[string]string{}
	for _, url := range s.FeedURLs() {
		for _, it := range fetchFeed(t, client, url).Items {
			e := byLink[it.Link]
			if e == nil {
				t.Fatalf("%s: item link %s matches no story", url, it.Link)
			}
			text[e.ID] = it.Title + "\n" + itemText(it)
		}
	}
	return text, s
}

func TestRepublicationsShareMostOfTheirTextWithTheWireOriginal(t *testing.T) {
	text, s := servedStories(t)
	sc, _ := loadScript()
	sh := map[string]map[string]bool{}
	for id, txt := range text {
		sh[id] = shingles(txt)
	}
	lowest, highestOther := 1.0, 0.0
	var otherPair string
	for _, st := range sc.stories {
		if st.Republish == "" {
			continue
		}
		sim := jaccard(sh[st.ID], sh[st.Republish])
		lowest = min(lowest, sim)
		if sim < 0.6 {
			t.Errorf("%s shares %.2f of its word 3-grams with %s, want >= 0.60", st.ID, sim, st.Republish)
		}
	}
	// Everything else must be distinct, or the demo would show duplicates
	// nobody scripted: own coverage of an event is not a copy.
	origin := func(st story) string { return cmpOr(st.Republish, st.ID) }
	for i, a := range sc.stories {
		for _, b := range sc.stories[i+1:] {
			if origin(a) == origin(b) {
				continue
			}
			if sim := jaccard(sh[a.ID], sh[b.ID]); sim > highestOther {
				highestOther, otherPair = sim, a.ID+" ~ "+b.ID
			}
		}
	}
	if highestOther > 0.2 {
		t.Errorf("unrelated stories %s share %.2f of their word 3-grams, want <= 0.20", otherPair, highestOther)
	}
	t.Logf("republication vs original: lowest 3-gram Jaccard %.2f; highest between distinct stories %.2f (%s); %d stories served",
		lowest, highestOther, otherPair, len(text))
	_ = s
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func TestTheSpikeTermFollowsAQuietBaseline(t *testing.T) {
	const term = "zelensky"
	text, s := servedStories(t)
	sc, _ := loadScript()
	type mention struct {
		at     time.Duration
		outlet string
	}
	var mentions []mention
	for _, st := range sc.stories {
		if st.Republish != "" { // copies are duplicates, not new stories
			continue
		}
		if strings.Contains(strings.ToLower(text[st.ID]), term) {
			mentions = append(mentions, mention{st.At, st.Outlet})
		}
	}
	const spikeStart, spikeWindow = 112 * time.Second, 30 * time.Second
	var before, within int
	outlets := map[string]bool{}
	for _, m := range mentions {
		switch {
		case m.at < spikeStart:
			before++
		case m.at < spikeStart+spikeWindow:
			within++
			outlets[m.outlet] = true
		}
	}
	if before > 1 {
		t.Errorf("%d distinct stories name %q before %v, want a quiet baseline of at most 1", before, term, spikeStart)
	}
	if within < 10 || len(outlets) < 7 {
		t.Errorf("%d stories from %d outlets name %q in [%v, %v), want >= 10 from >= 7", within, len(outlets), term,
			spikeStart, spikeStart+spikeWindow)
	}
	t.Logf("%q: %d distinct stories in the %v before the spike, %d from %d outlets in the %v spike window, %d after",
		term, before, spikeStart, within, len(outlets), spikeWindow, len(mentions)-before-within)
	_ = s
}

func TestBrokenContentIsRejectedWithAClearMessage(t *testing.T) {
	const outlets = `
outlets:
  - {id: wire, name: Wire, format: rss, style: full, home: "https://w.example/", link: "https://w.example/{slug}"}
  - {id: paper, name: Paper, format: json, style: full, home: "https://p.example/", link: "https://p.example/{slug}"}
`
	const orig = `
stories:
  - {id: w1, outlet: wire, at: 10s, title: Original, body: "First paragraph.\n\nSecond paragraph."}
`
	tests := []struct {
		name    string
		outlets string
		stories string
		want    string
	}{
		{"a valid script loads", outlets, orig + `  - {id: p1, outlet: paper, at: 20s, republish: w1, drop: [2], replace: [[First, Opening]]}`, ""},
		{"an unknown key is an error", outlets, orig + `  - {id: p1, outlet: paper, at: 20s, titel: Oops, body: x}`, "field titel not found"},
		{"an unknown outlet", outlets, orig + `  - {id: p1, outlet: tabloid, at: 20s, title: T, body: x}`, `unknown outlet "tabloid"`},
		{"a story past the end of the script", outlets, orig + `  - {id: p1, outlet: paper, at: 4m, title: T, body: x}`, "at must be <= 3m0s"},
		{"an id used twice", outlets, orig + `  - {id: w1, outlet: paper, at: 20s, title: T, body: x}`, `"w1": id used twice`},
		{"a republication of a missing story", outlets, orig + `  - {id: p1, outlet: paper, at: 20s, republish: w9}`, `republishes unknown story "w9"`},
		{"a republication before its original", outlets, orig + `  - {id: p1, outlet: paper, at: 5s, republish: w1}`, "not after the original"},
		{"a republication with its own body", outlets, orig + `  - {id: p1, outlet: paper, at: 20s, republish: w1, body: x}`, "takes its body from"},
		{"dropping a paragraph that does not exist", outlets, orig + `  - {id: p1, outlet: paper, at: 20s, republish: w1, drop: [3]}`, "drop 3: the original has 2 paragraphs"},
		{"replacing words that are not there", outlets, orig + `  - {id: p1, outlet: paper, at: 20s, republish: w1, replace: [[Third, x]]}`, `replace "Third": not in the original text`},
		{"a revision before the story", outlets, `
stories:
  - {id: w1, outlet: wire, at: 10s, title: T, body: x, revise: {at: 5s, title: U}}`, "revise needs a title"},
		{"a bad format", strings.Replace(outlets, "format: json", "format: xml", 1), orig, "format must be rss, atom or json"},
		{"escaped style on a JSON feed", strings.Replace(outlets, "format: json, style: full", "format: json, style: escaped", 1), orig, "escaped is for rss feeds only"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{
				"content/timeline.yaml": {Data: []byte(tt.outlets)},
				"content/story.yaml":    {Data: []byte(tt.stories)},
			}
			sc, err := parseScript(fsys)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("parseScript: %v", err)
				}
				if got := sc.stories[1].Body; got != "Opening paragraph." {
					t.Errorf("republished body %q, want %q", got, "Opening paragraph.")
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestSlugsAreASCIIAndShort(t *testing.T) {
	tests := []struct{ title, want string }{
		{"Zelensky arrives in London in unannounced visit to security summit", "zelensky-arrives-in-london-in-unannounced-visit-to"},
		{"EZB senkt Leitzins erneut – was das für Sparer bedeutet", "ezb-senkt-leitzins-erneut-was-das-fuer-sparer"},
		{"Séisme en Grèce : la région d'Aigio", "seisme-en-grece-la-region-daigio"},
		{"'We are afraid': 6.8 quake", "we-are-afraid-6-8-quake"},
	}
	for _, tt := range tests {
		t.Run(tt.title, func(t *testing.T) {
			if got := slugify(tt.title); got != tt.want {
				t.Errorf("slugify(%q) = %q, want %q", tt.title, got, tt.want)
			}
		})
	}
}
