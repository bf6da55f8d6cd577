package component_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	autoscalingv1 "k8s.io/api/autoscaling/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes"

	"github.com/octollm/terraform-provider-octollm/internal/acctest"
)

func TestMain(m *testing.M) { acctest.Main(m) }

const digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

// restrictedNamespace is a namespace enforcing the restricted Pod Security Standard, as
// octollm_platform makes it: every component must be admitted there.
func restrictedNamespace(t *testing.T) (string, kubernetes.Interface) {
	t.Helper()
	kube := acctest.Kube(t)
	name := acctest.RandomName("comp")
	_, err := kube.CoreV1().Namespaces().Create(context.Background(), &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{
		Name:   name,
		Labels: map[string]string{"pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/enforce-version": "latest"},
	}}, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = kube.CoreV1().Namespaces().Delete(context.Background(), name, metav1.DeleteOptions{}) })
	return name, kube
}

// orchestrator is the docs' orchestrator (examples/resources/octollm_component) in namespace
// ns, with replicas set (or left to an HPA when empty), its LOG_LEVEL, and grace periods short
// enough for rolling updates in the test not to wait a minute per old pod (kwok honours them).
func orchestrator(t *testing.T, ns, replicas, logLevel string) string {
	t.Helper()
	return acctest.ExampleBlock(t, "octollm_component", "orchestrator",
		`namespace      = "octollm"`, fmt.Sprintf("namespace      = %q\n  %s", ns, replicas),
		`LOG_LEVEL = "INFO"`, fmt.Sprintf("LOG_LEVEL = %q", logLevel),
		"termination_grace_period_seconds = 60", "termination_grace_period_seconds = 4",
		"pre_stop_sleep_seconds           = 30", `pre_stop_sleep_seconds           = 2
  # Generous: on a loaded 2-core machine kwok can take a while to finish terminating old pods.
  timeouts {
    create = "5m"
    update = "5m"
  }`)
}

func podsOf(t *testing.T, kube kubernetes.Interface, ns, name string) ([]corev1.Pod, error) {
	pods, err := kube.CoreV1().Pods(ns).List(context.Background(), metav1.ListOptions{LabelSelector: "app.kubernetes.io/name=" + name})
	if err != nil {
		return nil, err
	}
	return pods.Items, nil
}

// Created in a restricted namespace, rolled out onto kwok nodes by kube-scheduler, updated,
// imported; drift on the Deployment or Service shows in the plan.
func TestAccComponent_lifecycle(t *testing.T) {
	acctest.PreCheck(t)
	ns, kube := restrictedNamespace(t)
	ctx := context.Background()
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if _, err := kube.AppsV1().Deployments(ns).Get(ctx, "orchestrator", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
				return fmt.Errorf("deployment orchestrator not deleted (read: %w)", err)
			}
			if _, err := kube.CoreV1().Services(ns).Get(ctx, "orchestrator", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
				return fmt.Errorf("service orchestrator not deleted (read: %w)", err)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: orchestrator(t, ns, "replicas = 2", "INFO"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("octollm_component.orchestrator", tfjsonpath.New("service_url"), knownvalue.StringExact("http://orchestrator."+ns+".svc.cluster.local:8000")),
					statecheck.ExpectKnownValue("octollm_component.orchestrator", tfjsonpath.New("image_digest"), knownvalue.StringExact(digest)),
					statecheck.ExpectKnownValue("octollm_component.orchestrator", tfjsonpath.New("deployment_name"), knownvalue.StringExact("orchestrator")),
				},
				Check: func(*terraform.State) error {
					dep, err := kube.AppsV1().Deployments(ns).Get(ctx, "orchestrator", metav1.GetOptions{})
					if err != nil {
						return err
					}
					if dep.Status.AvailableReplicas != 2 {
						return fmt.Errorf("available replicas = %d after the rollout wait, want 2", dep.Status.AvailableReplicas)
					}
					pod := dep.Spec.Template.Spec
					c := pod.Containers[0]
					sc := c.SecurityContext
					if !*pod.SecurityContext.RunAsNonRoot || !*sc.ReadOnlyRootFilesystem || *sc.AllowPrivilegeEscalation || sc.Capabilities.Drop[0] != "ALL" ||
						sc.SeccompProfile.Type != corev1.SeccompProfileTypeRuntimeDefault {
						return fmt.Errorf("container security context = %+v", sc)
					}
					if c.ReadinessProbe.HTTPGet.Path != "/healthz" || c.LivenessProbe.HTTPGet.Path != "/healthz" || c.Lifecycle.PreStop.Sleep.Seconds != 2 {
						return fmt.Errorf("probes/lifecycle = %+v %+v", c.ReadinessProbe, c.Lifecycle)
					}
					for k, v := range map[string]string{"app.kubernetes.io/name": "orchestrator", "app.kubernetes.io/part-of": "octollm", "app.kubernetes.io/component": "orchestrator", "app.kubernetes.io/managed-by": "terraform-provider-octollm"} {
						if dep.Labels[k] != v || dep.Spec.Template.Labels[k] != v {
							return fmt.Errorf("label %s = %q/%q, want %q", k, dep.Labels[k], dep.Spec.Template.Labels[k], v)
						}
					}
					pods, err := podsOf(t, kube, ns, "orchestrator")
					if err != nil {
						return err
					}
					running := 0
					for _, p := range pods {
						if p.Spec.NodeName != "" && p.Status.Phase == corev1.PodRunning {
							running++
						}
					}
					if running != 2 {
						return fmt.Errorf("%d pods scheduled and running, want 2", running)
					}
					return nil
				},
			},
			{Config: orchestrator(t, ns, "replicas = 2", "INFO"), ConfigPlanChecks: acctest.NoChanges},
			{
				Config: orchestrator(t, ns, "replicas = 3", "DEBUG"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("octollm_component.orchestrator", plancheck.ResourceActionUpdate),
				}},
				Check: func(*terraform.State) error {
					dep, err := kube.AppsV1().Deployments(ns).Get(ctx, "orchestrator", metav1.GetOptions{})
					if err != nil {
						return err
					}
					if *dep.Spec.Replicas != 3 || dep.Status.AvailableReplicas != 3 || dep.Spec.Template.Spec.Containers[0].Env[0].Value != "DEBUG" {
						return fmt.Errorf("after update: replicas %d available %d env %v", *dep.Spec.Replicas, dep.Status.AvailableReplicas, dep.Spec.Template.Spec.Containers[0].Env)
					}
					return nil
				},
			},
			{
				// Out of band: the image is changed and the Service deleted.
				PreConfig: func() {
					patch := []byte(`{"spec":{"template":{"spec":{"containers":[{"name":"orchestrator","image":"ghcr.io/acme/octollm-orchestrator:9.9.9"}]}}}}`)
					if _, err := kube.AppsV1().Deployments(ns).Patch(ctx, "orchestrator", types.StrategicMergePatchType, patch, metav1.PatchOptions{}); err != nil {
						t.Fatal(err)
					}
					if err := kube.CoreV1().Services(ns).Delete(ctx, "orchestrator", metav1.DeleteOptions{}); err != nil {
						t.Fatal(err)
					}
				},
				Config: orchestrator(t, ns, "replicas = 3", "DEBUG"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("octollm_component.orchestrator", plancheck.ResourceActionUpdate),
				}},
				Check: func(*terraform.State) error {
					dep, err := kube.AppsV1().Deployments(ns).Get(ctx, "orchestrator", metav1.GetOptions{})
					if err != nil {
						return err
					}
					if !strings.HasSuffix(dep.Spec.Template.Spec.Containers[0].Image, digest) {
						return fmt.Errorf("image not set back: %s", dep.Spec.Template.Spec.Containers[0].Image)
					}
					_, err = kube.CoreV1().Services(ns).Get(ctx, "orchestrator", metav1.GetOptions{})
					return err
				},
			},
			{
				ResourceName:            "octollm_component.orchestrator",
				ImportState:             true,
				ImportStateId:           ns + "/orchestrator",
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"replicas", "require_digest", "wait_for_rollout", "timeouts"},
			},
		},
	})
}

// With replicas unset, the count an HPA sets survives an unrelated apply.
func TestAccComponent_hpaOwnedReplicasSurvive(t *testing.T) {
	acctest.PreCheck(t)
	ns, kube := restrictedNamespace(t)
	ctx := context.Background()
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: orchestrator(t, ns, "", "INFO")},
			{
				PreConfig: func() {
					// What the HPA controller does: write the scale subresource.
					scale := &autoscalingv1.Scale{ObjectMeta: metav1.ObjectMeta{Name: "orchestrator", Namespace: ns}, Spec: autoscalingv1.ScaleSpec{Replicas: 4}}
					if _, err := kube.AppsV1().Deployments(ns).UpdateScale(ctx, "orchestrator", scale, metav1.UpdateOptions{FieldManager: "horizontal-pod-autoscaler"}); err != nil {
						t.Fatal(err)
					}
				},
				Config: orchestrator(t, ns, "", "WARNING"),
				Check: func(*terraform.State) error {
					dep, err := kube.AppsV1().Deployments(ns).Get(ctx, "orchestrator", metav1.GetOptions{})
					if err != nil {
						return err
					}
					if *dep.Spec.Replicas != 4 {
						return fmt.Errorf("replicas = %d after an unrelated apply, want the HPA's 4", *dep.Spec.Replicas)
					}
					if dep.Spec.Template.Spec.Containers[0].Env[0].Value != "WARNING" {
						return fmt.Errorf("the unrelated change was not applied: %v", dep.Spec.Template.Spec.Containers[0].Env)
					}
					return nil
				},
			},
		},
	})
}

// A sandboxed component on spot placement, with a gVisor spot pool and a plain spot pool
// present: the gvisor RuntimeClass's scheduling rules (added to the pods by its admission
// plugin) put every pod on GKE Sandbox nodes, never on the plain spot pool.
func TestAccComponent_placement(t *testing.T) {
	acctest.PreCheck(t)
	ns, kube := restrictedNamespace(t)
	gvisorPool, plainPool := acctest.RandomName("gvisor"), acctest.RandomName("spot")
	config := fmt.Sprintf(`
resource "octollm_node_pool" "gvisor" {
  name               = %q
  workload_type      = "spot"
  spot               = true
  cpu                = 8
  memory_gb          = 32
  initial_node_count = 2
  node_locations     = ["us-central1-a"]
  sandbox_config {
    sandbox_type = "gvisor"
  }
}

resource "octollm_node_pool" "spot" {
  name               = %q
  workload_type      = "spot"
  spot               = true
  cpu                = 8
  memory_gb          = 32
  initial_node_count = 2
  node_locations     = ["us-central1-a"]
}

`, gvisorPool, plainPool) + acctest.ExampleBlock(t, "octollm_component", "executor",
		`namespace = "octollm"`, fmt.Sprintf("namespace = %q", ns),
		"replicas  = 2", "replicas  = 3",
		"    workload_type = \"spot\"\n  }\n", `    workload_type = "spot"
  }
  timeouts {
    create = "3m"
  }
  depends_on = [octollm_node_pool.gvisor, octollm_node_pool.spot]
`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				Check: func(*terraform.State) error {
					pods, err := podsOf(t, kube, ns, "executor-arm")
					if err != nil {
						return err
					}
					if len(pods) != 3 {
						return fmt.Errorf("%d pods, want 3", len(pods))
					}
					for _, p := range pods {
						node, err := kube.CoreV1().Nodes().Get(context.Background(), p.Spec.NodeName, metav1.GetOptions{})
						if err != nil {
							return fmt.Errorf("pod %s on node %q: %w", p.Name, p.Spec.NodeName, err)
						}
						t.Logf("pod %s runs on node %s (pool %s, workload-type %s, sandbox %s)", p.Name, node.Name,
							node.Labels["cloud.google.com/gke-nodepool"], node.Labels["workload-type"], node.Labels["sandbox.gke.io/runtime"])
						if p.Spec.RuntimeClassName == nil || *p.Spec.RuntimeClassName != "gvisor" {
							return fmt.Errorf("sandboxed pod %s has runtimeClassName %v, want gvisor", p.Name, p.Spec.RuntimeClassName)
						}
						if node.Labels["sandbox.gke.io/runtime"] != "gvisor" || node.Labels["cloud.google.com/gke-nodepool"] != gvisorPool {
							return fmt.Errorf("pod %s runs on %s, not a GKE Sandbox node of pool %s: %v", p.Name, node.Name, gvisorPool, node.Labels)
						}
						if node.Labels["workload-type"] != "spot" || node.Labels["cloud.google.com/gke-spot"] != "true" {
							return fmt.Errorf("pod %s runs on %s, not a spot node: %v", p.Name, node.Name, node.Labels)
						}
					}
					return nil
				},
			},
		},
	})
}

// A sandboxed component with no GKE Sandbox pool in the cluster: without waiting for the
// rollout the apply succeeds and the scheduler reports the pods Unschedulable; waiting for it,
// the error says the pods are unschedulable and to add a GKE Sandbox pool. Sequential, after
// TestAccComponent_placement has destroyed its pools.
func TestAccComponent_sandboxedWithoutGVisorPool(t *testing.T) {
	acctest.PreCheck(t)
	ns, kube := restrictedNamespace(t)
	gvisorNodes, err := kube.CoreV1().Nodes().List(context.Background(), metav1.ListOptions{LabelSelector: "sandbox.gke.io/runtime=gvisor"})
	if err != nil {
		t.Fatal(err)
	}
	if len(gvisorNodes.Items) > 0 {
		t.Skipf("this sandbox has %d GKE Sandbox nodes (from another configuration): run against a fresh one, as make test does", len(gvisorNodes.Items))
	}
	component := func(name, extra string) string {
		return fmt.Sprintf(`
resource "octollm_component" %[1]q {
  name      = %[1]q
  namespace = %[2]q
  kind      = "arm"
  image     = "ghcr.io/acme/octollm-executor:1.4.2"
  port      = 8006
  replicas  = 1
  sandboxed = true
  %[3]s
}
`, name, ns, extra)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: component("executor-arm", "wait_for_rollout = false"),
				Check: func(*terraform.State) error {
					return waitUnschedulable(t, kube, ns, "executor-arm")
				},
			},
			{
				Config: component("executor-arm", "wait_for_rollout = false") + component("sandboxed-arm", `timeouts {
    create = "20s"
  }`),
				ExpectError: acctest.ErrorText("Deployment " + ns + "/sandboxed-arm did not roll out ... is unschedulable: ... didn't match Pod's node affinity/selector ... " +
					`sandboxed = true runs pods only on GKE Sandbox (gVisor) nodes, labelled sandbox.gke.io/runtime=gvisor: add a GKE Sandbox node pool (octollm_node_pool with sandbox_config { sandbox_type = "gvisor" }`),
			},
		},
	})
}

// waitUnschedulable waits until the scheduler has reported every pod of the component
// PodScheduled=False with reason Unschedulable; the scheduler decides asynchronously.
func waitUnschedulable(t *testing.T, kube kubernetes.Interface, ns, name string) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var last string
	for {
		pods, err := podsOf(t, kube, ns, name)
		if err != nil {
			return err
		}
		unschedulable := 0
		for _, p := range pods {
			if p.Spec.NodeName != "" {
				return fmt.Errorf("pod %s was scheduled onto %s, though no GKE Sandbox node exists", p.Name, p.Spec.NodeName)
			}
			for _, c := range p.Status.Conditions {
				if c.Type == corev1.PodScheduled && c.Status == corev1.ConditionFalse && c.Reason == corev1.PodReasonUnschedulable {
					unschedulable++
					last = c.Message
				}
			}
		}
		if len(pods) > 0 && unschedulable == len(pods) {
			t.Logf("%d pods of %s unschedulable: %s", len(pods), name, last)
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%d of %d pods of %s reported Unschedulable when the wait ended", unschedulable, len(pods), name)
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// Required spot placement with no spot pool reports the pods unschedulable within the timeout.
// Sequential, after TestAccComponent_placement has destroyed its pool; `make test` runs one
// package at a time, so no other test's spot pool exists meanwhile.
func TestAccComponent_requiredSpotWithoutPool(t *testing.T) {
	acctest.PreCheck(t)
	ns, kube := restrictedNamespace(t)
	spot, err := kube.CoreV1().Nodes().List(context.Background(), metav1.ListOptions{LabelSelector: "workload-type=spot"})
	if err != nil {
		t.Fatal(err)
	}
	if len(spot.Items) > 0 {
		t.Skipf("this sandbox has %d spot nodes (from another configuration): run against a fresh one, as make test does", len(spot.Items))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
resource "octollm_component" "judge" {
  name      = "judge-arm"
  namespace = %q
  kind      = "arm"
  image     = "ghcr.io/acme/octollm-judge:1.4.2"
  port      = 8004
  replicas  = 1
  placement {
    workload_type = "spot"
    required      = true
  }
  timeouts {
    create = "20s"
  }
}
`, ns),
			ExpectError: acctest.ErrorText("Deployment " + ns + "/judge-arm did not roll out ... is unschedulable: ... didn't match Pod's node affinity/selector ... check placement.workload_type and that a node pool of that type exists"),
		}},
	})
}

// Every bad input fails at plan time, naming the attribute.
func TestAccComponent_badInput(t *testing.T) {
	acctest.PreCheck(t)
	base := func(image, extra string) string {
		return fmt.Sprintf(`
resource "octollm_component" "this" {
  name  = "reflex"
  kind  = "reflex"
  image = %q
  port  = 8080
  %s
}`, image, extra)
	}
	cases := map[string]struct{ config, want string }{
		"latest":              {base("ghcr.io/acme/reflex:latest", ""), `Invalid image ... image "ghcr.io/acme/reflex:latest" uses the latest tag`},
		"untagged":            {base("ghcr.io/acme/reflex", ""), `image "ghcr.io/acme/reflex" has neither tag nor digest`},
		"tag without digest":  {base("ghcr.io/acme/reflex:1.0.0", "require_digest = true"), `has no digest and require_digest is true: append @sha256:<64 hex>`},
		"malformed reference": {base("ghcr.io/Acme/Reflex:1.0", ""), `is not an image reference: use registry/repository:tag`},
		"short digest":        {base("ghcr.io/acme/reflex@sha256:abc", ""), `is not an image reference`},
		"bad kind":            {strings.Replace(base("ghcr.io/acme/reflex:1.0.0", ""), `kind  = "reflex"`, `kind  = "worker"`, 1), `Attribute kind value must be one of: ["gateway" "reflex" "orchestrator" "arm"], got: "worker"`},
		"port zero":           {strings.Replace(base("ghcr.io/acme/reflex:1.0.0", ""), "port  = 8080", "port  = 0", 1), "Attribute port value must be between 1 and 65535, got: 0"},
		"bad name":            {strings.Replace(base("ghcr.io/acme/reflex:1.0.0", ""), `name  = "reflex"`, `name  = "Reflex_Layer"`, 1), "Attribute name must be a DNS-1123 label"},
		"requests over limits": {base("ghcr.io/acme/reflex:1.0.0", `resources {
    requests = { memory = "2Gi" }
    limits   = { memory = "1Gi" }
  }`), "resources.requests exceed limits ... requests.memory (2Gi) is more than limits.memory (1Gi)"},
		"bad quantity": {base("ghcr.io/acme/reflex:1.0.0", `resources {
    requests = { cpu = "lots" }
  }`), `Invalid quantity in resources.requests ... cpu = "lots" is not a Kubernetes quantity`},
		"env name":        {base("ghcr.io/acme/reflex:1.0.0", `env = { "LOG-LEVEL" = "INFO" }`), `env key "LOG-LEVEL" is not a variable name`},
		"secret env name": {base("ghcr.io/acme/reflex:1.0.0", `secret_env = { "1KEY" = { secret = "llm-keys", key = "openai" } }`), `Invalid environment variable name ... secret_env key "1KEY" is not a variable name: use letters, digits and underscores, not starting with a digit.`},
		"limit quantity": {base("ghcr.io/acme/reflex:1.0.0", `resources {
    limits = { memory = "lots" }
  }`), `Invalid quantity in resources.limits ... memory = "lots" is not a Kubernetes quantity`},
		"pre stop too long":  {base("ghcr.io/acme/reflex:1.0.0", "pre_stop_sleep_seconds = 60\n  termination_grace_period_seconds = 30"), "pre_stop_sleep_seconds (60) must be less than termination_grace_period_seconds (30)"},
		"placement no type":  {base("ghcr.io/acme/reflex:1.0.0", "placement {\n    required = true\n  }"), "Missing placement.workload_type"},
		"placement bad type": {base("ghcr.io/acme/reflex:1.0.0", "placement {\n    workload_type = \"gpu\"\n  }"), `Attribute placement.workload_type value must be one of: ["cpu-optimized" "memory-optimized" "spot"], got: "gpu"`},
		"health path":        {base("ghcr.io/acme/reflex:1.0.0", `health_path = "healthz"`), "Attribute health_path must start with /"},
		"service account":    {base("ghcr.io/acme/reflex:1.0.0", `service_account_name = "Gateway_SA"`), "Attribute service_account_name must be a ServiceAccount name"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				Steps:                    []resource.TestStep{{Config: tc.config, PlanOnly: true, ExpectError: acctest.ErrorText(tc.want)}},
			})
		})
	}
}

// A component runs with an API token only as the ServiceAccount it names; without one it runs
// with none; a ServiceAccount that does not exist is refused before any pod is tried.
func TestAccComponent_serviceAccount(t *testing.T) {
	acctest.PreCheck(t)
	ns, kube := restrictedNamespace(t)
	ctx := context.Background()
	if _, err := kube.CoreV1().ServiceAccounts(ns).Create(ctx, &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: "octollm-gateway"}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	config := func(sa string) string {
		return fmt.Sprintf(`
resource "octollm_component" "gateway" {
  name      = "gateway"
  namespace = %q
  kind      = "gateway"
  image     = "ghcr.io/acme/octollm-gateway:1.4.2"
  port      = 8080
  replicas  = 1
  health_path      = "/readyz"
  wait_for_rollout = false
  %s
}
`, ns, sa)
	}
	template := func(wantSA string, wantToken bool) resource.TestCheckFunc {
		return func(*terraform.State) error {
			dep, err := kube.AppsV1().Deployments(ns).Get(ctx, "gateway", metav1.GetOptions{})
			if err != nil {
				return err
			}
			pod := dep.Spec.Template.Spec
			token := pod.AutomountServiceAccountToken != nil && *pod.AutomountServiceAccountToken
			if pod.ServiceAccountName != wantSA || token != wantToken {
				return fmt.Errorf("pod template runs as %q with token %v, want %q with token %v", pod.ServiceAccountName, token, wantSA, wantToken)
			}
			return nil
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config(""), Check: template("default", false)},
			{
				Config: config(`service_account_name = "octollm-gateway"`),
				Check:  template("octollm-gateway", true),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("octollm_component.gateway", tfjsonpath.New("service_account_name"), knownvalue.StringExact("octollm-gateway")),
				},
			},
			// replicas reads back only when configured (the HPA may own it), as in the lifecycle test.
			{ResourceName: "octollm_component.gateway", ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: []string{"replicas", "wait_for_rollout", "timeouts"}},
			{
				Config:      config(`service_account_name = "octollm-missing"`),
				ExpectError: acctest.ErrorText("ServiceAccount not found ... service_account_name: ServiceAccount " + ns + "/octollm-missing does not exist"),
			},
			{Config: config(""), Check: template("default", false)},
		},
	})
}
