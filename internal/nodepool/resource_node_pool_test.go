package nodepool_test

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	"cloud.google.com/go/container/apiv1/containerpb"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/octollm/terraform-provider-octollm/internal/acctest"
	"github.com/octollm/terraform-provider-octollm/internal/clients"
	"github.com/octollm/terraform-provider-octollm/internal/nodepool"
	"github.com/octollm/terraform-provider-octollm/internal/sandbox"
)

func TestMain(m *testing.M) { acctest.Main(m) }

func poolID(name string) string {
	return nodepool.ID(sandbox.Project, sandbox.Location, sandbox.Cluster, name)
}

// The seed's three pools, created in one apply: the cluster's one-operation-at-a-time rule
// must never surface as an error.
func TestAccNodePool_seedPoolsInOneApply(t *testing.T) {
	acctest.PreCheck(t)
	cpu, mem, spot := acctest.RandomName("cpu"), acctest.RandomName("mem"), acctest.RandomName("spot")
	config := fmt.Sprintf(`
resource "octollm_node_pool" "cpu" {
  name               = %q
  workload_type      = "cpu-optimized"
  cpu                = 16
  memory_gb          = 16
  initial_node_count = 2
  node_locations     = ["us-central1-a"]
  autoscaling {
    min_node_count = 2
    max_node_count = 20
  }
}

resource "octollm_node_pool" "memory" {
  name               = %q
  workload_type      = "memory-optimized"
  cpu                = 8
  memory_gb          = 64
  initial_node_count = 2
  node_locations     = ["us-central1-b"]
  autoscaling {
    min_node_count = 2
    max_node_count = 10
  }
}

resource "octollm_node_pool" "spot" {
  name               = %q
  workload_type      = "spot"
  spot               = true
  cpu                = 8
  memory_gb          = 32
  initial_node_count = 3
  node_locations     = ["us-central1-c"]
  autoscaling {
    min_node_count = 3
    max_node_count = 50
  }
}
`, cpu, mem, spot)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkPoolsGone(t, cpu, mem, spot),
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("octollm_node_pool.cpu", tfjsonpath.New("machine_type"), knownvalue.StringExact("n2-highcpu-16")),
				statecheck.ExpectKnownValue("octollm_node_pool.memory", tfjsonpath.New("machine_type"), knownvalue.StringExact("n2-highmem-8")),
				statecheck.ExpectKnownValue("octollm_node_pool.spot", tfjsonpath.New("machine_type"), knownvalue.StringExact("n2-standard-8")),
				statecheck.ExpectKnownValue("octollm_node_pool.spot", tfjsonpath.New("autoscaling").AtMapKey("location_policy"), knownvalue.StringExact("ANY")),
				statecheck.ExpectKnownValue("octollm_node_pool.cpu", tfjsonpath.New("autoscaling").AtMapKey("location_policy"), knownvalue.StringExact("BALANCED")),
				statecheck.ExpectKnownValue("octollm_node_pool.cpu", tfjsonpath.New("status"), knownvalue.StringExact("RUNNING")),
				statecheck.ExpectKnownValue("octollm_node_pool.cpu", tfjsonpath.New("id"), knownvalue.StringExact(poolID(cpu))),
			},
			Check: resource.ComposeTestCheckFunc(
				checkNodes(t, cpu, "cpu-optimized", "n2-highcpu-16", 2, false),
				checkNodes(t, mem, "memory-optimized", "n2-highmem-8", 2, false),
				checkNodes(t, spot, "spot", "n2-standard-8", 3, true),
			),
		}, {
			// A second apply of the same configuration changes nothing.
			Config:           config,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		}},
	})
}

// checkNodes asserts the pool's nodes are registered in the apiserver with GKE's labels, the
// workload-type label and taint, and the machine type.
func checkNodes(t *testing.T, pool, workload, machineType string, count int, spot bool) resource.TestCheckFunc {
	return func(*terraform.State) error {
		nodes, err := acctest.Kube(t).CoreV1().Nodes().List(context.Background(), metav1.ListOptions{LabelSelector: "cloud.google.com/gke-nodepool=" + pool})
		if err != nil {
			return err
		}
		if len(nodes.Items) != count {
			return fmt.Errorf("pool %s has %d nodes in the apiserver, want %d", pool, len(nodes.Items), count)
		}
		for _, n := range nodes.Items {
			if n.Labels["workload-type"] != workload || n.Labels["node.kubernetes.io/instance-type"] != machineType {
				return fmt.Errorf("node %s labels = %v", n.Name, n.Labels)
			}
			if spot != (n.Labels["cloud.google.com/gke-spot"] == "true") {
				return fmt.Errorf("node %s spot label = %q, want spot=%v", n.Name, n.Labels["cloud.google.com/gke-spot"], spot)
			}
			found := false
			for _, taint := range n.Spec.Taints {
				if taint.Key == "workload-type" && taint.Value == workload && taint.Effect == corev1.TaintEffectNoSchedule {
					found = true
				}
			}
			if !found {
				return fmt.Errorf("node %s lacks taint workload-type=%s:NoSchedule: %v", n.Name, workload, n.Spec.Taints)
			}
		}
		return nil
	}
}

func checkPoolsGone(t *testing.T, names ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		g := acctest.GKE(t)
		for _, name := range names {
			_, err := g.Client.GetNodePool(context.Background(), &containerpb.GetNodePoolRequest{Name: poolID(name)})
			if err == nil {
				return fmt.Errorf("node pool %s still exists after destroy", name)
			}
		}
		return nil
	}
}

func poolConfig(name, body string) string {
	return fmt.Sprintf(`
resource "octollm_node_pool" "this" {
  name           = %q
  node_locations = ["us-central1-a"]
%s
}
`, name, body)
}

// Autoscaling, labels, taints and machine type change in place; a spot flip replaces.
func TestAccNodePool_inPlaceUpdatesAndSpotReplacement(t *testing.T) {
	acctest.PreCheck(t)
	name := acctest.RandomName("upd")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkPoolsGone(t, name),
		Steps: []resource.TestStep{
			{
				Config: poolConfig(name, `
  workload_type = "cpu-optimized"
  cpu           = 4
  memory_gb     = 4
  labels        = { team = "llm" }
  autoscaling {
    min_node_count = 1
    max_node_count = 3
  }`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("octollm_node_pool.this", tfjsonpath.New("machine_type"), knownvalue.StringExact("n2-highcpu-4")),
					statecheck.ExpectKnownValue("octollm_node_pool.this", tfjsonpath.New("labels"), knownvalue.MapExact(map[string]knownvalue.Check{"team": knownvalue.StringExact("llm")})),
				},
			},
			{
				Config: poolConfig(name, `
  workload_type = "cpu-optimized"
  cpu           = 8
  memory_gb     = 8
  labels        = { team = "platform", tier = "gateway" }
  taint {
    key    = "dedicated"
    value  = "gateway"
    effect = "PREFER_NO_SCHEDULE"
  }
  autoscaling {
    min_node_count = 2
    max_node_count = 6
  }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("octollm_node_pool.this", plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue("octollm_node_pool.this", tfjsonpath.New("machine_type"), knownvalue.StringExact("n2-highcpu-8")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("octollm_node_pool.this", tfjsonpath.New("machine_type"), knownvalue.StringExact("n2-highcpu-8")),
					statecheck.ExpectKnownValue("octollm_node_pool.this", tfjsonpath.New("autoscaling").AtMapKey("max_node_count"), knownvalue.Int64Exact(6)),
					statecheck.ExpectKnownValue("octollm_node_pool.this", tfjsonpath.New("taint").AtSliceIndex(0).AtMapKey("effect"), knownvalue.StringExact("PREFER_NO_SCHEDULE")),
				},
				Check: checkNodeTaint(t, name, "dedicated", corev1.TaintEffectPreferNoSchedule),
			},
			{
				Config: poolConfig(name, `
  workload_type = "cpu-optimized"
  spot          = true
  cpu           = 8
  memory_gb     = 8
  labels        = { team = "platform", tier = "gateway" }
  taint {
    key    = "dedicated"
    value  = "gateway"
    effect = "PREFER_NO_SCHEDULE"
  }
  autoscaling {
    min_node_count = 2
    max_node_count = 6
  }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("octollm_node_pool.this", plancheck.ResourceActionDestroyBeforeCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("octollm_node_pool.this", tfjsonpath.New("spot"), knownvalue.Bool(true)),
				},
			},
			{
				ResourceName:            "octollm_node_pool.this",
				ImportState:             true,
				ImportStateId:           poolID(name),
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"timeouts"},
			},
		},
	})
}

// checkSandboxNodes asserts whether the pool's nodes carry GKE Sandbox's label and taint.
func checkSandboxNodes(t *testing.T, pool string, gvisor bool) resource.TestCheckFunc {
	return func(*terraform.State) error {
		nodes, err := acctest.Kube(t).CoreV1().Nodes().List(context.Background(), metav1.ListOptions{LabelSelector: "cloud.google.com/gke-nodepool=" + pool})
		if err != nil {
			return err
		}
		if len(nodes.Items) == 0 {
			return fmt.Errorf("pool %s has no nodes", pool)
		}
		for _, n := range nodes.Items {
			tainted := false
			for _, taint := range n.Spec.Taints {
				tainted = tainted || (taint.Key == nodepool.SandboxRuntimeKey && taint.Value == "gvisor" && taint.Effect == corev1.TaintEffectNoSchedule)
			}
			labelled := n.Labels[nodepool.SandboxRuntimeKey] == "gvisor"
			if tainted != gvisor || labelled != gvisor {
				return fmt.Errorf("node %s: sandbox.gke.io/runtime=gvisor label %v, taint %v; want %v (labels %v, taints %v)", n.Name, labelled, tainted, gvisor, n.Labels, n.Spec.Taints)
			}
		}
		return nil
	}
}

// A GKE Sandbox pool: its nodes are labelled and tainted for the gvisor RuntimeClass, GKE's marks
// never show as a diff, it imports, its labels change in place, and turning GKE Sandbox off
// replaces it (GKE cannot toggle it on a pool); the image type then changes in place.
func TestAccNodePool_gvisor(t *testing.T) {
	acctest.PreCheck(t)
	name := acctest.RandomName("gvisor")
	gvisor := func(extra string) string {
		return poolConfig(name, `
  workload_type = "spot"
  spot          = true
  cpu           = 4
  memory_gb     = 16
  sandbox_config {
    sandbox_type = "gvisor"
  }`+extra)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkPoolsGone(t, name),
		Steps: []resource.TestStep{
			{
				Config: gvisor(""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("octollm_node_pool.this", tfjsonpath.New("sandbox_config").AtMapKey("sandbox_type"), knownvalue.StringExact("gvisor")),
					statecheck.ExpectKnownValue("octollm_node_pool.this", tfjsonpath.New("image_type"), knownvalue.StringExact("COS_CONTAINERD")),
					statecheck.ExpectKnownValue("octollm_node_pool.this", tfjsonpath.New("labels"), knownvalue.Null()),
					statecheck.ExpectKnownValue("octollm_node_pool.this", tfjsonpath.New("taint"), knownvalue.ListSizeExact(0)),
				},
				Check: resource.ComposeTestCheckFunc(
					checkNodes(t, name, "spot", "n2-standard-4", 1, true),
					checkSandboxNodes(t, name, true),
				),
			},
			{
				ResourceName:            "octollm_node_pool.this",
				ImportState:             true,
				ImportStateId:           poolID(name),
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"timeouts"},
			},
			{
				Config: gvisor(`
  labels = { team = "arms" }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("octollm_node_pool.this", plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("octollm_node_pool.this", tfjsonpath.New("labels"), knownvalue.MapExact(map[string]knownvalue.Check{"team": knownvalue.StringExact("arms")})),
				},
				Check: checkSandboxNodes(t, name, true),
			},
			{
				Config: poolConfig(name, `
  workload_type = "spot"
  spot          = true
  cpu           = 4
  memory_gb     = 16
  image_type    = "UBUNTU_CONTAINERD"
  labels        = { team = "arms" }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("octollm_node_pool.this", plancheck.ResourceActionDestroyBeforeCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("octollm_node_pool.this", tfjsonpath.New("sandbox_config"), knownvalue.Null()),
					statecheck.ExpectKnownValue("octollm_node_pool.this", tfjsonpath.New("image_type"), knownvalue.StringExact("UBUNTU_CONTAINERD")),
				},
				Check: checkSandboxNodes(t, name, false),
			},
			{
				Config: poolConfig(name, `
  workload_type = "spot"
  spot          = true
  cpu           = 4
  memory_gb     = 16
  image_type    = "COS_CONTAINERD"
  labels        = { team = "arms" }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("octollm_node_pool.this", plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("octollm_node_pool.this", tfjsonpath.New("image_type"), knownvalue.StringExact("COS_CONTAINERD")),
				},
			},
		},
	})
}

func checkNodeTaint(t *testing.T, pool, key string, effect corev1.TaintEffect) resource.TestCheckFunc {
	return func(*terraform.State) error {
		nodes, err := acctest.Kube(t).CoreV1().Nodes().List(context.Background(), metav1.ListOptions{LabelSelector: "cloud.google.com/gke-nodepool=" + pool})
		if err != nil {
			return err
		}
		if len(nodes.Items) == 0 {
			return fmt.Errorf("pool %s has no nodes", pool)
		}
		for _, n := range nodes.Items {
			ok := false
			for _, taint := range n.Spec.Taints {
				ok = ok || (taint.Key == key && taint.Effect == effect)
			}
			if !ok {
				return fmt.Errorf("node %s lacks taint %s:%s: %v", n.Name, key, effect, n.Spec.Taints)
			}
		}
		return nil
	}
}

// Drift: a pool deleted out of band is recreated; autoscaling changed out of band is set back.
func TestAccNodePool_drift(t *testing.T) {
	acctest.PreCheck(t)
	name := acctest.RandomName("drift")
	config := poolConfig(name, `
  cpu       = 2
  memory_gb = 8
  autoscaling {
    min_node_count = 1
    max_node_count = 4
  }`)
	mutate := func(call func(ctx context.Context, g *clients.GKE) (*containerpb.Operation, error)) func() {
		return func() {
			g := acctest.GKE(t)
			ctx := context.Background()
			if _, err := g.Mutate(ctx, g.Config.ClusterName(), "out-of-band change", func(ctx context.Context) (*containerpb.Operation, error) { return call(ctx, g) }); err != nil {
				t.Fatal(err)
			}
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkPoolsGone(t, name),
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: mutate(func(ctx context.Context, g *clients.GKE) (*containerpb.Operation, error) {
					return g.Client.SetNodePoolAutoscaling(ctx, &containerpb.SetNodePoolAutoscalingRequest{
						Name: poolID(name), Autoscaling: &containerpb.NodePoolAutoscaling{Enabled: true, MinNodeCount: 1, MaxNodeCount: 9},
					})
				}),
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("octollm_node_pool.this", plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("octollm_node_pool.this", tfjsonpath.New("autoscaling").AtMapKey("max_node_count"), knownvalue.Int64Exact(4)),
				},
			},
			{
				PreConfig: mutate(func(ctx context.Context, g *clients.GKE) (*containerpb.Operation, error) {
					return g.Client.DeleteNodePool(ctx, &containerpb.DeleteNodePoolRequest{Name: poolID(name)})
				}),
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("octollm_node_pool.this", plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("octollm_node_pool.this", tfjsonpath.New("status"), knownvalue.StringExact("RUNNING")),
				},
			},
		},
	})
}

// A pool this provider did not create is not taken over; the error says how to import it.
func TestAccNodePool_refusesToTakeOverForeignPool(t *testing.T) {
	acctest.PreCheck(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: `
resource "octollm_node_pool" "this" {
  name         = "default-pool"
  machine_type = "e2-standard-4"
}
`,
			ExpectError: acctest.ErrorText("node pool default-pool already exists and was not created by terraform-provider-octollm: import it with `terraform import octollm_node_pool.<name> " + poolID("default-pool") + "`"),
		}},
	})
}

// Every bad input fails at plan time with an error naming the attribute.
func TestAccNodePool_badInput(t *testing.T) {
	acctest.PreCheck(t)
	cases := map[string]struct{ body, want string }{
		"no machine fits": {`cpu = 3
  memory_gb = 5`, `No machine fits cpu and memory_gb ... no n2 machine has 3 vCPUs and 5 GB: n2 custom shapes need an even vCPU count; nearest valid shapes: cpu = 2, memory_gb = 5 (n2-custom-2-5120)`},
		"min above max": {`cpu = 4
  memory_gb = 16
  autoscaling {
    min_node_count = 5
    max_node_count = 2
  }`, "autoscaling.min_node_count exceeds max_node_count ... min_node_count (5) is greater than max_node_count (2): lower min_node_count or raise max_node_count."},
		"zero initial count": {`cpu = 4
  memory_gb = 16
  initial_node_count = 0`, "Attribute initial_node_count value must be between 1 and 1000, got: 0"},
		"negative min": {`cpu = 4
  memory_gb = 16
  autoscaling {
    min_node_count = -1
    max_node_count = 2
  }`, "Attribute autoscaling.min_node_count value must be at least 0, got: -1"},
		"zero max": {`cpu = 4
  memory_gb = 16
  autoscaling {
    min_node_count = 0
    max_node_count = 0
  }`, "Attribute autoscaling.max_node_count value must be between 1 and 1000, got: 0"},
		"machine type with cpu": {`cpu = 4
  memory_gb = 16
  machine_type = "n2-standard-4"`, "machine_type conflicts with cpu and memory_gb ... Set either machine_type, or cpu and memory_gb"},
		"unknown family": {`cpu = 4
  memory_gb = 16
  machine_family = "m9"`, `Attribute machine_family value must be one of: ["e2" "n2" "n2d" "c3"], got: "m9"`},
		"taint effect": {`cpu = 4
  memory_gb = 16
  taint {
    key    = "k"
    effect = "NoSchedule"
  }`, `Attribute taint[0].effect value must be one of: ["NO_SCHEDULE" "PREFER_NO_SCHEDULE" "NO_EXECUTE"], got: "NoSchedule"`},
		"location policy": {`cpu = 4
  memory_gb = 16
  autoscaling {
    min_node_count  = 1
    max_node_count  = 2
    location_policy = "SPREAD"
  }`, `Attribute autoscaling.location_policy value must be one of: ["BALANCED" "ANY"], got: "SPREAD"`},
		"cpu without memory": {`cpu = 4`, "Missing memory_gb ... cpu is set without memory_gb: set memory_gb"},
		"memory without cpu": {`memory_gb = 16`, "Missing cpu ... memory_gb is set without cpu: set cpu, the vCPUs per node, too."},
		"no size":            {`initial_node_count = 1`, "Missing node size ... Set cpu and memory_gb (vCPUs and GB per node), or machine_type."},
		"machine type and memory": {`machine_type = "n2-standard-4"
  memory_gb = 16`, "machine_type conflicts with cpu and memory_gb ... Set either machine_type, or cpu and memory_gb"},
		"autoscaling without max": {`cpu = 4
  memory_gb = 16
  autoscaling {
    min_node_count = 1
  }`, "Missing autoscaling.max_node_count ... The autoscaling block needs min_node_count and max_node_count: set both"},
		"sandbox on ubuntu": {`cpu = 4
  memory_gb  = 16
  image_type = "UBUNTU_CONTAINERD"
  sandbox_config {
    sandbox_type = "gvisor"
  }`, `GKE Sandbox needs image_type COS_CONTAINERD ... image_type is "UBUNTU_CONTAINERD", but GKE Sandbox (sandbox_config) runs only on Container-Optimized OS: set image_type = "COS_CONTAINERD" (the default), or remove sandbox_config.`},
		"sandbox without type": {`cpu = 4
  memory_gb = 16
  sandbox_config {}`, `Missing sandbox_config.sandbox_type ... The sandbox_config block needs sandbox_type = "gvisor" for a GKE Sandbox pool`},
		"sandbox type": {`cpu = 4
  memory_gb = 16
  sandbox_config {
    sandbox_type = "kata"
  }`, `Attribute sandbox_config.sandbox_type value must be one of: ["gvisor"], got: "kata"`},
		"image type": {`cpu = 4
  memory_gb  = 16
  image_type = "COS"`, `Attribute image_type value must be one of: ["COS_CONTAINERD" "UBUNTU_CONTAINERD"], got: "COS"`},
		"upgrade cannot progress": {`cpu = 4
  memory_gb = 16
  upgrade_settings {
    max_surge       = 0
    max_unavailable = 0
  }`, "upgrade_settings cannot both be 0 ... set max_surge (extra nodes) or max_unavailable to at least 1"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      poolConfig("bad-input", "  "+tc.body),
					PlanOnly:    true,
					ExpectError: acctest.ErrorText(tc.want),
				}},
			})
		})
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: poolConfig("Bad_Name", `  cpu = 4
  memory_gb = 16`),
			PlanOnly:    true,
			ExpectError: acctest.ErrorText("Attribute name must be 1-40 lowercase letters, digits and hyphens"),
		}},
	})
}

// The docs' example, examples/resources/octollm_node_pool, applied as a registry user copies it
// (only the pool names get a suffix, so tests can run side by side): three pools in one apply,
// machine types chosen from cpu and memory_gb, the sandbox pool on GKE Sandbox, an empty plan
// after, all three gone after destroy.
func TestAccNodePool_docsExample(t *testing.T) {
	acctest.PreCheck(t)
	suffix := acctest.RandomName("ex")
	cpu, spot, sandbox := "cpu-optimized-pool-"+suffix, "spot-pool-"+suffix, "sandbox-spot-pool-"+suffix
	config := acctest.Example(t, "octollm_node_pool",
		`name               = "cpu-optimized-pool"`, fmt.Sprintf("name               = %q", cpu),
		`name               = "spot-pool"`, fmt.Sprintf("name               = %q", spot),
		`name               = "sandbox-spot-pool"`, fmt.Sprintf("name               = %q", sandbox))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkPoolsGone(t, cpu, spot, sandbox),
		Steps: acctest.ExampleSteps(config,
			statecheck.ExpectKnownValue("octollm_node_pool.cpu", tfjsonpath.New("machine_type"), knownvalue.StringRegexp(regexp.MustCompile(`^[a-z0-9]+-[a-z]+-[0-9]+$`))),
			statecheck.ExpectKnownValue("octollm_node_pool.spot", tfjsonpath.New("spot"), knownvalue.Bool(true)),
			statecheck.ExpectKnownValue("octollm_node_pool.sandbox", tfjsonpath.New("image_type"), knownvalue.StringExact("COS_CONTAINERD")),
		),
	})
}
