package gkeemu

import (
	"maps"
	"slices"
	"testing"

	"cloud.google.com/go/container/apiv1/containerpb"
	"google.golang.org/grpc/codes"
	corev1 "k8s.io/api/core/v1"
)

var gvisorTaint = &containerpb.NodeTaint{Key: LabelSandboxRuntime, Value: SandboxRuntimeGVisor, Effect: containerpb.NodeTaint_NO_SCHEDULE}

func gvisorPool(name, imageType string) *containerpb.NodePool {
	return &containerpb.NodePool{
		Name:             name,
		InitialNodeCount: 1,
		Locations:        []string{"us-central1-a"},
		Config: &containerpb.NodeConfig{
			MachineType:   "n2-standard-4",
			ImageType:     imageType,
			Spot:          true,
			Labels:        map[string]string{"workload-type": "spot"},
			Taints:        []*containerpb.NodeTaint{{Key: "workload-type", Value: "spot", Effect: containerpb.NodeTaint_NO_SCHEDULE}},
			SandboxConfig: &containerpb.SandboxConfig{Type: containerpb.SandboxConfig_GVISOR},
		},
	}
}

// A gVisor pool's nodes carry GKE's sandbox label and taint besides the pool's own, and the pool's
// node config reads them back, as GKE reports them.
func TestSandboxPoolLabelsAndTaintsNodes(t *testing.T) {
	_, client, kube := newPoolServer(t)
	createPool(t, client, gvisorPool("sandboxed", ""))

	np := getPool(t, client, "sandboxed")
	if np.GetConfig().GetImageType() != "COS_CONTAINERD" || np.GetConfig().GetSandboxConfig().GetType() != containerpb.SandboxConfig_GVISOR {
		t.Errorf("pool image type %q, sandbox %v; want COS_CONTAINERD, GVISOR", np.GetConfig().GetImageType(), np.GetConfig().GetSandboxConfig())
	}
	if got := np.GetConfig().GetLabels()[LabelSandboxRuntime]; got != SandboxRuntimeGVisor {
		t.Errorf("pool label %s = %q, want gvisor", LabelSandboxRuntime, got)
	}
	if !slices.ContainsFunc(np.GetConfig().GetTaints(), func(t *containerpb.NodeTaint) bool { return t.String() == gvisorTaint.String() }) {
		t.Errorf("pool taints %v lack %v", np.GetConfig().GetTaints(), gvisorTaint)
	}

	nodes := poolNodes(t, kube, "sandboxed")
	if len(nodes) != 1 {
		t.Fatalf("sandboxed nodes = %d, want 1", len(nodes))
	}
	wantTaints := []corev1.Taint{
		{Key: "workload-type", Value: "spot", Effect: corev1.TaintEffectNoSchedule},
		{Key: LabelSandboxRuntime, Value: SandboxRuntimeGVisor, Effect: corev1.TaintEffectNoSchedule},
	}
	for name, n := range nodes {
		for k, v := range map[string]string{LabelSandboxRuntime: SandboxRuntimeGVisor, "workload-type": "spot", LabelSpot: "true", LabelNodePool: "sandboxed"} {
			if n.Labels[k] != v {
				t.Errorf("%s label %s = %q, want %q", name, k, n.Labels[k], v)
			}
		}
		if !slices.Equal(n.Spec.Taints, wantTaints) {
			t.Errorf("%s taints = %v, want %v", name, n.Spec.Taints, wantTaints)
		}
	}
	for name, n := range poolNodes(t, kube, "default-pool") {
		if _, ok := n.Labels[LabelSandboxRuntime]; ok || len(n.Spec.Taints) != 0 {
			t.Errorf("default-pool node %s got sandbox labels or taints: %v, %v", name, n.Labels, n.Spec.Taints)
		}
	}

	// Replacing the pool's labels and taints keeps GKE's sandbox label and taint.
	op, err := client.UpdateNodePool(ctxT(t), &containerpb.UpdateNodePoolRequest{
		Name: poolPrefix + "sandboxed", NodeVersion: "-",
		Labels: &containerpb.NodeLabels{Labels: map[string]string{"team": "arms"}},
		Taints: &containerpb.NodeTaints{},
	})
	waitOK(t, client, op, err)
	np = getPool(t, client, "sandboxed")
	if want := map[string]string{"team": "arms", LabelSandboxRuntime: SandboxRuntimeGVisor}; !maps.Equal(np.GetConfig().GetLabels(), want) {
		t.Errorf("labels after update = %v, want %v", np.GetConfig().GetLabels(), want)
	}
	if len(np.GetConfig().GetTaints()) != 1 || np.GetConfig().GetTaints()[0].String() != gvisorTaint.String() {
		t.Errorf("taints after update = %v, want only %v", np.GetConfig().GetTaints(), gvisorTaint)
	}
	for name, n := range poolNodes(t, kube, "sandboxed") {
		want := []corev1.Taint{{Key: LabelSandboxRuntime, Value: SandboxRuntimeGVisor, Effect: corev1.TaintEffectNoSchedule}}
		if n.Labels[LabelSandboxRuntime] != SandboxRuntimeGVisor || n.Labels["team"] != "arms" || !slices.Equal(n.Spec.Taints, want) {
			t.Errorf("node %s after update: labels %v, taints %v", name, n.Labels, n.Spec.Taints)
		}
	}
}

// GKE Sandbox runs only on COS_CONTAINERD: creating a gVisor pool on another image, or moving one
// to another image, is refused.
func TestSandboxPoolNeedsCOSContainerd(t *testing.T) {
	_, client, kube := newPoolServer(t)
	_, err := client.CreateNodePool(ctxT(t), &containerpb.CreateNodePoolRequest{Parent: clusterName, NodePool: gvisorPool("ubuntu", "UBUNTU_CONTAINERD")})
	wantCode(t, err, codes.InvalidArgument, `Invalid value for field "node_pool.config.image_type": "UBUNTU_CONTAINERD". GKE Sandbox requires the COS_CONTAINERD image type.`)
	if n := poolNodes(t, kube, "ubuntu"); len(n) != 0 {
		t.Errorf("%d nodes registered for a refused pool", len(n))
	}

	createPool(t, client, gvisorPool("sandboxed", "COS_CONTAINERD"))
	_, err = client.UpdateNodePool(ctxT(t), &containerpb.UpdateNodePoolRequest{Name: poolPrefix + "sandboxed", NodeVersion: "-", ImageType: "UBUNTU_CONTAINERD"})
	wantCode(t, err, codes.InvalidArgument, `Invalid value for field "image_type": "UBUNTU_CONTAINERD". GKE Sandbox requires the COS_CONTAINERD image type`)

	// Pools without GKE Sandbox take any image.
	ubuntu := spotInferencePool()
	ubuntu.Config.ImageType = "UBUNTU_CONTAINERD"
	createPool(t, client, ubuntu)
}

// GKE Sandbox can never be a cluster's only kind of node pool: a gVisor pool is refused when no
// other pool would remain, and the last pool without GKE Sandbox cannot be deleted while a gVisor
// pool exists.
func TestSandboxPoolNeverTheOnlyPool(t *testing.T) {
	_, client, _ := newPoolServer(t)

	// With default-pool there, a gVisor pool is fine; default-pool then cannot go.
	createPool(t, client, gvisorPool("sandboxed", ""))
	_, err := client.DeleteNodePool(ctxT(t), &containerpb.DeleteNodePoolRequest{Name: poolPrefix + "default-pool"})
	wantCode(t, err, codes.FailedPrecondition,
		"Cannot delete node pool default-pool, the last node pool without GKE Sandbox: a cluster with GKE Sandbox must have at least one node pool without GKE Sandbox enabled",
		"add a node pool without sandbox_config first")
	if st := getPool(t, client, "default-pool").GetStatus(); st != containerpb.NodePool_RUNNING {
		t.Errorf("default-pool status after the refused delete = %v, want RUNNING", st)
	}

	// With another standard pool, default-pool can go; that one then is the last.
	createPool(t, client, spotInferencePool())
	op, err := client.DeleteNodePool(ctxT(t), &containerpb.DeleteNodePoolRequest{Name: poolPrefix + "default-pool"})
	waitOK(t, client, op, err)
	_, err = client.DeleteNodePool(ctxT(t), &containerpb.DeleteNodePoolRequest{Name: poolPrefix + "inference"})
	wantCode(t, err, codes.FailedPrecondition, "Cannot delete node pool inference, the last node pool without GKE Sandbox")

	// Deleting the gVisor pool first frees the last standard pool.
	op, err = client.DeleteNodePool(ctxT(t), &containerpb.DeleteNodePoolRequest{Name: poolPrefix + "sandboxed"})
	waitOK(t, client, op, err)
	op, err = client.DeleteNodePool(ctxT(t), &containerpb.DeleteNodePoolRequest{Name: poolPrefix + "inference"})
	waitOK(t, client, op, err)

	// No pool at all: a gVisor pool would be the only one.
	_, err = client.CreateNodePool(ctxT(t), &containerpb.CreateNodePoolRequest{Parent: clusterName, NodePool: gvisorPool("alone", "")})
	wantCode(t, err, codes.FailedPrecondition,
		"Cannot create node pool alone with GKE Sandbox: a cluster with GKE Sandbox must have at least one node pool without GKE Sandbox enabled")
	if _, err := client.GetNodePool(ctxT(t), &containerpb.GetNodePoolRequest{Name: poolPrefix + "alone"}); err == nil {
		t.Error("the refused gVisor pool exists")
	}
}

// A pool being deleted does not count as the standard pool a gVisor pool needs.
func TestSandboxPoolNeedsAStandardPoolNotBeingDeleted(t *testing.T) {
	s, client, _ := newPoolServer(t)
	s.SetOperationDuration(2 * testOpTime)
	op, err := client.DeleteNodePool(ctxT(t), &containerpb.DeleteNodePoolRequest{Name: poolPrefix + "default-pool"})
	if err != nil {
		t.Fatal(err)
	}
	// The cluster is busy with the delete; GKE checks the request before the cluster's lock.
	_, err = client.CreateNodePool(ctxT(t), &containerpb.CreateNodePoolRequest{Parent: clusterName, NodePool: gvisorPool("sandboxed", "")})
	wantCode(t, err, codes.FailedPrecondition, "a cluster with GKE Sandbox must have at least one node pool without GKE Sandbox enabled")
	waitOK(t, client, op, nil)
}

// Nodes registered straight from a gVisor pool (as at seeding) carry the sandbox label and taint
// once, whether or not the pool's config recorded them.
func TestRegisterPoolNodesOfGVisorPool(t *testing.T) {
	s, kube := newNodeTestServer(t)
	for _, np := range []*containerpb.NodePool{gvisorPool("raw", ""), func() *containerpb.NodePool { p := gvisorPool("marked", ""); markSandboxed(p); return p }()} {
		if err := s.RegisterPoolNodes(ctxT(t), np); err != nil {
			t.Fatal(err)
		}
		nodes := poolNodes(t, kube, np.GetName())
		if len(nodes) != 1 {
			t.Fatalf("pool %s has %d nodes, want 1", np.GetName(), len(nodes))
		}
		for name, n := range nodes {
			sandboxTaints := 0
			for _, taint := range n.Spec.Taints {
				if taint.Key == LabelSandboxRuntime && taint.Value == SandboxRuntimeGVisor && taint.Effect == corev1.TaintEffectNoSchedule {
					sandboxTaints++
				}
			}
			if n.Labels[LabelSandboxRuntime] != SandboxRuntimeGVisor || sandboxTaints != 1 {
				t.Errorf("%s: label %q, %d sandbox taints; want gvisor, 1", name, n.Labels[LabelSandboxRuntime], sandboxTaints)
			}
		}
	}
}
