package validate

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Each rule names the bad value and says what to write; a good value passes.
func TestRules(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{Quantity("eight"), `"eight" is not a Kubernetes quantity: write a number with an optional suffix, such as "8", "500m" or "16Gi".`},
		{Email("alice"), `"alice" is not an email address: write it as name@domain.tld, such as "alice@acme.example".`},
		{strings.Join(DNSLabel("Acme_Corp", 40), "; "), "a lowercase RFC 1123 label must consist of"},
		{strings.Join(DNSLabel(strings.Repeat("a", 41), 40), "; "), "it is 41 characters long"},
		{Namespace("Bad_NS"), `"Bad_NS" is not a valid namespace name: a lowercase RFC 1123 label must consist of`},
		{Namespace(strings.Repeat("a", 64)), `"` + strings.Repeat("a", 64) + `" is not a valid namespace name: must be no more than 63 characters`},
		{LabelKey("bad key!"), `key "bad key!" is not a valid Kubernetes label key: name part must consist of`},
		{LabelKey("octollm.dev/"), `key "octollm.dev/" is not a valid Kubernetes label key`},
		{LabelValue("not valid!"), `"not valid!" is not a valid Kubernetes label value: a valid label must be`},
		{LabelValue(strings.Repeat("v", 64)), `"` + strings.Repeat("v", 64) + `" is not a valid Kubernetes label value: must be no more than 63 characters`},
		{EnvName("LOG-LEVEL"), `"LOG-LEVEL" is not a variable name: use letters, digits and underscores, not starting with a digit.`},
		{EnvName("1PASSWORD"), `"1PASSWORD" is not a variable name`},
		{MetricName(""), `the metric name is empty: write the name the metrics adapter serves, such as "task_queue_depth".`},
		{MetricName("queue/depth"), `"queue/depth" is not a metric name the HorizontalPodAutoscaler accepts: may not contain '/'.`},
		{MetricName(".."), `".." is not a metric name the HorizontalPodAutoscaler accepts: may not be '..'.`},
	} {
		if !strings.HasPrefix(tc.got, tc.want) {
			t.Errorf("got %q, want it to start with %q", tc.got, tc.want)
		}
	}
	for _, good := range []string{Quantity("16Gi"), Email("a@b.example"), strings.Join(DNSLabel("acme", 40), ""),
		Namespace("octollm"), Namespace(strings.Repeat("a", 63)), LabelKey("team"), LabelKey("octollm.dev/team"),
		LabelValue(""), LabelValue("gpu-l4_1.0"), EnvName("OPENAI_API_KEY"), EnvName("_x1"), MetricName("task_queue_depth"), MetricName("http.requests")} {
		if good != "" {
			t.Errorf("a good value was refused: %s", good)
		}
	}
	if got := QuantitiesAbove(map[string]string{"cpu": "2", "memory": "1Gi", "gpu": "1"}, map[string]string{"cpu": "1", "memory": "2Gi"}); !slices.Equal(got, []string{"cpu"}) {
		t.Errorf("QuantitiesAbove = %v, want [cpu]", got)
	}
}

// A validator reports the attribute's path, a summary naming it, and the rule's sentence, and
// leaves unknown values for later.
func TestValidators(t *testing.T) {
	ctx := context.Background()
	check := func(t *testing.T, d diag.Diagnostics, want ...string) {
		t.Helper()
		var got []string
		for _, e := range d.Errors() {
			got = append(got, e.Summary()+" | "+e.Detail())
		}
		if len(got) != len(want) {
			t.Fatalf("got %d errors %q, want %d", len(got), got, len(want))
		}
		for i := range want {
			if !strings.HasPrefix(got[i], want[i]) {
				t.Errorf("error %d = %q, want it to start with %q", i, got[i], want[i])
			}
		}
	}
	t.Run("AtPath", func(t *testing.T) {
		p := path.Root("taint").AtListIndex(0).AtName("key")
		var resp validator.StringResponse
		AtPath(LabelKey).ValidateString(ctx, validator.StringRequest{Path: p, ConfigValue: types.StringValue("bad key!")}, &resp)
		check(t, resp.Diagnostics, `Invalid taint[0].key | taint[0].key: key "bad key!" is not a valid Kubernetes label key`)
		resp = validator.StringResponse{}
		AtPath(Namespace).ValidateString(ctx, validator.StringRequest{Path: path.Root("namespace"), ConfigValue: types.StringUnknown()}, &resp)
		check(t, resp.Diagnostics)
	})
	t.Run("String", func(t *testing.T) {
		var resp validator.StringResponse
		String("Invalid metric name", "metric.name: ", MetricName).ValidateString(ctx,
			validator.StringRequest{Path: path.Root("metric").AtListIndex(1).AtName("name"), ConfigValue: types.StringValue("")}, &resp)
		check(t, resp.Diagnostics, `Invalid metric name | metric.name: the metric name is empty`)
	})
	t.Run("Quantities", func(t *testing.T) {
		quantities := types.MapValueMust(types.StringType, map[string]attr.Value{
			"cpu": types.StringValue("half"), "memory": types.StringValue("1Gi"), "gpu": types.StringUnknown(),
		})
		var resp validator.MapResponse
		Quantities().ValidateMap(ctx, validator.MapRequest{Path: path.Root("resources").AtName("requests"), ConfigValue: quantities}, &resp)
		check(t, resp.Diagnostics, `Invalid quantity in resources.requests | cpu = "half" is not a Kubernetes quantity`)
	})
	t.Run("Labels", func(t *testing.T) {
		labels := types.MapValueMust(types.StringType, map[string]attr.Value{
			"team":                   types.StringValue("not valid!"),
			"Bad Key!":               types.StringValue("x"),
			"octollm.dev/owned":      types.StringValue("x"),
			"octollm.dev/team":       types.StringValue("llm"),
			"octollm.dev/later":      types.StringUnknown(),
			"app.kubernetes.io/name": types.StringValue("gateway"),
		})
		reserved := func(key string) string {
			if key == "octollm.dev/owned" {
				return "the provider sets it"
			}
			return ""
		}
		var resp validator.MapResponse
		Labels(reserved).ValidateMap(ctx, validator.MapRequest{Path: path.Root("labels"), ConfigValue: labels}, &resp)
		check(t, resp.Diagnostics,
			`Invalid label in labels | labels: key "Bad Key!" is not a valid Kubernetes label key`,
			`Invalid label in labels | labels: key "octollm.dev/owned" is not allowed: the provider sets it.`,
			`Invalid label in labels | labels["team"]: "not valid!" is not a valid Kubernetes label value`)
		resp = validator.MapResponse{}
		Labels(nil).ValidateMap(ctx, validator.MapRequest{Path: path.Root("labels"), ConfigValue: types.MapUnknown(types.StringType)}, &resp)
		check(t, resp.Diagnostics)
	})
}
