package platform_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	authorizationv1 "k8s.io/api/authorization/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes"

	"github.com/octollm/terraform-provider-octollm/internal/acctest"
)

func TestMain(m *testing.M) { acctest.Main(m) }

const address = "octollm_platform.this"

// platform is one configuration of the resource under test.
type platform struct {
	ns, podSecurity, serviceAccount, labels, extra string
	protect                                        bool
}

func (p platform) config() string {
	var b strings.Builder
	fmt.Fprintf(&b, "resource \"octollm_platform\" \"this\" {\n  namespace = %q\n", p.ns)
	if p.podSecurity != "" {
		fmt.Fprintf(&b, "  pod_security = %q\n", p.podSecurity)
	}
	if p.serviceAccount != "" {
		fmt.Fprintf(&b, "  gateway_service_account = %q\n", p.serviceAccount)
	}
	if p.labels != "" {
		fmt.Fprintf(&b, "  labels = %s\n", p.labels)
	}
	fmt.Fprintf(&b, "  deletion_protection = %t\n%s}\n", p.protect, p.extra)
	return b.String()
}

// cleanup deletes a test's namespace if the test left it behind.
func cleanup(t *testing.T, kube kubernetes.Interface, ns string) {
	t.Cleanup(func() {
		_ = kube.CoreV1().Namespaces().Delete(context.Background(), ns, metav1.DeleteOptions{})
	})
}

func checkNamespace(kube kubernetes.Interface, ns, level string, user map[string]string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		n, err := kube.CoreV1().Namespaces().Get(context.Background(), ns, metav1.GetOptions{})
		if err != nil {
			return err
		}
		want := map[string]string{
			"pod-security.kubernetes.io/enforce":         level,
			"pod-security.kubernetes.io/enforce-version": "latest",
			"pod-security.kubernetes.io/audit":           level,
			"pod-security.kubernetes.io/warn":            level,
			"app.kubernetes.io/managed-by":               "terraform-provider-octollm",
			"app.kubernetes.io/part-of":                  "octollm",
			"kubernetes.io/metadata.name":                ns,
		}
		for k, v := range user {
			want[k] = v
		}
		if fmt.Sprint(n.Labels) != fmt.Sprint(want) {
			return fmt.Errorf("namespace %s labels = %v\nwant %v", ns, n.Labels, want)
		}
		return nil
	}
}

// allowed asks the apiserver's authorizer whether the gateway may verb resource in ns.
func allowed(kube kubernetes.Interface, ns, sa, verb, res string) (bool, error) {
	r, err := kube.AuthorizationV1().SubjectAccessReviews().Create(context.Background(), &authorizationv1.SubjectAccessReview{
		Spec: authorizationv1.SubjectAccessReviewSpec{
			User:               "system:serviceaccount:" + ns + ":" + sa,
			Groups:             []string{"system:serviceaccounts", "system:serviceaccounts:" + ns, "system:authenticated"},
			ResourceAttributes: &authorizationv1.ResourceAttributes{Namespace: ns, Verb: verb, Resource: res},
		},
	}, metav1.CreateOptions{})
	if err != nil {
		return false, err
	}
	return r.Status.Allowed, nil
}

// checkGatewayAccess checks with SubjectAccessReviews that the gateway reads ConfigMaps and
// Secrets and does nothing else, waiting for the RBAC authorizer's caches to catch up with the change.
func checkGatewayAccess(kube kubernetes.Interface, ns, sa string) resource.TestCheckFunc {
	type q struct {
		verb, res string
		want      bool
	}
	queries := []q{
		{"get", "configmaps", true}, {"list", "configmaps", true}, {"watch", "configmaps", true},
		{"create", "configmaps", false}, {"update", "configmaps", false}, {"patch", "configmaps", false}, {"delete", "configmaps", false},
		{"get", "secrets", true}, {"list", "secrets", true}, {"watch", "secrets", true},
		{"create", "secrets", false}, {"delete", "secrets", false}, {"get", "pods", false},
	}
	return func(*terraform.State) error {
		deadline := time.Now().Add(30 * time.Second)
		for {
			var wrong []string
			for _, c := range queries {
				ok, err := allowed(kube, ns, sa, c.verb, c.res)
				if err != nil {
					return err
				}
				if ok != c.want {
					wrong = append(wrong, fmt.Sprintf("%s %s: allowed=%t, want %t", c.verb, c.res, ok, c.want))
				}
			}
			if len(wrong) == 0 {
				return nil
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("ServiceAccount %s/%s: %s", ns, sa, strings.Join(wrong, "; "))
			}
			time.Sleep(500 * time.Millisecond)
		}
	}
}

func checkServiceAccount(kube kubernetes.Interface, ns, sa string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		got, err := kube.CoreV1().ServiceAccounts(ns).Get(context.Background(), sa, metav1.GetOptions{})
		if err != nil {
			return err
		}
		if got.AutomountServiceAccountToken == nil || !*got.AutomountServiceAccountToken {
			return fmt.Errorf("ServiceAccount %s/%s does not automount its token", ns, sa)
		}
		if got.Labels["app.kubernetes.io/managed-by"] != "terraform-provider-octollm" || got.Labels["app.kubernetes.io/part-of"] != "octollm" {
			return fmt.Errorf("ServiceAccount %s/%s labels = %v", ns, sa, got.Labels)
		}
		return nil
	}
}

func checkNamespaceGone(kube kubernetes.Interface, ns string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		_, err := kube.CoreV1().Namespaces().Get(context.Background(), ns, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			return nil
		}
		if err != nil {
			return err
		}
		return fmt.Errorf("namespace %s still exists after destroy (destroy should wait until it is gone)", ns)
	}
}

// Create with the defaults and a label, plans empty after apply, import, pod_security
// changed in place, destroy refused while deletion_protection is true, then allowed.
func TestAccPlatform_lifecycle(t *testing.T) {
	acctest.PreCheck(t)
	kube := acctest.Kube(t)
	ns := acctest.RandomName("plat")
	cleanup(t, kube, ns)
	p := platform{ns: ns, labels: `{ "octollm.dev/team" = "llm" }`, protect: true}
	baseline := p
	baseline.podSecurity = "baseline"
	unprotected := baseline
	unprotected.protect = false
	var uid string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkNamespaceGone(kube, ns),
		Steps: []resource.TestStep{
			{
				Config: p.config(),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(address, tfjsonpath.New("id"), knownvalue.StringExact(ns)),
					statecheck.ExpectKnownValue(address, tfjsonpath.New("pod_security"), knownvalue.StringExact("restricted")),
					statecheck.ExpectKnownValue(address, tfjsonpath.New("gateway_service_account"), knownvalue.StringExact("octollm-gateway")),
					statecheck.ExpectKnownValue(address, tfjsonpath.New("gateway_role"), knownvalue.StringExact("octollm-gateway-reader")),
					statecheck.ExpectKnownValue(address, tfjsonpath.New("gateway_rbac"), knownvalue.StringExact("in sync")),
					statecheck.ExpectKnownValue(address, tfjsonpath.New("deletion_protection"), knownvalue.Bool(true)),
				},
				Check: resource.ComposeTestCheckFunc(
					checkNamespace(kube, ns, "restricted", map[string]string{"octollm.dev/team": "llm"}),
					checkServiceAccount(kube, ns, "octollm-gateway"),
					checkGatewayAccess(kube, ns, "octollm-gateway"),
					func(s *terraform.State) error {
						n, err := kube.CoreV1().Namespaces().Get(context.Background(), ns, metav1.GetOptions{})
						if err != nil {
							return err
						}
						uid = string(n.UID)
						return resource.TestCheckResourceAttr(address, "uid", uid)(s)
					},
				),
			},
			{Config: p.config(), ConfigPlanChecks: acctest.NoChanges},
			{
				ResourceName:            address,
				ImportState:             true,
				ImportStateId:           ns,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"timeouts"},
			},
			{
				Config: baseline.config(),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(address, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(address, tfjsonpath.New("uid"), knownvalue.NotNull()),
				}},
				Check: resource.ComposeTestCheckFunc(
					checkNamespace(kube, ns, "baseline", map[string]string{"octollm.dev/team": "llm"}),
					func(s *terraform.State) error { return resource.TestCheckResourceAttr(address, "uid", uid)(s) },
				),
			},
			{Config: baseline.config(), ConfigPlanChecks: acctest.NoChanges},
			{
				Config:      baseline.config(),
				Destroy:     true,
				ExpectError: acctest.ErrorText("octollm_platform." + ns + ": deletion_protection is true; set deletion_protection = false and apply, then destroy"),
			},
			{
				Config: unprotected.config(),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(address, plancheck.ResourceActionUpdate),
				}},
				Check: checkNamespace(kube, ns, "baseline", map[string]string{"octollm.dev/team": "llm"}),
			},
		},
	})
}

// Changes out of band show in the plan and apply sets them back; renaming the gateway's
// ServiceAccount deletes the old objects; a namespace deleted out of band is created again.
func TestAccPlatform_drift(t *testing.T) {
	acctest.PreCheck(t)
	kube := acctest.Kube(t)
	ctx := context.Background()
	ns := acctest.RandomName("plat")
	cleanup(t, kube, ns)
	p := platform{ns: ns, serviceAccount: "gw", labels: `{ team = "llm" }`}
	renamed := p
	renamed.serviceAccount = "gw2"
	user := map[string]string{"team": "llm"}
	update := resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(address, plancheck.ResourceActionUpdate)}}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkNamespaceGone(kube, ns),
		Steps: []resource.TestStep{
			{Config: p.config(), Check: resource.ComposeTestCheckFunc(checkNamespace(kube, ns, "restricted", user), checkGatewayAccess(kube, ns, "gw"))},
			{
				// A label changed and one added out of band: the plan is not empty.
				PreConfig: func() {
					patch := []byte(`{"metadata":{"labels":{"team":"other","added":"by-hand"}}}`)
					if _, err := kube.CoreV1().Namespaces().Patch(ctx, ns, types.MergePatchType, patch, metav1.PatchOptions{FieldManager: "kubectl-label"}); err != nil {
						t.Fatal(err)
					}
				},
				Config:             p.config(),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				Config:           p.config(),
				ConfigPlanChecks: update,
				Check:            checkNamespace(kube, ns, "restricted", user),
			},
			{
				// The Pod Security labels loosened out of band.
				PreConfig: func() {
					patch := []byte(`{"metadata":{"labels":{"pod-security.kubernetes.io/enforce":"privileged"}}}`)
					if _, err := kube.CoreV1().Namespaces().Patch(ctx, ns, types.MergePatchType, patch, metav1.PatchOptions{}); err != nil {
						t.Fatal(err)
					}
				},
				Config: p.config(),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(address, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(address, tfjsonpath.New("pod_security"), knownvalue.StringExact("restricted")),
				}},
				Check: checkNamespace(kube, ns, "restricted", user),
			},
			{
				// The RoleBinding deleted out of band: the plan updates, and apply restores it.
				PreConfig: func() {
					if err := kube.RbacV1().RoleBindings(ns).Delete(ctx, "gw-reader", metav1.DeleteOptions{}); err != nil {
						t.Fatal(err)
					}
					waitDenied(t, kube, ns, "gw", "get", "configmaps")
				},
				Config: p.config(),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(address, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(address, tfjsonpath.New("gateway_rbac"), knownvalue.StringExact("in sync")),
				}},
				Check: checkGatewayAccess(kube, ns, "gw"),
			},
			{
				// The Role widened to Secrets and writes out of band.
				PreConfig: func() {
					role, err := kube.RbacV1().Roles(ns).Get(ctx, "gw-reader", metav1.GetOptions{})
					if err != nil {
						t.Fatal(err)
					}
					role.Rules = append(role.Rules, rbacv1.PolicyRule{APIGroups: []string{""}, Resources: []string{"secrets", "configmaps"}, Verbs: []string{"*"}})
					if _, err := kube.RbacV1().Roles(ns).Update(ctx, role, metav1.UpdateOptions{FieldManager: "kubectl-edit"}); err != nil {
						t.Fatal(err)
					}
				},
				Config:           p.config(),
				ConfigPlanChecks: update,
				Check:            checkGatewayAccess(kube, ns, "gw"),
			},
			{Config: p.config(), ConfigPlanChecks: acctest.NoChanges},
			{
				// Renamed: the new ServiceAccount reads ConfigMaps; the old one and its Role and RoleBinding are gone.
				Config:           renamed.config(),
				ConfigPlanChecks: update,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(address, tfjsonpath.New("gateway_role"), knownvalue.StringExact("gw2-reader")),
				},
				Check: resource.ComposeTestCheckFunc(
					checkServiceAccount(kube, ns, "gw2"),
					checkGatewayAccess(kube, ns, "gw2"),
					func(*terraform.State) error {
						if _, err := kube.CoreV1().ServiceAccounts(ns).Get(ctx, "gw", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
							return notDeleted("old ServiceAccount gw", err)
						}
						if _, err := kube.RbacV1().Roles(ns).Get(ctx, "gw-reader", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
							return notDeleted("old Role gw-reader", err)
						}
						if _, err := kube.RbacV1().RoleBindings(ns).Get(ctx, "gw-reader", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
							return notDeleted("old RoleBinding gw-reader", err)
						}
						return nil
					},
				),
			},
			{
				// Import finds the renamed ServiceAccount by its labels; deletion_protection is true after an import.
				ResourceName:            address,
				ImportState:             true,
				ImportStateId:           ns,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"timeouts", "deletion_protection"},
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					if len(states) != 1 || states[0].Attributes["deletion_protection"] != "true" || states[0].Attributes["gateway_service_account"] != "gw2" {
						return fmt.Errorf("imported %v", states)
					}
					return nil
				},
			},
			{
				// The namespace deleted out of band: the plan creates it again.
				PreConfig: func() {
					if err := kube.CoreV1().Namespaces().Delete(ctx, ns, metav1.DeleteOptions{}); err != nil {
						t.Fatal(err)
					}
					waitGone(t, kube, ns)
				},
				Config: renamed.config(),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(address, plancheck.ResourceActionCreate),
				}},
				Check: resource.ComposeTestCheckFunc(checkNamespace(kube, ns, "restricted", user), checkGatewayAccess(kube, ns, "gw2")),
			},
		},
	})
}

// notDeleted explains why an object that should be gone was found (err nil) or not read.
func notDeleted(what string, err error) error {
	if err == nil {
		return fmt.Errorf("%s still exists after the rename", what)
	}
	return fmt.Errorf("%s: %w", what, err)
}

func waitDenied(t *testing.T, kube kubernetes.Interface, ns, sa, verb, res string) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(500 * time.Millisecond) {
		ok, err := allowed(kube, ns, sa, verb, res)
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			return
		}
	}
	t.Fatalf("%s/%s may still %s %s 30s after its RoleBinding was deleted", ns, sa, verb, res)
}

func waitGone(t *testing.T, kube kubernetes.Interface, ns string) {
	t.Helper()
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); time.Sleep(time.Second) {
		if _, err := kube.CoreV1().Namespaces().Get(context.Background(), ns, metav1.GetOptions{}); apierrors.IsNotFound(err) {
			return
		}
	}
	t.Fatalf("namespace %s was not gone 2 minutes after its deletion", ns)
}

// A namespace the provider did not create is not taken over.
func TestAccPlatform_refusesExistingNamespace(t *testing.T) {
	acctest.PreCheck(t)
	kube := acctest.Kube(t)
	ns := acctest.RandomName("plat")
	if _, err := kube.CoreV1().Namespaces().Create(context.Background(), &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	cleanup(t, kube, ns)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      platform{ns: ns}.config(),
			ExpectError: acctest.ErrorText("Namespace " + ns + " already exists ... not managed by terraform-provider-octollm ... terraform import octollm_platform.<name> " + ns),
		}},
	})
	n, err := kube.CoreV1().Namespaces().Get(context.Background(), ns, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(n.Labels) != 1 { // kubernetes.io/metadata.name only
		t.Errorf("the refused namespace was changed: labels %v", n.Labels)
	}
}

// A namespace that cannot finish terminating fails destroy at timeouts.delete, naming what
// blocks it; once that is removed, destroy completes.
func TestAccPlatform_deleteTimeoutNamesBlockers(t *testing.T) {
	acctest.PreCheck(t)
	kube := acctest.Kube(t)
	ctx := context.Background()
	ns := acctest.RandomName("plat")
	const finalizer = "octollm.dev/test-block"
	unblock := func() {
		patch := []byte(`{"metadata":{"finalizers":null}}`)
		if _, err := kube.CoreV1().ConfigMaps(ns).Patch(ctx, "blocker", types.MergePatchType, patch, metav1.PatchOptions{}); err != nil && !apierrors.IsNotFound(err) {
			t.Error(err)
		}
	}
	t.Cleanup(unblock)
	cleanup(t, kube, ns)
	p := platform{ns: ns, extra: "  timeouts {\n    delete = \"15s\"\n  }\n"}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkNamespaceGone(kube, ns),
		Steps: []resource.TestStep{
			{Config: p.config()},
			{
				PreConfig: func() {
					_, err := kube.CoreV1().ConfigMaps(ns).Create(ctx, &corev1.ConfigMap{
						ObjectMeta: metav1.ObjectMeta{Name: "blocker", Finalizers: []string{finalizer}},
					}, metav1.CreateOptions{})
					if err != nil {
						t.Fatal(err)
					}
				},
				Config:      p.config(),
				Destroy:     true,
				ExpectError: acctest.ErrorText("namespace " + ns + " was still Terminating when the delete timeout (15s) ended ... " + finalizer + " ... Remove the finalizers"),
			},
			{
				PreConfig: unblock,
				Config:    p.config(),
				Destroy:   true,
			},
		},
	})
}

// Every validation rule fails at plan time with its message.
func TestAccPlatform_badInput(t *testing.T) {
	acctest.PreCheck(t)
	long := strings.Repeat("a", 64)
	cases := map[string]struct {
		p    platform
		want string
	}{
		"namespace uppercase":  {platform{ns: "OctoLLM"}, `namespace: "OctoLLM" is not a valid namespace name ... Use at most 63 lowercase letters`},
		"namespace too long":   {platform{ns: long}, `namespace: "` + long + `" is not a valid namespace name: must be no more than 63 characters`},
		"namespace dot":        {platform{ns: "octo.llm"}, `namespace: "octo.llm" is not a valid namespace name`},
		"pod security":         {platform{ns: "octollm", podSecurity: "privileged"}, `Attribute pod_security value must be one of: ["restricted" "baseline"], got: "privileged"`},
		"service account":      {platform{ns: "octollm", serviceAccount: "Gateway_1"}, `gateway_service_account: "Gateway_1" is not a valid ServiceAccount name ... such as "octollm-gateway"`},
		"label key":            {platform{ns: "octollm", labels: `{ "bad key!" = "x" }`}, `labels: key "bad key!" is not a valid Kubernetes label key ... Use an optional DNS-subdomain prefix`},
		"label value":          {platform{ns: "octollm", labels: `{ team = "not valid!" }`}, `labels["team"]: "not valid!" is not a valid Kubernetes label value`},
		"label value too long": {platform{ns: "octollm", labels: `{ team = "` + long + `" }`}, `is not a valid Kubernetes label value: must be no more than 63 characters`},
		"pod security label":   {platform{ns: "octollm", labels: `{ "pod-security.kubernetes.io/enforce" = "privileged" }`}, `labels: key "pod-security.kubernetes.io/enforce" is not allowed ... set pod_security instead`},
		"managed-by label":     {platform{ns: "octollm", labels: `{ "app.kubernetes.io/managed-by" = "helm" }`}, `labels: key "app.kubernetes.io/managed-by" is not allowed ... remove it from labels`},
		"delete timeout":       {platform{ns: "octollm", extra: "  timeouts {\n    delete = \"ten minutes\"\n  }\n"}, `"ten minutes" must be a string containing a sequence of decimal numbers ... such as "300ms"`},
	}
	names := make([]string, 0, len(cases))
	for name := range cases {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		tc := cases[name]
		t.Run(name, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				Steps:                    []resource.TestStep{{Config: tc.p.config(), PlanOnly: true, ExpectError: acctest.ErrorText(tc.want)}},
			})
		})
	}
}

// The docs' example, examples/resources/octollm_platform, applied as a registry user copies it
// (in a namespace of the test's own, and without deletion protection so the test can destroy
// it): the namespace, its labels, the gateway's RBAC and NetworkPolicies in sync; an empty plan
// after.
func TestAccPlatform_docsExample(t *testing.T) {
	acctest.PreCheck(t)
	ns := acctest.RandomName("example")
	config := acctest.Example(t, "octollm_platform",
		`namespace               = "octollm"`, fmt.Sprintf("namespace               = %q", ns),
		"deletion_protection = true", "deletion_protection = false")
	const addr = "octollm_platform.this"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: acctest.ExampleSteps(config,
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(ns)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("gateway_rbac"), knownvalue.StringExact("in sync")),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("network_policy_status"), knownvalue.StringExact("in sync")),
		),
	})
}
