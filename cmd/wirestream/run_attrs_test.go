package main

import (
	"fmt"
	"testing"

	"github.com/wirestream/wirestream/internal/config"
)

// Only a role that fetches logs a User-Agent at start, and the one it
// sends (with its instance): a processor logged poller.user_agent, which it
// never uses, and a fetcher logged the configured one, not what it sends.
func TestOnlyAFetcherLogsTheUserAgentItSends(t *testing.T) {
	for _, c := range []struct {
		role, want string
	}{
		{config.RoleFetch, "wirestream-test/1 instance/f1"},
		{config.RoleProcess, ""},
	} {
		cfg := config.Config{Role: c.role, Instance: "f1"}
		cfg.Poller.UserAgent = "wirestream-test/1"
		attrs := roleRunningAttrs(cfg)
		got := ""
		for i := 0; i+1 < len(attrs); i += 2 {
			if attrs[i] == "user_agent" {
				got = fmt.Sprint(attrs[i+1])
			}
		}
		if got != c.want {
			t.Errorf("role %s logs user_agent %q, want %q", c.role, got, c.want)
		}
	}
}
