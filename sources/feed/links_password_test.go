package feed

import (
	"net/http"
	"reflect"
	"strings"
	"testing"
)

// A Link header's relative targets do not inherit the feed URL's user and
// password. They resolved against the request's URL, userinfo and all:
// `</members>; rel=self` polled as http://alice:s3cret@host/members came
// out as the self URL http://alice:s3cret@host/members, saved in the poll
// state's links (feed_state, a compacted topic) at every poll, as the
// moved URL was before round 33 (websub drops it from the topic it sends
// a hub, but not from the state). Links found in the document already
// resolve without it (linkBase).
func TestALinkHeadersRelativeTargetsDoNotInheritTheFeedsPassword(t *testing.T) {
	srv := newServerOn(t, "127.0.0.7", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if user, pass, _ := r.BasicAuth(); user != "alice" || pass != "s3cret" {
			http.Error(w, "who are you", http.StatusUnauthorized)
			return
		}
		w.Header().Set("Link", `</hub>; rel="hub", </members>; rel="self"`)
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(rssDoc("Members", "m1"))
	}))
	host := strings.TrimPrefix(srv.URL, "http://")
	f := newTestFetcher(t, testFetcherConfig("127.0.0.7"))
	res := fetchOK(t, f, fetchRequest{URL: "http://alice:s3cret@" + host + "/members"})
	want := Links{Hubs: []string{"http://" + host + "/hub"}, Self: "http://" + host + "/members"}
	if !reflect.DeepEqual(res.Links, want) {
		t.Errorf("the Link header's links %+v, want %+v: relative targets without the feed's userinfo", res.Links, want)
	}
}
