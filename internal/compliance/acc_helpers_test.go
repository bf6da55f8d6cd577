package compliance_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/octollm/terraform-provider-octollm/internal/acctest"
	"github.com/octollm/terraform-provider-octollm/internal/clients"
	"github.com/octollm/terraform-provider-octollm/internal/compliance"
)

func TestMain(m *testing.M) { acctest.Main(m) }

// platformNS is the provider's platform namespace in the sandbox (OCTOLLM_NAMESPACE).
const platformNS = "octollm"

// hardenedGKE is the seeded cluster's security configuration, restored after each test that
// changes it.
const hardenedGKE = `{
  "databaseEncryption": {"state": "ENCRYPTED", "keyName": "projects/octollm-sandbox/locations/us-central1/keyRings/octollm/cryptoKeys/etcd-secrets", "currentState": "CURRENT_STATE_ENCRYPTED"},
  "loggingConfig": {"componentConfig": {"enableComponents": ["SYSTEM_COMPONENTS", "WORKLOADS", "APISERVER"]}},
  "workloadIdentityConfig": {"workloadPool": "octollm-sandbox.svc.id.goog"},
  "shieldedNodes": {"enabled": true},
  "binaryAuthorization": {"evaluationMode": "PROJECT_SINGLETON_POLICY_ENFORCE"}
}`

// setGKESecurity changes the sandbox GKE cluster's security fields (GKE's JSON shape) and
// restores the hardened ones when the test ends.
func setGKESecurity(t *testing.T, body string) {
	t.Helper()
	putGKESecurity(t, body)
	t.Cleanup(func() { putGKESecurity(t, hardenedGKE) })
}

func putGKESecurity(t *testing.T, body string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPut, fmt.Sprintf("http://127.0.0.1:%d/gke/cluster-security", acctest.Sandbox().Ports.EmulatorsAdmin), strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("PUT /gke/cluster-security: %d %s", resp.StatusCode, b)
	}
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return c
}

// providerKube is the provider's own Kubernetes client on the sandbox.
func providerKube(t *testing.T) *clients.Kube {
	t.Helper()
	cfg, err := clientcmd.BuildConfigFromFlags("", acctest.Sandbox().Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	k, err := clients.NewKube(cfg, "test", 30*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// ensureNamespace creates a namespace with labels and annotations if it does not exist;
// with cleanup it is deleted when the test ends.
func ensureNamespace(t *testing.T, cs kubernetes.Interface, name string, labels, annotations map[string]string, cleanup bool) *corev1.Namespace {
	t.Helper()
	ns, err := cs.CoreV1().Namespaces().Create(ctx(t), &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels, Annotations: annotations}}, metav1.CreateOptions{})
	if apierrors.IsAlreadyExists(err) {
		ns, err = cs.CoreV1().Namespaces().Get(ctx(t), name, metav1.GetOptions{})
	}
	if err != nil {
		t.Fatal(err)
	}
	if cleanup {
		t.Cleanup(func() { _ = cs.CoreV1().Namespaces().Delete(context.Background(), name, metav1.DeleteOptions{}) })
	}
	return ns
}

// evidenceRecords returns the lines of a control's evidence history.
func evidenceRecords(t *testing.T, cs kubernetes.Interface, framework, id string) []string {
	t.Helper()
	c, _ := compliance.Lookup(framework, id)
	cm, err := cs.CoreV1().ConfigMaps(platformNS).Get(ctx(t), compliance.EvidenceName(c), metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSpace(cm.Data[compliance.RecordsKey]), "\n")
}

// dropEvidence deletes a control's evidence ConfigMap, for tests that count records.
func dropEvidence(t *testing.T, cs kubernetes.Interface, framework, id string) {
	t.Helper()
	c, _ := compliance.Lookup(framework, id)
	err := cs.CoreV1().ConfigMaps(platformNS).Delete(ctx(t), compliance.EvidenceName(c), metav1.DeleteOptions{})
	if err != nil && !apierrors.IsNotFound(err) {
		t.Fatal(err)
	}
}

func controlHCL(name, framework, id, enforcement, scope, extra string) string {
	return fmt.Sprintf(`resource "octollm_compliance_control" %q {
  framework   = %q
  control_id  = %q
  enforcement = %q
  scope {
    %s
  }
  %s
}
`, name, framework, id, enforcement, scope, extra)
}

// unisolatedTenantHCL is a tenant without network isolation, so a control's default deny is
// what its namespace gets.
func unisolatedTenantHCL(resource, name string) string {
	return fmt.Sprintf(`resource "octollm_tenant" %q {
  name                = %q
  network_isolation   = false
  deletion_protection = false
  timeouts {
    delete = "3m"
  }
}
`, resource, name)
}

// networkControlsHCL enforces SOC 2 CC6.6 ("net") and then GDPR Art.25 ("psa") on all tenants,
// after the given tenant. Art.25 takes CC6.6's default deny as its own evidence, so CC6.6 is
// the one that writes the policy.
func networkControlsHCL(tenant string) string {
	return controlHCL("net", "soc2", "CC6.6", "enforce", "all_tenants = true", "depends_on = ["+tenant+"]") +
		controlHCL("psa", "gdpr", "Art.25", "enforce", "all_tenants = true", "depends_on = ["+tenant+", octollm_compliance_control.net]")
}
