package autoscaling

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/octollm/terraform-provider-octollm/internal/clients"
	"github.com/octollm/terraform-provider-octollm/internal/tfvalue"
)

// Served reports whether cm serves the Pods or Object metric m; External metrics come from
// external.metrics.k8s.io and are not judged (true). It errs on the side of "served": an
// adapter that lists no metrics (GKE's Stackdriver adapter cannot enumerate them) may serve m.
func Served(m Metric, cm *clients.CustomMetrics) bool {
	if m.Type != "Pods" && m.Type != "Object" {
		return true
	}
	if !cm.Served {
		return false
	}
	if len(cm.Resources) == 0 {
		return true
	}
	for _, r := range cm.Resources {
		resource, name, ok := strings.Cut(r, "/")
		if !ok || name != m.Name {
			continue
		}
		switch {
		case m.Type == "Pods" && resource == "pods":
			return true
		// "services" for kind Service, "ingresses" for Ingress, "deployments.apps" for Deployment.
		case m.Type == "Object" && strings.HasPrefix(resource, strings.ToLower(m.ObjectKind)):
			return true
		}
	}
	return false
}

// warnUnservedMetrics adds a warning on each metric block naming a Pods or Object metric the
// cluster's custom.metrics.k8s.io does not serve: the HPA could not read it, and an HPA
// that cannot read one of its metrics never scales down. When the cluster cannot be asked
// (not configured yet, unreachable, discovery forbidden) it stays silent: the plan goes on.
func (r *autoscalingResource) warnUnservedMetrics(ctx context.Context, metrics []metricModel, d *diag.Diagnostics) {
	if r.Backends == nil {
		return
	}
	var candidates []int
	for i, m := range metrics {
		if tfvalue.Known(m.Type) && tfvalue.Known(m.Name) && (m.Type.ValueString() == "Pods" || m.Type.ValueString() == "Object") {
			candidates = append(candidates, i)
		}
	}
	if len(candidates) == 0 {
		return
	}
	k, err := r.Backends.Kube(ctx)
	if err != nil {
		return
	}
	cm, err := k.CustomMetrics(ctx)
	if err != nil {
		return
	}
	for _, i := range candidates {
		m := Metric{Type: metrics[i].Type.ValueString(), Name: metrics[i].Name.ValueString(), ObjectKind: metrics[i].ObjectKind.ValueString()}
		if Served(m, cm) {
			continue
		}
		d.AddAttributeWarning(path.Root("metric").AtListIndex(i).AtName("name"),
			"Custom metric "+m.Name+" is not served by the cluster", unservedDetail(i, m, cm))
	}
}

func unservedDetail(i int, m Metric, cm *clients.CustomMetrics) string {
	why := "the cluster has no " + clients.CustomMetricsGroup + " API (no metrics adapter is installed)"
	if cm.Served {
		why = fmt.Sprintf("the cluster's %s/%s API does not list it", clients.CustomMetricsGroup, cm.Version)
	}
	return fmt.Sprintf("metric block %d (type = %q, name = %q): %s, so the HorizontalPodAutoscaler cannot read this metric. "+
		"It reports FailedGetPodsMetric/FailedGetObjectMetric, and an HPA missing one of its metrics still scales up on the others but never scales down. "+
		"Provide %s with this metric (on GKE: Google Cloud Managed Service for Prometheus collecting it, plus the custom-metrics-stackdriver-adapter), "+
		"or remove this metric block and scale on cpu_utilization / memory_utilization.",
		i+1, m.Type, m.Name, why, clients.CustomMetricsGroup)
}
