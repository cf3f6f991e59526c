// Package normalize turns the raw record.Item a source read into a
// record.Story: a stable id, a canonical URL, clean plain text, sanitized
// HTML, cleaned authors and categories, absolute media URLs, resolved
// dates and a content hash. It also owns the text keys the dedupe stage
// compares (FingerprintText, TitleKey), so "the same story" means the same
// thing everywhere.
//
// Normalization is a pure function of the item and the time passed in: no
// I/O, no clocks, no globals that change. The same item normalized on two
// machines yields the same id, canonical URL, text and content hash; that
// is what lets a restart or a second replica recognise what it already
// published.
//
// # Story ids
//
// StoryID is "s_" followed by the first 22 characters of the lowercase,
// unpadded base32 (RFC 4648 alphabet) of a SHA-256 — 110 bits, so
// collisions are out of reach at any realistic volume. The hashed key is:
//
//   - the canonical URL without its scheme, when the item has a link, so
//     a feed moving from http to https keeps its ids;
//   - else the GUID, canonicalized the same way, when it is an http(s) URL
//     (RSS isPermaLink guids), so it matches the id the link would give;
//   - else the GUID namespaced by the feed's canonical URL: bare GUIDs such
//     as "12345" repeat across feeds and must not collide.
//
// # Canonical URLs
//
// CanonicalURL keeps only what tells two documents apart: the scheme and
// host are lowercased, IDNA hosts become punycode, a trailing dot on the
// host, the default port, userinfo and the fragment are dropped (a "#!"
// hashbang fragment is kept: single-page sites route on it), tracking
// parameters are removed (see trackingParams for the list and its
// sources), empty parameters are dropped and the rest are sorted. Percent
// escapes are normalized (unreserved characters decoded, hex uppercased)
// and "." and ".." path segments resolved; an empty path becomes "/".
//
// Deliberately kept: "www.", a trailing slash, "index.html", the case of
// the path and query. Each of these usually means the same page, but not
// always, and the server — not us — decides; a wrong merge loses a story
// for good while a missed one is still caught by body dedupe downstream.
// Schemes other than http and https are an error.
//
// # Text
//
// Title, summary and body are plain text: HTML is parsed (scripts, styles,
// iframes, form controls, SVG and figure captions dropped — captions describe a
// photo, and stay in Media), block elements become paragraph breaks
// ("\n\n"), <br> a line break, entities are decoded — repeatedly, so a
// double-escaped "&amp;amp;" or an entity-escaped HTML description comes
// out clean — UTF-8 that was decoded as Windows-1252 ("â€™", "Ã©") is
// repaired, non-breaking and exotic spaces become spaces, zero-width
// characters, soft hyphens, control characters and the bidi embeddings,
// overrides and isolates (U+202A–U+202E, U+2066–U+2069: "Trojan Source"
// spoofs such as "Invoice\u202Egnp.exe") go, whitespace is collapsed and
// the result is Unicode NFC. Plain text never carries a "<script" opener.
//
// # Caps
//
// Every text field is capped, in bytes of its JSON encoding (so an escaped
// "<" counts six): title 1,024 (cut at a word, ending "…"); GUID 1,024 (its
// start, "…" and 16 hex digits of its SHA-256, so it stays unique; the id
// is derived from the whole GUID); link 8,192 (a longer one gives way to
// its canonical URL; a canonical URL over 8,192 bytes is an ErrBadLink,
// since an identity cannot be cut); publisher, feed title, each author and
// each category 256; a subject's name and URI 256, its literal and rel 64
// (a subject whose codes are longer is dropped, as a code cannot be cut);
// raw dates 256; body and HTML Config.MaxTextBytes (the body cut at a
// paragraph or word boundary, the HTML dropped whole, since a cut would
// break its markup); at most 20 authors, 50 categories, 50 subjects and 20
// media, media URLs over 2,048 bytes dropped and media text cut to 256.
// Every field cut is named in Story.Truncated and counted in
// wirestream_normalize_truncated_total, so one enormous item can neither
// exceed Kafka's message limit nor bloat the memory of the events its
// story joins, and a consumer knows what it lost.
//
// Story.HTML is the fullest field (content, else description) sanitized
// with bluemonday's UGC policy: no scripts, styles, iframes, forms or on*
// handlers, only http(s)/mailto URLs, rel="nofollow" on links. It is left
// empty when the feed gave plain text, or when it would exceed
// MaxTextBytes (a cut in the middle of markup would be broken HTML).
//
// When an item has content (content:encoded, Atom content), the body is its
// text and the summary is the description's text — even when it repeats
// the start of the body, because the publisher wrote it as the teaser —
// minus a trailing "Continue reading..." link. With no content, the body is
// the description's text and the summary its first sentences, cut near 300
// bytes; a description over 1000 bytes is cut the same way. An item with
// no title gets its first sentence as one.
//
// Authors are names: "email (Name)" gives the name, bare addresses and
// placeholders ("Unknown", "admin", "agencies") go, "By " and a Guardian
// style " in Brussels" go, "A and B" / "A; B" / "A, B C" are split (but not
// "Doe, Jane"). Authors and categories are de-duplicated ignoring case.
// Media URLs are resolved against the link; non-http(s) media are dropped.
// GUIDs stay opaque: trimmed, never HTML-decoded.
//
// # Dedupe keys
//
// FingerprintText is the text that near-duplicate detection shingles, and
// TitleKey the headline it compares exactly; ContentHash (hex SHA-256 of
// TitleKey + "\n" + FingerprintText) decides whether a story with a known
// id is a revision. Boilerplate is removed only there; Body keeps it for
// readers. So are volatile fragments, which change on every poll while
// the story does not — relative times ("updated 5 minutes ago", "vor 3
// Minuten", "il y a 2 heures"), "last updated" stamps, view and comment
// counters, query strings of URLs in the text (cache busters) — so that
// a live page polled every minute is one version until its news changes.
//
// # Dates
//
// The published time is resolved in this order, and Story.DateFlags
// records every rule that fired:
//
//  1. The raw published string is parsed by this package (RFC 1123/822 and
//     their common variants, RFC 3339, "2006-01-02 15:04:05" and kin,
//     German and French month and weekday names); if that fails the
//     source's own parse is used.
//  2. A time written without a zone is read as UTC and flagged
//     "no_timezone". Zone abbreviations are looked up in a fixed table
//     (EST, CEST, IST = India, ...); an unknown abbreviation counts as no
//     zone. (Go's time.Parse would silently read it as UTC+0.)
//  3. No published time, but an updated one: it is used, flagged
//     "from_updated".
//  4. A raw published string that cannot be parsed: flagged "unparsed"
//     and the raw string kept in PublishedRaw; then rule 3, else 5. One
//     that parses but cannot be true — before 1991 (web feeds are
//     younger than the web: the epoch, 1900-01-01 and zero times are
//     placeholders), or with a zone offset outside −12:00…+14:00
//     ("+2400", which Go reads as a day's shift) — is flagged
//     "implausible" and treated the same way; so is an implausible
//     updated time (it is then not used).
//  5. Nothing usable: the fetch time (the poll's; for a file, its newest
//     item date), flagged "missing".
//  6. Later than fetch time + Config.FutureSkew: clamped to the fetch time,
//     flagged "future_clamped". A future updated time is clamped silently.
//
// All times in a story are UTC.
package normalize
