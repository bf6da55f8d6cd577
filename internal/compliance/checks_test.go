package compliance_test

import (
	"strings"
	"testing"
	"time"

	"cloud.google.com/go/container/apiv1/containerpb"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/octollm/terraform-provider-octollm/internal/compliance"
)

func TestCheckWithoutGKEConfigurationSaysWhatToSet(t *testing.T) {
	s := &compliance.Snapshot{GKEErr: errString("no GKE configuration; the GKE checks need the provider's gke block")}
	r := compliance.Check(compliance.ShieldedNodes, s, nil)
	if r.Passed || len(r.Findings) != 1 || !strings.Contains(r.Findings[0].Message, "the GKE checks need the provider's gke block") || r.Findings[0].Enforceable {
		t.Fatalf("%+v", r)
	}
}

type errString string

func (e errString) Error() string { return string(e) }

// A report over a synthetic snapshot: controls in catalog order, a failing control counted,
// the same finding listed once in the markdown although two controls share it.
func TestBuildReport(t *testing.T) {
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "octollm", Labels: map[string]string{
		"pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/audit": "restricted", "pod-security.kubernetes.io/warn": "restricted"}}}
	s := &compliance.Snapshot{
		Scoped: []string{"octollm"}, Namespaces: map[string]*corev1.Namespace{"octollm": ns},
		NetworkPolicies: map[string][]networkingv1.NetworkPolicy{"octollm": {{ObjectMeta: metav1.ObjectMeta{Name: "deny"},
			Spec: networkingv1.NetworkPolicySpec{PolicyTypes: []networkingv1.PolicyType{networkingv1.PolicyTypeIngress}}}}},
		GKE: &containerpb.Cluster{Name: "octollm", ShieldedNodes: &containerpb.ShieldedNodes{Enabled: true}},
	}
	r := compliance.BuildReport("gdpr", compliance.Scope{Namespaces: []string{"octollm"}}, s, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	if r.Status != compliance.NonCompliant || r.Summary.Controls != 4 || r.Controls[0].Control != "Art.5(1)(e)" {
		t.Fatalf("%+v", r.Summary)
	}
	md := r.Markdown()
	if strings.Count(md, "denies all egress") != 1 || !strings.Contains(md, "| `Art.25` | Data protection by design and by default | non_compliant | `pod_security_restricted` | pass |") {
		t.Fatal(md)
	}
	js, err := r.JSON()
	if err != nil || !strings.Contains(js, `"evaluated_at": "2026-01-01T00:00:00Z"`) {
		t.Fatal(js, err)
	}
}
