package feed

import (
	"encoding/json"
	"strconv"
	"time"
	"unicode/utf8"
)

// A feed's state is encoded after every poll that saves it, and again for
// every feed at each state snapshot (the store keeps the loop's encode,
// not the bytes: state.Store.SaveFeedStateLater). encoding/json took ≈ 216
// allocations and 12 KB a feed for ≈ 2.8 KB of output — temporary maps of
// hex strings for the seen items, reflection, and its copy of every
// MarshalJSON's output —, 0.42 CPU-s and 124 MB a snapshot at 10,000 feeds
// (round 35). appendJSON writes the same bytes by hand into one buffer
// sized for them. The format is unchanged: decodeState reads it with
// encoding/json as before, and the MarshalJSON methods of the seen-item
// maps stay for it and for the fallback.

// encode returns the state as JSON, with the current version: exactly the
// bytes encoding/json gives it (TestAFeedStateEncodesAsEncodingJSONDoes).
func (s feedState) encode() ([]byte, error) {
	s.V = stateVersion
	b, ok := s.appendJSON(make([]byte, 0, s.jsonSizeHint()))
	if !ok {
		return encodeWithJSON(s)
	}
	return b, nil
}

// encodeWithJSON is encoding/json's encoding of s, for a time it refuses
// (a year past 9999, a zone of 24 hours or more): its error, worded as
// it words it. A function of its own, so that encode's s does not move
// to the heap for it.
func encodeWithJSON(s feedState) ([]byte, error) {
	return json.Marshal(s)
}

// jsonSizeHint is about what appendJSON writes: exact for the seen items,
// which are most of it, and an upper bound for the times, so that the
// buffer is allocated once.
func (s *feedState) jsonSizeHint() int {
	const timeMax = len(`,"last_success":""`) + len("2006-01-02T15:04:05.999999999-07:00")
	n := 64 + 7*timeMax + len(s.FetchURL) + len(s.ETag) + len(s.LastModified) + len(s.BodyHash) + len(s.Links.Self) +
		len(s.ErrClass) + len(s.Err) + len(s.SentClass) + 4*len(`,"last_modified":""`)
	n += len(s.Seen) * len(`"0123456789abcdef":"0123456789abcdef",`)
	for m := range s.Memo.all() {
		n += len(`"0123456789abcdef":{},`) + memoSize(m.Link) + memoSize(m.Text) + intSize(m.First) + intSize(m.Updated)
	}
	n += len(s.Gone) * len(`["0123456789abcdef","0123456789abcdef"],`)
	n += (len(s.Arrived) + s.Recent.len()) * (len("2006-01-02T15:04:05.999999999-07:00") + 3)
	for _, ss := range [][]string{s.Links.Hubs, s.Warnings, s.SentWarnings} {
		for _, x := range ss {
			n += len(x) + 3
		}
	}
	return n + 12*len(`,"sent_warnings":[]`)
}

// memoSize is what a memo field of value v adds: `"l":v,`; nothing for 0.
func memoSize(v uint64) int {
	if v == 0 {
		return 0
	}
	return len(`"l":,`) + decimalDigits(v)
}

func intSize(v int64) int {
	if v == 0 {
		return 0
	}
	if v < 0 {
		return len(`"l":,-`) + decimalDigits(uint64(-v))
	}
	return len(`"l":,`) + decimalDigits(uint64(v))
}

func decimalDigits(v uint64) int {
	n := 1
	for ; v >= 10; v /= 10 {
		n++
	}
	return n
}

// appendJSON appends the state as encoding/json writes it: the fields in
// their order, omitempty ones left out when empty (a time.Time never is:
// encoding/json does not omit a struct). false: a time it cannot write.
func (s *feedState) appendJSON(b []byte) ([]byte, bool) {
	o := jsonObject{b: append(b, '{')}
	o.int("v", int64(s.V), false)
	o.str("fetch_url", s.FetchURL)
	o.str("etag", s.ETag)
	o.str("last_modified", s.LastModified)
	if s.DistrustETag {
		o.key("distrust_etag")
		o.b = append(o.b, "true"...)
	}
	o.str("body_sha256", s.BodyHash)
	o.time("body_at", s.BodyAt)
	if len(s.Seen) > 0 {
		o.key("seen")
		o.b = s.Seen.appendJSON(o.b)
	}
	if s.Memo.len() > 0 {
		o.key("memo")
		o.b = s.Memo.appendJSON(o.b)
	}
	if len(s.Gone) > 0 {
		o.key("gone")
		o.b = s.Gone.appendJSON(o.b)
	}
	o.int("h", s.Horizon, true)
	o.time("seen_at", s.SeenAt)
	o.times("arrived", s.Arrived)
	o.key("links")
	links := jsonObject{b: append(o.b, '{')}
	links.strs("hubs", s.Links.Hubs)
	links.str("self", s.Links.Self)
	o.b = append(links.b, '}')
	o.recent("recent", s.Recent)
	o.time("distrust_at", s.DistrustAt)
	o.strs("warnings", s.Warnings)
	o.int("doc_hint", int64(s.DocHint), true)
	o.int("cache_for", int64(s.CacheFor), true)
	o.int("undated", int64(s.Undated), true)
	o.time("next_poll", s.NextPoll)
	o.time("last_attempt", s.LastAttempt)
	o.time("last_success", s.LastSuccess)
	o.int("failures", int64(s.Failures), true)
	o.str("health", string(s.Health))
	o.str("err_class", s.ErrClass)
	o.str("err", s.Err)
	o.int("http_status", int64(s.HTTPStatus), true)
	o.str("sent_health", string(s.SentHealth))
	o.str("sent_class", s.SentClass)
	o.strs("sent_warnings", s.SentWarnings)
	o.time("sent_at", s.SentAt)
	return append(o.b, '}'), !o.failed
}

// jsonObject appends an object's members, a comma before all but the
// first. Keys are the struct's tags: nothing in them to escape.
type jsonObject struct {
	b      []byte
	some   bool
	failed bool // a time encoding/json refuses
}

func (o *jsonObject) key(k string) {
	if o.some {
		o.b = append(o.b, ',')
	}
	o.some = true
	o.b = append(o.b, '"')
	o.b = append(o.b, k...)
	o.b = append(o.b, '"', ':')
}

func (o *jsonObject) int(k string, v int64, omitEmpty bool) {
	if omitEmpty && v == 0 {
		return
	}
	o.key(k)
	o.b = strconv.AppendInt(o.b, v, 10)
}

// str writes an omitempty string.
func (o *jsonObject) str(k, v string) {
	if v == "" {
		return
	}
	o.key(k)
	o.b = appendJSONString(o.b, v)
}

// strs writes an omitempty []string.
func (o *jsonObject) strs(k string, vs []string) {
	if len(vs) == 0 {
		return
	}
	o.key(k)
	o.b = append(o.b, '[')
	for i, v := range vs {
		if i > 0 {
			o.b = append(o.b, ',')
		}
		o.b = appendJSONString(o.b, v)
	}
	o.b = append(o.b, ']')
}

func (o *jsonObject) time(k string, t time.Time) {
	o.key(k)
	o.appendTime(t)
}

// times writes an omitempty []time.Time.
func (o *jsonObject) times(k string, ts []time.Time) {
	if len(ts) == 0 {
		return
	}
	o.key(k)
	o.b = append(o.b, '[')
	for i, t := range ts {
		if i > 0 {
			o.b = append(o.b, ',')
		}
		o.appendTime(t)
	}
	o.b = append(o.b, ']')
}

// recent writes an omitzero recentList, as times writes the []time.Time
// it was.
func (o *jsonObject) recent(k string, r recentList) {
	if r.len() == 0 {
		return
	}
	o.key(k)
	o.b = append(o.b, '[')
	for i := range r.len() {
		if i > 0 {
			o.b = append(o.b, ',')
		}
		o.appendTime(r.time(i))
	}
	o.b = append(o.b, ']')
}

// appendTime writes t as time.Time's MarshalJSON does (its AppendText,
// quoted).
func (o *jsonObject) appendTime(t time.Time) {
	o.b = append(o.b, '"')
	var err error
	if o.b, err = t.AppendText(o.b); err != nil {
		o.failed = true
	}
	o.b = append(o.b, '"')
}

// appendJSONString appends s quoted as encoding/json quotes it. Printable
// ASCII is written as it is, a quote and a backslash escaped (an ETag's
// quotes); anything else — control characters, non-ASCII, and HTML's <,
// > and &, which encoding/json escapes by default — is left to
// encoding/json itself: rare in a feed's state (an error's text).
func appendJSONString(b []byte, s string) []byte {
	start := len(b)
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < 0x20 || c >= utf8.RuneSelf || c == '<' || c == '>' || c == '&':
			q, _ := json.Marshal(s) // a string always encodes
			return append(b[:start], q...)
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}

// appendHash appends h quoted as formatHash writes it: 16 hex digits.
func appendHash(b []byte, h uint64) []byte {
	const digits = "0123456789abcdef"
	b = append(b, '"')
	for shift := 60; shift >= 0; shift -= 4 {
		b = append(b, digits[h>>uint(shift)&0xf])
	}
	return append(b, '"')
}

// appendValue appends a Seen value as formatValue writes it, quoted.
func appendValue(b []byte, h uint64) []byte {
	for _, r := range rejectReasons {
		if h == reasonCode(r) {
			return appendJSONString(b, r)
		}
	}
	return appendHash(b, h)
}

// appendJSON appends m as its MarshalJSON writes it: an object keyed by
// the keys' hex, in the order of their 16-digit hex — which encoding/json
// sorts a map's keys by, and m's order.
func (m seenList) appendJSON(b []byte) []byte {
	b = append(b, '{')
	for i, e := range m {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendHash(b, e.Key)
		b = append(b, ':')
		b = appendValue(b, e.Val)
	}
	return append(b, '}')
}

// appendJSON appends m as its MarshalJSON writes it, as seenList's.
func (m memoList) appendJSON(b []byte) []byte {
	b = append(b, '{')
	for i := range m.len() {
		if i > 0 {
			b = append(b, ',')
		}
		e := m.at(i)
		b = appendHash(b, e.Key)
		b = append(b, ':')
		b = appendMemo(b, e.memo)
	}
	return append(b, '}')
}

// appendMemo appends v as memo's struct tags have encoding/json write it.
func appendMemo(b []byte, v memo) []byte {
	o := jsonObject{b: append(b, '{')}
	if v.Link != 0 {
		o.key("l")
		o.b = strconv.AppendUint(o.b, v.Link, 10)
	}
	if v.Text != 0 {
		o.key("t")
		o.b = strconv.AppendUint(o.b, v.Text, 10)
	}
	o.int("f", v.First, true)
	o.int("u", v.Updated, true)
	return append(o.b, '}')
}

// appendJSON appends g as its MarshalJSON writes it.
func (g goneList) appendJSON(b []byte) []byte {
	b = append(b, '[')
	for i, p := range g {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		b = appendHash(b, p[0])
		b = append(b, ',')
		b = appendValue(b, p[1])
		b = append(b, ']')
	}
	return append(b, ']')
}
