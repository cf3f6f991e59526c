package ninjs

import (
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/wirestream/wirestream/pipeline/record"
)

// URI prefixes of the identifiers FromStory mints. A ninjs uri names the
// ninjs object, not a web page: wirestream's story id is stable across
// versions of a story, and the version is in "version".
const (
	StoryURIPrefix = "urn:wirestream:story:"
	EventURIPrefix = "urn:wirestream:event:"
	// MediaTopicURI is where an IPTC Media Topic code is a URI.
	MediaTopicURI = "http://cv.iptc.org/newscodes/mediatopic/"
)

// Roles FromStory writes, and Parse looks for first.
const (
	RoleMain         = "main"
	RoleSummary      = "summary"
	RoleCaption      = "caption"
	RoleGUID         = "guid"         // altIds: the GUID the feed gave
	RoleURL          = "url"          // altIds: the story's web address as linked
	RoleCanonicalURL = "canonicalUrl" // altIds: the same, without tracking parameters
	RolePublisher    = "publisher"    // infoSources: the outlet
	RoleFeed         = "feed"         // infoSources: the feed it was read from
	// RelClassifies marks a subject that classifies the story, as the
	// IPTC's own examples do for Media Topics.
	RelClassifies = "classifies"
	// CreatorMachine marks subjects wirestream assigned, not an editor.
	CreatorMachine = "machine"
)

// FromStory maps a story record to a ninjs 3.1 object:
//
//   - uri is urn:wirestream:story:<id> and version the story's version;
//     firstCreated is when it was published, versionCreated when this
//     version was (its updated date, or for a revision without one, when
//     the revision was fetched);
//   - one main headline; the summary as a description; the body as
//     text/plain and its sanitized HTML as text/html, both role main;
//   - language; authors joined in "by";
//   - subjects: the coded subjects the source gave, then the IPTC Media
//     Topics wirestream assigned (rel classifies, creator machine, score as
//     confidence 0..100), then feed categories no subject already names;
//   - people, organisations and places from the story's entities (rel
//     about when named in the headline, mentions otherwise, the entity key
//     as literal);
//   - the event as an events entry; publisher and feed as infoSources;
//     GUID, link and canonical link as altIds (ninjs has no link field);
//   - each media attachment as an association with one rendition.
//
// Keywords, fingerprints and dedupe data have no ninjs property and are
// left out: the native format carries them.
func FromStory(s *record.Story) *Item {
	it := &Item{
		URI:            StoryURIPrefix + s.ID,
		Type:           "text",
		Version:        Str(strconv.Itoa(s.Version)),
		FirstCreated:   stamp(s.Published),
		VersionCreated: stamp(versionCreated(s)),
		PubStatus:      "usable",
		Language:       s.Language,
		By:             strings.Join(s.Authors, ", "),
		Standard:       &Standard{Name: "ninjs", Version: Version, Schema: SchemaURI},
	}
	if s.Title != "" {
		it.Headlines = []Text{{Role: RoleMain, ContentType: "text/plain", Value: s.Title}}
	}
	if s.Summary != "" {
		it.Descriptions = []Text{{Role: RoleSummary, ContentType: "text/plain", Value: s.Summary}}
	}
	if s.Body != "" {
		it.Bodies = append(it.Bodies, Body{Role: RoleMain, ContentType: "text/plain",
			CharCount: utf8.RuneCountInString(s.Body), WordCount: len(strings.Fields(s.Body)), Value: s.Body})
	}
	if s.HTML != "" {
		it.Bodies = append(it.Bodies, Body{Role: RoleMain, ContentType: "text/html", Value: s.HTML})
	}
	it.Subjects = subjectsOf(s)
	for _, e := range s.Entities {
		rel := "mentions"
		if e.InTitle {
			rel = "about"
		}
		ref := Ref{Name: e.Name, Rel: rel, Literal: e.Key}
		switch e.Kind {
		case "person":
			it.People = append(it.People, ref)
		case "organization":
			it.Organisations = append(it.Organisations, ref)
		case "place":
			it.Places = append(it.Places, ref)
		}
	}
	if s.EventID != "" {
		it.Events = []Event{{ID: s.EventID, URI: EventURIPrefix + s.EventID, Rel: "about"}}
	}
	if s.Publisher != "" {
		it.InfoSources = append(it.InfoSources, InfoSource{Name: s.Publisher, Role: RolePublisher})
	}
	if s.Feed.URL != "" {
		it.InfoSources = append(it.InfoSources, InfoSource{Name: s.Feed.Title, Role: RoleFeed, URI: absURI(s.Feed.URL)})
	}
	for _, a := range []AltID{{RoleGUID, s.GUID}, {RoleURL, s.URL}, {RoleCanonicalURL, s.CanonicalURL}} {
		if a.Value != "" {
			it.AltIDs = append(it.AltIDs, a)
		}
	}
	for _, m := range s.Media {
		if a, ok := association(len(it.Associations)+1, m); ok {
			it.Associations = append(it.Associations, a)
		}
	}
	return it
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// versionCreated is when this version of the story came to be.
func versionCreated(s *record.Story) time.Time {
	switch {
	case s.Updated != nil && s.Updated.After(s.Published):
		return *s.Updated
	case s.Version > 1 && s.FetchedAt.After(s.Published):
		return s.FetchedAt
	}
	return s.Published
}

func subjectsOf(s *record.Story) []Subject {
	var out []Subject
	byURI := map[string]bool{}
	byName := map[string]bool{}
	add := func(sub Subject) {
		if (sub.URI != "" && byURI[sub.URI]) || (sub.URI == "" && byName[strings.ToLower(sub.Name)]) {
			return
		}
		byURI[sub.URI] = sub.URI != ""
		byName[strings.ToLower(sub.Name)] = sub.Name != ""
		out = append(out, sub)
	}
	for _, sub := range s.Subjects {
		add(Subject{Name: sub.Name, URI: absURI(sub.URI), Literal: sub.Literal, Rel: sub.Rel})
	}
	for _, t := range s.Topics {
		id := strings.TrimPrefix(t.Code, "medtop:")
		conf := int(math.Round(min(max(t.Score, 0), 1) * 100))
		add(Subject{Name: t.Name, URI: MediaTopicURI + id, Literal: t.Code, Rel: RelClassifies,
			Creator: CreatorMachine, Confidence: &conf})
	}
	for _, c := range s.Categories {
		add(Subject{Name: c})
	}
	return out
}

// mediaTypes maps a record.Media medium to a ninjs type.
var mediaTypes = map[string]string{"image": "picture", "video": "video", "audio": "audio"}

// association is one media attachment as a ninjs item; false when its URL
// is not a URI (an association must have one).
func association(n int, m record.Media) (Association, bool) {
	typ := mediaTypes[m.Medium]
	if typ == "" {
		typ = mediaTypes[strings.Split(m.Type, "/")[0]]
	}
	if typ == "" && m.Type == "" {
		typ = "picture" // media:thumbnail and untyped enclosures are images in practice
	}
	name := "original"
	if m.Thumb {
		name = "thumbnail"
	}
	u := absURI(m.URL)
	if u == "" {
		return Association{}, false
	}
	a := Association{Name: "media" + strconv.Itoa(n), Item: Item{
		URI:  u,
		Type: typ,
		By:   m.Credit,
		Renditions: Renditions{{Name: name, Href: u, ContentType: m.Type,
			Width: m.Width, Height: m.Height, SizeInBytes: m.Length}},
	}}
	if m.Title != "" {
		a.Headlines = []Text{{Role: RoleMain, Value: m.Title}}
	}
	if m.Captions != "" {
		a.Descriptions = []Text{{Role: RoleCaption, Value: m.Captions}}
	}
	return a, true
}

// absURI returns s as an absolute URI, percent-encoding what needs it
// (a space in a file name), or "" when s is not one: ninjs requires uri
// and href properties to be URIs, and a source's values are not checked.
func absURI(s string) string {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || !u.IsAbs() {
		return ""
	}
	return u.String()
}
