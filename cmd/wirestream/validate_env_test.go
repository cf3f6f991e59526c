package main

import (
	"strings"
	"testing"
)

// A mistyped variable (WIRESTREAM_BROKERS for WIRESTREAM_KAFKA_BROKERS)
// was read by nothing: run started the embedded broker while its operator
// thought it published to the cluster. validate warns of each WIRESTREAM_
// variable wirestream does not read, with the one it likely meant; the
// variables it reads pass without a word.
func TestValidateWarnsOfAWirestreamVariableItDoesNotRead(t *testing.T) {
	code, out, stderr := runCLIEnv(t, map[string]string{
		"WIRESTREAM_BROKERS":       "kafka-1:9092",
		"WIRESTREAM_LISTN":         ":9464",
		"WIRESTREAM_SOMETHING":     "x",
		"WIRESTREAM_DATA_DIR":      t.TempDir(),
		"WIRESTREAM_SHARED_DATA":   "/data",
		"WIRESTREAM_KAFKA_BROKERS": "",
	}, "", "validate")
	if code != 0 {
		t.Fatalf("validate = exit %d, stderr %q; want 0 (warnings leave it)", code, stderr)
	}
	for _, want := range []string{
		"warning: WIRESTREAM_BROKERS is set, but wirestream reads no such variable: did you mean WIRESTREAM_KAFKA_BROKERS?",
		"warning: WIRESTREAM_LISTN is set, but wirestream reads no such variable: did you mean WIRESTREAM_LISTEN?",
		"warning: WIRESTREAM_SOMETHING is set, but wirestream reads no such variable\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("validate says\n%s\nwant %q", out, want)
		}
	}
	for _, quiet := range []string{"WIRESTREAM_DATA_DIR is set", "WIRESTREAM_SHARED_DATA is set", "WIRESTREAM_KAFKA_BROKERS is set"} {
		if strings.Contains(out, quiet) {
			t.Errorf("validate warns of a variable it reads:\n%s", out)
		}
	}
}

// run logs the same warning at start: a daemon started without validate
// still says that WIRESTREAM_BROKERS changed nothing. (Its brokers answer
// nothing here, so the run stops at once.)
func TestRunWarnsOfAWirestreamVariableItDoesNotRead(t *testing.T) {
	code, _, stderr := runCLIEnv(t, map[string]string{"WIRESTREAM_BROKERS": "kafka-1:9092"}, "",
		"run", "--brokers", freeAddr(t), "--listen", "127.0.0.1:0", "--data-dir", t.TempDir(), "--log-format", "text")
	if code != 1 || !strings.Contains(stderr, "WIRESTREAM_BROKERS") || !strings.Contains(stderr, "did_you_mean=WIRESTREAM_KAFKA_BROKERS") {
		t.Errorf("run = exit %d, stderr:\n%s\nwant exit 1 (no broker) and a warning naming WIRESTREAM_BROKERS and WIRESTREAM_KAFKA_BROKERS", code, stderr)
	}
}

// WIRESTREAM_LOG_LEVEL and WIRESTREAM_CONFIG are a newcomer's natural
// guesses, as the seven variables read are spelled from their keys; they
// got "reads no such variable" and nothing more. A variable spelled from
// a configuration key names that key, and the flag that sets it when
// there is one; WIRESTREAM_CONFIG names --config.
func TestAnUnreadVariableSpelledFromAKeyNamesTheKey(t *testing.T) {
	_, out, _ := runCLIEnv(t, map[string]string{
		"WIRESTREAM_LOG_LEVEL":          "debug",
		"WIRESTREAM_CONFIG":             "wirestream.yaml",
		"WIRESTREAM_POLLER_MAX_ITEMS":   "10",
		"WIRESTREAM_KAFKA_TOPIC_PREFIX": "news.",
	}, "", "validate")
	for _, want := range []string{
		"warning: WIRESTREAM_LOG_LEVEL is set, but wirestream reads no such variable: set log.level in the --config file, or --log-level\n",
		"warning: WIRESTREAM_CONFIG is set, but wirestream reads no such variable: give the file with --config\n",
		"warning: WIRESTREAM_POLLER_MAX_ITEMS is set, but wirestream reads no such variable: set poller.max_items in the --config file\n",
		"warning: WIRESTREAM_KAFKA_TOPIC_PREFIX is set, but wirestream reads no such variable: set kafka.topic_prefix in the --config file\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("validate says\n%s\nwant %q", out, want)
		}
	}
}
