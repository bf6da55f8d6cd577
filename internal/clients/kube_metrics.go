package clients

import (
	"context"
	"encoding/json"
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// CustomMetricsGroup is the API group HorizontalPodAutoscalers read Pods and Object metrics from.
const CustomMetricsGroup = "custom.metrics.k8s.io"

// CustomMetrics is what a cluster's custom.metrics.k8s.io API serves, as discovery tells it.
type CustomMetrics struct {
	// Served is false when no APIService registers the group: every Pods and Object metric
	// an HPA names is then unavailable.
	Served bool
	// Version is the group's preferred version, such as v1beta2.
	Version string
	// Resources are the discovery entries of that version, "<resource>/<metric>" such as
	// "pods/task_queue_depth". Adapters that cannot enumerate their metrics (GKE's
	// custom-metrics-stackdriver-adapter) list none, which says nothing about a given metric.
	Resources []string
}

// CustomMetrics reads custom.metrics.k8s.io discovery. An error means discovery itself failed
// (unreachable, forbidden, the adapter unavailable) and says nothing either way.
func (k *Kube) CustomMetrics(ctx context.Context) (*CustomMetrics, error) {
	rc := k.Clientset.Discovery().RESTClient()
	raw, err := rc.Get().AbsPath("/apis/" + CustomMetricsGroup).Do(ctx).Raw()
	if apierrors.IsNotFound(err) {
		return &CustomMetrics{}, nil
	}
	if err != nil {
		return nil, k.Error("discover "+CustomMetricsGroup, err)
	}
	var group metav1.APIGroup
	if err := json.Unmarshal(raw, &group); err != nil {
		return nil, fmt.Errorf("kubernetes: discover %s: %w", CustomMetricsGroup, err)
	}
	cm := &CustomMetrics{Served: true, Version: group.PreferredVersion.Version}
	if cm.Version == "" && len(group.Versions) > 0 {
		cm.Version = group.Versions[0].Version
	}
	if cm.Version == "" {
		return cm, nil
	}
	raw, err = rc.Get().AbsPath("/apis/" + CustomMetricsGroup + "/" + cm.Version).Do(ctx).Raw()
	if err != nil {
		return nil, k.Error("discover "+CustomMetricsGroup+"/"+cm.Version, err)
	}
	var list metav1.APIResourceList
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, fmt.Errorf("kubernetes: discover %s/%s: %w", CustomMetricsGroup, cm.Version, err)
	}
	for _, r := range list.APIResources {
		cm.Resources = append(cm.Resources, r.Name)
	}
	return cm, nil
}
