// Package nodepool owns the octollm_node_pool resource: GKE node pools sized by cpu and memory
// per node, with the workload-type labels and taints the platform schedules by, spot capacity
// and autoscaling. The GKE node pool it wants is built by a pure function (GKENodePool), so
// benchmarks and tests can render it without a cluster.
package nodepool

import (
	"fmt"
	"regexp"

	"cloud.google.com/go/container/apiv1/containerpb"

	"github.com/octollm/terraform-provider-octollm/internal/contract"
	"github.com/octollm/terraform-provider-octollm/internal/machinetypes"
)

// Workload types. Every type but general labels and taints its nodes workload-type=<type>.
const (
	WorkloadCPUOptimized    = "cpu-optimized"
	WorkloadMemoryOptimized = "memory-optimized"
	WorkloadSpot            = "spot"
	WorkloadGeneral         = "general"

	// WorkloadTypeKey is the node label and taint key workloads select and tolerate.
	WorkloadTypeKey = "workload-type"

	// ImageCOSContainerd is GKE's default node image, and the only one GKE Sandbox runs on.
	ImageCOSContainerd = "COS_CONTAINERD"
	// SandboxGVisor is the sandbox_config.sandbox_type of a GKE Sandbox (gVisor) pool.
	SandboxGVisor = "gvisor"
	// SandboxRuntimeKey is the node label and NoSchedule taint key GKE gives gVisor nodes (value
	// gvisor); the gvisor RuntimeClass selects the label and tolerates the taint.
	SandboxRuntimeKey = "sandbox.gke.io/runtime"
)

// ImageTypes lists the valid image_type values: Container-Optimized OS and Ubuntu, with containerd.
var ImageTypes = []string{ImageCOSContainerd, "UBUNTU_CONTAINERD"}

// WorkloadTypes lists the valid workload_type values.
var WorkloadTypes = []string{WorkloadCPUOptimized, WorkloadMemoryOptimized, WorkloadSpot, WorkloadGeneral}

// TaintEffects maps the schema's effects to GKE's.
var TaintEffects = map[string]containerpb.NodeTaint_Effect{
	"NO_SCHEDULE":        containerpb.NodeTaint_NO_SCHEDULE,
	"PREFER_NO_SCHEDULE": containerpb.NodeTaint_PREFER_NO_SCHEDULE,
	"NO_EXECUTE":         containerpb.NodeTaint_NO_EXECUTE,
}

var (
	namePattern = regexp.MustCompile(`^[a-z]([-a-z0-9]{0,38}[a-z0-9])?$`)
	idPattern   = regexp.MustCompile(`^projects/([^/]+)/locations/([^/]+)/clusters/([^/]+)/nodePools/([^/]+)$`)
)

// Spec is a node pool as the configuration wants it, with defaults applied.
type Spec struct {
	Name         string
	WorkloadType string
	MachineType  string
	ImageType    string
	Spot         bool
	// GVisor runs the pool's nodes in GKE Sandbox.
	GVisor           bool
	InitialNodeCount int64
	Autoscaling      *AutoscalingSpec
	DiskSizeGB       int64
	DiskType         string
	Labels           map[string]string
	Taints           []Taint
	NodeLocations    []string
	AutoRepair       bool
	AutoUpgrade      bool
	MaxSurge         int64
	MaxUnavailable   int64
}

// AutoscalingSpec is the pool's cluster-autoscaler range.
type AutoscalingSpec struct {
	Min, Max       int64
	LocationPolicy string // BALANCED or ANY
}

// Taint is a node taint with the schema's effect names.
type Taint struct {
	Key, Value, Effect string
}

// EffectiveLabels are the node labels GKE applies: the user's plus workload-type.
func (s Spec) EffectiveLabels() map[string]string {
	labels := make(map[string]string, len(s.Labels)+1)
	for k, v := range s.Labels {
		labels[k] = v
	}
	if s.WorkloadType != "" && s.WorkloadType != WorkloadGeneral {
		labels[WorkloadTypeKey] = s.WorkloadType
	}
	return labels
}

// EffectiveTaints are the node taints GKE applies: workload-type first, then the user's.
func (s Spec) EffectiveTaints() []*containerpb.NodeTaint {
	var taints []*containerpb.NodeTaint
	if s.WorkloadType != "" && s.WorkloadType != WorkloadGeneral {
		taints = append(taints, &containerpb.NodeTaint{Key: WorkloadTypeKey, Value: s.WorkloadType, Effect: containerpb.NodeTaint_NO_SCHEDULE})
	}
	for _, t := range s.Taints {
		taints = append(taints, &containerpb.NodeTaint{Key: t.Key, Value: t.Value, Effect: TaintEffects[t.Effect]})
	}
	return taints
}

// GKENodePool builds the GKE node pool a Spec asks for. It is pure: config in, object out.
func GKENodePool(s Spec) *containerpb.NodePool {
	np := &containerpb.NodePool{
		Name:             s.Name,
		InitialNodeCount: int32(s.InitialNodeCount), //nolint:gosec // bounded by schema validation
		Locations:        append([]string(nil), s.NodeLocations...),
		Config: &containerpb.NodeConfig{
			MachineType:    s.MachineType,
			DiskSizeGb:     int32(s.DiskSizeGB), //nolint:gosec // bounded by schema validation
			DiskType:       s.DiskType,
			ImageType:      imageTypeOrDefault(s.ImageType),
			Labels:         s.EffectiveLabels(),
			Taints:         s.EffectiveTaints(),
			Spot:           s.Spot,
			ResourceLabels: map[string]string{contract.ManagedByResourceLabel: contract.ManagedByValue},
			OauthScopes:    []string{"https://www.googleapis.com/auth/cloud-platform"},
		},
		Management: &containerpb.NodeManagement{AutoRepair: s.AutoRepair, AutoUpgrade: s.AutoUpgrade},
		UpgradeSettings: &containerpb.NodePool_UpgradeSettings{
			MaxSurge:       int32(s.MaxSurge),       //nolint:gosec // bounded by schema validation
			MaxUnavailable: int32(s.MaxUnavailable), //nolint:gosec // bounded by schema validation
		},
	}
	if s.GVisor {
		np.Config.SandboxConfig = &containerpb.SandboxConfig{Type: containerpb.SandboxConfig_GVISOR}
	}
	np.Autoscaling = AutoscalingFor(s)
	return np
}

func imageTypeOrDefault(t string) string {
	if t == "" {
		return ImageCOSContainerd
	}
	return t
}

// IsGVisor reports whether a pool's node config enables GKE Sandbox.
func IsGVisor(cfg *containerpb.NodeConfig) bool {
	return cfg.GetSandboxConfig().GetType() == containerpb.SandboxConfig_GVISOR
}

// WithoutSandboxMarks drops the sandbox.gke.io/runtime=gvisor label and taint GKE adds to a
// gVisor pool's node config, leaving what the provider asked for.
func WithoutSandboxMarks(labels map[string]string, taints []*containerpb.NodeTaint) (map[string]string, []*containerpb.NodeTaint) {
	outLabels := make(map[string]string, len(labels))
	for k, v := range labels {
		if k != SandboxRuntimeKey || v != SandboxGVisor {
			outLabels[k] = v
		}
	}
	var outTaints []*containerpb.NodeTaint
	for _, t := range taints {
		if t.GetKey() != SandboxRuntimeKey || t.GetValue() != SandboxGVisor || t.GetEffect() != containerpb.NodeTaint_NO_SCHEDULE {
			outTaints = append(outTaints, t)
		}
	}
	return outLabels, outTaints
}

// AutoscalingFor is the pool's autoscaling setting; disabled when the spec has none.
func AutoscalingFor(s Spec) *containerpb.NodePoolAutoscaling {
	if s.Autoscaling == nil {
		return &containerpb.NodePoolAutoscaling{Enabled: false}
	}
	policy := containerpb.NodePoolAutoscaling_BALANCED
	if s.Autoscaling.LocationPolicy == "ANY" {
		policy = containerpb.NodePoolAutoscaling_ANY
	}
	return &containerpb.NodePoolAutoscaling{
		Enabled:        true,
		MinNodeCount:   int32(s.Autoscaling.Min), //nolint:gosec // bounded by schema validation
		MaxNodeCount:   int32(s.Autoscaling.Max), //nolint:gosec // bounded by schema validation
		LocationPolicy: policy,
	}
}

// DefaultLocationPolicy is ANY for spot pools (capacity wherever it is) and BALANCED otherwise.
func DefaultLocationPolicy(spot bool) string {
	if spot {
		return "ANY"
	}
	return "BALANCED"
}

// UserLabels strips the workload-type label the provider adds, leaving what the user set.
func UserLabels(live map[string]string, workloadType string) map[string]string {
	out := map[string]string{}
	for k, v := range live {
		if k == WorkloadTypeKey && v == workloadType && workloadType != WorkloadGeneral {
			continue
		}
		out[k] = v
	}
	return out
}

// UserTaints strips the workload-type taint the provider adds.
func UserTaints(live []*containerpb.NodeTaint, workloadType string) []Taint {
	var out []Taint
	for _, t := range live {
		if t.GetKey() == WorkloadTypeKey && t.GetValue() == workloadType && t.GetEffect() == containerpb.NodeTaint_NO_SCHEDULE && workloadType != WorkloadGeneral {
			continue
		}
		effect := ""
		for name, e := range TaintEffects {
			if e == t.GetEffect() {
				effect = name
			}
		}
		out = append(out, Taint{Key: t.GetKey(), Value: t.GetValue(), Effect: effect})
	}
	return out
}

// WorkloadTypeOf reads the workload type back from a pool's node labels.
func WorkloadTypeOf(labels map[string]string) string {
	v := labels[WorkloadTypeKey]
	for _, w := range WorkloadTypes {
		if v == w && w != WorkloadGeneral {
			return v
		}
	}
	return WorkloadGeneral
}

// FamilyOf is the machine family of a machine type name, such as n2 for n2-highcpu-16.
func FamilyOf(machineType string) string {
	for _, f := range machinetypes.Families() {
		if len(machineType) > len(f) && machineType[:len(f)+1] == f+"-" {
			return f
		}
	}
	return ""
}

// ID is the node pool's resource name, also its import ID.
func ID(project, location, cluster, name string) string {
	return fmt.Sprintf("projects/%s/locations/%s/clusters/%s/nodePools/%s", project, location, cluster, name)
}

// ParseID splits an import ID into project, location, cluster and name.
func ParseID(id string) (project, location, cluster, name string, err error) {
	m := idPattern.FindStringSubmatch(id)
	if m == nil {
		return "", "", "", "", fmt.Errorf("import ID %q is not a node pool name: use projects/PROJECT/locations/LOCATION/clusters/CLUSTER/nodePools/NAME", id)
	}
	return m[1], m[2], m[3], m[4], nil
}
