package contract_test

import (
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/octollm/terraform-provider-octollm/internal/contract"
)

// TestSchemaMatchesTypes holds docs/model-route.schema.json to the Go types the provider
// writes route.json from and the gateway reads it into: every JSON field of RouteDocument
// (recursively) is a property of the schema and every property is a field; a field the schema
// requires is never omitted by Go (no omitempty), and a field Go always writes is required.
func TestSchemaMatchesTypes(t *testing.T) {
	raw, err := os.ReadFile("../../docs/model-route.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var schema map[string]any
	if err := json.Unmarshal(raw, &schema); err != nil {
		t.Fatalf("docs/model-route.schema.json: %v", err)
	}
	defs, _ := schema["$defs"].(map[string]any)
	resolve := func(s map[string]any) map[string]any {
		for {
			ref, ok := s["$ref"].(string)
			if !ok {
				return s
			}
			def, ok := defs[strings.TrimPrefix(ref, "#/$defs/")].(map[string]any)
			if !ok {
				t.Fatalf("schema: $ref %s does not resolve", ref)
			}
			s = def
		}
	}
	var walk func(where string, typ reflect.Type, s map[string]any)
	walk = func(where string, typ reflect.Type, s map[string]any) {
		s = resolve(s)
		for typ.Kind() == reflect.Pointer {
			typ = typ.Elem()
		}
		switch typ.Kind() {
		case reflect.Slice:
			items, ok := s["items"].(map[string]any)
			if !ok {
				if typ.Elem().Kind() == reflect.Struct {
					t.Errorf("%s: Go has a list of objects, the schema no items", where)
				}
				return
			}
			walk(where+"[]", typ.Elem(), items)
		case reflect.Map:
			elem := typ.Elem()
			for elem.Kind() == reflect.Pointer {
				elem = elem.Elem()
			}
			if elem.Kind() != reflect.Struct {
				return // keys are data (such as capabilities), not fields
			}
			values, ok := s["additionalProperties"].(map[string]any)
			if !ok {
				t.Errorf("%s: Go has a map of objects, the schema no additionalProperties schema", where)
				return
			}
			walk(where+".*", elem, values)
		case reflect.Struct:
			props, _ := s["properties"].(map[string]any)
			required := map[string]bool{}
			if req, ok := s["required"].([]any); ok {
				for _, r := range req {
					required[r.(string)] = true
				}
			}
			fields := map[string]bool{}
			for name, f := range jsonFields(typ) {
				fields[name] = true
				field := strings.TrimPrefix(where+"."+name, ".")
				ps, ok := props[name].(map[string]any)
				if !ok {
					t.Errorf("%s: a field of the Go type %s, not a property in the schema", field, typ.Name())
					continue
				}
				if required[name] && f.omitempty {
					t.Errorf("%s: required in the schema, but omitempty in Go", field)
				}
				if !required[name] && !f.omitempty && f.typ.Kind() != reflect.Pointer {
					t.Errorf("%s: always written by Go (no omitempty), but not required in the schema", field)
				}
				walk(field, f.typ, ps)
			}
			for _, name := range sortedKeys(props) {
				if !fields[name] {
					t.Errorf("%s: a property in the schema, not a field of the Go type %s", strings.TrimPrefix(where+"."+name, "."), typ.Name())
				}
			}
			for _, name := range sortedKeys(required) {
				if !fields[name] {
					t.Errorf("%s: required in the schema, not a field of the Go type %s", strings.TrimPrefix(where+"."+name, "."), typ.Name())
				}
			}
		}
	}
	walk("", reflect.TypeFor[contract.RouteDocument](), schema)
}

type jsonField struct {
	typ       reflect.Type
	omitempty bool
}

// jsonFields are the fields encoding/json writes for typ, by JSON name, with embedded
// structs flattened.
func jsonFields(typ reflect.Type) map[string]jsonField {
	out := map[string]jsonField{}
	for i := range typ.NumField() {
		f := typ.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" || (!f.IsExported() && !f.Anonymous) {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			for k, v := range jsonFields(f.Type) {
				if _, shadowed := out[k]; !shadowed {
					out[k] = v
				}
			}
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = jsonField{typ: f.Type, omitempty: slices.Contains(strings.Split(opts, ","), "omitempty")}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// TestSchemaIDIsWhereTheSchemaIs: the schema's $id is the URL that serves this very file, the
// repository's raw file on main (the module path from go.mod, then the file's path), so a
// validator fetching it gets this schema. The Terraform Registry serves only the rendered
// resource, data source and guide pages, never other files of docs/.
func TestSchemaIDIsWhereTheSchemaIs(t *testing.T) {
	const file = "docs/model-route.schema.json"
	raw, err := os.ReadFile("../../" + file)
	if err != nil {
		t.Fatal(err)
	}
	var schema struct {
		ID string `json:"$id"`
	}
	if err := json.Unmarshal(raw, &schema); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	mod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	first, _, _ := strings.Cut(string(mod), "\n")
	repo, ok := strings.CutPrefix(strings.TrimSpace(strings.TrimPrefix(first, "module ")), "github.com/")
	if !ok {
		t.Fatalf("go.mod's module %q is not on github.com", first)
	}
	if want := "https://raw.githubusercontent.com/" + repo + "/main/" + file; schema.ID != want {
		t.Errorf("%s: $id = %q, want %q, the URL that serves this file", file, schema.ID, want)
	}
}
