package record

import "time"

// DefaultFutureSkew is how far past its fetch an item's date may lie and
// still be taken as given (normalize.future_skew's default): publishers'
// clocks drift by minutes, and some feeds announce embargoed stories a
// little early.
const DefaultFutureSkew = 10 * time.Minute

// BeyondSkew reports whether t lies later than fetchedAt + skew: a date
// no clock wrote when the item was fetched (a zone written wrong, a
// placeholder such as 2099). It is the one rule for a future date:
// normalize clamps such a published date to the fetch time (flag
// future_clamped), the poller's newest-items choice (poller.max_items)
// ranks the item as undated, and a feed file's fetch time ignores it.
func BeyondSkew(t, fetchedAt time.Time, skew time.Duration) bool {
	return t.After(fetchedAt.Add(skew))
}
