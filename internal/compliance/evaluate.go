package compliance

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"cloud.google.com/go/container/apiv1/containerpb"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	rbacv1 "k8s.io/api/rbac/v1"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/octollm/terraform-provider-octollm/internal/clients"
	"github.com/octollm/terraform-provider-octollm/internal/contract"
)

// Status values.
const (
	Compliant    = "compliant"
	NonCompliant = "non_compliant"
)

// Scope is where the namespace mechanisms apply: the listed namespaces and, with AllTenants,
// every tenant namespace of this platform (see ScopedNamespaces).
type Scope struct {
	Namespaces []string `json:"namespaces"`
	AllTenants bool     `json:"all_tenants"`
}

// Evaluation is one control evaluated on the cluster.
type Evaluation struct {
	Framework   string            `json:"framework"`
	Control     string            `json:"control_id"`
	Title       string            `json:"title"`
	Status      string            `json:"status"`
	Mechanisms  []MechanismResult `json:"mechanisms"`
	EvaluatedAt string            `json:"evaluated_at"`
}

// Findings returns every finding of the evaluation, mechanism by mechanism.
func (e Evaluation) Findings() []Finding {
	out := []Finding{}
	for _, m := range e.Mechanisms {
		out = append(out, m.Findings...)
	}
	return out
}

// Evaluate checks a control's mechanisms on a snapshot.
func Evaluate(c Control, s *Snapshot, params map[string]string, at time.Time) Evaluation {
	e := Evaluation{Framework: c.Framework, Control: c.ID, Title: c.Title, Status: Compliant, EvaluatedAt: at.UTC().Format(time.RFC3339)}
	for _, m := range c.Mechanisms {
		r := Check(m, s, params)
		if !r.Passed {
			e.Status = NonCompliant
		}
		e.Mechanisms = append(e.Mechanisms, r)
	}
	return e
}

// Now is the clock evaluations are stamped with; tests pin it for golden files.
var Now = time.Now

// Reader gathers snapshots from the cluster. GKE is nil when the provider has no GKE
// configuration, with GKEErr saying so.
type Reader struct {
	Kube       *clients.Kube
	GKE        *clients.GKE
	GKEErr     error
	PlatformNS string
}

// need says which parts of the cluster a set of mechanisms reads.
type need map[string]bool

func needsOf(mechanisms []string) need {
	n := need{}
	for _, m := range mechanisms {
		n[m] = true
	}
	return n
}

// Snapshot reads what the mechanisms check, for the namespaces in scope.
func (r *Reader) Snapshot(ctx context.Context, scope Scope, mechanisms []string) (*Snapshot, error) {
	n := needsOf(mechanisms)
	k := r.Kube
	cs := k.Clientset
	s := &Snapshot{Namespaces: map[string]*corev1.Namespace{}, NetworkPolicies: map[string][]networkingv1.NetworkPolicy{}, Roles: map[string][]rbacv1.Role{},
		RoleBindings: map[string][]rbacv1.RoleBinding{}, TenantRecords: map[string]bool{}, PlatformNS: r.PlatformNS}
	tenantSelector := metav1.ListOptions{LabelSelector: contract.TenantLabel}
	if scope.AllTenants || n[TenantErasure] {
		var list *corev1.NamespaceList
		if err := clients.Retry(ctx, clients.KubeTransient, "list tenant namespaces", func(ctx context.Context) (err error) {
			list, err = cs.CoreV1().Namespaces().List(ctx, tenantSelector)
			return err
		}); err != nil {
			return nil, k.Error("list tenant namespaces", err)
		}
		s.TenantNamespaces = list.Items
		sort.Slice(s.TenantNamespaces, func(i, j int) bool { return s.TenantNamespaces[i].Name < s.TenantNamespaces[j].Name })
	}
	if scope.AllTenants || n[TenantErasure] {
		var list *corev1.SecretList
		sel := labels.SelectorFromSet(labels.Set{contract.KindLabel: contract.KindAPIKey}).String()
		if err := clients.Retry(ctx, clients.KubeTransient, "list Secrets in "+r.PlatformNS, func(ctx context.Context) (err error) {
			list, err = cs.CoreV1().Secrets(r.PlatformNS).List(ctx, metav1.ListOptions{LabelSelector: sel})
			return err
		}); err != nil {
			return nil, k.Error("list tenant records in "+r.PlatformNS, err)
		}
		for _, sec := range list.Items {
			if t := sec.Labels[contract.TenantLabel]; t != "" {
				s.TenantRecords[t] = true
			}
		}
	}
	s.Scoped = ScopedNamespaces(scope, s.TenantNamespaces, s.TenantRecords)
	for _, name := range s.Scoped {
		var ns *corev1.Namespace
		err := clients.Retry(ctx, clients.KubeTransient, "read namespace "+name, func(ctx context.Context) (err error) {
			ns, err = cs.CoreV1().Namespaces().Get(ctx, name, metav1.GetOptions{})
			return err
		})
		switch {
		case apierrors.IsNotFound(err):
			continue
		case err != nil:
			return nil, k.Error("read namespace "+name, err)
		}
		s.Namespaces[name] = ns
		if n[DefaultDenyNetwork] {
			var list *networkingv1.NetworkPolicyList
			if err := clients.Retry(ctx, clients.KubeTransient, "list NetworkPolicies in "+name, func(ctx context.Context) (err error) {
				list, err = cs.NetworkingV1().NetworkPolicies(name).List(ctx, metav1.ListOptions{})
				return err
			}); err != nil {
				return nil, k.Error("list network policies in "+name, err)
			}
			s.NetworkPolicies[name] = list.Items
		}
		if n[RBACLeastPrivilege] {
			var roles *rbacv1.RoleList
			var bindings *rbacv1.RoleBindingList
			if err := clients.Retry(ctx, clients.KubeTransient, "list Roles in "+name, func(ctx context.Context) (err error) {
				if roles, err = cs.RbacV1().Roles(name).List(ctx, metav1.ListOptions{}); err != nil {
					return err
				}
				bindings, err = cs.RbacV1().RoleBindings(name).List(ctx, metav1.ListOptions{})
				return err
			}); err != nil {
				return nil, k.Error("list roles in "+name, err)
			}
			s.Roles[name], s.RoleBindings[name] = roles.Items, bindings.Items
		}
	}
	if n[RBACLeastPrivilege] {
		var list *rbacv1.ClusterRoleBindingList
		if err := clients.Retry(ctx, clients.KubeTransient, "list ClusterRoleBindings", func(ctx context.Context) (err error) {
			list, err = cs.RbacV1().ClusterRoleBindings().List(ctx, metav1.ListOptions{})
			return err
		}); err != nil {
			return nil, k.Error("list cluster role bindings", err)
		}
		s.ClusterBindings = list.Items
	}
	if n[ImageDigestPinning] {
		sel := labels.SelectorFromSet(labels.Set{contract.PartOfLabel: contract.PartOfValue, contract.ManagedByLabel: contract.ManagedByValue}).String()
		var list *appsv1.DeploymentList
		if err := clients.Retry(ctx, clients.KubeTransient, "list Deployments", func(ctx context.Context) (err error) {
			list, err = cs.AppsV1().Deployments("").List(ctx, metav1.ListOptions{LabelSelector: sel})
			return err
		}); err != nil {
			return nil, k.Error("list OctoLLM components", err)
		}
		s.Components = list.Items
		sort.Slice(s.Components, func(i, j int) bool {
			return s.Components[i].Namespace+"/"+s.Components[i].Name < s.Components[j].Namespace+"/"+s.Components[j].Name
		})
	}
	if slices.ContainsFunc(mechanisms, func(m string) bool { return Mechanisms[m].GKE }) {
		s.GKE, s.GKEErr = r.cluster(ctx)
	}
	return s, nil
}

func (r *Reader) cluster(ctx context.Context) (*containerpb.Cluster, error) {
	if r.GKE == nil {
		return nil, fmt.Errorf("%w; the GKE checks need the provider's gke block", r.GKEErr)
	}
	c, err := r.GKE.GetCluster(ctx, r.GKE.Config.ClusterName())
	if err != nil {
		return nil, fmt.Errorf("read GKE cluster %s: %w", r.GKE.Config.ClusterName(), err)
	}
	return c, nil
}

// ScopedNamespaces is the sorted union of the listed namespaces and, with AllTenants, the
// tenant namespaces of this platform not being deleted: those whose tenant (label
// octollm.io/tenant) has its record, the key Secret, in the platform namespace (records). Tenants
// of another platform sharing the cluster, recorded in their own platform namespace, are left
// alone, so two environments' controls never enforce on each other's tenants.
func ScopedNamespaces(scope Scope, tenants []corev1.Namespace, records map[string]bool) []string {
	out := slices.Clone(scope.Namespaces)
	if scope.AllTenants {
		for _, ns := range tenants {
			// A tenant being deleted is leaving the scope.
			if ns.DeletionTimestamp == nil && records[ns.Labels[contract.TenantLabel]] {
				out = append(out, ns.Name)
			}
		}
	}
	sort.Strings(out)
	return slices.Compact(out)
}

// ObjectName turns a control into a DNS-1123 fragment: "hipaa", "164.312(a)(2)(iv)" ->
// "hipaa-164-312-a-2-iv".
func ObjectName(framework, id string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(framework + "-" + id) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			dash = false
		} else if !dash {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.Trim(b.String(), "-")
}
