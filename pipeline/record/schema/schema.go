// Package schema holds the JSON Schema of wirestream's records (schema
// version record.SchemaVersion) and validates records against it. The
// schema file is the contract with consumers; tests keep the Go types and
// the file in step.
package schema

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// JSON is the schema document, as served to consumers.
//
//go:embed record.schema.json
var JSON []byte

var (
	compileOnce sync.Once
	compiled    *jsonschema.Schema
	compileErr  error
)

func get() (*jsonschema.Schema, error) {
	compileOnce.Do(func() {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(JSON))
		if err != nil {
			compileErr = fmt.Errorf("read record schema: %w", err)
			return
		}
		c := jsonschema.NewCompiler()
		c.AssertFormat()
		if err := c.AddResource("record.schema.json", doc); err != nil {
			compileErr = fmt.Errorf("load record schema: %w", err)
			return
		}
		compiled, compileErr = c.Compile("record.schema.json")
	})
	return compiled, compileErr
}

// Validate checks one JSON record (a Kafka value or a JSONL line).
func Validate(data []byte) error {
	s, err := get()
	if err != nil {
		return err
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("record is not JSON: %w", err)
	}
	if err := s.Validate(v); err != nil {
		return fmt.Errorf("record does not match schema %s: %w", typeOf(data), err)
	}
	return nil
}

func typeOf(data []byte) string {
	var head struct {
		Type string `json:"type"`
		ID   string `json:"id"`
	}
	_ = json.Unmarshal(data, &head)
	return fmt.Sprintf("(type %q, id %q)", head.Type, head.ID)
}
