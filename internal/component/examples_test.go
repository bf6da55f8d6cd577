package component_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/zclconf/go-cty/cty"
	corev1 "k8s.io/api/core/v1"

	"github.com/octollm/terraform-provider-octollm/internal/component"
)

// TestExamples_nodePoolTaintsAreTolerated: every taint the documented octollm_node_pool
// examples put on a pool is tolerated by an octollm_component placed on that pool's workload
// type (sandboxed when the pool is GKE Sandbox), so a reader who copies the pools and places
// components on them does not get pods that stay Pending.
func TestExamples_nodePoolTaintsAreTolerated(t *testing.T) {
	path := filepath.Join("..", "..", "examples", "resources", "octollm_node_pool", "resource.tf")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, diags := hclparse.NewParser().ParseHCL(src, path)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	poolSchema := &hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{{Name: "workload_type"}},
		Blocks:     []hcl.BlockHeaderSchema{{Type: "taint"}, {Type: "sandbox_config"}},
	}
	taintSchema := &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "key", Required: true}, {Name: "value"}, {Name: "effect", Required: true}}}
	effects := map[string]corev1.TaintEffect{"NO_SCHEDULE": corev1.TaintEffectNoSchedule, "PREFER_NO_SCHEDULE": corev1.TaintEffectPreferNoSchedule, "NO_EXECUTE": corev1.TaintEffectNoExecute}
	str := func(a *hcl.Attribute) string {
		if a == nil {
			return ""
		}
		v, diags := a.Expr.Value(nil)
		if diags.HasErrors() || v.Type() != cty.String {
			t.Fatalf("%s: want a literal string: %v", a.NameRange, diags)
		}
		return v.AsString()
	}
	content, _, diags := f.Body.PartialContent(&hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "resource", LabelNames: []string{"type", "name"}}}})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	pools := 0
	for _, r := range content.Blocks {
		if r.Labels[0] != "octollm_node_pool" {
			continue
		}
		pools++
		pool, _, diags := r.Body.PartialContent(poolSchema)
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		workloadType := str(pool.Attributes["workload_type"])
		sandboxed := false
		var taints []corev1.Taint
		for _, b := range pool.Blocks {
			switch b.Type {
			case "sandbox_config":
				sandboxed = true // the gvisor RuntimeClass tolerates GKE Sandbox's own taint
			case "taint":
				tc, diags := b.Body.Content(taintSchema)
				if diags.HasErrors() {
					t.Fatal(diags)
				}
				taints = append(taints, corev1.Taint{Key: str(tc.Attributes["key"]), Value: str(tc.Attributes["value"]), Effect: effects[str(tc.Attributes["effect"])]})
			}
		}
		spec := component.Spec{Name: "c", Namespace: "octollm", Kind: "arm", Image: "example.com/c:1", Port: 8080, Sandboxed: sandboxed}
		if workloadType != "" && workloadType != "general" {
			spec.Placement = &component.Placement{WorkloadType: workloadType, Required: true}
		}
		tolerations := spec.Deployment().Spec.Template.Spec.Tolerations
		for _, taint := range taints {
			tolerated := false
			for _, tol := range tolerations {
				tolerated = tolerated || tol.ToleratesTaint(&taint)
			}
			if !tolerated && taint.Effect != corev1.TaintEffectPreferNoSchedule {
				t.Errorf("%s: octollm_node_pool.%s's taint %s=%s:%s is not tolerated by an octollm_component placed on workload_type %q (its tolerations: %v): its pods would stay Pending; drop the taint from the example or make the component tolerate it",
					path, r.Labels[1], taint.Key, taint.Value, taint.Effect, workloadType, tolerations)
			}
		}
	}
	if pools == 0 {
		t.Fatalf("%s has no octollm_node_pool", path)
	}
}
