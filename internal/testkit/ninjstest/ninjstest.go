// Package ninjstest validates JSON against the IPTC's official ninjs
// schemas, read from the shared data directory (../shared/data/ninjs, see
// its README) and never copied into the repository. Tests anywhere in the
// module use it to prove that what wirestream writes is ninjs; a test
// without the shared data skips loudly, and fails under CI=true.
package ninjstest

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/wirestream/wirestream/internal/testkit"
	"github.com/wirestream/wirestream/internal/testkit/shareddata"
)

// geoJSONID is the URI the ninjs schema $refs for places' geoJSON: it is
// served from the local copy, so nothing is fetched at test time.
const geoJSONID = "https://geojson.org/schema/GeoJSON.json"

// Schema is one compiled ninjs schema.
type Schema struct {
	Version string
	s       *jsonschema.Schema
}

// Validate checks one JSON document.
func (s *Schema) Validate(doc []byte) error {
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	if err := s.s.Validate(v); err != nil {
		return fmt.Errorf("not valid ninjs %s: %w", s.Version, err)
	}
	return nil
}

// Dir returns the shared ninjs directory (schema/, examples/,
// validation/).
func Dir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join(shareddata.Dir(t), "ninjs")
	if _, err := os.Stat(filepath.Join(dir, "schema")); err != nil {
		testkit.Missing(t, "the IPTC ninjs files (../shared/data/ninjs) are needed: "+err.Error())
	}
	return dir
}

var (
	mu       sync.Mutex
	compiled = map[string]*Schema{}
)

// Load compiles the official ninjs schema of version ("3.0" or "3.1"),
// once per process. Formats (uri, date-time) are asserted: the IPTC's
// validation suite passes with them on, and so must wirestream's output.
func Load(t testing.TB, version string) *Schema {
	t.Helper()
	dir := Dir(t)
	mu.Lock()
	defer mu.Unlock()
	if s := compiled[version]; s != nil {
		return s
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	id := "http://www.iptc.org/std/ninjs/ninjs-schema_" + version + ".json"
	for uri, file := range map[string]string{
		geoJSONID: filepath.Join(dir, "schema", "GeoJSON.json"),
		id:        filepath.Join(dir, "schema", "ninjs-schema_"+version+".json"),
	} {
		doc, err := readJSON(file)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.AddResource(uri, doc); err != nil {
			t.Fatalf("load %s: %v", file, err)
		}
	}
	s, err := c.Compile(id)
	if err != nil {
		t.Fatalf("compile the ninjs %s schema: %v", version, err)
	}
	compiled[version] = &Schema{Version: version, s: s}
	return compiled[version]
}

func readJSON(path string) (any, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	v, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return v, nil
}
