package modelroute_test

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/octollm/terraform-provider-octollm/internal/modelroute"
)

func TestRouteJSONGolden(t *testing.T) {
	for name, r := range map[string]modelroute.Route{
		"code_review": codeReview, "code_review_updated": codeReviewUpdated, "summaries": summaries, "chat": chat,
	} {
		t.Run(name, func(t *testing.T) {
			got, err := r.JSON()
			if err != nil {
				t.Fatal(err)
			}
			if want := golden(t, name, got); !bytes.Equal(got, want) {
				t.Errorf("route.json differs from testdata/%s.json:\n%s", name, got)
			}
			back, err := modelroute.ParseJSON(got)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(back, r) {
				t.Errorf("ParseJSON(JSON()) = %+v, want %+v", back, r)
			}
			again, _ := back.JSON()
			if !bytes.Equal(again, got) || modelroute.Checksum(again) != modelroute.Checksum(got) {
				t.Error("rendering the parsed route gives other bytes")
			}
		})
	}
}

// Canonical: keys sorted at every level, schema_version present, one trailing newline.
func TestRouteJSONIsCanonical(t *testing.T) {
	data, err := codeReview.JSON()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasSuffix(data, []byte("}\n")) || bytes.HasSuffix(data, []byte("\n\n")) {
		t.Error("route.json does not end in exactly one newline")
	}
	var check func(raw json.RawMessage)
	check = func(raw json.RawMessage) {
		dec := json.NewDecoder(bytes.NewReader(raw))
		tok, _ := dec.Token()
		switch tok {
		case json.Delim('{'):
			last := ""
			for dec.More() {
				k, _ := dec.Token()
				key := k.(string)
				if key < last {
					t.Errorf("key %q after %q: keys not sorted", key, last)
				}
				last = key
				var v json.RawMessage
				_ = dec.Decode(&v)
				check(v)
			}
		case json.Delim('['):
			for dec.More() {
				var v json.RawMessage
				_ = dec.Decode(&v)
				check(v)
			}
		}
	}
	check(data)
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if doc["schema_version"] != float64(1) || doc["effective_model"] != "gpt-4o" {
		t.Errorf("schema_version %v, effective_model %v", doc["schema_version"], doc["effective_model"])
	}
	models := doc["models"].(map[string]any)
	for _, m := range []string{"gpt-4o", "claude-sonnet-4-5", "gpt-4o-mini", "mistral-7b-ft"} {
		if _, ok := models[m]; !ok {
			t.Errorf("models lacks the price sheet of %s", m)
		}
	}
}

func TestParseJSONRefusesOtherDocuments(t *testing.T) {
	for doc, want := range map[string]string{
		`not json`:                           "route.json is not valid JSON",
		`{"schema_version": 2, "name": "x"}`: "schema_version 2; this provider reads version 1",
		`{"schema_version": 1}`:              "route.json has no name",
	} {
		if _, err := modelroute.ParseJSON([]byte(doc)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseJSON(%s) = %v, want %q", doc, err, want)
		}
	}
}

func TestEffectiveModel(t *testing.T) {
	for _, tc := range []struct {
		name string
		r    modelroute.Route
		want string
	}{
		{"issue example: among targets", codeReview, "gpt-4o"},
		{"custom model target, score 6", codeReviewUpdated, "mistral-7b-ft"},
		{"whole catalog", summaries, "deepseek-chat"},
		{"weighted chooses per request", chat, ""},
		{"custom model among the catalog", modelroute.Route{Name: "x", Strategy: "cheapest_capable", RequiredCapability: "coding", MinCapabilityScore: ptr[int64](5),
			CustomModels: []modelroute.CustomModel{{Name: "tiny-ft", InputCostPerMillion: 0.01, OutputCostPerMillion: 0.01, Capabilities: map[string]int64{"coding": 5}}}}, "tiny-ft"},
	} {
		if got := tc.r.EffectiveModel(); got != tc.want {
			t.Errorf("%s: EffectiveModel() = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestConfigMap(t *testing.T) {
	cm, err := codeReview.ConfigMap("octollm")
	if err != nil {
		t.Fatal(err)
	}
	if cm.Name != "octollm-route-acme-code-review" || cm.Namespace != "octollm" {
		t.Errorf("ConfigMap %s/%s", cm.Namespace, cm.Name)
	}
	for k, v := range map[string]string{
		"octollm.io/model-route": "code-review", "octollm.io/tenant": "acme", "octollm.dev/kind": "model-route",
		"app.kubernetes.io/managed-by": "terraform-provider-octollm",
	} {
		if cm.Labels[k] != v {
			t.Errorf("label %s = %q, want %q", k, cm.Labels[k], v)
		}
	}
	if want := golden(t, "code_review", nil); cm.Data["route.json"] != string(want) || len(cm.Data) != 1 {
		t.Errorf("data = %v", cm.Data)
	}
	if got := summaries.ConfigMapName(); got != "octollm-route-summaries" {
		t.Errorf("global ConfigMap name %s", got)
	}
	if _, ok := summaries.Labels()["octollm.io/tenant"]; ok {
		t.Error("a global route carries a tenant label")
	}
	if codeReview.ID() != "acme/code-review" || summaries.ID() != "summaries" {
		t.Errorf("IDs %s %s", codeReview.ID(), summaries.ID())
	}
}
