package feed

import (
	"encoding/json"
	"slices"
	"time"
)

// recentList is feedState.Recent: a feed's trusted publish times, newest
// first, held between its polls for every feed. The schedule reads only
// their instants (rateInterval); what a saved state writes of them is the
// instant and its zone's offset (RFC 3339). So a list whose times all read
// the same in one zone holds each as its Unix nanoseconds, 8 bytes, and
// the zone once — a []time.Time held 24 bytes a time. A list that does
// not fit (a time outside the years 1678–2262 that int64 nanoseconds
// span, times of two zones that disagree — a clamped "now" in a local
// zone beside UTC dates) keeps its times as they came, as before.
//
// A time read back has no monotonic clock reading: a clamped "now" of
// this process is then compared by the wall clock, as one read from a
// saved state always was.
//
// The list is 40 bytes of every feed's state (a []time.Time was 24): the
// rare wide list is behind a pointer, so that the state, inline in every
// loop, keeps the loop in the allocator's 1,024-byte class
// (TestALoopFitsThe1024ByteSizeClass).
type recentList struct {
	at   []int64        // Unix nanoseconds, when every time fits (wide is nil)
	loc  *time.Location // the zone the times of at are read in
	wide *[]time.Time   // the times as they came, when one does not fit at
}

// recentListOf holds ts (which it does not keep) as a recentList.
func recentListOf(ts []time.Time) recentList {
	if len(ts) == 0 {
		return recentList{}
	}
	loc := ts[0].Location()
	at := make([]int64, len(ts))
	for i, t := range ts {
		at[i] = t.UnixNano()
		back := time.Unix(0, at[i]).In(loc)
		_, want := t.Zone()
		if _, got := back.Zone(); got != want || !back.Equal(t) {
			wide := slices.Clone(ts)
			return recentList{wide: &wide}
		}
	}
	return recentList{at: at, loc: loc}
}

// len is how many times r holds.
func (r recentList) len() int {
	if r.wide != nil {
		return len(*r.wide)
	}
	return len(r.at)
}

// time is r's i-th time (newest first).
func (r recentList) time(i int) time.Time {
	if r.wide != nil {
		return (*r.wide)[i]
	}
	return time.Unix(0, r.at[i]).In(r.loc)
}

// times is r's times in a new slice (nil when empty).
func (r recentList) times() []time.Time {
	if r.wide != nil {
		return slices.Clone(*r.wide)
	}
	if len(r.at) == 0 {
		return nil
	}
	out := make([]time.Time, len(r.at))
	for i := range r.at {
		out[i] = r.time(i)
	}
	return out
}

// same reports whether a and b hold the same times in the same zones,
// at once for lists shared by two states (sameSlice).
func (r recentList) same(o recentList) bool {
	if (r.wide == nil) != (o.wide == nil) {
		return false
	}
	if r.wide != nil {
		return r.wide == o.wide || sameSlice(*r.wide, *o.wide)
	}
	return r.loc == o.loc && sameSlice(r.at, o.at)
}

// IsZero lets encoding/json omit an empty list, as omitempty omitted an
// empty []time.Time.
func (r recentList) IsZero() bool { return r.len() == 0 }

// MarshalJSON writes r as encoding/json wrote the []time.Time it was.
func (r recentList) MarshalJSON() ([]byte, error) { return json.Marshal(r.times()) }

// UnmarshalJSON reads what MarshalJSON (or a []time.Time) wrote.
func (r *recentList) UnmarshalJSON(data []byte) error {
	var ts []time.Time
	if err := json.Unmarshal(data, &ts); err != nil {
		return err
	}
	*r = recentListOf(ts)
	return nil
}
