package feed

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"
)

// A feed that never ends its body is cut off at poller.timeout, and the
// error says so with the setting's value and how much had arrived: "poll
// over its timeout" named neither, and a newcomer could not tell an
// endless feed from a slow network.
func TestAPollCutOffAtItsTimeoutNamesTheSettingAndTheBytesRead(t *testing.T) {
	first := "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Endless</title>"
	mux := http.NewServeMux()
	mux.HandleFunc("/endless", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write([]byte(first))
		w.(http.Flusher).Flush()
		<-r.Context().Done() // the rest never comes
	})
	srv := newServerOn(t, "127.0.0.2", mux)
	f := newTestFetcher(t, testFetcherConfig("127.0.0.2"))
	var d pollDeadline
	defer d.close()
	const timeout = 300 * time.Millisecond
	_, err := f.fetch(d.start(context.Background(), timeout, nil), fetchRequest{URL: srv.URL + "/endless"})
	wantClass(t, err, ClassTimeout)
	want := "fetch " + srv.URL + "/endless: read body (" + strconv.Itoa(len(first)) + " bytes so far): poll over poller.timeout (300ms)"
	if err == nil || err.Error() != want {
		t.Errorf("endless feed error\n got: %v\nwant: %s", err, want)
	}
}
