package config

import (
	"fmt"
	"reflect"
	"strings"

	"go.yaml.in/yaml/v3"
)

// foreignDocument says what a YAML file given as --config is when none of
// its top-level keys is a configuration key and its keys name another
// tool's file: a Kubernetes manifest (apiVersion and kind) or a Docker
// Compose file (services). deploy/ ships both beside wirestream's own
// YAML, and a newcomer who gave one got each of its keys as unknown, the
// ConfigMap's data answered `did you mean "data_dir"?`. A file with one
// real key is a configuration with mistakes, and keeps its key list.
func foreignDocument(root *yaml.Node) (Problem, bool) {
	top := root
	if top.Kind == yaml.DocumentNode && len(top.Content) == 1 {
		top = top.Content[0]
	}
	if top.Kind != yaml.MappingNode || len(top.Content) == 0 {
		return Problem{}, false
	}
	known := yamlFields(reflect.TypeOf(Config{}))
	for i := 0; i < len(top.Content); i += 2 {
		if _, ok := known[top.Content[i].Value]; ok {
			return Problem{}, false
		}
	}
	const keys = `a configuration's keys are feeds:, kafka:, poller:, … (deploy/wirestream.example.yaml lists them all)`
	line := top.Content[0].Line
	kind, apiVersion := mappingValue(top, "kind"), mappingValue(top, "apiVersion")
	switch {
	case kind != nil && apiVersion != nil && kind.Kind == yaml.ScalarNode:
		msg := fmt.Sprintf("this is a Kubernetes manifest (kind: %s), not a wirestream configuration", kind.Value)
		if key, at := configMapEntry(top); key != "" {
			return Problem{Line: line, Msg: fmt.Sprintf("%s: its data.%q (line %d) holds one: give that text as --config", msg, key, at)}, true
		}
		return Problem{Line: line, Msg: msg + `: "kubectl apply" takes it; ` + keys}, true
	case mappingValue(top, "services") != nil:
		return Problem{Line: line, Msg: `this is a Docker Compose file (services:), not a wirestream configuration: "docker compose -f FILE up" runs it; ` + keys}, true
	}
	return Problem{}, false
}

// configMapEntry names the entry of a ConfigMap's data that holds a YAML
// file, and its line: "" when there is none.
func configMapEntry(top *yaml.Node) (string, int) {
	data := mappingValue(top, "data")
	if data == nil || data.Kind != yaml.MappingNode {
		return "", 0
	}
	for i := 0; i+1 < len(data.Content); i += 2 {
		k := data.Content[i].Value
		if strings.HasSuffix(k, ".yaml") || strings.HasSuffix(k, ".yml") {
			return k, data.Content[i].Line
		}
	}
	return "", 0
}
