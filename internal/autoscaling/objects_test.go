package autoscaling

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"k8s.io/client-go/rest"

	"github.com/octollm/terraform-provider-octollm/internal/clients"
	"github.com/octollm/terraform-provider-octollm/internal/contract"
)

func seedOrchestrator() Spec {
	window := int64(30)
	return Spec{
		Namespace: "octollm", TargetKind: "Deployment", TargetName: "orchestrator",
		MinReplicas: 3, MaxReplicas: 20, CPUUtilization: 70, MemoryUtilization: 75,
		Metrics:    []Metric{{Type: "Pods", Name: "task_queue_depth", AverageValue: "10"}},
		ScaleUp:    &Behavior{StabilizationWindowSeconds: &window, SelectPolicy: "Max", Policies: []Policy{{"Percent", 100, 30}, {"Pods", 4, 30}}},
		Vertical:   &Vertical{UpdateMode: "Off", Container: "orchestrator", MinAllowed: map[string]string{"cpu": "500m"}, ControlledResources: []string{"cpu", "memory"}},
		Disruption: &DisruptionBudget{MinAvailable: "2"},
	}
}

// Objects built from a Spec read back into the same Spec: what Read compares against.
func TestObjectsRoundTrip(t *testing.T) {
	s := seedOrchestrator()
	got, err := SpecFromObjects(s.HPA(), s.VPA(), s.PDB())
	if err != nil {
		t.Fatal(err)
	}
	if got.MinReplicas != 3 || got.MaxReplicas != 20 || got.CPUUtilization != 70 || got.MemoryUtilization != 75 {
		t.Errorf("replicas/utilization = %+v", got)
	}
	if len(got.Metrics) != 1 || got.Metrics[0].Name != "task_queue_depth" || got.Metrics[0].AverageValue != "10" {
		t.Errorf("metrics = %+v", got.Metrics)
	}
	if got.ScaleUp == nil || *got.ScaleUp.StabilizationWindowSeconds != 30 || got.ScaleUp.SelectPolicy != "Max" || len(got.ScaleUp.Policies) != 2 || got.ScaleUp.Policies[1] != (Policy{"Pods", 4, 30}) {
		t.Errorf("scale up = %+v", got.ScaleUp)
	}
	if got.ScaleDown != nil {
		t.Errorf("scale down not configured, read %+v", got.ScaleDown)
	}
	if got.Vertical.UpdateMode != "Off" || got.Vertical.MinAllowed["cpu"] != "500m" || got.Vertical.Container != "orchestrator" {
		t.Errorf("vertical = %+v", got.Vertical)
	}
	if got.Disruption.MinAvailable != "2" || got.Disruption.Selector["app"] != "orchestrator" {
		t.Errorf("disruption = %+v", got.Disruption)
	}
	if s.HPA().GetLabels()[contract.ManagedByLabel] != contract.ManagedByValue {
		t.Errorf("HPA not labelled as ours: %v", s.HPA().GetLabels())
	}
	s.Vertical, s.Disruption = nil, nil
	if s.VPA() != nil || s.PDB() != nil {
		t.Error("absent blocks still build objects")
	}
}

func TestSameQuantity(t *testing.T) {
	for _, c := range []struct {
		a, b string
		same bool
	}{{"1000m", "1", true}, {"1024Mi", "1Gi", true}, {"0.5", "500m", true}, {"1G", "1Gi", false}, {"10", "11", false}} {
		if got := SameQuantity(c.a, c.b); got != c.same {
			t.Errorf("SameQuantity(%q, %q) = %v", c.a, c.b, got)
		}
	}
}

func TestIntOrPercentProblem(t *testing.T) {
	for v, ok := range map[string]bool{"2": true, "0": true, "50%": true, "100%": true, "-1": false, "150%": false, "two": false} {
		if msg := intOrPercentProblem(v); (msg == "") != ok {
			t.Errorf("intOrPercentProblem(%q) = %q", v, msg)
		}
	}
}

// A cluster without the VPA API gets an error that says how to enable it, not a raw 404.
func TestApply_vpaAPIAbsent(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.NotFound(w, r) // discovery of autoscaling.k8s.io/v1: not served
	}))
	defer srv.Close()
	k, err := clients.NewKube(&rest.Config{Host: srv.URL}, "test", 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	var d diag.Diagnostics
	(&autoscalingResource{}).apply(context.Background(), k, seedOrchestrator(), true, &d)
	if !d.HasError() || !strings.Contains(d.Errors()[0].Detail(), "--enable-vertical-pod-autoscaling") || d.Errors()[0].Summary() != "Vertical pod autoscaling is not enabled" {
		t.Fatalf("diagnostics = %v", d)
	}
}

func TestImportState_idFormat(t *testing.T) {
	var resp resource.ImportStateResponse
	(&autoscalingResource{}).ImportState(context.Background(), resource.ImportStateRequest{ID: "orchestrator"}, &resp)
	if !resp.Diagnostics.HasError() || !strings.Contains(resp.Diagnostics.Errors()[0].Detail(), `import ID "orchestrator" is not namespace/target-name`) {
		t.Fatalf("diagnostics = %v", resp.Diagnostics)
	}
}
