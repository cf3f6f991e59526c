package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// An operator following "Scaling out" sets cluster.replication_factor: 3
// and min_insync_replicas: 2 (README: "3 and 2 on a real cluster"); the
// output topics (stories, events, …) keep their own kafka.topics.*
// replication_factor, 1 by default, and validate listed "replication 1"
// beside them without a word (round 28, operator28): a broker lost would
// lose the stories only it held, where README's table promises nothing
// acknowledged is lost with one of three down. validate warns, naming the
// topics and the keys.
func TestValidateWarnsOfOutputTopicsLessReplicatedThanTheCluster(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		name, yaml string
		want       []string // in the warning; none: no warning
	}{
		{"cluster 3, topics 1", "cluster:\n  replication_factor: 3\n  min_insync_replicas: 2\n",
			[]string{"cluster.replication_factor is 3", "stories", "events", "dead_letters", "kafka.topics.<name>.replication_factor: 3", "min_insync_replicas: 2"}},
		{"cluster 3, one topic raised", "cluster:\n  replication_factor: 3\n  min_insync_replicas: 2\nkafka:\n  topics:\n    stories: {replication_factor: 3}\n",
			[]string{"cluster.replication_factor is 3", "events"}},
		{"single broker", "cluster:\n  replication_factor: 1\n", nil},
	} {
		path := filepath.Join(dir, "w.yaml")
		if err := os.WriteFile(path, []byte(c.yaml), 0o644); err != nil {
			t.Fatal(err)
		}
		code, out, stderr := runCLI(t, "", "validate", "--config", path)
		if code != 0 {
			t.Fatalf("%s: validate exited %d: %s", c.name, code, stderr)
		}
		_, warning, _ := strings.Cut(out, "warning: cluster.replication_factor")
		if c.want == nil {
			if warning != "" {
				t.Errorf("%s: warns of replication:\n%s", c.name, out)
			}
			continue
		}
		warning = "cluster.replication_factor" + warning
		for _, w := range c.want {
			if !strings.Contains(warning, w) {
				t.Errorf("%s: warning lacks %q:\n%s", c.name, w, out)
			}
		}
		if c.name == "cluster 3, one topic raised" && strings.Contains(warning, "stories (") {
			t.Errorf("%s: warns of the topic raised to 3:\n%s", c.name, warning)
		}
	}
}
