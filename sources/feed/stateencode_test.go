package feed

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"testing"
	"time"
)

// referenceEncode is how a feed's state was encoded before round 35:
// encoding/json over the struct (the seen-item maps through their
// MarshalJSON). encode must give the same bytes — snapshots and the log
// hold both, a restore reads both, and a saved state is compared with
// what the store encodes again later (state.Store.SaveFeedStateLater).
func referenceEncode(s feedState) ([]byte, error) {
	s.V = stateVersion
	return json.Marshal(s)
}

// A feed's state encodes to the bytes encoding/json gives it, whatever
// its strings (quotes, HTML, control characters, invalid UTF-8, U+2028)
// and times (zones, nanoseconds, the zero time); a state encoding/json
// refuses (a year past 9999, a zone of 24 hours) is refused too. And it
// decodes back to itself (but invalid UTF-8, read back as U+FFFD).
func TestAFeedStateEncodesAsEncodingJSONDoes(t *testing.T) {
	r := rand.New(rand.NewPCG(35, 12))
	odd := []string{"", `"quoted"`, `back\slash`, "<b>&amp;</b>", "tab\there\nline\r", "\x00\x01\x1f\x7f",
		"caf\xc3\xa9", "bad \xff utf-8", "line\u2028sep\u2029", "日本語", "\b\f"}
	zones := []*time.Location{time.UTC, time.FixedZone("", 5*3600+30*60), time.FixedZone("X", -8*3600), time.FixedZone("", 0)}
	when := func() time.Time {
		if r.IntN(5) == 0 {
			return time.Time{}
		}
		return time.Unix(r.Int64N(4_000_000_000), r.Int64N(3)*int64(r.IntN(1e9))).In(zones[r.IntN(len(zones))])
	}
	str := func() string { return odd[r.IntN(len(odd))] }
	var states []feedState
	for i := range 300 {
		st := benchFeedState(r, i)
		if i%3 == 0 {
			st = feedState{} // sparse: omitempty everywhere
		}
		st.FetchURL, st.ETag, st.LastModified, st.BodyHash = str(), str(), str(), str()
		st.DistrustETag = r.IntN(2) == 0
		st.BodyAt, st.SeenAt, st.DistrustAt, st.NextPoll, st.LastAttempt, st.LastSuccess, st.SentAt = when(), when(), when(), when(), when(), when(), when()
		if r.IntN(2) == 0 {
			st.Arrived = []time.Time{when(), when()}
			st.Links = Links{Hubs: []string{str(), str()}, Self: str()}
			st.Warnings, st.SentWarnings = []string{str()}, []string{str(), str()}
			st.Failures, st.HTTPStatus, st.Err, st.ErrClass, st.SentClass = r.IntN(9)-1, 404, str(), str(), str()
			st.Health, st.SentHealth = "failing", "ok"
			st.CacheFor, st.Undated, st.Horizon = time.Duration(r.Int64()), -time.Minute, -r.Int64N(100)
		}
		if i%7 == 0 {
			st.Seen = seenListOf(map[uint64]uint64{r.Uint64(): reasonCode(RejectRepeated), 0: reasonCode(RejectOverLimit), ^uint64(0): 0})
			st.Memo = memoListOf(map[uint64]memo{1: {}, 2: {Updated: -5}, 3: {First: 1}})
			st.Gone = goneList{{0, reasonCode(RejectInvalid)}}
		}
		states = append(states, st)
	}
	farYear := feedState{NextPoll: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}
	badZone := feedState{SentAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.FixedZone("", 24*3600))}
	states = append(states, farYear, badZone, feedState{Seen: seenList{}, Memo: memoListFrom([]memoEntry{}), Gone: goneList{}, Recent: recentListOf([]time.Time{})})

	for i, st := range states {
		want, werr := referenceEncode(st)
		got, err := st.encode()
		if (err != nil) != (werr != nil) {
			t.Fatalf("state %d: encode error %v, encoding/json's %v", i, err, werr)
		}
		if werr != nil {
			continue
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("state %d encodes to\n%s\nencoding/json to\n%s", i, got, want)
		}
		back, err := decodeState(got)
		if err != nil {
			t.Fatalf("state %d does not decode: %v", i, err)
		}
		again, err := back.encode()
		if bytes.Contains(want, []byte(`\ufffd`)) {
			continue // invalid UTF-8 read back as U+FFFD, as ever
		}
		if err != nil || !bytes.Equal(again, got) {
			t.Fatalf("state %d decoded encodes to\n%s\nnot\n%s (%v)", i, again, got, err)
		}
	}
}

// A snapshot encodes every feed's state again (10,000 at issue 12's
// scale): with encoding/json, temporary maps of hex strings for the
// seen items, and its copy of every value a MarshalJSON returned, that
// was ≈ 216 allocations and 12 KB a feed for ≈ 2.8 KB of output. Now
// the output is the one allocation.
func TestEncodingAFeedStateAllocatesItsBytesOnly(t *testing.T) {
	st := benchFeedState(rand.New(rand.NewPCG(1, 2)), 1)
	if n := testing.AllocsPerRun(20, func() {
		if _, err := st.encode(); err != nil {
			t.Fatal(err)
		}
	}); n > 1 {
		t.Fatalf("encoding a feed's state allocates %.0f times, want 1 (its bytes)", n)
	}
}
