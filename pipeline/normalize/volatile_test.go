package normalize

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/pipeline/record"
)

// volatileItem is an item as a real feed renders it on one poll: tick
// moves the clock-driven parts (relative times, counters, cache busters)
// the way a later poll sees them.
type volatileItem func(tick int) record.Item

func liveItem(link, title, desc, content string) record.Item {
	return record.Item{Feed: record.FeedRef{URL: "https://live.example/rss"}, Link: link, GUID: link,
		Title: title, Description: desc, Content: content, PublishedRaw: "Tue, 05 Mar 2024 09:00:00 GMT"}
}

// Items modelled on feeds that render volatile text into every poll:
// a live blog's "Updated N minutes ago" and "Last updated" stamp, hnrss's
// points and comment counts, a video feed's views and relative age, a
// German ticker's "vor N Minuten", a French one's "il y a", and a photo
// link with a cache-busting query.
var volatileItems = []struct {
	name string
	item volatileItem
	// substantive is the same item with a real change: it must get a new
	// content hash.
	substantive func(tick int) record.Item
}{
	{"a live blog with a relative time in its title and summary",
		func(n int) record.Item {
			return liveItem("https://live.example/ukraine", fmt.Sprintf("Ukraine war live: talks resume in Geneva (updated %d minutes ago)", 3+2*n),
				fmt.Sprintf("<p>Updated %d minutes ago.</p><p>Delegations from both sides met on Tuesday morning for a second round of talks.</p>", 3+2*n), "")
		},
		func(n int) record.Item {
			return liveItem("https://live.example/ukraine", fmt.Sprintf("Ukraine war live: talks collapse in Geneva (updated %d minutes ago)", 3+2*n),
				fmt.Sprintf("<p>Updated %d minutes ago.</p><p>Delegations from both sides met on Tuesday morning for a second round of talks.</p>", 3+2*n), "")
		}},
	{"a live page with a last-updated clock stamp",
		func(n int) record.Item {
			return liveItem("https://live.example/budget", "Budget 2024: the chancellor's statement",
				fmt.Sprintf("<p>Last updated: %02d:%02d GMT, 5 March 2024</p><p>The chancellor announced a cut to national insurance of two percentage points.</p>", 10+n/60, (15+n)%60), "")
		},
		func(n int) record.Item {
			return liveItem("https://live.example/budget", "Budget 2024: the chancellor's statement",
				fmt.Sprintf("<p>Last updated: %02d:%02d GMT, 5 March 2024</p><p>The chancellor announced a cut to national insurance of three percentage points.</p>", 10+n/60, (15+n)%60), "")
		}},
	{"an hnrss item whose points and comments grow",
		func(n int) record.Item {
			return liveItem("https://blog.example/postgres-17", "Postgres 17 released",
				fmt.Sprintf(`<p>Article URL: <a href="https://blog.example/postgres-17">https://blog.example/postgres-17</a></p><p>Comments URL: <a href="https://news.ycombinator.com/item?id=41000001">https://news.ycombinator.com/item?id=41000001</a></p><p>Points: %d</p><p># Comments: %d</p>`, 120+17*n, 45+6*n), "")
		},
		func(n int) record.Item {
			return liveItem("https://blog.example/postgres-17", "Postgres 17 released with incremental backup",
				fmt.Sprintf(`<p>Article URL: <a href="https://blog.example/postgres-17">https://blog.example/postgres-17</a></p><p>Comments URL: <a href="https://news.ycombinator.com/item?id=41000001">https://news.ycombinator.com/item?id=41000001</a></p><p>Points: %d</p><p># Comments: %d</p>`, 120+17*n, 45+6*n), "")
		}},
	{"a video feed with views and a relative age",
		func(n int) record.Item {
			return liveItem("https://video.example/watch/abc123", "Flooding in Valencia: drone footage",
				fmt.Sprintf("%s views · %d hours ago\n\nDrone footage shows the extent of the flooding in the Valencia region after record rainfall.", []string{"1.2K", "3.4K", "12K", "25,301"}[n%4], 2+n), "")
		},
		func(n int) record.Item {
			return liveItem("https://video.example/watch/abc123", "Flooding in Valencia: drone footage",
				fmt.Sprintf("%s views · %d hours ago\n\nDrone footage shows the extent of the flooding in the Valencia and Murcia regions after record rainfall.", []string{"1.2K", "3.4K", "12K", "25,301"}[n%4], 2+n), "")
		}},
	{"a German news ticker",
		func(n int) record.Item {
			return liveItem("https://ticker.example/bahn-streik", "Bahnstreik: GDL kündigt neuen Ausstand an",
				fmt.Sprintf("<p>Aktualisiert vor %d Minuten</p><p>Die Lokführergewerkschaft GDL hat einen neuen Streik ab Donnerstag angekündigt.</p>", 1+n), "")
		},
		func(n int) record.Item {
			return liveItem("https://ticker.example/bahn-streik", "Bahnstreik: GDL kündigt neuen Ausstand an",
				fmt.Sprintf("<p>Aktualisiert vor %d Minuten</p><p>Die Lokführergewerkschaft GDL hat einen neuen Streik ab Freitag angekündigt.</p>", 1+n), "")
		}},
	{"a French live page",
		func(n int) record.Item {
			return liveItem("https://direct.example/greve", "Grève des contrôleurs aériens : le point",
				fmt.Sprintf("<p>Mis à jour il y a %d minutes</p><p>La DGAC demande aux compagnies de réduire leurs programmes de vols de 30 %%.</p>", 2+n), "")
		},
		func(n int) record.Item {
			return liveItem("https://direct.example/greve", "Grève des contrôleurs aériens : le point",
				fmt.Sprintf("<p>Mis à jour il y a %d minutes</p><p>La DGAC demande aux compagnies de réduire leurs programmes de vols de 50 %%.</p>", 2+n), "")
		}},
	{"a photo link with a cache-busting query",
		func(n int) record.Item {
			return liveItem("https://news.example/storm", "Storm Ciarán makes landfall",
				"", fmt.Sprintf("<p>Latest radar image: https://cdn.news.example/radar/latest.png?v=%d</p><p>Winds of 100 mph were recorded on the Channel coast overnight.</p>", 1709629200+300*n))
		},
		func(n int) record.Item {
			return liveItem("https://news.example/storm", "Storm Ciarán makes landfall",
				"", fmt.Sprintf("<p>Latest radar image: https://cdn.news.example/radar/latest.png?v=%d</p><p>Winds of 120 mph were recorded on the Channel coast overnight.</p>", 1709629200+300*n))
		}},
}

// An item whose only change between polls is its relative time, counters
// or cache-busting query keeps its content hash (so dedupe sees no new
// version), while a real change in the same item gets a new one.
func TestVolatileTextDoesNotMakeANewVersion(t *testing.T) {
	n := New(DefaultConfig(), nil)
	now := time.Date(2024, 3, 5, 12, 0, 0, 0, time.UTC)
	for _, c := range volatileItems {
		t.Run(c.name, func(t *testing.T) {
			first, err := n.Normalize(c.item(0), now)
			if err != nil {
				t.Fatal(err)
			}
			for tick := 1; tick <= 6; tick++ {
				later, err := n.Normalize(c.item(tick), now.Add(time.Duration(tick)*time.Minute))
				if err != nil {
					t.Fatal(err)
				}
				if later.Body == first.Body && later.Title == first.Title {
					t.Fatalf("poll %d: the scripted item did not change its text", tick)
				}
				if later.ContentHash != first.ContentHash {
					t.Fatalf("poll %d: content hash changed with only volatile text:\n %q\n %q", tick,
						FingerprintText(first), FingerprintText(later))
				}
			}
			changed, err := n.Normalize(c.substantive(3), now)
			if err != nil {
				t.Fatal(err)
			}
			if changed.ContentHash == first.ContentHash {
				t.Fatalf("a substantive change kept the content hash: %q", FingerprintText(changed))
			}
		})
	}
}

// Prose that looks like a counter or a relative time is content: a
// correction there is a new version.
func TestVolatileStrippingLeavesProseAlone(t *testing.T) {
	for _, s := range []string{
		"The FTSE 100 fell 3 points on Tuesday.",
		"The fund sold 5m shares in the company.",
		"The company was founded 30 years ago in Leeds.",
		"Ministers observed 5 minutes of silence.",
		"The law was updated in 2019 after a review.",
		"Read the full interview with the minister.",
	} {
		if got := stripVolatile(s); got != s {
			t.Errorf("stripVolatile(%q) = %q, want it unchanged", s, got)
		}
	}
	for in, want := range map[string]string{
		"Talks resume (updated 5 minutes ago)":  "Talks resume ( )",
		"Last updated: 14:32 GMT":               " ",
		"1,234 views · just now":                "  ·  ",
		"See https://x.example/a.jpg?v=123 now": "See https://x.example/a.jpg  now",
		"vor 3 Stunden":                         " ",
	} {
		if got := stripVolatile(in); got != want {
			t.Errorf("stripVolatile(%q) = %q, want %q", in, got, want)
		}
	}
	if !strings.Contains(TitleKey("Ukraine war live: talks resume (updated 5 minutes ago)"), "talks resume") {
		t.Error("TitleKey lost the headline")
	}
}

// volatileSeeds are texts with volatile fragments and near misses, the
// differential test's and the fuzz target's seeds.
var volatileSeeds = []string{
	"Talks resume (updated 5 minutes ago)", "Last updated: 14:32 GMT", "1,234 views · just now", "12Kviews 3views 1.2m views",
	"vor 3 Stunden", "il y a 2 heures", "hace 2 días", "Points: 123 # Comments: 45", "12k likes, 3 k reads", "à l'instant",
	"The interview in Chicago was reviewed; he appoints 30 years ago", "mil y a", "Mis à jour le 5 mars à 10h30", "gerade eben",
	"ten years ago, long ago, a few days ago, several hours ago", "moments ago", "one ſec ago", "2ſ ago", "an\thour \n ago",
}

// Reading the text once and skipping anchors by the byte before them
// changes nothing: the result is what searching every anchor in turn and
// running the regexps at each gives, on random texts
// built from anchors, the bytes around them and the numbers and units
// the patterns read.
func TestVolatileSkipsOnlyAnchorsNoMatchHolds(t *testing.T) {
	pieces := []string{"ago", "view", "views", "comment", "points", "updated", "vor ", "il y a", "hace ", "just now", "l'instant",
		"k like", "klike", "kread", "listen", "aufrufe", "vues", "5", "12", "1,234", "k", "m", "K", "M", " ", "\t", ":", "#", ".",
		"minutes", "hours", "secs", "a ", "an", "few", "Stunden", "heures", "días", "last ", "at", "14:32", "GMT", "today", "March",
		"inter", "chic", "re", "ap", "_", "é", "\u212a", "\xff", "(", ")", "https://x.example/a?v=1",
		"years", "long", "moment", "moments", "several", "one", "day", "d", "s", "hr", "sec", "ſ", "ſecs", "\n", "A", "N", "Few"}
	r := rand.New(rand.NewPCG(21, 4))
	check := func(s string) {
		if got, want := stripVolatile(s), stripVolatileEveryAnchor(s); got != want {
			t.Fatalf("stripVolatile(%q) = %q, with every anchor tried %q", s, got, want)
		}
	}
	for _, s := range volatileSeeds {
		check(s)
	}
	for range 30000 {
		var b strings.Builder
		for range r.IntN(12) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		check(b.String())
	}
}

func FuzzStripVolatile(f *testing.F) {
	for _, s := range volatileSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := stripVolatile(s), stripVolatileEveryAnchor(s); got != want {
			t.Fatalf("stripVolatile(%q) = %q, with every anchor tried %q", s, got, want)
		}
	})
}

// stripVolatileEveryAnchor is stripVolatile as it was before issue 12's
// second CPU round: every anchor searched for in turn, and the regexp run
// at each one found, whatever comes before it and whether or not a
// counter has a digit near. The tests' oracle.
func stripVolatileEveryAnchor(s string) string {
	low := asciiLower(s)
	var cuts [][2]int
	for i := range volatilePatterns {
		p := &volatilePatterns[i]
		for _, a := range p.anchors {
			for from := 0; ; {
				i := strings.Index(low[from:], a.text)
				if i < 0 {
					break
				}
				i += from
				from = i + len(a.text)
				cuts = p.regexpCutsAt(s, i, from, cuts)
			}
		}
	}
	return applyCuts(s, append(cuts, urlQueries(s, []byte(low))...))
}

// The pair table says what the two byte tables say, for every pair.
func TestAnchorPairsAreAnchorFirstAfterAnchorAfter(t *testing.T) {
	for prev := range 256 {
		for c := range 256 {
			k := uint(prev)<<8 | uint(c)
			if got, want := anchorPairs[k/64]&(1<<(k%64)) != 0, anchorFirst[c] && anchorAfter[prev]; got != want {
				t.Fatalf("anchorPairs[%q, %q] = %v, want %v", byte(prev), byte(c), got, want)
			}
		}
	}
}
