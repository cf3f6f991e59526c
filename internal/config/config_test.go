package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/wirestream/wirestream/sources/feed"
)

func noEnv(string) string { return "" }

// Each bad configuration must fail with exactly these problems, in file
// order, so a user is told everything that is wrong, and where, at once.
func TestBadConfigsGiveTheirExactError(t *testing.T) {
	cases := map[string][]string{
		"unknown-section.bad.yaml": {`line 1: unknown key "poler" (did you mean "poller"?)`},
		"unknown-key.bad.yaml":     {`line 3: unknown key "poller.user_agnet" (did you mean "user_agent"?)`},
		// A key that adds a word to a known one ("fetch_" before timeout)
		// is far from it in letters, but plainly means it.
		"unknown-key-words.bad.yaml": {`line 2: unknown key "poller.fetch_timeout" (did you mean "timeout"?)`},
		// A key of another section, written where it does not go: README
		// itself says "allow_networks: [127.0.0.1/32] under poller:", and
		// written at the top it said only `unknown key "allow_networks"`.
		"key-misplaced.bad.yaml": {
			`line 1: unknown key "allow_networks" (did you mean "poller.allow_networks"?)`,
			`line 3: unknown key "poller.brokers" (did you mean "kafka.brokers"?)`,
			`line 5: unknown key "kafka.listen" (did you mean "listen" or "websub.listen"?)`,
			`line 6: unknown key "kafka.min_interval" (did you mean "poller.min_interval"?)`,
		},
		// The product's word for them is alerts; their section is spikes:
		// "alerts" was offered only as the alerts topic's settings.
		"alerts-section.bad.yaml": {
			`line 1: unknown key "alerts" (did you mean "spikes" or "kafka.topics.alerts"?)`,
			`line 3: unknown key "alerting" (did you mean "spikes"?)`,
		},
		"unknown-feed-key.bad.yaml": {`line 3: unknown key "feeds[0].intervall" (known here: headers, max_interval, min_interval, name, tags, url)`},
		"bad-duration.bad.yaml":     {`line 2: poller.min_interval: want a duration such as 90s or 10m, got "fast"`},
		"interval-bounds.bad.yaml":  {`line 2: poller.min_interval: must be <= max_interval (1h0m0s), got 2h0m0s`},
		"negative-window.bad.yaml":  {`line 2: dedupe.window: must be > 0, got -1h0m0s`},
		"compact-max-tail.bad.yaml": {`line 2: state.compact_max_tail_mib: must be >= 16 (MiB of segments after a snapshot; a smaller tail rewrites the whole state every few seconds), got 4`},
		"runtime.bad.yaml": {
			`line 2: runtime.gc_percent: must be -1 (off), 0 (the command's default) or a percentage > 0, got -2`,
			`line 3: runtime.memory_limit_mib: must be 0 (none) or a size in MiB, got -512`,
			`line 4: runtime.heap_headroom_percent: must be 0 (a quarter: 25) or a percentage from 1 to 1000, got -10`,
		},
		// A soft limit below what `run` holds before its first story keeps
		// the collector running without pause; one in bytes is a typo.
		"runtime-limit-small.bad.yaml": {`line 2: runtime.memory_limit_mib: must be 0 (none) or at least 32 MiB: under what run holds before its first story (8 demo feeds: 13 MB live, 22 MB of heap) the collector runs without pause; a size in GiB is written ×1024, got 8`},
		"runtime-limit-bytes.bad.yaml": {`line 2: runtime.memory_limit_mib: is in MiB, at most 1048576 (1 TiB): 629145600 reads as bytes (600 MiB is written 600)`},
		"compression.bad.yaml":         {`line 2: kafka.compression: want zstd, snappy, lz4, gzip or none, got "brotli"`},
		"compression-level.bad.yaml":   {`line 3: kafka.compression_level: kafka-go's lz4 codec has no level: leave it unset (0), got 3`},
		"feed-without-url.bad.yaml":    {`line 2: feeds[0].url: must not be empty`},
		"feed-scheme.bad.yaml":         {`line 2: feeds[0].url: scheme must be http or https, got "ftp"`},
		// A slip in the scheme is told the URL it most likely means.
		"feed-scheme-typo.bad.yaml": {
			`line 2: feeds[0].url: scheme must be http or https, got "htps": did you mean "https://example.com/rss.xml"?`,
			`line 3: feeds[1].url: is not an absolute URL: did you mean "http://example.org/feed"?`,
		},
		// A feed is a mapping with its url; a bare URL, as many tools list
		// feeds, is told how to write it, not what Go type refused it.
		"feed-plain-url.bad.yaml": {
			`line 3: feeds[1]: a feed is a mapping with its url, got the plain value "https://example.org/feed": write it as "- url: https://example.org/feed"`,
			`line 4: feeds[2]: a feed is a mapping with its url, got the plain value "http://127.0.0.1:8080/rss": write it as "- url: http://127.0.0.1:8080/rss"`,
		},
		"feeds-not-a-list.bad.yaml": {`line 1: feeds: want a list of feeds, each "- url: https://…" on a line of its own, got "https://example.org/feed"`},
		"duplicate-feed.bad.yaml":   {`line 3: feeds[1]: url "https://example.com/rss" is already listed as feeds[0]`},
		// Round 30: the events topic deletes an expired event retention after its last
		// record; a retention shorter than a live event's longest quiet deletes live ones.
		"events-retention-short.bad.yaml":  {`line 4: kafka.topics.events.retention: must be at least 26h11m0s with cleanup_policy "compact,delete", the longest a live event goes without a record (events.expiry + pipeline.lateness + normalize.future_skew + pipeline.maintenance_interval), or Kafka deletes live events; got 12h0m0s`},
		"events-retention-zero.bad.yaml":   {`line 4: kafka.topics.events.retention: must be > 0 when cleanup_policy is "compact,delete": it is how long a key stays after its last record`},
		"events-not-compacted.bad.yaml":    {`line 4: kafka.topics.events.cleanup_policy: must include compact (the topic holds the latest state per key), got "delete"`},
		"not-a-mapping.bad.yaml":           {`line 1: the configuration must be a mapping of keys, got a list`},
		"sasl-mechanism.bad.yaml":          {`line 3: kafka.sasl.mechanism: want PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512, got "KERBEROS"`},
		"log-level.bad.yaml":               {`line 2: log.level: must be one of debug, info, warn, error, got "loud"`},
		"progress-interval.bad.yaml":       {`line 3: log.progress_interval: must be 0s (off) or at least 1s, got 500ms`},
		"progress-interval-words.bad.yaml": {`line 2: log.progress_interval: want a duration such as 90s or 10m, got "once a minute"`},
		"tabs.bad.yaml":                    {`line 2: found character that cannot start any token (line 2 reads "\tmin_interval: 1m"): a tab indents it, and YAML indents with spaces only`},
		// A syntax error is blamed on the line where the document stops
		// being YAML, not where yaml.v3's enclosing block began.
		"unclosed-list.bad.yaml": {`line 3: did not find expected ',' or ']' (line 3 reads "    tags: [world")`},
		"bad-indent.bad.yaml":    {`line 5: did not find expected '-' indicator (line 5 reads "   tags: [world]"): check its indentation: 3 spaces, where line 4's key "url" has 4 (the keys of one mapping line up, a list item's with the key after its dash)`},
		// The same feed spelled another way (host case, default port,
		// fragment) is polled twice all the same; a trailing slash is
		// another URL.
		"duplicate-feed-spelling.bad.yaml": {
			`line 3: feeds[1]: url "https://EXAMPLE.com:443/rss" is already listed as feeds[0] ("https://example.com/rss")`,
			`line 4: feeds[2]: url "https://example.com/rss#latest" is already listed as feeds[0] ("https://example.com/rss")`,
		},
		// Said as every feed URL is: its password as xxxxx.
		"duplicate-feed-password.bad.yaml": {
			`line 3: feeds[1]: url "https://user:xxxxx@EXAMPLE.com:443/rss" is already listed as feeds[0] ("https://user:xxxxx@example.com/rss")`,
		},
		// poller.min_interval is the floor of every feed's polls: a feed's
		// own interval may raise it, never go under it.
		"feed-below-floor.bad.yaml": {
			"line 5: feeds[0].min_interval: 1ms is below poller.min_interval (2m0s), the floor of every feed's polls: a feed's interval may only raise it",
			"line 7: feeds[1].max_interval: 1m30s is below poller.min_interval (2m0s), the floor of every feed's polls: a feed's interval may only raise it",
		},
		"spikes-publishers.bad.yaml": {`line 2: spikes.min_publishers: must be >= 1, got 0`},
		// 0 is not "no cap": a bucket that counts no term alerts on nothing.
		"spikes-bucket-terms.bad.yaml": {`line 2: spikes.max_bucket_terms: must be >= 100, got 0`},
		"bad-header.bad.yaml":          {`line 3: feeds[0].headers: "Bad Header" is not a valid header name`},
		"window-mismatch.bad.yaml":     {`line 4: state.fingerprint_ttl: must equal dedupe.window (24h0m0s), got 12h0m0s; set dedupe.window only`},
		"output-format.bad.yaml":       {`line 2: output.format: want native or ninjs, got "newsml"`},
		"ninjs-events.bad.yaml":        {`line 3: kafka.topics.events.format: only stories have a ninjs form; event records are always written native, got "ninjs"`},
		"websub-public-url.bad.yaml":   {`line 1: websub.public_url: required when websub.enabled is true: the address hubs reach the callback listener at, e.g. https://wirestream.example.com/websub`},
		// What `run` would reject when it listens must fail validation too.
		"listen-nohost.bad.yaml":      {`line 1: listen: want host:port such as ":9464" or "127.0.0.1:9464", got "nohost": missing port in address`},
		"embedded-addr-port.bad.yaml": {`line 2: embedded.addr: port "99999" of "127.0.0.1:99999" is not a number from 0 to 65535`},
		// A key the file lacks is reported at the section that needs it.
		"sasl-missing.bad.yaml": {
			`line 3: kafka.sasl.username: must be set (or $WIRESTREAM_KAFKA_SASL_USERNAME) for mechanism PLAIN`,
			`line 3: kafka.sasl.password: must be set (or password_file, or $WIRESTREAM_KAFKA_SASL_PASSWORD) for mechanism PLAIN`,
		},
		// Every problem at once: unknown keys, a type error and bad values.
		"many-problems.bad.yaml": {
			`line 2: unknown key "poler" (did you mean "poller"?)`,
			`line 6: unknown key "kafka.compresion" (did you mean "compression"?)`,
			`line 7: kafka.batch_timeout: want a duration such as 90s or 10m, got "soon"`,
			`line 8: kafka.balancer: want hash or murmur2, got "random"`,
			`line 11: unknown key "feeds[0].intervall" (known here: headers, max_interval, min_interval, name, tags, url)`,
		},
		// A wrong type names its key: in a list, in a flow mapping, and a
		// value longer than yaml.v3 quotes in its own message.
		"type-errors-keys.bad.yaml": {
			`line 4: feeds[0].min_interval: want a duration such as 90s or 10m, got "5 minutes": did you mean "5m"?`,
			`line 5: poller.min_interval: want a duration such as 90s or 10m, got "soon"`,
			`line 7: kafka.brokers: want a list such as [a, b], got "9092"`,
		},
		// A list or a mapping where one value goes, and a value where a
		// section of keys goes, name their key too (yaml.v3 said "cannot
		// unmarshal !!seq into string", naming no key and a Go type).
		"type-errors-shape.bad.yaml": {
			`line 1: listen: want a single value, got a list`,
			`line 3: data_dir: want a single value, got a mapping`,
			`line 4: poller: want a mapping of keys, each "key: value" on a line of its own under it, got "5"`,
			`line 7: feeds[0].name: want a single value, got a list`,
			`line 8: feeds[0].headers: want a mapping of keys, each "key: value" on a line of its own under it, got a list`,
			// Only the type error: the url left empty by it is not a
			// second problem ("must not be empty") of the same key.
			`line 9: feeds[1].url: want a single value, got a list`,
		},
		// A feed (or OPML) file given as --config: yaml.v3 said "mapping
		// values are not allowed in this context" at the first colon in
		// its text, or "must be a mapping of keys, got a single value".
		"feed-file.bad.yaml": {
			`line 1: this is XML or HTML (it starts with "<"), not a YAML configuration: "wirestream process FILE" reads a feed file, and "opml: [FILE]" in a configuration polls an OPML file's feeds`,
		},
		"type-errors.bad.yaml": {
			`line 2: shutdown_timeout: want a duration such as 90s or 10m, got "later"`,
			`line 4: poller.per_host_concurrency: want a whole number, got "two"`,
			`line 5: poller.max_items: must be >= 1, got 0`,
			`line 7: dedupe.threshold: must be in (0, 1], got 0`,
			`line 8: dedupe.shingle_words: must be 1..8, got 12`,
		},
	}
	files, err := filepath.Glob("testdata/*.bad.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if _, ok := cases[filepath.Base(f)]; !ok {
			t.Errorf("%s has no expected error in this table", f)
		}
	}
	for name, problems := range cases {
		t.Run(strings.TrimSuffix(name, ".bad.yaml"), func(t *testing.T) {
			path := filepath.Join("testdata", name)
			_, err := Load(path, noEnv)
			if err == nil {
				t.Fatalf("Load(%s) accepted a bad configuration", path)
			}
			want := path + ": " + problems[0]
			if len(problems) > 1 {
				want = fmt.Sprintf("%s: %d problems:\n  %s", path, len(problems), strings.Join(problems, "\n  "))
			}
			if got := err.Error(); got != want {
				t.Errorf("Load(%s) error\n got: %s\nwant: %s", path, got, want)
			}
			var fe *FileError
			if !errors.As(err, &fe) || len(fe.Problems) != len(problems) {
				t.Errorf("Load(%s) = %T, want a *FileError with %d problems", path, err, len(problems))
			}
		})
	}
}

// A value set by the environment is blamed on its variable, not on the
// file's line that it replaced.
func TestAnEnvironmentValueIsBlamedOnItsVariable(t *testing.T) {
	env := map[string]string{"WIRESTREAM_LISTEN": "nohost", "WIRESTREAM_KAFKA_BROKERS": "kafka-1"}
	_, err := Parse([]byte("listen: \":9464\"\nkafka:\n  brokers: [k:9092]\n"), func(k string) string { return env[k] })
	want := "2 problems:\n" +
		`  listen: want host:port such as ":9464" or "127.0.0.1:9464", got "nohost": missing port in address (from WIRESTREAM_LISTEN)` + "\n" +
		`  kafka.brokers[0]: want host:port, got "kafka-1": did you mean "kafka-1:9092" (Kafka's usual port)? (from WIRESTREAM_KAFKA_BROKERS)`
	if err == nil || err.Error() != want {
		t.Errorf("Parse error\n got: %v\nwant: %s", err, want)
	}
}

// The Kubernetes manifests set the SASL username and password from a
// Secret through the environment and leave kafka.sasl.mechanism to the
// ConfigMap; without it the pod's error named only the mechanism, a key
// the operator never wrote, and not the variables that made it needed
// (nor the mechanisms there are). A username the file names is blamed on
// its line as before.
func TestAMissingSASLMechanismIsBlamedOnTheVariablesThatSetTheCredentials(t *testing.T) {
	env := map[string]string{"WIRESTREAM_KAFKA_SASL_USERNAME": "svc", "WIRESTREAM_KAFKA_SASL_PASSWORD": "s3cret"}
	for _, c := range []struct{ name, doc, want string }{
		{"both from the environment", "kafka:\n  brokers: [k:9092]\n",
			"kafka.sasl.mechanism: must be set (PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512) when a SASL username or password is set (from WIRESTREAM_KAFKA_SASL_USERNAME and WIRESTREAM_KAFKA_SASL_PASSWORD)"},
		{"the username in the file", "kafka:\n  brokers: [k:9092]\n  sasl:\n    username: svc\n",
			"line 3: kafka.sasl.mechanism: must be set (PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512) when a SASL username or password is set"},
	} {
		t.Run(c.name, func(t *testing.T) {
			getenv := func(k string) string { return env[k] }
			if c.name == "the username in the file" {
				getenv = noEnv
			}
			_, err := Parse([]byte(c.doc), getenv)
			if err == nil || err.Error() != c.want {
				t.Errorf("Parse error\n got: %v\nwant: %s", err, c.want)
			}
		})
	}
	// A mechanism that needs a username names the variable too, as the
	// password's message does.
	_, err := Parse([]byte("kafka:\n  brokers: [k:9092]\n  sasl:\n    mechanism: PLAIN\n    password: x\n"), noEnv)
	if want := "line 3: kafka.sasl.username: must be set (or $WIRESTREAM_KAFKA_SASL_USERNAME) for mechanism PLAIN"; err == nil || err.Error() != want {
		t.Errorf("Parse error\n got: %v\nwant: %s", err, want)
	}
}

// A comma-separated list keeps its empty items in place: "a:1,,b" is
// three items, and the problem is named where the user wrote it. Before,
// the empty item was dropped, "b" became kafka.brokers[1], and the
// message blamed the second item for the third.
func TestAnEmptyBrokerItemIsNamedWhereItWasWritten(t *testing.T) {
	env := map[string]string{"WIRESTREAM_KAFKA_BROKERS": "kafka-1:9092,,kafka-3"}
	_, err := Parse([]byte("log: {level: info}\n"), func(k string) string { return env[k] })
	want := "2 problems:\n" +
		`  kafka.brokers[1]: empty item, want host:port (from WIRESTREAM_KAFKA_BROKERS)` + "\n" +
		`  kafka.brokers[2]: want host:port, got "kafka-3": did you mean "kafka-3:9092" (Kafka's usual port)? (from WIRESTREAM_KAFKA_BROKERS)`
	if err == nil || err.Error() != want {
		t.Errorf("Parse error\n got: %v\nwant: %s", err, want)
	}
}

// "brokers: host:port" written as a plain string is what a newcomer
// writes: it is read as the list it means, one broker or several
// comma-separated, and a bad one is still named with its line.
func TestKafkaBrokersAsAPlainStringAreAList(t *testing.T) {
	for _, tc := range []struct {
		name, value string
		want        []string
		err         string
	}{
		{"one broker", "localhost:9092", []string{"localhost:9092"}, ""},
		{"several, comma-separated", "kafka-1:9092, kafka-2:9092,kafka-3:9092", []string{"kafka-1:9092", "kafka-2:9092", "kafka-3:9092"}, ""},
		{"quoted", `"kafka-1:9092"`, []string{"kafka-1:9092"}, ""},
		{"a list, as before", "[kafka-1:9092, kafka-2:9092]", []string{"kafka-1:9092", "kafka-2:9092"}, ""},
		{"a broker without a port", "kafka-1", nil, `line 3: kafka.brokers[0]: want host:port, got "kafka-1": did you mean "kafka-1:9092" (Kafka's usual port)?`},
		{"a number is no broker", "9092", nil, `line 3: kafka.brokers: want a list such as [a, b], got "9092"`},
		{"a blank string is no brokers, as instance: \"\" is no instance", `""`, nil, ""},
		{"blank entries only", `" , "`, nil, ""},
		{"an empty item between two", "kafka-1:9092,,kafka-3:9092", nil, `line 3: kafka.brokers[1]: empty item, want host:port`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Parse([]byte("log: {level: info}\nkafka:\n  brokers: "+tc.value+"\n"), func(string) string { return "" })
			switch {
			case tc.err != "":
				if err == nil || err.Error() != tc.err {
					t.Errorf("Parse error = %v, want %s", err, tc.err)
				}
			case err != nil:
				t.Errorf("Parse error = %v, want brokers %q", err, tc.want)
			case !slices.Equal(c.Kafka.Brokers, tc.want):
				t.Errorf("brokers = %q, want %q", c.Kafka.Brokers, tc.want)
			}
		})
	}
	// No brokers written as "" is judged as no brokers written at all.
	for _, role := range []string{"all", "fetch", "process"} {
		_, none := Parse([]byte("role: "+role+"\n"), func(string) string { return "" })
		c, blank := Parse([]byte("role: "+role+"\nkafka:\n  brokers: \"\"\n"), func(string) string { return "" })
		if fmt.Sprint(none) != fmt.Sprint(blank) || len(c.Kafka.Brokers) != 0 {
			t.Errorf("role %s with brokers: \"\" = %v, brokers %q; want what no brokers at all gives: %v, none", role, blank, c.Kafka.Brokers, none)
		}
	}
}

func TestListenAddresses(t *testing.T) {
	for _, tc := range []struct {
		addr string
		ok   bool
	}{
		{":9464", true}, {"127.0.0.1:0", true}, {"[::1]:9464", true}, {"localhost:http", true},
		{"nohost", false}, {"127.0.0.1", false}, {"host:port:9", false}, {"127.0.0.1:-1", false}, {"a b:80", false},
	} {
		if err := checkListenAddr(tc.addr); (err == nil) != tc.ok {
			t.Errorf("checkListenAddr(%q) = %v, want ok=%v", tc.addr, err, tc.ok)
		}
	}
}

func repoRoot(t *testing.T) string {
	t.Helper()
	dir, _ := os.Getwd()
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test")
		}
		dir = parent
	}
}

func TestExampleConfigIsValidAndMatchesTheDefaults(t *testing.T) {
	path := filepath.Join(repoRoot(t), "deploy", "wirestream.example.yaml")
	c, err := Load(path, noEnv)
	if err != nil {
		t.Fatalf("the example configuration is invalid: %v", err)
	}
	if len(c.Feeds) == 0 {
		t.Error("the example lists no feeds")
	}
	// Apart from its sample feeds, the example documents the defaults:
	// if a default changes, the example must change with it.
	c.Feeds, c.path = nil, ""
	want := Default()
	if err := want.Validate(); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(normalizeEmpty(c), normalizeEmpty(want)) {
		gotY, _ := yaml.Marshal(c)
		wantY, _ := yaml.Marshal(want)
		t.Errorf("the example's settings differ from the defaults:\n--- example\n%s\n--- defaults\n%s", gotY, wantY)
	}
}

// normalizeEmpty treats nil and empty slices alike: the example writes
// `watch: []` where the default is a nil slice.
func normalizeEmpty(c Config) string {
	y, _ := yaml.Marshal(c)
	return strings.ReplaceAll(string(y), "[]", "null")
}

// Every key wirestream reads must be documented in the example.
func TestExampleConfigDocumentsEveryKey(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repoRoot(t), "deploy", "wirestream.example.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	collectKeys(root.Content[0], "", have)
	var missing []string
	for _, k := range allKeys(reflect.TypeOf(Config{}), "") {
		if !have[k] {
			missing = append(missing, k)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("keys missing from deploy/wirestream.example.yaml:\n  %s", strings.Join(missing, "\n  "))
	}
}

func collectKeys(n *yaml.Node, path string, out map[string]bool) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := join(path, n.Content[i].Value)
			out[k] = true
			collectKeys(n.Content[i+1], k, out)
		}
	case yaml.SequenceNode:
		for _, c := range n.Content {
			collectKeys(c, path+"[]", out)
		}
	}
}

func allKeys(t reflect.Type, path string) []string {
	var out []string
	for name, ft := range yamlFields(t) {
		k := join(path, name)
		out = append(out, k)
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		switch {
		case ft.Kind() == reflect.Struct && ft != durationType:
			out = append(out, allKeys(ft, k)...)
		case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct:
			out = append(out, allKeys(ft.Elem(), k+"[]")...)
		}
	}
	return out
}

func TestEmptyConfigGivesDefaults(t *testing.T) {
	for _, doc := range []string{"", "# only a comment\n", "{}\n"} {
		c, err := Parse([]byte(doc), noEnv)
		if err != nil {
			t.Fatalf("Parse(%q): %v", doc, err)
		}
		if c.Listen != ":9464" || c.Dedupe.Window != 72*time.Hour || c.Poller.PerHostConcurrency != 2 {
			t.Errorf("Parse(%q) did not give the defaults: listen %q, window %s, per host %d", doc, c.Listen, c.Dedupe.Window, c.Poller.PerHostConcurrency)
		}
	}
}

func TestEnvironmentOverridesTheFile(t *testing.T) {
	env := map[string]string{
		"WIRESTREAM_KAFKA_BROKERS":       " k1:9092, k2:9092 ,",
		"WIRESTREAM_KAFKA_SASL_USERNAME": "svc",
		"WIRESTREAM_KAFKA_SASL_PASSWORD": "s3cret",
		"WIRESTREAM_DATA_DIR":            "/var/lib/wirestream",
		"WIRESTREAM_LISTEN":              "127.0.0.1:9999",
	}
	doc := "kafka:\n  brokers: [file:9092]\n  sasl:\n    mechanism: PLAIN\n    username: fromfile\ndata_dir: here\n"
	c, err := Parse([]byte(doc), func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(c.Kafka.Brokers, ","); got != "k1:9092,k2:9092" {
		t.Errorf("brokers = %q, want the environment's k1:9092,k2:9092", got)
	}
	if c.Kafka.SASL.Username != "svc" || c.Kafka.SASL.Password != "s3cret" {
		t.Errorf("sasl = %q/%q, want the environment's", c.Kafka.SASL.Username, c.Kafka.SASL.Password)
	}
	if c.DataDir != "/var/lib/wirestream" || c.Listen != "127.0.0.1:9999" {
		t.Errorf("data_dir %q listen %q, want the environment's", c.DataDir, c.Listen)
	}
}

func TestOPMLFeedsAreAddedOnceEach(t *testing.T) {
	dir := t.TempDir()
	opml := `<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body>
<outline text="News"><outline text="A" type="rss" xmlUrl="https://a.example/rss"/><outline text="B" type="rss" xmlUrl="https://b.example/rss"/></outline>
</body></opml>`
	if err := os.WriteFile(filepath.Join(dir, "subs.opml"), []byte(opml), 0o644); err != nil {
		t.Fatal(err)
	}
	cfgPath := filepath.Join(dir, "w.yaml")
	if err := os.WriteFile(cfgPath, []byte("feeds:\n  - url: https://a.example/rss\n    name: Mine\nopml: [subs.opml]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := Load(cfgPath, noEnv)
	if err != nil {
		t.Fatal(err)
	}
	feeds, err := c.AllFeeds()
	if err != nil {
		t.Fatal(err)
	}
	if len(feeds) != 2 || feeds[0].Name != "Mine" || feeds[1].URL != "https://b.example/rss" {
		t.Errorf("AllFeeds = %+v, want the file's a.example entry then b.example from the OPML", feeds)
	}
}

func TestMergeFeedsKeepsCommentsAndSkipsKnownFeeds(t *testing.T) {
	doc := []byte("# my config\nlisten: \":9464\" # metrics\nfeeds:\n  - url: https://a.example/rss # keep me\n")
	m, err := MergeFeeds(doc, []feed.Spec{
		{URL: "https://a.example/rss", Name: "A"},
		{URL: "https://b.example/rss", Name: "B", Tags: []string{"News", "World"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Added) != 1 || len(m.AlreadyListed) != 1 || m.AlreadyListed[0].Line != 4 {
		t.Errorf("added %v, already listed %v; want b.example added and a.example found on line 4", m.Added, m.AlreadyListed)
	}
	want := string(doc) + "  - url: https://b.example/rss\n    name: B\n    tags: [News, World]\n"
	if string(m.Doc) != want || m.First != 5 || m.Last != 7 {
		t.Errorf("merged (lines %d-%d):\n%s\nwant (lines 5-7):\n%s", m.First, m.Last, m.Doc, want)
	}
	c, err := Parse(m.Doc, noEnv)
	if err != nil || len(c.Feeds) != 2 || c.Feeds[1].Name != "B" {
		t.Errorf("merged document: %d feeds, err %v", len(c.Feeds), err)
	}
}

// An OPML entry that spells a listed feed another way (host case, a
// default port, a fragment) is that feed: importing it would write a
// file validate rejects, and poll the feed twice.
func TestMergeFeedsSkipsAFeedListedUnderAnotherSpelling(t *testing.T) {
	doc := []byte("feeds:\n  - url: https://a.example/rss\n")
	m, err := MergeFeeds(doc, []feed.Spec{{URL: "https://A.example:443/rss#top"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Added) != 0 || len(m.AlreadyListed) != 1 || m.AlreadyListed[0].Line != 2 {
		t.Errorf("added %v, already listed %v; want the entry found on line 2", m.Added, m.AlreadyListed)
	}
}

// Issue 14, point 5: an import changes only what it adds. Every line of
// the file stays as it was — comments, blank lines, alignment — and the
// new entries follow the list's own layout.
func TestMergeFeedsIsAMinimalEdit(t *testing.T) {
	specs := []feed.Spec{
		{URL: "https://new.example/rss", Name: "New: the paper", Tags: []string{"World", "a, b"}},
		{URL: "https://other.example/atom"},
	}
	const added = "  - url: https://new.example/rss\n    name: 'New: the paper'\n    tags: [World, \"a, b\"]\n  - url: https://other.example/atom\n"
	cases := []struct{ name, doc, want string }{
		{"no feeds list", "# mine\nlisten: \":9464\"\n", "# mine\nlisten: \":9464\"\n\nfeeds:\n" + added},
		{"a file without a final newline", "listen: \":9464\"", "listen: \":9464\"\n\nfeeds:\n" + added},
		{"an empty file", "", "feeds:\n" + added},
		{"feeds with no value", "feeds:\n# later\nlisten: \":9464\"\n", "feeds:\n" + added + "# later\nlisten: \":9464\"\n"},
		{"an empty flow list", "feeds: []   # none yet\nlisten: \":9464\"\n", "feeds:   # none yet\n" + added + "listen: \":9464\"\n"},
		{"a list at the left margin, then a comment",
			"feeds:\n- url: https://www.theguardian.com/world/rss\n  tags: [world]\n\n# the rest\nlisten: \":9464\"\n",
			"feeds:\n- url: https://www.theguardian.com/world/rss\n  tags: [world]\n- url: https://new.example/rss\n  name: 'New: the paper'\n  tags: [World, \"a, b\"]\n- url: https://other.example/atom\n\n# the rest\nlisten: \":9464\"\n"},
		{"a list indented by four, with a comment inside it",
			"feeds:\n    -   url: https://a.example/rss\n        # name: later\nlisten: \":9464\"\n",
			"feeds:\n    -   url: https://a.example/rss\n        # name: later\n    -   url: https://new.example/rss\n        name: 'New: the paper'\n        tags: [World, \"a, b\"]\n    -   url: https://other.example/atom\nlisten: \":9464\"\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, err := MergeFeeds([]byte(tc.doc), specs)
			if err != nil {
				t.Fatal(err)
			}
			if string(m.Doc) != tc.want {
				t.Errorf("merged:\n%s\nwant:\n%s", m.Doc, tc.want)
			}
			c, err := Parse(m.Doc, noEnv)
			if err != nil {
				t.Fatalf("merged document is invalid: %v\n%s", err, m.Doc)
			}
			n := len(c.Feeds)
			if n < 2 || c.Feeds[n-2].Name != "New: the paper" || strings.Join(c.Feeds[n-2].Tags, "|") != "World|a, b" {
				t.Errorf("the new entries read back as %+v", c.Feeds)
			}
		})
	}
	t.Run("the commented example", func(t *testing.T) {
		example, err := os.ReadFile(filepath.Join(repoRoot(t), "deploy", "wirestream.example.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		m, err := MergeFeeds(example, append(specs, feed.Spec{URL: "https://www.theguardian.com/world/rss"}))
		if err != nil {
			t.Fatal(err)
		}
		if len(m.Added) != 2 || len(m.AlreadyListed) != 1 || m.Last-m.First+1 != 4 {
			t.Fatalf("added %d (lines %d-%d), already listed %v; want 2 feeds in 4 lines and the Guardian skipped", len(m.Added), m.First, m.Last, m.AlreadyListed)
		}
		lines := splitLines(m.Doc)
		if rest := strings.Join(lines[:m.First-1], "") + strings.Join(lines[m.Last:], ""); rest != string(example) {
			t.Errorf("the lines around the inserted ones differ from the example")
		}
		if lines[m.First-2] != "      Accept-Language: en-GB\n" || lines[m.Last] != "\n" {
			t.Errorf("entries inserted between %q and %q, want right after the last feed's last line", lines[m.First-2], lines[m.Last])
		}
	})
	if _, err := MergeFeeds([]byte("feeds: [{url: https://a.example/rss}]\n"), specs); err == nil ||
		!strings.Contains(err.Error(), "line 1: feeds: is a flow list") {
		t.Errorf("a non-empty flow list: %v, want an error that says how to write it", err)
	}
}

func TestMergeFeedsIntoAnEmptyFile(t *testing.T) {
	m, err := MergeFeeds(nil, []feed.Spec{{URL: "https://a.example/rss"}})
	if err != nil || len(m.Added) != 1 {
		t.Fatalf("MergeFeeds(empty) = %d, %v", len(m.Added), err)
	}
	if string(m.Doc) != "feeds:\n  - url: https://a.example/rss\n" {
		t.Errorf("result %q", m.Doc)
	}
}

func TestSuggestOnlyCloseKeys(t *testing.T) {
	fields := yamlFields(reflect.TypeOf(Config{}))
	cases := []struct{ in, want string }{
		{"poler", "poller"},
		{"kafak", "kafka"},
		{"feed", "feeds"},
		{"zzzzzz", ""},
	}
	for _, c := range cases {
		if got := nearKey(c.in, fields); got != c.want {
			t.Errorf("nearKey(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// Preflight finds what `run` would trip over outside the file, every
// problem at once, each at its key's line.
func TestPreflightReportsEverythingRunWouldReject(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "state"), []byte("not a directory"), 0o600); err != nil {
		t.Fatal(err)
	}
	doc := `data_dir: ` + strconv.Quote(filepath.Join(dir, "state")) + `
opml: [missing.opml]
feeds:
  - url: https://example.com/rss
    headers:
      Authorization: "Bearer ${WIRE_TOKEN}"
kafka:
  brokers: [k:9092]
  tls:
    enabled: true
    ca_file: /nonexistent/ca.pem
  sasl:
    mechanism: PLAIN
    username: svc
    password_file: /nonexistent/password
`
	path := filepath.Join(dir, "w.yaml")
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(path, noEnv)
	if err != nil {
		t.Fatalf("the file itself is valid: %v", err)
	}
	err = c.Preflight(func(string) (string, bool) { return "", false })
	var fe *FileError
	if !errors.As(err, &fe) {
		t.Fatalf("Preflight = %v, want a *FileError", err)
	}
	want := []string{
		"line 1: data_dir: " + filepath.Join(dir, "state") + " is a file; the state needs a directory",
		"line 2: opml[0]: open " + filepath.Join(dir, "missing.opml") + ": no such file or directory",
		"line 5: feeds[0].headers: feed https://example.com/rss: header Authorization references unset environment variable(s) WIRE_TOKEN",
		"line 11: kafka.tls.ca_file: open /nonexistent/ca.pem: no such file or directory",
		"line 15: kafka.sasl.password_file: open /nonexistent/password: no such file or directory",
	}
	var got []string
	for _, p := range fe.Problems {
		got = append(got, p.String())
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Preflight problems\n got: %s\nwant: %s", strings.Join(got, "\n      "), strings.Join(want, "\n      "))
	}
}

// A fetcher or a processor without kafka.brokers cannot start (the
// embedded broker is role all's): validate, which runs Preflight, must say
// so at the role's line, as run does, rather than call the file valid and
// promise the embedded broker. Before, only run found it, after start-up.
func TestPreflightRefusesAScaleOutRoleWithoutBrokers(t *testing.T) {
	const need = ": fetchers, processors and the feed list they share live in Kafka " +
		"(set kafka.brokers, --brokers or WIRESTREAM_KAFKA_BROKERS; the embedded broker is for role all)"
	for _, tc := range []struct {
		name, doc string
		env       map[string]string
		want      string
	}{
		{"role in the file", "feeds:\n  - url: https://example.com/rss\nrole: fetch\n", nil,
			"line 4: role: fetch needs kafka.brokers" + need},
		{"role from the environment", "log: {level: info}\n", map[string]string{"WIRESTREAM_ROLE": "process"},
			"role: process needs kafka.brokers" + need + " (from WIRESTREAM_ROLE)"},
		{"with brokers", "role: fetch\nkafka:\n  brokers: [k:9092]\n", nil, ""},
		{"role all", "role: all\n", nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "w.yaml")
			if err := os.WriteFile(path, []byte("data_dir: "+strconv.Quote(dir)+"\n"+tc.doc), 0o600); err != nil {
				t.Fatal(err)
			}
			c, err := Load(path, func(k string) string { return tc.env[k] })
			if err != nil {
				t.Fatalf("the file itself is valid: %v", err)
			}
			err = c.Preflight(func(string) (string, bool) { return "", false })
			if tc.want == "" {
				if err != nil {
					t.Errorf("Preflight = %v, want no problem", err)
				}
				return
			}
			var fe *FileError
			if !errors.As(err, &fe) || len(fe.Problems) != 1 || fe.Problems[0].String() != tc.want {
				t.Errorf("Preflight = %v\nwant one problem: %s", err, tc.want)
			}
		})
	}
}

// Round 30: the default events retention must keep what README promises: no live
// event deleted (it outlasts a live event's longest quiet), and every story still in
// the stories topic resolving its event_id (it outlasts the stories' retention).
func TestTheDefaultEventsRetentionKeepsWhatREADMEPromises(t *testing.T) {
	c := Default()
	ev := c.Kafka.Topics.Events
	if ev.CleanupPolicy != "compact,delete" {
		t.Fatalf("events cleanup_policy = %q, want compact,delete", ev.CleanupPolicy)
	}
	if q := c.LongestQuietEvent(); q != 26*time.Hour+11*time.Minute || ev.Retention < q {
		t.Errorf("longest quiet of a live event = %s (README says 26h11m), retention %s", q, ev.Retention)
	}
	if st := c.Kafka.Topics.Stories.Retention; ev.Retention < st {
		t.Errorf("events retention %s is shorter than the stories' %s: a story's event_id could outlive its event", ev.Retention, st)
	}
	// Setting the parts of the quiet higher raises the minimum with them.
	c.Events.Expiry = 20 * 24 * time.Hour
	c.Kafka.Topics.Events.Retention = 20 * 24 * time.Hour
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "kafka.topics.events.retention: must be at least 482h11m0s") {
		t.Errorf("Validate with a retention below expiry + lateness + skew + tick = %v", err)
	}
	c.Kafka.Topics.Events.CleanupPolicy = "compact" // keeps every key: no minimum
	if err := c.Validate(); err != nil {
		t.Errorf("Validate of a compact-only events topic = %v", err)
	}
}

// A plain 0 for a duration is zero, as 0s is: yaml.v3 reads it as an
// integer and refused it ("did you mean 0s?") where nothing was unclear,
// while a duration flag (--min-interval 0) took it. Another bare number
// still needs its unit.
func TestAPlainZeroDurationIsZero(t *testing.T) {
	doc := "log:\n  progress_interval: 0\nevents:\n  publish_interval: 0\nfeeds:\n  - url: https://example.com/rss\n    min_interval: 0\n"
	c, err := Parse([]byte(doc), noEnv)
	if err != nil {
		t.Fatalf("a plain 0 for durations: %v", err)
	}
	if c.Log.ProgressInterval != 0 || c.Events.PublishInterval != 0 {
		t.Errorf("progress_interval %s, publish_interval %s: want both 0", c.Log.ProgressInterval, c.Events.PublishInterval)
	}
	feeds, err := decodeFeeds([]byte(doc))
	if err != nil || len(feeds) != 1 || feeds[0].MinInterval != 0 {
		t.Errorf("feeds update's reading of a plain 0: %v, %v", feeds, err)
	}

	_, err = Parse([]byte("log:\n  progress_interval: 30\n"), noEnv)
	if err == nil || !strings.Contains(err.Error(), `a number needs its unit (s, m or h): did you mean "30s" or "30m"?`) {
		t.Errorf("a bare 30: want the unit asked for, got %v", err)
	}
	// A plain 0 where a number goes stays a number.
	c, err = Parse([]byte("dedupe:\n  bucket_visits: 0\n"), noEnv)
	if err != nil || c.Dedupe.BucketVisits != 0 {
		t.Errorf("dedupe.bucket_visits: 0 read as %d, %v", c.Dedupe.BucketVisits, err)
	}
}
