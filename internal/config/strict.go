package config

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/wirestream/wirestream/internal/editdist"
)

var durationType = reflect.TypeOf(time.Duration(0))

// checkKeys walks a YAML node against the Go type it will be decoded into
// and reports every key that matches no field, with its line and its
// dotted path. yaml.v3's own KnownFields error names Go types, not the
// keys a user wrote, and stops at the first, so we check first and give
// the better message for each.
func checkKeys(n *yaml.Node, t reflect.Type, path string, report func(*KeyError)) {
	walkTyped(n, t, path, nil, func(k *yaml.Node, fields map[string]reflect.Type, path string) {
		e := &KeyError{Line: k.Line, Key: join(path, k.Value), Hint: sectionKey(k.Value, fields), Known: fewKnown(fields)}
		if e.Hint == "" {
			e.Hint = nearKey(k.Value, fields)
		}
		if e.Hint == "" {
			e.Elsewhere = keyElsewhere(k.Value, path)
			if sec := sectionCalled[k.Value]; path == "" && sec != "" {
				e.Elsewhere = append([]string{sec}, e.Elsewhere...)
			}
		}
		if e.Hint == "" && len(e.Elsewhere) == 0 {
			e.Hint = wordKey(k.Value, fields)
		}
		report(e)
	})
}

// walkTyped walks a YAML node against the Go type it will be decoded
// into, path being its dotted path: scalar (when set) gets every scalar
// with its type, unknown (when set) every key of a struct's mapping that
// matches no field, with the struct's fields and the mapping's path.
// checkKeys and zeroDurations both walk the tree this way.
func walkTyped(n *yaml.Node, t reflect.Type, path string,
	scalar func(n *yaml.Node, t reflect.Type),
	unknown func(k *yaml.Node, fields map[string]reflect.Type, path string)) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			walkTyped(c, t, path, scalar, unknown)
		}
	case yaml.ScalarNode:
		if scalar != nil {
			scalar(n, t)
		}
	case yaml.MappingNode:
		switch {
		case t.Kind() == reflect.Struct && t != durationType:
			fields := yamlFields(t)
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				ft, ok := fields[k.Value]
				if !ok {
					if unknown != nil {
						unknown(k, fields, path)
					}
					continue
				}
				walkTyped(v, ft, join(path, k.Value), scalar, unknown)
			}
		case t.Kind() == reflect.Map:
			for i := 0; i+1 < len(n.Content); i += 2 {
				walkTyped(n.Content[i+1], t.Elem(), join(path, n.Content[i].Value), scalar, unknown)
			}
		}
	case yaml.SequenceNode:
		if t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
			for i, c := range n.Content {
				walkTyped(c, t.Elem(), fmt.Sprintf("%s[%d]", path, i), scalar, unknown)
			}
		}
	}
}

// KeyError is an unknown configuration key.
type KeyError struct {
	Line int
	Key  string // dotted path, e.g. "poller.user_agnet"
	Hint string // the closest known key, if any
	// Elsewhere are the full paths of the keys of that very name in other
	// sections, when no key here is close: "poller.allow_networks" for an
	// allow_networks written at the top.
	Elsewhere []string
	// Known lists the keys allowed where it stands, when they are few:
	// said when no key is close enough for a Hint ("intervall" beside
	// min_interval and max_interval).
	Known []string
}

func (e *KeyError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.msg()) }

func (e *KeyError) msg() string {
	msg := fmt.Sprintf("unknown key %q", e.Key)
	switch {
	case e.Hint != "":
		msg += fmt.Sprintf(" (did you mean %q?)", e.Hint)
	case len(e.Elsewhere) > 0:
		quoted := make([]string, len(e.Elsewhere))
		for i, k := range e.Elsewhere {
			quoted[i] = strconv.Quote(k)
		}
		msg += fmt.Sprintf(" (did you mean %s?)", strings.Join(quoted, " or "))
	case len(e.Known) > 0:
		msg += fmt.Sprintf(" (known here: %s)", strings.Join(e.Known, ", "))
	}
	return msg
}

// fewKnown returns the keys of fields in order when there are at most a
// dozen, few enough to list in an error; nil otherwise.
func fewKnown(fields map[string]reflect.Type) []string {
	if len(fields) > 12 {
		return nil
	}
	return sortedKeys(fields)
}

// sortedKeys returns the keys of fields in order, so that a suggestion
// or a list of keys is the same on every run.
func sortedKeys(fields map[string]reflect.Type) []string {
	return slices.Sorted(maps.Keys(fields))
}

func yamlFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("yaml")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" {
			continue
		}
		if strings.Contains(opts, "inline") {
			for k, v := range yamlFields(f.Type) {
				out[k] = v
			}
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		out[name] = f.Type
	}
	return out
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// sectionCalled names the top-level section a newcomer calls by what it
// gives: alerts are the product's word, spikes: the section's.
var sectionCalled = map[string]string{"alerts": "spikes", "alerting": "spikes"}

// nearKey returns the known key closest to an unknown one, if it is
// close enough to be a likely typo.
func nearKey(key string, fields map[string]reflect.Type) string {
	return editdist.Closest(key, sortedKeys(fields), 3)
}

// sectionKey returns "log.level" for a key written "log_level" (or
// "log-level") where a section log holds a key level: the flat spelling of
// a nested key, as environment variables and other tools' files write it.
// Before round 31 "log_level" got "did you mean \"log\"?", the section
// alone, which then refused a value.
func sectionKey(key string, fields map[string]reflect.Type) string {
	flat := strings.ReplaceAll(strings.ToLower(key), "-", "_")
	for i := strings.IndexByte(flat, '_'); i > 0; i = nextUnderscore(flat, i) {
		ft, ok := fields[flat[:i]]
		for ok && ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if !ok || ft.Kind() != reflect.Struct || ft == durationType {
			continue
		}
		rest := flat[i+1:]
		if _, ok := yamlFields(ft)[rest]; ok {
			return flat[:i] + "." + rest
		}
		if sub := sectionKey(rest, yamlFields(ft)); sub != "" {
			return flat[:i] + "." + sub
		}
	}
	return ""
}

// nextUnderscore is the index of the "_" after the one at i in s, or -1.
func nextUnderscore(s string, i int) int {
	if j := strings.IndexByte(s[i+1:], '_'); j >= 0 {
		return i + 1 + j
	}
	return -1
}

// wordKey returns the one known key the unknown one spells with a word
// more or less ("fetch_timeout" for timeout, "timeout" for
// connect_timeout where it is the only *_timeout), when only one does.
func wordKey(key string, fields map[string]reflect.Type) string {
	var words []string
	for _, k := range sortedKeys(fields) {
		if strings.HasSuffix(key, "_"+k) || strings.HasPrefix(key, k+"_") ||
			strings.HasSuffix(k, "_"+key) || strings.HasPrefix(k, key+"_") {
			words = append(words, k)
		}
	}
	if len(words) == 1 {
		return words[0]
	}
	return ""
}

// keyElsewhere returns the paths of the keys named key in the sections
// of the configuration other than the one at path, sorted, when there are
// at most three: a key written in the wrong section ("allow_networks" at
// the top, "brokers" under poller:) has its own name, so no typo rule
// finds it. Keys under a list's items or a map's values (a feed's
// min_interval, a topic's partitions) are not offered: they belong to one
// entry, not to a section one writes a key in.
func keyElsewhere(key, path string) []string {
	var out []string
	for _, p := range keyPaths()[key] {
		if parentKey(p) != path {
			out = append(out, p)
		}
	}
	if len(out) > 3 {
		return nil
	}
	return out
}

// Keys are the full paths of the configuration's keys in its sections
// ("log.level", "poller.max_items"), sorted; not those under a list's
// items or a map's values.
func Keys() []string {
	var out []string
	for _, ps := range keyPaths() {
		out = append(out, ps...)
	}
	slices.Sort(out)
	return out
}

// keyPaths maps each key name of Config to the full paths it has, in
// its sections (structs) but not under lists or maps.
var keyPaths = sync.OnceValue(func() map[string][]string {
	out := map[string][]string{}
	var walk func(t reflect.Type, path string)
	walk = func(t reflect.Type, path string) {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || t == durationType {
			return
		}
		for _, name := range sortedKeys(yamlFields(t)) {
			p := join(path, name)
			out[name] = append(out[name], p)
			walk(yamlFields(t)[name], p)
		}
	}
	walk(reflect.TypeFor[Config](), "")
	for _, ps := range out {
		slices.Sort(ps)
	}
	return out
})

// zeroDurations rewrites a plain 0 written for a duration (yaml.v3 reads
// it as an integer and refuses it for a time.Duration) as "0s": zero has
// no unit to forget, every "0s (off)" key reads it as meant, and the
// duration flags (--min-interval), parsed by time.ParseDuration, take "0"
// already. Any other bare number is left for the "needs its unit" error.
func zeroDurations(n *yaml.Node, t reflect.Type) {
	walkTyped(n, t, "", func(n *yaml.Node, t reflect.Type) {
		if t == durationType && n.Tag == "!!int" {
			if v, err := strconv.ParseInt(n.Value, 0, 64); err == nil && v == 0 {
				n.Tag, n.Value = "!!str", "0s"
			}
		}
	}, nil)
}
