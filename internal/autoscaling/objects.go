// Package autoscaling owns the octollm_autoscaling resource: a workload's HorizontalPodAutoscaler
// (autoscaling/v2), VerticalPodAutoscaler (autoscaling.k8s.io/v1) and PodDisruptionBudget
// (policy/v1). Objects are built by pure functions (Spec in, objects out) so benchmarks can
// render them without a cluster, and read back into a Spec for drift detection.
package autoscaling

import (
	"fmt"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/octollm/terraform-provider-octollm/internal/contract"
)

// The three object kinds this resource writes.
var (
	HPAResource = schema.GroupVersionResource{Group: "autoscaling", Version: "v2", Resource: "horizontalpodautoscalers"}
	VPAResource = schema.GroupVersionResource{Group: "autoscaling.k8s.io", Version: "v1", Resource: "verticalpodautoscalers"}
	PDBResource = schema.GroupVersionResource{Group: "policy", Version: "v1", Resource: "poddisruptionbudgets"}
)

// Spec is one workload's autoscaling as the configuration wants it.
type Spec struct {
	Namespace         string
	TargetKind        string // Deployment or StatefulSet
	TargetName        string
	MinReplicas       int64
	MaxReplicas       int64
	CPUUtilization    int64 // 0: not scaled on CPU
	MemoryUtilization int64 // 0: not scaled on memory
	Metrics           []Metric
	ScaleUp           *Behavior
	ScaleDown         *Behavior
	Vertical          *Vertical
	Disruption        *DisruptionBudget
}

// Metric is a Pods, Object or External metric; Resource metrics are the utilizations.
type Metric struct {
	Type         string // Pods, Object, External
	Name         string
	AverageValue string
	Value        string
	Selector     map[string]string
	ObjectKind   string
	ObjectName   string
	ObjectAPI    string
}

// Behavior is one scaling direction's rules.
type Behavior struct {
	StabilizationWindowSeconds *int64
	SelectPolicy               string
	Policies                   []Policy
}

// Policy is one HPA scaling policy.
type Policy struct {
	Type          string // Percent or Pods
	Value         int64
	PeriodSeconds int64
}

// Vertical is the VPA for one container (or all, "*").
type Vertical struct {
	UpdateMode          string
	Container           string
	MinAllowed          map[string]string
	MaxAllowed          map[string]string
	ControlledResources []string
}

// DisruptionBudget is the PDB: exactly one of MinAvailable and MaxUnavailable (count or percent).
type DisruptionBudget struct {
	MinAvailable   string
	MaxUnavailable string
	Selector       map[string]string // default app=<target name>
}

// HPAName, VPAName and PDBName name the objects after the target; they are the only place
// the -hpa, -vpa and -pdb suffixes are written (Spec{TargetName: t} names t's objects).
func (s Spec) HPAName() string { return s.TargetName + "-hpa" }

// VPAName is the VerticalPodAutoscaler's name.
func (s Spec) VPAName() string { return s.TargetName + "-vpa" }

// PDBName is the PodDisruptionBudget's name.
func (s Spec) PDBName() string { return s.TargetName + "-pdb" }

func (s Spec) meta(name string) map[string]any {
	return map[string]any{
		"name":      name,
		"namespace": s.Namespace,
		"labels": map[string]any{
			contract.ManagedByLabel: contract.ManagedByValue,
			contract.ComponentLabel: "autoscaling",
			contract.InstanceLabel:  s.TargetName,
		},
	}
}

func (s Spec) targetRef() map[string]any {
	return map[string]any{"apiVersion": "apps/v1", "kind": s.TargetKind, "name": s.TargetName}
}

// HPA builds the HorizontalPodAutoscaler.
func (s Spec) HPA() *unstructured.Unstructured {
	var metrics []any
	for _, r := range []struct {
		name string
		pct  int64
	}{{"cpu", s.CPUUtilization}, {"memory", s.MemoryUtilization}} {
		if r.pct > 0 {
			metrics = append(metrics, map[string]any{
				"type": "Resource",
				"resource": map[string]any{
					"name":   r.name,
					"target": map[string]any{"type": "Utilization", "averageUtilization": r.pct},
				},
			})
		}
	}
	for _, m := range s.Metrics {
		metrics = append(metrics, m.object())
	}
	spec := map[string]any{
		"scaleTargetRef": s.targetRef(),
		"minReplicas":    s.MinReplicas,
		"maxReplicas":    s.MaxReplicas,
		"metrics":        metrics,
	}
	behavior := map[string]any{}
	if s.ScaleUp != nil {
		behavior["scaleUp"] = s.ScaleUp.object()
	}
	if s.ScaleDown != nil {
		behavior["scaleDown"] = s.ScaleDown.object()
	}
	if len(behavior) > 0 {
		spec["behavior"] = behavior
	}
	return &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "autoscaling/v2",
		"kind":       "HorizontalPodAutoscaler",
		"metadata":   s.meta(s.HPAName()),
		"spec":       spec,
	}}
}

func (m Metric) target() map[string]any {
	if m.AverageValue != "" {
		return map[string]any{"type": "AverageValue", "averageValue": m.AverageValue}
	}
	return map[string]any{"type": "Value", "value": m.Value}
}

func (m Metric) identifier() map[string]any {
	id := map[string]any{"name": m.Name}
	if len(m.Selector) > 0 {
		id["selector"] = map[string]any{"matchLabels": stringMap(m.Selector)}
	}
	return id
}

func (m Metric) object() map[string]any {
	switch m.Type {
	case "Object":
		return map[string]any{"type": "Object", "object": map[string]any{
			"metric":          m.identifier(),
			"describedObject": map[string]any{"apiVersion": m.ObjectAPI, "kind": m.ObjectKind, "name": m.ObjectName},
			"target":          m.target(),
		}}
	case "External":
		return map[string]any{"type": "External", "external": map[string]any{"metric": m.identifier(), "target": m.target()}}
	default:
		return map[string]any{"type": "Pods", "pods": map[string]any{"metric": m.identifier(), "target": m.target()}}
	}
}

func (b Behavior) object() map[string]any {
	rules := map[string]any{}
	if b.StabilizationWindowSeconds != nil {
		rules["stabilizationWindowSeconds"] = *b.StabilizationWindowSeconds
	}
	if b.SelectPolicy != "" {
		rules["selectPolicy"] = b.SelectPolicy
	}
	var policies []any
	for _, p := range b.Policies {
		policies = append(policies, map[string]any{"type": p.Type, "value": p.Value, "periodSeconds": p.PeriodSeconds})
	}
	rules["policies"] = policies
	return rules
}

// VPA builds the VerticalPodAutoscaler; nil when the spec has no vertical scaling.
func (s Spec) VPA() *unstructured.Unstructured {
	v := s.Vertical
	if v == nil {
		return nil
	}
	container := map[string]any{"containerName": v.Container}
	if len(v.MinAllowed) > 0 {
		container["minAllowed"] = stringMap(v.MinAllowed)
	}
	if len(v.MaxAllowed) > 0 {
		container["maxAllowed"] = stringMap(v.MaxAllowed)
	}
	if len(v.ControlledResources) > 0 {
		var rs []any
		for _, r := range v.ControlledResources {
			rs = append(rs, r)
		}
		container["controlledResources"] = rs
	}
	return &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "autoscaling.k8s.io/v1",
		"kind":       "VerticalPodAutoscaler",
		"metadata":   s.meta(s.VPAName()),
		"spec": map[string]any{
			"targetRef":      s.targetRef(),
			"updatePolicy":   map[string]any{"updateMode": v.UpdateMode},
			"resourcePolicy": map[string]any{"containerPolicies": []any{container}},
		},
	}}
}

// PDB builds the PodDisruptionBudget; nil when the spec has none.
func (s Spec) PDB() *unstructured.Unstructured {
	d := s.Disruption
	if d == nil {
		return nil
	}
	selector := d.Selector
	if len(selector) == 0 {
		selector = map[string]string{"app": s.TargetName}
	}
	spec := map[string]any{"selector": map[string]any{"matchLabels": stringMap(selector)}}
	if d.MinAvailable != "" {
		spec["minAvailable"] = intOrPercent(d.MinAvailable)
	} else {
		spec["maxUnavailable"] = intOrPercent(d.MaxUnavailable)
	}
	return &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "policy/v1",
		"kind":       "PodDisruptionBudget",
		"metadata":   s.meta(s.PDBName()),
		"spec":       spec,
	}}
}

func intOrPercent(v string) any {
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		return n
	}
	return v
}

func stringMap(m map[string]string) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// SameQuantity reports whether two quantity strings mean the same amount ("1000m" and "1").
func SameQuantity(a, b string) bool {
	qa, errA := resource.ParseQuantity(a)
	qb, errB := resource.ParseQuantity(b)
	if errA != nil || errB != nil {
		return a == b
	}
	return qa.Cmp(qb) == 0
}

// intOrPercentProblem explains why v is not a PDB count (a non-negative integer or a
// percentage from 0% to 100%), or returns "": a validate rule for min_available and
// max_unavailable.
func intOrPercentProblem(v string) string {
	if strings.HasSuffix(v, "%") {
		n, err := strconv.Atoi(strings.TrimSuffix(v, "%"))
		if err != nil || n < 0 || n > 100 {
			return fmt.Sprintf("%q is not a percentage from 0%% to 100%%.", v)
		}
		return ""
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return fmt.Sprintf("%q is neither a non-negative count nor a percentage such as \"50%%\".", v)
	}
	return ""
}

// vpaResourceProblem explains why res is not a resource a VPA sets bounds on, or returns "".
func vpaResourceProblem(res string) string {
	if res == "cpu" || res == "memory" {
		return ""
	}
	return fmt.Sprintf("%q is not a resource VPA sets: use cpu and memory.", res)
}
