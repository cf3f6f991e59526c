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

// A fetcher's start line named a data_dir it never writes (its poll state
// is the feed_state topic), and a newcomer following Scaling out looked for
// the directory. Only a processor, whose changelog snapshot cache is
// there, names it; a fetcher names its poll state's topic.
func TestOnlyAProcessorLogsADataDirAtStart(t *testing.T) {
	for _, c := range []struct {
		role, dataDir, pollState string
	}{
		{config.RoleFetch, "", "topic news.feed_state"},
		{config.RoleProcess, "/var/lib/ws", ""},
	} {
		cfg := config.Config{Role: c.role, Instance: "i1", DataDir: "/var/lib/ws"}
		cfg.Kafka.TopicPrefix = "news."
		attrs := roleRunningAttrs(cfg)
		got := map[string]string{}
		for i := 0; i+1 < len(attrs); i += 2 {
			got[fmt.Sprint(attrs[i])] = fmt.Sprint(attrs[i+1])
		}
		if got["data_dir"] != c.dataDir || got["poll_state"] != c.pollState {
			t.Errorf("role %s logs data_dir %q and poll_state %q, want %q and %q", c.role, got["data_dir"], got["poll_state"], c.dataDir, c.pollState)
		}
	}
}
