package events

import (
	"math"
	"time"
)

// instant is a time as an event holds it: Unix nanoseconds, noInstant
// for the zero time. A time.Time is 24 bytes (wall, ext and a location
// pointer) and an event held six, 144 bytes of its 640 (BENCHMARKS.md,
// round 43: evmem43). It is the state log's own form of a time
// (state.AppendTime, Decoder.Time), so an event holds exactly what its
// log entry restores, and gives back what it was given for every time
// the pipeline makes: UTC (normalize and dedupe make every story time
// UTC), between 1678 and 2262, no monotonic reading.
type instant int64

// noInstant stands for the zero time, as the state log writes it.
const noInstant instant = math.MinInt64

func instantOf(t time.Time) instant {
	if t.IsZero() {
		return noInstant
	}
	return instant(t.UnixNano())
}

// time is the instant as a time.Time in UTC, the zero time for noInstant:
// what state.Decoder.Time reads back.
func (i instant) time() time.Time {
	if i == noInstant {
		return time.Time{}
	}
	return time.Unix(0, int64(i)).UTC()
}

func (i instant) isZero() bool { return i == noInstant }

// The zero time is before every other, as time.Time's is, and noInstant
// is the least int64: the order of instants is the order of their times.
func (i instant) after(j instant) bool  { return i > j }
func (i instant) before(j instant) bool { return i < j }
