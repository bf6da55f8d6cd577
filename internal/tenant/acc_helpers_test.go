package tenant_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	stripeclient "github.com/stripe/stripe-go/v76/client"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/octollm/terraform-provider-octollm/internal/acctest"
	"github.com/octollm/terraform-provider-octollm/internal/tenant"
)

func TestMain(m *testing.M) { acctest.Main(m) }

// tenantConfig is one octollm_tenant block.
type tenantConfig struct {
	name, display, tier, quota string
	models, admins             []string
	noIsolation                bool
	version                    int
	billing, deleteCustomer    bool
	protect                    bool
	deleteTimeout              string // timeouts.delete; default 3m
}

func list(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

func (c tenantConfig) hcl() string {
	var b strings.Builder
	fmt.Fprintf(&b, "resource \"octollm_tenant\" %q {\n  name = %q\n", c.name, c.name)
	if c.display != "" {
		fmt.Fprintf(&b, "  display_name = %q\n", c.display)
	}
	if c.tier != "" {
		fmt.Fprintf(&b, "  tier = %q\n", c.tier)
	}
	if c.quota != "" {
		fmt.Fprintf(&b, "  quota {\n    %s\n  }\n", c.quota)
	}
	if c.models != nil {
		fmt.Fprintf(&b, "  allowed_models = %s\n", list(c.models))
	}
	if c.admins != nil {
		fmt.Fprintf(&b, "  admins = %s\n", list(c.admins))
	}
	if c.noIsolation {
		b.WriteString("  network_isolation = false\n")
	}
	if c.version != 0 {
		fmt.Fprintf(&b, "  api_key_version = %d\n", c.version)
	}
	if c.billing {
		fmt.Fprintf(&b, "  billing {\n    plan_id = octollm_billing_plan.standard.id\n    email = \"billing@%s.example\"\n", c.name)
		if c.deleteCustomer {
			b.WriteString("    delete_customer = true\n")
		}
		b.WriteString("  }\n")
	}
	deleteTimeout := c.deleteTimeout
	if deleteTimeout == "" {
		deleteTimeout = "3m"
	}
	fmt.Fprintf(&b, "  deletion_protection = %t\n  timeouts {\n    delete = %q\n  }\n}\n", c.protect, deleteTimeout)
	return b.String()
}

var planHCL = acctest.BillingPlanHCL("standard")

// env is one test's world: its own platform namespace and its own Stripe account.
type env struct {
	t        *testing.T
	kube     kubernetes.Interface
	platform string
	key      string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	acctest.PreCheck(t)
	e := &env{t: t, kube: acctest.Kube(t), platform: acctest.RandomName("plat"), key: acctest.StripeKey(t)}
	ctx := context.Background()
	if _, err := e.kube.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: e.platform}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = e.kube.CoreV1().Namespaces().Delete(context.Background(), e.platform, metav1.DeleteOptions{})
	})
	return e
}

// cleanupTenants deletes tenant namespaces a failed test left behind.
func (e *env) cleanupTenants(names ...string) {
	e.t.Cleanup(func() {
		for _, n := range names {
			_ = e.kube.CoreV1().Namespaces().Delete(context.Background(), tenant.Namespace(n), metav1.DeleteOptions{})
		}
	})
}

// config is the provider block, the billing plan when any tenant is billed, and the tenants.
func (e *env) config(tenants ...tenantConfig) string {
	var b strings.Builder
	b.WriteString(acctest.StripeProvider(e.key, e.platform))
	for _, c := range tenants {
		if c.billing {
			b.WriteString(planHCL)
			break
		}
	}
	for _, c := range tenants {
		b.WriteString(c.hcl())
	}
	return b.String()
}

// record reads a tenant's key Secret back.
func (e *env) record(name string) (map[string]string, error) {
	sec, err := e.kube.CoreV1().Secrets(e.platform).Get(context.Background(), tenant.SecretName(name), metav1.GetOptions{})
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for k, v := range sec.Data {
		out[k] = string(v)
	}
	return out, nil
}

func attr(s *terraform.State, addr, key string) string {
	r := s.RootModule().Resources[addr]
	if r == nil {
		return ""
	}
	return r.Primary.Attributes[key]
}

// checkKey checks the Secret holds the hash and id of the key in the state, and never the key.
func (e *env) checkKey(name string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		key := attr(s, "octollm_tenant."+name, "api_key")
		if !strings.HasPrefix(key, "ollm_") {
			return fmt.Errorf("api_key %q does not start with ollm_", key)
		}
		rec, err := e.record(name)
		if err != nil {
			return err
		}
		for k, v := range rec {
			if strings.Contains(v, key) {
				return fmt.Errorf("the key Secret's %s contains the API key itself", k)
			}
		}
		if rec["key_sha256"] != tenant.KeyHash(key) || rec["key_id"] != attr(s, "octollm_tenant."+name, "api_key_id") {
			return fmt.Errorf("key Secret hash/id %s/%s do not match the state's key", rec["key_sha256"], rec["key_id"])
		}
		return nil
	}
}

// checkQuota checks the ResourceQuota's hard limits and the gateway's quota record.
func (e *env) checkQuota(name, cpu, memory string, pods, rpm int64, models string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		rq, err := e.kube.CoreV1().ResourceQuotas(tenant.Namespace(name)).Get(context.Background(), tenant.QuotaName, metav1.GetOptions{})
		if err != nil {
			return err
		}
		h := rq.Spec.Hard
		if h.Name("requests.cpu", "").String() != cpu || h.Name("limits.memory", "").String() != memory || h.Pods().Value() != pods {
			return fmt.Errorf("ResourceQuota hard = %v, want cpu %s memory %s pods %d", h, cpu, memory, pods)
		}
		rec, err := e.record(name)
		if err != nil {
			return err
		}
		var q tenant.Quota
		if err := json.Unmarshal([]byte(rec["quota"]), &q); err != nil {
			return err
		}
		if q.RequestsPerMinute != rpm || rec["allowed_models"] != models {
			return fmt.Errorf("gateway record: quota %+v models %s, want rpm %d models %s", q, rec["allowed_models"], rpm, models)
		}
		return nil
	}
}

func (e *env) checkGone(name string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if _, err := e.kube.CoreV1().Namespaces().Get(context.Background(), tenant.Namespace(name), metav1.GetOptions{}); !apierrors.IsNotFound(err) {
			return fmt.Errorf("namespace %s still exists after destroy (err %w)", tenant.Namespace(name), err)
		}
		if _, err := e.kube.CoreV1().Secrets(e.platform).Get(context.Background(), tenant.SecretName(name), metav1.GetOptions{}); !apierrors.IsNotFound(err) {
			return fmt.Errorf("key Secret of %s still exists after destroy (err %w)", name, err)
		}
		return nil
	}
}

// eventually retries check for up to 30 s: the RBAC authorizer's caches lag writes.
func eventually(check func() error) error {
	var err error
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(500 * time.Millisecond) {
		if err = check(); err == nil {
			return nil
		}
	}
	return err
}

type stripeAPI = *stripeclient.API

var metav1GetOptions = metav1.GetOptions{}
