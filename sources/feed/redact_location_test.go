package feed

import (
	"net/http"
	"os"
	"strings"
	"testing"
)

// A redirect whose Location the client cannot parse (a bad %-escape) fails the poll with the
// client's "failed to parse Location header %q: parse %q: …", which quotes the Location whole,
// twice: a publisher's redirect to a signed URL (?sig=, X-Amz-Signature=) said its signature in
// feed_status's last_error and the "poll failed" line. Neither says it.
func TestAnUnparsableRedirectIsNamedWithoutItsToken(t *testing.T) {
	const locToken = "LOCTOKEN5sig"
	srv := newServerOn(t, "127.0.0.8", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "/signed%zz?lang=en&sig="+locToken)
		w.WriteHeader(http.StatusFound)
	}))
	cfg := DefaultConfig()
	cfg.AllowNetworks = []string{"127.0.0.8"}
	cfg.StartSpread = 0
	logFile, log := jsonLogFile(t)
	got, _ := pollEach(t, cfg, []Spec{{URL: srv.URL + "/feed"}}, log)
	if len(got) != 1 {
		t.Fatalf("%d feed statuses, want 1", len(got))
	}
	if got[0].LastError == "" {
		t.Fatalf("the poll did not fail: %+v", got[0])
	}
	if strings.Contains(got[0].LastError, locToken) {
		t.Errorf("last_error says the Location's signature: %s", got[0].LastError)
	}
	if !strings.Contains(got[0].LastError, "sig=xxxxx") {
		t.Errorf("last_error %q does not say where the redirect led", got[0].LastError)
	}
	raw, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), locToken) {
		t.Errorf("the log says the Location's signature:\n%s", raw)
	}
}
