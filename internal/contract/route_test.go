package contract_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/octollm/terraform-provider-octollm/internal/contract"
)

// The golden route.json files the provider's tests write must be servable.
func TestParseRouteDocumentGolden(t *testing.T) {
	files, err := filepath.Glob("../modelroute/testdata/*.json")
	if err != nil || len(files) != 4 {
		t.Fatalf("golden files: %v, %v; want 4", files, err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := contract.ParseRouteDocument(data)
			if err != nil {
				t.Fatal(err)
			}
			if doc.SchemaVersion != 1 || doc.Name == "" || len(doc.Models) == 0 {
				t.Errorf("parsed %+v", doc)
			}
			again, err := contract.CanonicalJSON(doc)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(again, data) {
				t.Errorf("CanonicalJSON(ParseRouteDocument(%s)) differs from the file:\n%s", f, again)
			}
		})
	}
}

// valid is a servable weighted route with a fallback, a cache and a budget.
const valid = `{
  "schema_version": 1, "name": "chat", "tenant": "acme", "strategy": "weighted",
  "targets": [{"model": "a", "weight": 1, "priority": 0}, {"model": "b", "weight": 0, "priority": 1}],
  "fallback": {"on": ["rate_limit"], "models": ["c"], "max_attempts": 1},
  "cache": {"mode": "exact", "partition_by_tenant": true},
  "budget": {"usd_per_day": 1, "on_exceed": "reject"},
  "models": {"a": {"provider": "openai"}, "b": {"provider": "google"}, "c": {"provider": "anthropic"}}
}`

// edit returns valid with change applied to its generic form.
func edit(t *testing.T, change func(m map[string]any)) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(valid), &m); err != nil {
		t.Fatal(err)
	}
	change(m)
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func TestParseRouteDocumentAcceptsValid(t *testing.T) {
	doc, err := contract.ParseRouteDocument([]byte(valid))
	if err != nil {
		t.Fatal(err)
	}
	if doc.ID() != "acme/chat" || doc.Models["c"].Provider != "anthropic" || doc.Cache.Mode != "exact" {
		t.Errorf("parsed %+v", doc)
	}
	for _, s := range []string{contract.StrategyPriority, contract.StrategyLowestLatency} {
		if _, err := contract.ParseRouteDocument([]byte(edit(t, func(m map[string]any) { m["strategy"] = s }))); err != nil {
			t.Errorf("strategy %s: %v", s, err)
		}
	}
	cheapest := edit(t, func(m map[string]any) {
		m["strategy"] = "cheapest_capable"
		m["effective_model"] = "a"
		delete(m, "targets")
	})
	if _, err := contract.ParseRouteDocument([]byte(cheapest)); err != nil {
		t.Errorf("cheapest_capable without targets: %v", err)
	}
}

func TestParseRouteDocumentRefusals(t *testing.T) {
	targets := func(ts ...map[string]any) []any {
		out := []any{}
		for _, x := range ts {
			out = append(out, x)
		}
		return out
	}
	for _, tc := range []struct {
		name, doc, want string
	}{
		{"not json", `not json`, "route.json is not valid JSON"},
		{"not an object", `[1]`, "route.json is not valid JSON"},
		{"schema version 2", edit(t, func(m map[string]any) { m["schema_version"] = 2 }),
			"route.json has schema_version 2; this gateway reads version 1"},
		{"no schema version", edit(t, func(m map[string]any) { delete(m, "schema_version") }),
			"route.json has schema_version 0; this gateway reads version 1"},
		{"no name", edit(t, func(m map[string]any) { delete(m, "name") }),
			"route.json: name is missing or empty"},
		{"unknown strategy", edit(t, func(m map[string]any) { m["strategy"] = "random" }),
			`route.json of route acme/chat: strategy "random" is not one of cheapest_capable, weighted, priority, lowest_latency`},
		{"no strategy", edit(t, func(m map[string]any) { delete(m, "strategy") }),
			`strategy "" is not one of`},
		{"cheapest_capable without effective_model", edit(t, func(m map[string]any) { m["strategy"] = "cheapest_capable" }),
			"effective_model is missing: strategy cheapest_capable serves the model the provider chose at plan time"},
		{"effective_model not priced", edit(t, func(m map[string]any) {
			m["strategy"] = "cheapest_capable"
			m["effective_model"] = "z"
		}), `effective_model "z" has no price sheet in models`},
		{"weighted without targets", edit(t, func(m map[string]any) { delete(m, "targets") }),
			"targets is missing or empty: strategy weighted needs at least one target"},
		{"priority with empty targets", edit(t, func(m map[string]any) { m["strategy"] = "priority"; m["targets"] = targets() }),
			"targets is missing or empty: strategy priority needs at least one target"},
		{"lowest_latency without targets", edit(t, func(m map[string]any) { m["strategy"] = "lowest_latency"; delete(m, "targets") }),
			"targets is missing or empty: strategy lowest_latency needs at least one target"},
		{"weighted, all weights 0", edit(t, func(m map[string]any) {
			m["targets"] = targets(map[string]any{"model": "a", "weight": 0}, map[string]any{"model": "b", "weight": 0})
		}), "targets: every weight is 0; strategy weighted needs at least one target with weight above 0"},
		{"target not priced", edit(t, func(m map[string]any) {
			m["targets"] = targets(map[string]any{"model": "a", "weight": 1}, map[string]any{"model": "x", "weight": 1})
		}), `targets[1].model "x" has no price sheet in models`},
		{"target without model", edit(t, func(m map[string]any) { m["targets"] = targets(map[string]any{"weight": 1}) }),
			"targets[0].model is empty; it must name a model"},
		{"no models", edit(t, func(m map[string]any) { delete(m, "models") }),
			`targets[0].model "a" has no price sheet in models`},
		{"fallback model not priced", edit(t, func(m map[string]any) {
			m["fallback"] = map[string]any{"on": []any{"timeout"}, "models": []any{"c", "y"}, "max_attempts": 1}
		}), `fallback.models[1] "y" has no price sheet in models`},
		{"unknown fallback trigger", edit(t, func(m map[string]any) {
			m["fallback"] = map[string]any{"on": []any{"timeout", "bad_gateway"}, "models": []any{"c"}, "max_attempts": 1}
		}), `fallback.on[1] "bad_gateway" is not one of rate_limit, timeout, server_error, context_window`},
		{"unknown cache mode", edit(t, func(m map[string]any) { m["cache"] = map[string]any{"mode": "fuzzy"} }),
			`cache.mode "fuzzy" is not one of exact, semantic`},
		{"cache without mode", edit(t, func(m map[string]any) { m["cache"] = map[string]any{"partition_by_tenant": true} }),
			`cache.mode "" is not one of exact, semantic`},
		{"unknown on_exceed", edit(t, func(m map[string]any) { m["budget"] = map[string]any{"usd_per_day": 1, "on_exceed": "throttle"} }),
			`budget.on_exceed "throttle" is not one of reject, downgrade, queue`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := contract.ParseRouteDocument([]byte(tc.doc))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("ParseRouteDocument(%s) = %v, want an error containing %q", tc.doc, err, tc.want)
			}
		})
	}
}

func TestNames(t *testing.T) {
	for got, want := range map[string]string{
		contract.KeySecretName("acme"):                    "octollm-tenant-acme-key",
		contract.RouteConfigMapName("", "chat"):           "octollm-route-chat",
		contract.RouteConfigMapName("acme", "chat"):       "octollm-route-acme-chat",
		contract.MeterEventName("llm_tokens"):             "octollm_llm_tokens",
		contract.MeterLLMTokens:                           "octollm_llm_tokens",
		contract.MeterAPICalls:                            "octollm_api_calls",
		contract.MeterComputeSeconds:                      "octollm_compute_seconds",
		contract.Route{Name: "chat"}.ID():                 "chat",
		contract.Route{Name: "chat", Tenant: "acme"}.ID(): "acme/chat",
	} {
		if got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
}

func TestCanonicalJSON(t *testing.T) {
	got, err := contract.CanonicalJSON(map[string]any{"b": 1.5, "a": map[string]any{"d": "<x>", "c": []int{2, 1}}})
	if err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"a\": {\n    \"c\": [\n      2,\n      1\n    ],\n    \"d\": \"<x>\"\n  },\n  \"b\": 1.5\n}\n"
	if string(got) != want {
		t.Errorf("CanonicalJSON = %q, want %q", got, want)
	}
}
