package gkeemu

import (
	"slices"

	"cloud.google.com/go/container/apiv1/containerpb"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// GKE Sandbox (gVisor) node pools. GKE labels and taints their nodes so that only Pods of the
// gvisor RuntimeClass (whose scheduling rules select the label and tolerate the taint) land
// there, and records both in the pool's node config, where clients read them back.
const (
	// LabelSandboxRuntime is the node label and taint key of GKE Sandbox nodes.
	LabelSandboxRuntime = "sandbox.gke.io/runtime"
	// SandboxRuntimeGVisor is its value on gVisor nodes.
	SandboxRuntimeGVisor = "gvisor"
	// sandboxImageType is the only node image GKE Sandbox runs on.
	sandboxImageType = "COS_CONTAINERD"
)

// isGVisor reports whether a node config enables GKE Sandbox.
func isGVisor(cfg *containerpb.NodeConfig) bool {
	return cfg.GetSandboxConfig().GetType() == containerpb.SandboxConfig_GVISOR
}

// validateSandbox checks GKE Sandbox's rule on a node config: gVisor runs only on the
// COS_CONTAINERD image (an empty image type defaults to it).
func validateSandbox(field string, cfg *containerpb.NodeConfig) error {
	sc := cfg.GetSandboxConfig()
	if sc == nil {
		return nil
	}
	if t := sc.GetType(); t != containerpb.SandboxConfig_UNSPECIFIED && t != containerpb.SandboxConfig_GVISOR {
		return invalidValue(field+".sandbox_config.type", t.String(), "Must be GVISOR.")
	}
	if it := cfg.GetImageType(); isGVisor(cfg) && it != "" && it != sandboxImageType {
		return invalidValue(field+".image_type", it, "GKE Sandbox requires the "+sandboxImageType+" image type.")
	}
	return nil
}

// markSandboxed records what GKE adds to a gVisor pool's node config: the
// sandbox.gke.io/runtime=gvisor label and the matching NoSchedule taint.
// It is idempotent and leaves other pools alone.
func markSandboxed(np *containerpb.NodePool) {
	cfg := np.GetConfig()
	if !isGVisor(cfg) {
		return
	}
	if cfg.Labels == nil {
		cfg.Labels = map[string]string{}
	}
	cfg.Labels[LabelSandboxRuntime] = SandboxRuntimeGVisor
	taint := &containerpb.NodeTaint{Key: LabelSandboxRuntime, Value: SandboxRuntimeGVisor, Effect: containerpb.NodeTaint_NO_SCHEDULE}
	cfg.Taints = slices.DeleteFunc(cfg.Taints, func(t *containerpb.NodeTaint) bool { return t.GetKey() == LabelSandboxRuntime })
	cfg.Taints = append(cfg.Taints, taint)
}

// errSandboxOnly is GKE's refusal to leave GKE Sandbox pools as a cluster's only pools: system
// workloads cannot run in gVisor, so a cluster always needs a pool without it.
func errSandboxOnly(action string) error {
	return status.Errorf(codes.FailedPrecondition,
		"Cannot %s: a cluster with GKE Sandbox must have at least one node pool without GKE Sandbox enabled, "+
			"to run system workloads; add a node pool without sandbox_config first.", action)
}

// standardPools counts c's node pools without GKE Sandbox, other than skip and pools being
// deleted.
func (c *clusterState) standardPools(skip string) int {
	n := 0
	for _, np := range c.pb.GetNodePools() {
		if np.GetName() != skip && np.GetStatus() != containerpb.NodePool_STOPPING && !isGVisor(np.GetConfig()) {
			n++
		}
	}
	return n
}

// sandboxPools counts c's GKE Sandbox pools other than skip and pools being deleted.
func (c *clusterState) sandboxPools(skip string) int {
	n := 0
	for _, np := range c.pb.GetNodePools() {
		if np.GetName() != skip && np.GetStatus() != containerpb.NodePool_STOPPING && isGVisor(np.GetConfig()) {
			n++
		}
	}
	return n
}

// checkSandboxCreate refuses a gVisor pool that would be the cluster's only kind of pool.
func (c *clusterState) checkSandboxCreate(np *containerpb.NodePool) error {
	if isGVisor(np.GetConfig()) && c.standardPools("") == 0 {
		return errSandboxOnly("create node pool " + np.GetName() + " with GKE Sandbox")
	}
	return nil
}

// checkSandboxDelete refuses deleting the last pool without GKE Sandbox while a gVisor pool exists.
func (c *clusterState) checkSandboxDelete(np *containerpb.NodePool) error {
	if !isGVisor(np.GetConfig()) && c.standardPools(np.GetName()) == 0 && c.sandboxPools(np.GetName()) > 0 {
		return errSandboxOnly("delete node pool " + np.GetName() + ", the last node pool without GKE Sandbox")
	}
	return nil
}
