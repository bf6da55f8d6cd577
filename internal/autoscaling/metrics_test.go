package autoscaling_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/kubernetes"

	"github.com/octollm/terraform-provider-octollm/internal/acctest"
	"github.com/octollm/terraform-provider-octollm/internal/autoscaling"
	"github.com/octollm/terraform-provider-octollm/internal/clients"
	"github.com/octollm/terraform-provider-octollm/internal/sandbox"
)

func TestServed(t *testing.T) {
	pods := autoscaling.Metric{Type: "Pods", Name: "task_queue_depth"}
	object := autoscaling.Metric{Type: "Object", Name: "requests_per_second", ObjectKind: "Service"}
	external := autoscaling.Metric{Type: "External", Name: "pubsub_backlog"}
	for _, c := range []struct {
		name string
		cm   clients.CustomMetrics
		m    autoscaling.Metric
		want bool
	}{
		{"no custom.metrics.k8s.io: Pods metric unserved", clients.CustomMetrics{}, pods, false},
		{"no custom.metrics.k8s.io: Object metric unserved", clients.CustomMetrics{}, object, false},
		{"External metrics are not judged", clients.CustomMetrics{}, external, true},
		{"adapter listing nothing may serve it", clients.CustomMetrics{Served: true, Version: "v1beta2"}, pods, true},
		{"listed for pods", clients.CustomMetrics{Served: true, Resources: []string{"namespaces/task_queue_depth", "pods/task_queue_depth"}}, pods, true},
		{"listed only for namespaces", clients.CustomMetrics{Served: true, Resources: []string{"namespaces/task_queue_depth"}}, pods, false},
		{"other metrics listed", clients.CustomMetrics{Served: true, Resources: []string{"pods/http_requests"}}, pods, false},
		{"Object listed for its kind", clients.CustomMetrics{Served: true, Resources: []string{"services/requests_per_second"}}, object, true},
		{"Object listed for another kind", clients.CustomMetrics{Served: true, Resources: []string{"pods/requests_per_second"}}, object, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := autoscaling.Served(c.m, &c.cm); got != c.want {
				t.Errorf("Served(%+v, %+v) = %v, want %v", c.m, c.cm, got, c.want)
			}
		})
	}
}

// A cluster that cannot be asked (here nothing listens) gives no warning and no error: the
// plan goes on and the apply reports the connection problem.
func TestPlan_unreachableClusterNoDiagnostics(t *testing.T) {
	b := clients.NewBackends(clients.Config{
		Namespace:      "octollm",
		RequestTimeout: 5 * time.Second,
		Kubernetes:     clients.KubeConfig{Host: "https://127.0.0.1:1", Token: "t", Insecure: true},
	})
	d := autoscaling.PlanCreate(context.Background(), b, "octollm", "orchestrator",
		[]autoscaling.Metric{{Type: "Pods", Name: "task_queue_depth", AverageValue: "10"}})
	if len(d) != 0 {
		t.Fatalf("want no diagnostics when discovery fails, got %v", d)
	}
}

func sandboxBackends(t *testing.T) *clients.Backends {
	t.Helper()
	return clients.NewBackends(clients.Config{
		Namespace:  "octollm",
		Kubernetes: clients.KubeConfig{ConfigPath: acctest.Sandbox().Kubeconfig},
	})
}

// The sandbox, like a GKE cluster without a metrics adapter, serves no custom.metrics.k8s.io:
// planning an HPA on a Pods or Object metric warns on that metric block and says what to do;
// CPU/memory and External metrics plan without a word.
func TestAccAutoscaling_warnsOnUnservedCustomMetric(t *testing.T) {
	acctest.PreCheck(t)
	ctx := context.Background()
	d := autoscaling.PlanCreate(ctx, sandboxBackends(t), "octollm", "orchestrator", []autoscaling.Metric{
		{Type: "External", Name: "pubsub_backlog", AverageValue: "100"},
		{Type: "Pods", Name: "task_queue_depth", AverageValue: "10"},
		{Type: "Object", Name: "requests_per_second", Value: "100", ObjectKind: "Service", ObjectName: "gateway", ObjectAPI: "v1"},
	})
	if d.HasError() {
		t.Fatalf("plan failed: %v", d)
	}
	warnings := d.Warnings()
	if len(warnings) != 2 {
		t.Fatalf("want a warning for each of the Pods and Object metrics, got %d: %v", len(warnings), d)
	}
	for i, want := range []struct {
		at     path.Path
		metric string
		block  string
	}{
		{path.Root("metric").AtListIndex(1).AtName("name"), "task_queue_depth", `metric block 2 (type = "Pods", name = "task_queue_depth")`},
		{path.Root("metric").AtListIndex(2).AtName("name"), "requests_per_second", `metric block 3 (type = "Object", name = "requests_per_second")`},
	} {
		w := warnings[i]
		wp, ok := w.(diag.DiagnosticWithPath)
		if !ok || !wp.Path().Equal(want.at) {
			t.Errorf("warning %d is not on %s: %v", i, want.at, w)
		}
		if w.Summary() != "Custom metric "+want.metric+" is not served by the cluster" {
			t.Errorf("warning %d summary = %q", i, w.Summary())
		}
		for _, s := range []string{
			want.block,
			"the cluster has no custom.metrics.k8s.io API",
			"never scales down",
			"Provide custom.metrics.k8s.io with this metric (on GKE: Google Cloud Managed Service for Prometheus",
			"custom-metrics-stackdriver-adapter",
			"scale on cpu_utilization / memory_utilization",
		} {
			if !strings.Contains(w.Detail(), s) {
				t.Errorf("warning %d detail lacks %q:\n%s", i, s, w.Detail())
			}
		}
	}

	if d := autoscaling.PlanCreate(ctx, sandboxBackends(t), "octollm", "orchestrator", nil); len(d) != 0 {
		t.Errorf("a CPU-only HPA planned with diagnostics: %v", d)
	}
}

func hpaScalingConfig(ns string) string {
	return fmt.Sprintf(`
resource "octollm_component" "orchestrator" {
  name             = "orchestrator"
  namespace        = %[1]q
  kind             = "orchestrator"
  image            = "ghcr.io/acme/octollm-orchestrator:1.4.2"
  port             = 8000
  wait_for_rollout = false
  resources {
    requests = { cpu = "500m", memory = "512Mi" }
    limits   = { cpu = "2", memory = "2Gi" }
  }
  termination_grace_period_seconds = 1
}

resource "octollm_autoscaling" "orchestrator" {
  namespace = %[1]q
  target {
    name = octollm_component.orchestrator.name
  }
  min_replicas    = 1
  max_replicas    = 5
  cpu_utilization = 70
  scale_down {
    stabilization_window_seconds = 0
    policy {
      type           = "Percent"
      value          = 100
      period_seconds = 15
    }
  }
}
`, ns)
}

// The HPA the resource writes scales the Deployment on CPU the sandbox's metrics pipeline
// reports (kwok's simulated kubelet -> metrics-server -> metrics.k8s.io -> HPA controller):
// pods using 2 cores against a 500m request scale it to max_replicas; pods idling at 50m bring
// it back to min_replicas.
func TestAccAutoscaling_scalesOnSimulatedCPU(t *testing.T) {
	acctest.PreCheck(t)
	if !acctest.Sandbox().Metrics {
		if os.Getenv("OCTOLLM_SANDBOX_METRICS") == "1" {
			t.Fatal("OCTOLLM_SANDBOX_METRICS=1 but the sandbox runs no metrics-server: start it with OCTOLLM_SANDBOX_METRICS=1 bin/octollm-sandbox up")
		}
		t.Skip("the sandbox runs no metrics-server: scripts/testacc.sh runs this test in one started with OCTOLLM_SANDBOX_METRICS=1")
	}
	ns, kube := namespace(t)
	usage := dyn(t).Resource(sandbox.ClusterResourceUsageGVR)
	setCPU := func(cpu string) error {
		u := &unstructured.Unstructured{Object: map[string]any{
			"apiVersion": "kwok.x-k8s.io/v1alpha1", "kind": "ClusterResourceUsage",
			"metadata": map[string]any{"name": ns},
			"spec": map[string]any{
				"selector": map[string]any{"matchNamespaces": []any{ns}},
				"usages":   []any{map[string]any{"usage": map[string]any{"cpu": map[string]any{"value": cpu}, "memory": map[string]any{"value": "256Mi"}}}},
			},
		}}
		_, err := usage.Apply(context.Background(), ns, u, metav1.ApplyOptions{FieldManager: "octollm-test", Force: true})
		return err
	}
	if err := setCPU("50m"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = usage.Delete(context.Background(), ns, metav1.DeleteOptions{}) })

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: hpaScalingConfig(ns),
			Check: func(*terraform.State) error {
				if err := setCPU("2"); err != nil {
					return err
				}
				if err := waitReplicas(kube, ns, "orchestrator", 5); err != nil {
					return fmt.Errorf("scale up on 400%% CPU: %w", err)
				}
				if err := setCPU("50m"); err != nil {
					return err
				}
				if err := waitReplicas(kube, ns, "orchestrator", 1); err != nil {
					return fmt.Errorf("scale down on 10%% CPU: %w", err)
				}
				return nil
			},
		}},
	})
}

// waitReplicas polls until the HPA has set the Deployment to want replicas; the bound is
// generous (the sandbox shares 2 cores), and on expiry the error shows the HPA's view.
func waitReplicas(kube kubernetes.Interface, ns, name string, want int32) error {
	ctx := context.Background()
	var got int32
	for deadline := time.Now().Add(4 * time.Minute); time.Now().Before(deadline); time.Sleep(2 * time.Second) {
		d, err := kube.AppsV1().Deployments(ns).Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			return err
		}
		if d.Spec.Replicas != nil {
			got = *d.Spec.Replicas
		}
		if got == want {
			return nil
		}
	}
	hpa, err := kube.AutoscalingV2().HorizontalPodAutoscalers(ns).Get(ctx, name+"-hpa", metav1.GetOptions{})
	if err != nil {
		return fmt.Errorf("deployment has %d replicas, want %d; HPA: %w", got, want, err)
	}
	return fmt.Errorf("deployment has %d replicas, want %d; HPA status: %s", got, want, hpaStatus(hpa))
}

func hpaStatus(hpa *autoscalingv2.HorizontalPodAutoscaler) string {
	var b strings.Builder
	fmt.Fprintf(&b, "current %d desired %d", hpa.Status.CurrentReplicas, hpa.Status.DesiredReplicas)
	for _, m := range hpa.Status.CurrentMetrics {
		if m.Resource != nil && m.Resource.Current.AverageUtilization != nil {
			fmt.Fprintf(&b, "; %s at %d%%", m.Resource.Name, *m.Resource.Current.AverageUtilization)
		}
	}
	for _, c := range hpa.Status.Conditions {
		fmt.Fprintf(&b, "; %s=%s %s: %s", c.Type, c.Status, c.Reason, c.Message)
	}
	return b.String()
}
