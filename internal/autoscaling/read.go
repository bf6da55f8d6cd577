package autoscaling

import (
	"fmt"

	autoscalingv2 "k8s.io/api/autoscaling/v2"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
)

// SpecFromObjects reads the live objects back into a Spec. vpa and pdb may be nil (absent).
// Status, written by the controllers, is never read, so it never shows as a diff.
func SpecFromObjects(hpaObj, vpa, pdbObj *unstructured.Unstructured) (Spec, error) {
	var hpa autoscalingv2.HorizontalPodAutoscaler
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(hpaObj.Object, &hpa); err != nil {
		return Spec{}, fmt.Errorf("read HorizontalPodAutoscaler %s: %w", hpaObj.GetName(), err)
	}
	s := Spec{
		Namespace:   hpa.Namespace,
		TargetKind:  hpa.Spec.ScaleTargetRef.Kind,
		TargetName:  hpa.Spec.ScaleTargetRef.Name,
		MaxReplicas: int64(hpa.Spec.MaxReplicas),
		MinReplicas: 1,
	}
	if hpa.Spec.MinReplicas != nil {
		s.MinReplicas = int64(*hpa.Spec.MinReplicas)
	}
	for _, m := range hpa.Spec.Metrics {
		switch m.Type {
		case autoscalingv2.ResourceMetricSourceType:
			if m.Resource == nil || m.Resource.Target.AverageUtilization == nil {
				continue
			}
			switch m.Resource.Name {
			case "cpu":
				s.CPUUtilization = int64(*m.Resource.Target.AverageUtilization)
			case "memory":
				s.MemoryUtilization = int64(*m.Resource.Target.AverageUtilization)
			}
		case autoscalingv2.PodsMetricSourceType:
			if m.Pods != nil {
				s.Metrics = append(s.Metrics, metricFrom("Pods", m.Pods.Metric, m.Pods.Target))
			}
		case autoscalingv2.ExternalMetricSourceType:
			if m.External != nil {
				s.Metrics = append(s.Metrics, metricFrom("External", m.External.Metric, m.External.Target))
			}
		case autoscalingv2.ObjectMetricSourceType:
			if m.Object != nil {
				mm := metricFrom("Object", m.Object.Metric, m.Object.Target)
				mm.ObjectKind, mm.ObjectName, mm.ObjectAPI = m.Object.DescribedObject.Kind, m.Object.DescribedObject.Name, m.Object.DescribedObject.APIVersion
				s.Metrics = append(s.Metrics, mm)
			}
		}
	}
	if b := hpa.Spec.Behavior; b != nil {
		s.ScaleUp = behaviorFrom(b.ScaleUp)
		s.ScaleDown = behaviorFrom(b.ScaleDown)
	}
	if vpa != nil {
		s.Vertical = verticalFrom(vpa)
	}
	if pdbObj != nil {
		var pdb policyv1.PodDisruptionBudget
		if err := runtime.DefaultUnstructuredConverter.FromUnstructured(pdbObj.Object, &pdb); err != nil {
			return Spec{}, fmt.Errorf("read PodDisruptionBudget %s: %w", pdbObj.GetName(), err)
		}
		d := &DisruptionBudget{}
		if pdb.Spec.MinAvailable != nil {
			d.MinAvailable = pdb.Spec.MinAvailable.String()
		}
		if pdb.Spec.MaxUnavailable != nil {
			d.MaxUnavailable = pdb.Spec.MaxUnavailable.String()
		}
		if pdb.Spec.Selector != nil {
			d.Selector = pdb.Spec.Selector.MatchLabels
		}
		s.Disruption = d
	}
	return s, nil
}

func metricFrom(typ string, id autoscalingv2.MetricIdentifier, target autoscalingv2.MetricTarget) Metric {
	m := Metric{Type: typ, Name: id.Name}
	if id.Selector != nil {
		m.Selector = id.Selector.MatchLabels
	}
	if target.AverageValue != nil {
		m.AverageValue = target.AverageValue.String()
	}
	if target.Value != nil {
		m.Value = target.Value.String()
	}
	return m
}

func behaviorFrom(r *autoscalingv2.HPAScalingRules) *Behavior {
	if r == nil {
		return nil
	}
	b := &Behavior{StabilizationWindowSeconds: nil}
	if r.StabilizationWindowSeconds != nil {
		w := int64(*r.StabilizationWindowSeconds)
		b.StabilizationWindowSeconds = &w
	}
	if r.SelectPolicy != nil {
		b.SelectPolicy = string(*r.SelectPolicy)
	}
	for _, p := range r.Policies {
		b.Policies = append(b.Policies, Policy{Type: string(p.Type), Value: int64(p.Value), PeriodSeconds: int64(p.PeriodSeconds)})
	}
	return b
}

func verticalFrom(vpa *unstructured.Unstructured) *Vertical {
	v := &Vertical{}
	v.UpdateMode, _, _ = unstructured.NestedString(vpa.Object, "spec", "updatePolicy", "updateMode")
	policies, _, _ := unstructured.NestedSlice(vpa.Object, "spec", "resourcePolicy", "containerPolicies")
	if len(policies) > 0 {
		if p, ok := policies[0].(map[string]any); ok {
			v.Container, _, _ = unstructured.NestedString(p, "containerName")
			v.MinAllowed, _, _ = unstructured.NestedStringMap(p, "minAllowed")
			v.MaxAllowed, _, _ = unstructured.NestedStringMap(p, "maxAllowed")
			v.ControlledResources, _, _ = unstructured.NestedStringSlice(p, "controlledResources")
		}
	}
	return v
}
