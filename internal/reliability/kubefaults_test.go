package reliability

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/octollm/terraform-provider-octollm/internal/acctest"
	"github.com/octollm/terraform-provider-octollm/internal/sandbox"
	"github.com/octollm/terraform-provider-octollm/internal/sandbox/faults"
)

// kubeFaultRoute is a way to the apiserver through a fault proxy: the client config of the
// provider's side and a function that PUTs the proxy's settings.
type kubeFaultRoute struct {
	cfg *rest.Config
	set func(t *testing.T, settings string)
	url string // the control endpoint
	// kubernetesBlock is the provider's kubernetes block that goes through the proxy; empty when
	// the sandbox's GKE emulator already hands the proxy out.
	kubernetesBlock string
}

// injected is how many faults the proxy injected so far, of every kind.
func (r kubeFaultRoute) injected(t *testing.T) int {
	t.Helper()
	resp, err := http.Get(r.url) //nolint:noctx // loopback test control endpoint
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	var body struct{ Injected map[string]int }
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range body.Injected {
		n += c
	}
	return n
}

// faultRoute is the sandbox's own proxy when it started with apiserver faults (its
// kubeconfig-faults and the emulators' /faults/kube), else a proxy served in this test in front
// of the same apiserver with the same certificate, so the test runs on every sandbox.
func faultRoute(t *testing.T) kubeFaultRoute {
	t.Helper()
	s := acctest.Sandbox()
	if s.KubeFaults {
		cfg, err := clientcmd.BuildConfigFromFlags("", s.ProviderKubeconfig())
		if err != nil {
			t.Fatal(err)
		}
		admin := fmt.Sprintf("http://127.0.0.1:%d/faults/kube", s.Ports.EmulatorsAdmin)
		return kubeFaultRoute{cfg: cfg, set: func(t *testing.T, body string) { putSettings(t, admin, body) }, url: admin}
	}
	inj, err := faults.NewKube(faults.KubeSettings{}, 1)
	if err != nil {
		t.Fatal(err)
	}
	block, cfg := acctest.KubeFaultProxy(t, inj)
	control := httptest.NewServer(inj.ControlHandler())
	t.Cleanup(control.Close)
	return kubeFaultRoute{cfg: cfg, set: func(t *testing.T, body string) { putSettings(t, control.URL, body) }, url: control.URL, kubernetesBlock: block}
}

func putSettings(t *testing.T, url, body string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPut, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("PUT %s %s: %s %s", url, body, resp.Status, b)
	}
}

const noKubeFaults = `{"error_rate":0,"kinds":[],"verbs":[],"path_prefix":"","retry_after_seconds":0}`

// TestKubeFaultProxy_faultsReachClientGo: with every GET of one namespace failing with 503,
// client-go sees the apiserver's ServiceUnavailable for exactly that object, lists and other
// objects still work, and a watch under the faulted path streams its events.
func TestKubeFaultProxy_faultsReachClientGo(t *testing.T) {
	acctest.PreCheck(t)
	route := faultRoute(t)
	route.set(t, `{"error_rate":1,"kinds":["503"],"verbs":["get"],"path_prefix":"/api/v1/namespaces/kube-system"}`)
	t.Cleanup(func() { route.set(t, noKubeFaults) })
	kube, err := kubernetes.NewForConfig(route.cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	_, err = kube.CoreV1().Namespaces().Get(ctx, "kube-system", metav1.GetOptions{})
	if !apierrors.IsServiceUnavailable(err) || !strings.Contains(err.Error(), "injected fault") {
		t.Fatalf("GET namespace kube-system through 100%% 503 = %v, want the injected ServiceUnavailable", err)
	}
	if _, err := kube.CoreV1().Namespaces().Get(ctx, "default", metav1.GetOptions{}); err != nil {
		t.Errorf("GET namespace default (path not selected) = %v", err)
	}
	if _, err := kube.CoreV1().ConfigMaps("kube-system").List(ctx, metav1.ListOptions{}); err != nil {
		t.Errorf("LIST configmaps in kube-system (verb not selected) = %v", err)
	}

	// Every verb under kube-system now fails, but a watch passes and streams.
	route.set(t, `{"verbs":[]}`)
	if _, err := kube.CoreV1().ConfigMaps("kube-system").List(ctx, metav1.ListOptions{}); !apierrors.IsServiceUnavailable(err) {
		t.Fatalf("LIST configmaps in kube-system with every verb faulted = %v, want ServiceUnavailable", err)
	}
	w, err := kube.CoreV1().ConfigMaps("kube-system").Watch(ctx, metav1.ListOptions{ResourceVersion: "0"})
	if err != nil {
		t.Fatalf("WATCH configmaps in kube-system with every verb faulted = %v; watches must pass", err)
	}
	defer w.Stop()
	name := acctest.RandomName("kube-fault-watch")
	direct := acctest.Kube(t)
	if _, err := direct.CoreV1().ConfigMaps("kube-system").Create(ctx, &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: name}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = direct.CoreV1().ConfigMaps("kube-system").Delete(context.Background(), name, metav1.DeleteOptions{})
	})
	for {
		select {
		case ev, ok := <-w.ResultChan():
			if !ok {
				t.Fatal("the watch through the proxy ended before it saw the new ConfigMap")
			}
			if cm, isCM := ev.Object.(*corev1.ConfigMap); isCM && ev.Type == watch.Added && cm.Name == name {
				return
			}
		case <-ctx.Done():
			t.Fatal("the watch through the proxy never delivered the new ConfigMap")
		}
	}
}

// TestKubeFaultProxy_sandboxHandsTheProxyToTheProvider: a sandbox started with apiserver faults
// gives the provider the proxy (its GKE cluster endpoint and OCTOLLM_SANDBOX_KUBECONFIG), and
// keeps the apiserver's own address for its components and the tests' checks.
func TestKubeFaultProxy_sandboxHandsTheProxyToTheProvider(t *testing.T) {
	acctest.PreCheck(t)
	s := acctest.Sandbox()
	if !s.KubeFaults {
		t.Skipf("this sandbox started without %s_ERROR_RATE: `make reliability` starts one with it", sandbox.KubeFaultEnvPrefix)
	}
	cluster, err := acctest.GKE(t).GetCluster(context.Background(), fmt.Sprintf("projects/%s/locations/%s/clusters/%s", sandbox.Project, sandbox.Location, sandbox.Cluster))
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("127.0.0.1:%d", s.Ports.KubeFaultProxy); cluster.Endpoint != want {
		t.Errorf("GKE cluster endpoint %q, want the fault proxy %s", cluster.Endpoint, want)
	}
	if got := os.Getenv("OCTOLLM_SANDBOX_KUBECONFIG"); got != s.ProviderKubeconfig() || got == s.Kubeconfig {
		t.Errorf("OCTOLLM_SANDBOX_KUBECONFIG = %q, want the fault proxy's kubeconfig", got)
	}
	cfg, err := clientcmd.BuildConfigFromFlags("", s.Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Host != s.APIServerURL() {
		t.Errorf("the sandbox's own kubeconfig points at %s, want the apiserver %s", cfg.Host, s.APIServerURL())
	}
}
