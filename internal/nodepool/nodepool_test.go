package nodepool

import (
	"strings"
	"testing"

	"cloud.google.com/go/container/apiv1/containerpb"

	"github.com/octollm/terraform-provider-octollm/internal/contract"
)

func seedCPUPool() Spec {
	return Spec{
		Name: "cpu-optimized-pool", WorkloadType: WorkloadCPUOptimized, MachineType: "n2-highcpu-16",
		InitialNodeCount: 2, Autoscaling: &AutoscalingSpec{Min: 2, Max: 20, LocationPolicy: "BALANCED"},
		DiskSizeGB: 100, DiskType: "pd-balanced", Labels: map[string]string{"team": "llm"},
		Taints:     []Taint{{Key: "dedicated", Value: "gateway", Effect: "PREFER_NO_SCHEDULE"}},
		AutoRepair: true, AutoUpgrade: true, MaxSurge: 1,
	}
}

func TestGKENodePool_workloadTypeLabelsAndTaintsNodes(t *testing.T) {
	np := GKENodePool(seedCPUPool())
	cfg := np.GetConfig()
	if cfg.GetLabels()["workload-type"] != "cpu-optimized" || cfg.GetLabels()["team"] != "llm" {
		t.Errorf("labels = %v", cfg.GetLabels())
	}
	taints := cfg.GetTaints()
	if len(taints) != 2 || taints[0].GetKey() != "workload-type" || taints[0].GetValue() != "cpu-optimized" || taints[0].GetEffect() != containerpb.NodeTaint_NO_SCHEDULE {
		t.Fatalf("taints = %v, want workload-type=cpu-optimized:NoSchedule first", taints)
	}
	if taints[1].GetEffect() != containerpb.NodeTaint_PREFER_NO_SCHEDULE {
		t.Errorf("user taint effect = %v", taints[1].GetEffect())
	}
	if cfg.GetResourceLabels()[contract.ManagedByResourceLabel] != contract.ManagedByValue {
		t.Errorf("pool not marked as ours: %v", cfg.GetResourceLabels())
	}
	if as := np.GetAutoscaling(); !as.GetEnabled() || as.GetMinNodeCount() != 2 || as.GetMaxNodeCount() != 20 || as.GetLocationPolicy() != containerpb.NodePoolAutoscaling_BALANCED {
		t.Errorf("autoscaling = %v", as)
	}
	if cfg.GetSpot() || cfg.GetPreemptible() {
		t.Errorf("on-demand pool has spot=%v preemptible=%v", cfg.GetSpot(), cfg.GetPreemptible())
	}
}

func TestGKENodePool_generalAddsNothingAndSpotIsNeverPreemptible(t *testing.T) {
	s := seedCPUPool()
	s.WorkloadType, s.Taints, s.Labels = WorkloadGeneral, nil, nil
	np := GKENodePool(s)
	if len(np.GetConfig().GetLabels()) != 0 || len(np.GetConfig().GetTaints()) != 0 {
		t.Errorf("general pool got labels %v taints %v", np.GetConfig().GetLabels(), np.GetConfig().GetTaints())
	}
	s.Spot = true
	s.Autoscaling = &AutoscalingSpec{Min: 3, Max: 50, LocationPolicy: DefaultLocationPolicy(true)}
	np = GKENodePool(s)
	if !np.GetConfig().GetSpot() || np.GetConfig().GetPreemptible() || np.GetAutoscaling().GetLocationPolicy() != containerpb.NodePoolAutoscaling_ANY {
		t.Errorf("spot pool: spot=%v preemptible=%v policy=%v", np.GetConfig().GetSpot(), np.GetConfig().GetPreemptible(), np.GetAutoscaling().GetLocationPolicy())
	}
	s.Autoscaling = nil
	if as := GKENodePool(s).GetAutoscaling(); as.GetEnabled() {
		t.Errorf("no autoscaling block, yet %v", as)
	}
}

func TestUserLabelsAndTaintsStripOnlyWhatTheProviderAdds(t *testing.T) {
	s := seedCPUPool()
	np := GKENodePool(s)
	labels := UserLabels(np.GetConfig().GetLabels(), WorkloadTypeOf(np.GetConfig().GetLabels()))
	if len(labels) != 1 || labels["team"] != "llm" {
		t.Errorf("user labels = %v", labels)
	}
	taints := UserTaints(np.GetConfig().GetTaints(), WorkloadCPUOptimized)
	if len(taints) != 1 || taints[0] != (Taint{Key: "dedicated", Value: "gateway", Effect: "PREFER_NO_SCHEDULE"}) {
		t.Errorf("user taints = %v", taints)
	}
	// A workload-type label the user changed out of band is drift, not ours to hide.
	live := map[string]string{"workload-type": "gpu"}
	if WorkloadTypeOf(live) != WorkloadGeneral || UserLabels(live, WorkloadGeneral)["workload-type"] != "gpu" {
		t.Errorf("foreign workload-type label hidden: %v", UserLabels(live, WorkloadGeneral))
	}
}

func TestUpdateSteps(t *testing.T) {
	id := ID("p", "us-central1", "octollm", "cpu-optimized-pool")
	have := seedCPUPool()
	if steps := updateSteps(id, have, have); len(steps) != 0 {
		t.Fatalf("no change yielded %d steps", len(steps))
	}

	want := seedCPUPool()
	want.Autoscaling = &AutoscalingSpec{Min: 3, Max: 30, LocationPolicy: "BALANCED"}
	steps := updateSteps(id, have, want)
	if len(steps) != 1 || steps[0].what != "set autoscaling" {
		t.Fatalf("autoscaling change: %+v", steps)
	}
	if req := steps[0].req.(*containerpb.SetNodePoolAutoscalingRequest); req.GetName() != id || req.GetAutoscaling().GetMaxNodeCount() != 30 {
		t.Errorf("autoscaling request = %v", req)
	}

	want = seedCPUPool()
	want.Labels = map[string]string{"team": "platform"}
	want.MachineType = "n2-highcpu-32"
	want.Taints = nil
	steps = updateSteps(id, have, want)
	if len(steps) != 1 || steps[0].what != "update" {
		t.Fatalf("labels+machine type change: %+v", steps)
	}
	req := steps[0].req.(*containerpb.UpdateNodePoolRequest)
	if req.GetMachineType() != "n2-highcpu-32" || req.GetLabels().GetLabels()["team"] != "platform" || req.GetLabels().GetLabels()["workload-type"] != "cpu-optimized" {
		t.Errorf("update request = %v", req)
	}
	if got := req.GetTaints().GetTaints(); len(got) != 1 || got[0].GetKey() != "workload-type" {
		t.Errorf("taints after removing the user's = %v, want only workload-type", got)
	}

	fixed := seedCPUPool()
	fixed.Autoscaling = nil
	bigger := fixed
	bigger.InitialNodeCount = 4
	steps = updateSteps(id, fixed, bigger)
	if len(steps) != 1 || steps[0].what != "resize" || steps[0].req.(*containerpb.SetNodePoolSizeRequest).GetNodeCount() != 4 {
		t.Errorf("resize: %+v", steps)
	}

	unmanaged := seedCPUPool()
	unmanaged.AutoUpgrade = false
	if steps := updateSteps(id, have, unmanaged); len(steps) != 1 || steps[0].what != "set management" {
		t.Errorf("management change: %+v", steps)
	}
}

func TestParseID(t *testing.T) {
	p, l, c, n, err := ParseID("projects/acme/locations/us-central1/clusters/octollm/nodePools/spot-pool")
	if err != nil || p != "acme" || l != "us-central1" || c != "octollm" || n != "spot-pool" {
		t.Errorf("ParseID = %q %q %q %q %v", p, l, c, n, err)
	}
	for _, bad := range []string{"spot-pool", "projects/acme/locations/us-central1/clusters/octollm", "projects/a/zones/z/clusters/c/nodePools/n"} {
		if _, _, _, _, err := ParseID(bad); err == nil || !strings.Contains(err.Error(), "projects/PROJECT/locations/LOCATION/clusters/CLUSTER/nodePools/NAME") {
			t.Errorf("ParseID(%q) = %v, want the format in the error", bad, err)
		}
	}
}

func TestFamilyOf(t *testing.T) {
	for mt, want := range map[string]string{"n2-highcpu-16": "n2", "n2d-standard-8": "n2d", "e2-custom-4-6144": "e2", "c3-highmem-22": "c3", "a2-highgpu-1g": ""} {
		if got := FamilyOf(mt); got != want {
			t.Errorf("FamilyOf(%q) = %q, want %q", mt, got, want)
		}
	}
}

func TestGVisorPoolAsksGKEForGKESandbox(t *testing.T) {
	s := seedCPUPool()
	s.GVisor = true
	np := GKENodePool(s)
	if np.GetConfig().GetSandboxConfig().GetType() != containerpb.SandboxConfig_GVISOR || np.GetConfig().GetImageType() != ImageCOSContainerd {
		t.Errorf("gVisor pool sandbox config %v, image type %q; want GVISOR on COS_CONTAINERD", np.GetConfig().GetSandboxConfig(), np.GetConfig().GetImageType())
	}
	s.GVisor, s.ImageType = false, "UBUNTU_CONTAINERD"
	np = GKENodePool(s)
	if np.GetConfig().GetSandboxConfig() != nil || np.GetConfig().GetImageType() != "UBUNTU_CONTAINERD" {
		t.Errorf("plain pool sandbox config %v, image type %q", np.GetConfig().GetSandboxConfig(), np.GetConfig().GetImageType())
	}
}

// GKE's sandbox label and taint are hidden; a user's taint on the same key with another value is not.
func TestWithoutSandboxMarks(t *testing.T) {
	labels, taints := WithoutSandboxMarks(
		map[string]string{SandboxRuntimeKey: "gvisor", "team": "arms"},
		[]*containerpb.NodeTaint{
			{Key: "workload-type", Value: "spot", Effect: containerpb.NodeTaint_NO_SCHEDULE},
			{Key: SandboxRuntimeKey, Value: "gvisor", Effect: containerpb.NodeTaint_NO_SCHEDULE},
			{Key: SandboxRuntimeKey, Value: "gvisor", Effect: containerpb.NodeTaint_NO_EXECUTE},
		})
	if len(labels) != 1 || labels["team"] != "arms" {
		t.Errorf("labels = %v, want only team", labels)
	}
	if len(taints) != 2 || taints[0].GetKey() != "workload-type" || taints[1].GetEffect() != containerpb.NodeTaint_NO_EXECUTE {
		t.Errorf("taints = %v", taints)
	}
}

// The image type changes in place, through UpdateNodePool; an unset one is GKE's default.
func TestUpdateStepsImageType(t *testing.T) {
	id := ID("p", "us-central1", "octollm", "cpu-optimized-pool")
	have := seedCPUPool()
	want := seedCPUPool()
	want.ImageType = ImageCOSContainerd
	if steps := updateSteps(id, have, want); len(steps) != 0 {
		t.Fatalf("unset to COS_CONTAINERD (the default) yielded %+v", steps)
	}
	want.ImageType = "UBUNTU_CONTAINERD"
	steps := updateSteps(id, have, want)
	if len(steps) != 1 || steps[0].what != "update" || steps[0].req.(*containerpb.UpdateNodePoolRequest).GetImageType() != "UBUNTU_CONTAINERD" {
		t.Fatalf("image type change: %+v", steps)
	}
}
