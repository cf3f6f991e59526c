package main

// validate's warning of a WIRESTREAM_ variable that nothing reads: a
// mistyped name (WIRESTREAM_BROKERS) changed nothing, and run started the
// embedded broker while its operator thought it published to the cluster.

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/wirestream/wirestream/internal/config"
	"github.com/wirestream/wirestream/internal/editdist"
	"github.com/wirestream/wirestream/internal/eval/datasets"
)

// readVars are the WIRESTREAM_ variables wirestream, its scripts or its
// tests read: the configuration's (config.EnvVars), the shared data of
// eval, the scripts' cache, and the knobs of tests that a developer may
// keep exported (no warning for those).
var readVars = append(config.EnvVars(),
	datasets.EnvDir, "WIRESTREAM_CACHE",
	"WIRESTREAM_OPEN_BUGS", "WIRESTREAM_TEST_SINK_FENCE", "WIRESTREAM_LATE_OWNER_FENCE",
	"WIRESTREAM_STATE_CRASH_CHILD", "WIRESTREAM_TIED_HELPER", "WIRESTREAM_KAFKAGROUP_HELPER",
)

// warnUnknownEnv warns of each WIRESTREAM_ variable of environ that is
// not one of readVars, with the one it likely meant.
func warnUnknownEnv(w io.Writer, environ func() []string) {
	for _, name := range unknownVars(environ) {
		fmt.Fprintf(w, "\nwarning: %s is set, but wirestream reads no such variable", name)
		if hint := settingHint(name); hint != "" {
			fmt.Fprintf(w, ": %s", hint)
		} else if meant := meantVar(name); meant != "" {
			fmt.Fprintf(w, ": did you mean %s?", meant)
		}
		fmt.Fprintln(w)
	}
}

// unknownVars are the WIRESTREAM_ variables of environ that are not one
// of readVars, sorted.
func unknownVars(environ func() []string) []string {
	if environ == nil {
		return nil
	}
	var unknown []string
	for _, kv := range environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "WIRESTREAM_") && !slices.Contains(readVars, name) {
			unknown = append(unknown, name)
		}
	}
	slices.Sort(unknown)
	return unknown
}

// meantVar is the read variable name is a slip of (two edits at most), or
// the one whose name it shortens by a word (BROKERS for KAFKA_BROKERS),
// when only one is; else "".
func meantVar(name string) string {
	if best := editdist.Closest(name, readVars, 3); best != "" {
		return best
	}
	rest := strings.TrimPrefix(name, "WIRESTREAM_")
	var words []string
	for _, v := range readVars {
		if r := strings.TrimPrefix(v, "WIRESTREAM_"); strings.HasSuffix(r, "_"+rest) || strings.HasPrefix(r, rest+"_") {
			words = append(words, v)
		}
	}
	if len(words) == 1 {
		return words[0]
	}
	return ""
}

// keyFlags are the flags that set a configuration key (on the commands
// that take them).
var keyFlags = map[string]string{
	"log.level": "--log-level", "log.format": "--log-format", "kafka.brokers": "--brokers",
	"data_dir": "--data-dir", "listen": "--listen", "role": "--role", "instance": "--instance",
}

// settingHint says how to set what an unread variable spelled from a
// configuration key (WIRESTREAM_LOG_LEVEL for log.level) meant to set, as
// the variables read are spelled from theirs: the key in the file, and
// its flag when it has one; WIRESTREAM_CONFIG names --config. "" for any
// other name.
func settingHint(name string) string {
	rest := strings.ToLower(strings.TrimPrefix(name, "WIRESTREAM_"))
	if rest == "config" {
		return "give the file with --config"
	}
	for _, k := range config.Keys() {
		if strings.ReplaceAll(k, ".", "_") == rest {
			hint := "set " + k + " in the --config file"
			if f := keyFlags[k]; f != "" {
				hint += ", or " + f
			}
			return hint
		}
	}
	return ""
}
