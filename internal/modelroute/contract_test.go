package modelroute_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The JSON Schema in docs/ describes every golden route.json: each object's keys are among the
// schema's properties and include its required ones. (The full schema, with types and ranges,
// is checked with a JSON Schema validator when the contract changes; see the contract doc.)
func TestContractSchemaCoversGoldenFiles(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "docs", "model-route.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	var schema map[string]any
	if err := json.Unmarshal(raw, &schema); err != nil {
		t.Fatalf("docs/model-route.schema.json: %v", err)
	}
	defs, _ := schema["$defs"].(map[string]any)
	resolve := func(s map[string]any) map[string]any {
		if ref, ok := s["$ref"].(string); ok {
			d, _ := defs[strings.TrimPrefix(ref, "#/$defs/")].(map[string]any)
			return d
		}
		return s
	}
	var check func(where string, s map[string]any, v any)
	check = func(where string, s map[string]any, v any) {
		s = resolve(s)
		switch v := v.(type) {
		case map[string]any:
			props, _ := s["properties"].(map[string]any)
			extra, _ := s["additionalProperties"].(map[string]any)
			required, _ := s["required"].([]any)
			for _, r := range required {
				if _, ok := v[r.(string)]; !ok {
					t.Errorf("%s: required %q missing", where, r)
				}
			}
			for k, child := range v {
				switch sub, ok := props[k].(map[string]any); {
				case ok:
					check(where+"."+k, sub, child)
				case extra != nil:
					check(where+"."+k, extra, child)
				default:
					t.Errorf("%s: key %q is not in the schema", where, k)
				}
			}
		case []any:
			items, _ := s["items"].(map[string]any)
			for _, child := range v {
				check(where+"[]", items, child)
			}
		case string:
			if enum, ok := s["enum"].([]any); ok && !slices.Contains(enum, any(v)) {
				t.Errorf("%s: %q not in %v", where, v, enum)
			}
		}
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	if len(files) < 4 {
		t.Fatalf("golden files: %v", files)
	}
	for _, f := range files {
		data, _ := os.ReadFile(f)
		var doc any
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		check(filepath.Base(f), schema, doc)
	}
}
