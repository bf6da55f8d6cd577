package autoscaling_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	apiresource "k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/octollm/terraform-provider-octollm/internal/acctest"
	"github.com/octollm/terraform-provider-octollm/internal/autoscaling"
)

func TestMain(m *testing.M) { acctest.Main(m) }

// namespace creates a namespace for one test and removes it afterwards.
func namespace(t *testing.T) (string, kubernetes.Interface) {
	t.Helper()
	kube := acctest.Kube(t)
	name := acctest.RandomName("as")
	_, err := kube.CoreV1().Namespaces().Create(context.Background(), &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = kube.CoreV1().Namespaces().Delete(context.Background(), name, metav1.DeleteOptions{}) })
	return name, kube
}

func dyn(t *testing.T) dynamic.Interface {
	cfg, err := clientcmd.BuildConfigFromFlags("", acctest.Sandbox().Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	return dynamic.NewForConfigOrDie(cfg)
}

// deployment creates the workload an HPA scales, with requests so utilization is defined.
func deployment(t *testing.T, kube kubernetes.Interface, ns, name string) {
	t.Helper()
	replicas := int32(1)
	labels := map[string]string{"app": name}
	_, err := kube.AppsV1().Deployments(ns).Create(context.Background(), &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels},
		Spec: appsv1.DeploymentSpec{
			Replicas: &replicas,
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: corev1.PodSpec{
					Containers: []corev1.Container{{
						Name: name, Image: "octollm/" + name + ":1.0.0",
						Resources: corev1.ResourceRequirements{Requests: corev1.ResourceList{
							corev1.ResourceCPU: apiresource.MustParse("100m"), corev1.ResourceMemory: apiresource.MustParse("128Mi"),
						}},
					}},
					Tolerations: []corev1.Toleration{{Operator: corev1.TolerationOpExists}},
				},
			},
		},
	}, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
}

func orchestratorConfig(t *testing.T, ns, maxReplicas, minCPU string) string {
	return acctest.Example(t, "octollm_autoscaling",
		`namespace = "octollm"`, fmt.Sprintf("namespace = %q", ns),
		`max_replicas       = 20`, "max_replicas       = "+maxReplicas,
		`min_allowed          = { cpu = "500m"`, fmt.Sprintf("min_allowed          = { cpu = %q", minCPU))
}

// The seed's orchestrator example, read back with client-go field by field; the HPA
// controller processes it; plans after apply are empty; equal quantities never diff.
func TestAccAutoscaling_orchestrator(t *testing.T) {
	acctest.PreCheck(t)
	ns, kube := namespace(t)
	deployment(t, kube, ns, "orchestrator")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkGone(t, ns, "orchestrator"),
		Steps: []resource.TestStep{
			{
				Config: orchestratorConfig(t, ns, "20", "500m"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("octollm_autoscaling.orchestrator", tfjsonpath.New("hpa_name"), knownvalue.StringExact("orchestrator-hpa")),
					statecheck.ExpectKnownValue("octollm_autoscaling.orchestrator", tfjsonpath.New("vpa_name"), knownvalue.StringExact("orchestrator-vpa")),
					statecheck.ExpectKnownValue("octollm_autoscaling.orchestrator", tfjsonpath.New("pdb_name"), knownvalue.StringExact("orchestrator-pdb")),
					statecheck.ExpectKnownValue("octollm_autoscaling.orchestrator", tfjsonpath.New("id"), knownvalue.StringExact(ns+"/orchestrator")),
				},
				Check: resource.ComposeTestCheckFunc(checkOrchestrator(t, kube, ns), checkHPAControllerProcessed(t, kube, ns, "orchestrator-hpa")),
			},
			{Config: orchestratorConfig(t, ns, "20", "500m"), ConfigPlanChecks: acctest.NoChanges},
			{Config: orchestratorConfig(t, ns, "20", "500m"), ConfigPlanChecks: acctest.NoChanges},
			{Config: orchestratorConfig(t, ns, "20", "500m"), ConfigPlanChecks: acctest.NoChanges},
			// "0.5" is the same quantity as "500m": no change.
			{Config: orchestratorConfig(t, ns, "20", "0.5"), ConfigPlanChecks: acctest.NoChanges},
			{
				Config: orchestratorConfig(t, ns, "30", "500m"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("octollm_autoscaling.orchestrator", plancheck.ResourceActionUpdate),
				}},
				Check: func(*terraform.State) error {
					hpa, err := kube.AutoscalingV2().HorizontalPodAutoscalers(ns).Get(context.Background(), "orchestrator-hpa", metav1.GetOptions{})
					if err != nil {
						return err
					}
					if hpa.Spec.MaxReplicas != 30 {
						return fmt.Errorf("maxReplicas = %d after update, want 30", hpa.Spec.MaxReplicas)
					}
					return nil
				},
			},
			{
				ResourceName:      "octollm_autoscaling.orchestrator",
				ImportState:       true,
				ImportStateId:     ns + "/orchestrator",
				ImportStateVerify: true,
			},
		},
	})
}

func checkOrchestrator(t *testing.T, kube kubernetes.Interface, ns string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		ctx := context.Background()
		hpa, err := kube.AutoscalingV2().HorizontalPodAutoscalers(ns).Get(ctx, "orchestrator-hpa", metav1.GetOptions{})
		if err != nil {
			return err
		}
		s := hpa.Spec
		if s.ScaleTargetRef.Kind != "Deployment" || s.ScaleTargetRef.Name != "orchestrator" || s.ScaleTargetRef.APIVersion != "apps/v1" {
			return fmt.Errorf("scaleTargetRef = %+v", s.ScaleTargetRef)
		}
		if *s.MinReplicas != 3 || s.MaxReplicas != 20 {
			return fmt.Errorf("replicas %d-%d, want 3-20", *s.MinReplicas, s.MaxReplicas)
		}
		if len(s.Metrics) != 3 {
			return fmt.Errorf("metrics = %d, want 3", len(s.Metrics))
		}
		if m := s.Metrics[0]; m.Type != autoscalingv2.ResourceMetricSourceType || m.Resource.Name != "cpu" || *m.Resource.Target.AverageUtilization != 70 {
			return fmt.Errorf("metric 0 = %+v", m)
		}
		if m := s.Metrics[1]; m.Resource.Name != "memory" || *m.Resource.Target.AverageUtilization != 75 {
			return fmt.Errorf("metric 1 = %+v", m)
		}
		if m := s.Metrics[2]; m.Type != autoscalingv2.PodsMetricSourceType || m.Pods.Metric.Name != "task_queue_depth" || m.Pods.Target.AverageValue.String() != "10" {
			return fmt.Errorf("metric 2 = %+v", m)
		}
		up, down := s.Behavior.ScaleUp, s.Behavior.ScaleDown
		if *up.StabilizationWindowSeconds != 30 || *up.SelectPolicy != autoscalingv2.MaxChangePolicySelect || len(up.Policies) != 2 ||
			up.Policies[0] != (autoscalingv2.HPAScalingPolicy{Type: autoscalingv2.PercentScalingPolicy, Value: 100, PeriodSeconds: 30}) ||
			up.Policies[1] != (autoscalingv2.HPAScalingPolicy{Type: autoscalingv2.PodsScalingPolicy, Value: 4, PeriodSeconds: 30}) {
			return fmt.Errorf("scaleUp = %+v", up)
		}
		if *down.StabilizationWindowSeconds != 300 || *down.SelectPolicy != autoscalingv2.MinChangePolicySelect || len(down.Policies) != 2 ||
			down.Policies[0] != (autoscalingv2.HPAScalingPolicy{Type: autoscalingv2.PercentScalingPolicy, Value: 50, PeriodSeconds: 60}) {
			return fmt.Errorf("scaleDown = %+v", down)
		}
		if hpa.Labels["app.kubernetes.io/managed-by"] != "terraform-provider-octollm" {
			return fmt.Errorf("HPA labels = %v", hpa.Labels)
		}
		vpa, err := dyn(t).Resource(autoscaling.VPAResource).Namespace(ns).Get(ctx, "orchestrator-vpa", metav1.GetOptions{})
		if err != nil {
			return err
		}
		spec := vpa.Object["spec"].(map[string]any)
		if spec["updatePolicy"].(map[string]any)["updateMode"] != "Off" || spec["targetRef"].(map[string]any)["name"] != "orchestrator" {
			return fmt.Errorf("VPA spec = %v", spec)
		}
		cp := spec["resourcePolicy"].(map[string]any)["containerPolicies"].([]any)[0].(map[string]any)
		if cp["containerName"] != "orchestrator" || cp["minAllowed"].(map[string]any)["cpu"] != "500m" || cp["maxAllowed"].(map[string]any)["memory"] != "16Gi" ||
			fmt.Sprint(cp["controlledResources"]) != "[cpu memory]" {
			return fmt.Errorf("VPA container policy = %v", cp)
		}
		pdb, err := kube.PolicyV1().PodDisruptionBudgets(ns).Get(ctx, "orchestrator-pdb", metav1.GetOptions{})
		if err != nil {
			return err
		}
		if pdb.Spec.MinAvailable.IntValue() != 2 || pdb.Spec.Selector.MatchLabels["app"] != "orchestrator" {
			return fmt.Errorf("PDB spec = %+v", pdb.Spec)
		}
		return nil
	}
}

// checkHPAControllerProcessed waits for kube-controller-manager's HPA controller to write the
// HPA's status conditions: proof the object is well-formed for the controller.
func checkHPAControllerProcessed(t *testing.T, kube kubernetes.Interface, ns, name string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		deadline := time.Now().Add(90 * time.Second)
		for time.Now().Before(deadline) {
			hpa, err := kube.AutoscalingV2().HorizontalPodAutoscalers(ns).Get(context.Background(), name, metav1.GetOptions{})
			if err != nil {
				return err
			}
			for _, c := range hpa.Status.Conditions {
				if c.Type == autoscalingv2.AbleToScale {
					return nil
				}
			}
			time.Sleep(time.Second)
		}
		return fmt.Errorf("the HPA controller did not write status conditions on %s/%s within 90s", ns, name)
	}
}

func checkGone(t *testing.T, ns, target string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		ctx := context.Background()
		if _, err := acctest.Kube(t).AutoscalingV2().HorizontalPodAutoscalers(ns).Get(ctx, target+"-hpa", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
			return notDeleted("HPA "+target+"-hpa", err)
		}
		if _, err := acctest.Kube(t).PolicyV1().PodDisruptionBudgets(ns).Get(ctx, target+"-pdb", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
			return notDeleted("PDB "+target+"-pdb", err)
		}
		if _, err := dyn(t).Resource(autoscaling.VPAResource).Namespace(ns).Get(ctx, target+"-vpa", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
			return notDeleted("VPA "+target+"-vpa", err)
		}
		return nil
	}
}

// notDeleted explains why an object that should be gone was found (err nil) or not read.
func notDeleted(what string, err error) error {
	if err == nil {
		return fmt.Errorf("%s still exists after destroy", what)
	}
	return fmt.Errorf("%s: %w", what, err)
}

func executorConfig(ns string, withBlocks bool) string {
	blocks := ""
	if withBlocks {
		blocks = `
  vertical {
    update_mode = "Initial"
  }
  disruption_budget {
    min_available = 2
  }`
	}
	return fmt.Sprintf(`
resource "octollm_autoscaling" "executor" {
  namespace       = %q
  target {
    name = "executor-arm"
  }
  min_replicas    = 2
  max_replicas    = 10
  cpu_utilization = 70
  metric {
    type          = "Pods"
    name          = "active_executions"
    average_value = "3"
  }
  scale_up {
    stabilization_window_seconds = 30
    policy {
      type           = "Percent"
      value          = 100
      period_seconds = 30
    }
  }
  scale_down {
    stabilization_window_seconds = 300
    policy {
      type           = "Pods"
      value          = 1
      period_seconds = 60
    }
  }%s
}
`, ns, blocks)
}

// The seed's executor-arm example, with no workload yet (a warning, not a failure); removing
// the vertical and disruption_budget blocks deletes those objects; drift is set back.
func TestAccAutoscaling_executorArmBlocksAndDrift(t *testing.T) {
	acctest.PreCheck(t)
	ns, kube := namespace(t)
	ctx := context.Background()
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkGone(t, ns, "executor-arm"),
		Steps: []resource.TestStep{
			{
				Config: executorConfig(ns, true),
				Check: func(*terraform.State) error {
					hpa, err := kube.AutoscalingV2().HorizontalPodAutoscalers(ns).Get(ctx, "executor-arm-hpa", metav1.GetOptions{})
					if err != nil {
						return err
					}
					if *hpa.Spec.MinReplicas != 2 || hpa.Spec.MaxReplicas != 10 || len(hpa.Spec.Metrics) != 2 ||
						hpa.Spec.Metrics[1].Pods.Metric.Name != "active_executions" || hpa.Spec.Behavior.ScaleDown.Policies[0].Value != 1 {
						return fmt.Errorf("HPA spec = %+v", hpa.Spec)
					}
					_, err = kube.PolicyV1().PodDisruptionBudgets(ns).Get(ctx, "executor-arm-pdb", metav1.GetOptions{})
					return err
				},
			},
			{Config: executorConfig(ns, true), ConfigPlanChecks: acctest.NoChanges},
			{
				// Out of band: someone raises maxReplicas and deletes the PDB.
				PreConfig: func() {
					patch := []byte(`{"spec":{"maxReplicas":42}}`)
					if _, err := kube.AutoscalingV2().HorizontalPodAutoscalers(ns).Patch(ctx, "executor-arm-hpa", types.MergePatchType, patch, metav1.PatchOptions{}); err != nil {
						t.Fatal(err)
					}
					if err := kube.PolicyV1().PodDisruptionBudgets(ns).Delete(ctx, "executor-arm-pdb", metav1.DeleteOptions{}); err != nil {
						t.Fatal(err)
					}
				},
				Config: executorConfig(ns, true),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("octollm_autoscaling.executor", plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue("octollm_autoscaling.executor", tfjsonpath.New("max_replicas"), knownvalue.Int64Exact(10)),
				}},
				Check: func(*terraform.State) error {
					hpa, err := kube.AutoscalingV2().HorizontalPodAutoscalers(ns).Get(ctx, "executor-arm-hpa", metav1.GetOptions{})
					if err != nil {
						return err
					}
					if hpa.Spec.MaxReplicas != 10 {
						return fmt.Errorf("maxReplicas = %d, want 10 set back", hpa.Spec.MaxReplicas)
					}
					_, err = kube.PolicyV1().PodDisruptionBudgets(ns).Get(ctx, "executor-arm-pdb", metav1.GetOptions{})
					return err
				},
			},
			{
				Config: executorConfig(ns, false),
				Check: func(*terraform.State) error {
					if _, err := kube.PolicyV1().PodDisruptionBudgets(ns).Get(ctx, "executor-arm-pdb", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
						return notDeleted("PDB executor-arm-pdb (disruption_budget removed)", err)
					}
					if _, err := dyn(t).Resource(autoscaling.VPAResource).Namespace(ns).Get(ctx, "executor-arm-vpa", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
						return notDeleted("VPA executor-arm-vpa (vertical removed)", err)
					}
					return nil
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("octollm_autoscaling.executor", tfjsonpath.New("pdb_name"), knownvalue.Null()),
				},
			},
			{
				// The HPA deleted out of band: the plan creates the autoscalers again.
				PreConfig: func() {
					if err := kube.AutoscalingV2().HorizontalPodAutoscalers(ns).Delete(ctx, "executor-arm-hpa", metav1.DeleteOptions{}); err != nil {
						t.Fatal(err)
					}
				},
				Config: executorConfig(ns, false),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("octollm_autoscaling.executor", plancheck.ResourceActionCreate),
				}},
			},
		},
	})
}

// An HPA the provider did not create is not taken over.
func TestAccAutoscaling_refusesForeignHPA(t *testing.T) {
	acctest.PreCheck(t)
	ns, kube := namespace(t)
	_, err := kube.AutoscalingV2().HorizontalPodAutoscalers(ns).Create(context.Background(), &autoscalingv2.HorizontalPodAutoscaler{
		ObjectMeta: metav1.ObjectMeta{Name: "planner-arm-hpa"},
		Spec: autoscalingv2.HorizontalPodAutoscalerSpec{
			ScaleTargetRef: autoscalingv2.CrossVersionObjectReference{APIVersion: "apps/v1", Kind: "Deployment", Name: "planner-arm"},
			MaxReplicas:    3,
		},
	}, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
resource "octollm_autoscaling" "planner" {
  namespace       = %q
  target { name = "planner-arm" }
  min_replicas    = 1
  max_replicas    = 3
  cpu_utilization = 70
}`, ns),
			ExpectError: acctest.ErrorText("HorizontalPodAutoscaler " + ns + "/planner-arm-hpa already exists ... not managed by terraform-provider-octollm ... terraform import octollm_autoscaling.<name> " + ns + "/planner-arm"),
		}},
	})
}

// Every validation rule fails at plan time with its message.
func TestAccAutoscaling_badInput(t *testing.T) {
	acctest.PreCheck(t)
	base := func(body string) string {
		return `
resource "octollm_autoscaling" "this" {
  namespace = "octollm"
  target { name = "orchestrator" }
` + body + `
}`
	}
	cases := map[string]struct{ body, want string }{
		"min above max":            {"min_replicas = 5\nmax_replicas = 2\ncpu_utilization = 70", "min_replicas exceeds max_replicas ... min_replicas (5) is greater than max_replicas (2)"},
		"min zero":                 {"min_replicas = 0\nmax_replicas = 2\ncpu_utilization = 70", "Attribute min_replicas value must be at least 1, got: 0"},
		"utilization not positive": {"min_replicas = 1\nmax_replicas = 2\ncpu_utilization = 0", "Attribute cpu_utilization value must be at least 1, got: 0"},
		"memory utilization":       {"min_replicas = 1\nmax_replicas = 2\nmemory_utilization = -5", "Attribute memory_utilization value must be at least 1, got: -5"},
		"no metric":                {"min_replicas = 1\nmax_replicas = 2", "No metric to scale on ... set cpu_utilization, memory_utilization, or a metric block"},
		"window too long": {`min_replicas = 1
max_replicas = 2
cpu_utilization = 70
scale_down {
  stabilization_window_seconds = 4000
  policy {
    type = "Pods"
    value = 1
    period_seconds = 60
  }
}`, "Attribute scale_down.stabilization_window_seconds value must be between 0 and 3600, got: 4000"},
		"period too long": {`min_replicas = 1
max_replicas = 2
cpu_utilization = 70
scale_up {
  policy {
    type = "Pods"
    value = 1
    period_seconds = 1801
  }
}`, "Attribute scale_up.policy[0].period_seconds value must be between 1 and 1800, got: 1801"},
		"select policy": {`min_replicas = 1
max_replicas = 2
cpu_utilization = 70
scale_up {
  select_policy = "Fastest"
  policy {
    type = "Pods"
    value = 1
    period_seconds = 60
  }
}`, `Attribute scale_up.select_policy value must be one of: ["Max" "Min" "Disabled"], got: "Fastest"`},
		"quantity syntax": {`min_replicas = 1
max_replicas = 2
metric {
  type = "Pods"
  name = "task_queue_depth"
  average_value = "ten"
}`, `Invalid quantity in metric.average_value ... "ten" is not a Kubernetes quantity`},
		"metric name empty": {`min_replicas = 1
max_replicas = 2
metric {
  type = "Pods"
  name = ""
  average_value = "10"
}`, `Invalid metric name ... metric.name: the metric name is empty: write the name the metrics adapter serves, such as "task_queue_depth".`},
		"metric name with a slash": {`min_replicas = 1
max_replicas = 2
metric {
  type = "External"
  name = "pubsub/backlog"
  value = "100"
}`, `"pubsub/backlog" is not a metric name the HorizontalPodAutoscaler accepts: may not contain '/'`},
		"vpa quantity syntax": {`min_replicas = 1
max_replicas = 2
cpu_utilization = 70
vertical {
  min_allowed = { cpu = "half" }
}`, `Invalid quantity in vertical.min_allowed ... cpu = "half" is not a Kubernetes quantity`},
		"vpa unknown resource": {`min_replicas = 1
max_replicas = 2
cpu_utilization = 70
vertical {
  max_allowed = { gpu = "1" }
}`, `Unknown resource in vertical.max_allowed ... "gpu" is not a resource VPA sets: use cpu and memory.`},
		"min allowed above max allowed": {`min_replicas = 1
max_replicas = 2
cpu_utilization = 70
vertical {
  min_allowed = { memory = "16Gi" }
  max_allowed = { memory = "1Gi" }
}`, "vertical.min_allowed exceeds max_allowed ... min_allowed.memory (16Gi) is more than max_allowed.memory (1Gi)"},
		"hpa vpa conflict": {`min_replicas = 1
max_replicas = 2
cpu_utilization = 70
vertical {
  update_mode = "Auto"
}`, `VPA and HPA would fight over cpu ... documented HPA/VPA conflict: set vertical.update_mode to "Off" or "Initial"`},
		"pdb both": {`min_replicas = 1
max_replicas = 2
cpu_utilization = 70
disruption_budget {
  min_available = 1
  max_unavailable = 1
}`, "Both min_available and max_unavailable ... remove min_available or max_unavailable"},
		"pdb empty": {`min_replicas = 1
max_replicas = 2
cpu_utilization = 70
disruption_budget {}`, `Empty disruption_budget ... Set min_available or max_unavailable (a count such as 2, or a percentage such as "50%").`},
		"pdb bad value": {`min_replicas = 1
max_replicas = 2
cpu_utilization = 70
disruption_budget {
  min_available = "150%"
}`, `Invalid disruption_budget.min_available ... "150%" is not a percentage from 0% to 100%`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				Steps:                    []resource.TestStep{{Config: base(tc.body), PlanOnly: true, ExpectError: acctest.ErrorText(tc.want)}},
			})
		})
	}
	// The target block itself is what these get wrong, so they leave base's out.
	for name, tc := range map[string]struct{ target, want string }{
		"target without name": {`kind = "Deployment"`, `Missing target.name ... Set target.name to the Deployment or StatefulSet to scale.`},
		"target kind":         {"kind = \"ReplicaSet\"\n    name = \"orchestrator\"", `Attribute target.kind value must be one of: ["Deployment" "StatefulSet"], got: "ReplicaSet"`},
	} {
		t.Run(name, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      "resource \"octollm_autoscaling\" \"this\" {\n  target {\n    " + tc.target + "\n  }\n  min_replicas    = 1\n  max_replicas    = 2\n  cpu_utilization = 70\n}\n",
					PlanOnly:    true,
					ExpectError: acctest.ErrorText(tc.want),
				}},
			})
		})
	}
}
