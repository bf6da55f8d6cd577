package reliability

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	tfjson "github.com/hashicorp/terraform-json"

	"cloud.google.com/go/container/apiv1/containerpb"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/octollm/terraform-provider-octollm/internal/acctest"
	"github.com/octollm/terraform-provider-octollm/internal/sandbox"
)

// The quickstart platform (examples/quickstart through modules/platform) applied with the
// OpenTofu CLI itself, in a directory of its own, so R1 and R2 see what a user's `tofu apply`
// does and R2 can kill it.

// gatewayImageTag is the tag the gateway image is pushed under once per test binary.
const gatewayImageTag = "reliability"

var pushGatewayImage = sync.OnceValues(func() (string, error) {
	root, err := acctest.RepoRoot()
	if err != nil {
		return "", err
	}
	repo := fmt.Sprintf("127.0.0.1:%d/octollm/gateway", acctest.Sandbox().Ports.Registry)
	// The prebuilt gateway (make build) in the image: R1 and R2 never run it, only its digest.
	cmd := exec.Command(filepath.Join(root, "bin", "octollm-image"), "--dir", root, "--repository", repo, "--tag", gatewayImageTag,
		"--binary", filepath.Join(root, "bin", "octollm-gateway"), "--version", gatewayImageTag, "--revision", "0000000", "--created", "0")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if out, err := cmd.Output(); err != nil {
		return "", fmt.Errorf("pushing the gateway image with octollm-image (run `make build`): %w\n%s%s", err, out, stderr.String())
	}
	return repo, nil
})

// platformRun is one workspace of the quickstart with three billed tenants, its own Stripe
// account (key), platform namespace, tenant names and node pool prefix, all derived from id.
type platformRun struct {
	t         *testing.T
	id        string // short, lower case, unique: every name below starts with it
	dir       string
	root      string
	stripeKey string
	env       []string
	cycle     int // R2 renames the tenants and pools per cycle
}

func newPlatformRun(t *testing.T, id string) *platformRun {
	t.Helper()
	repo, err := pushGatewayImage()
	if err != nil {
		t.Fatal(err)
	}
	root, err := acctest.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	// A local module source must be relative (an absolute path is a remote package to tofu).
	rel, err := filepath.Rel(dir, filepath.Join(root, "modules", "platform"))
	if err != nil {
		t.Fatal(err)
	}
	main, err := os.ReadFile(filepath.Join(root, "examples", "quickstart", "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(main, []byte(`"../../modules/platform"`)) {
		t.Fatal("examples/quickstart/main.tf no longer sources ../../modules/platform")
	}
	main = bytes.Replace(main, []byte(`"../../modules/platform"`), []byte(fmt.Sprintf("%q", filepath.ToSlash(rel))), 1)
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), main, 0o600); err != nil {
		t.Fatal(err)
	}
	// scripts/dev-overrides.sh's CLI configuration: the provider from bin/ (make build).
	rc, err := exec.Command("bash", filepath.Join(root, "scripts", "dev-overrides.sh"), filepath.Join(root, "bin")).Output()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "dev.tfrc"), rc, 0o600); err != nil {
		t.Fatal(err)
	}
	r := &platformRun{t: t, id: id, dir: dir, root: root, stripeKey: acctest.StripeKey(t)}
	r.env = append(os.Environ(),
		"TF_CLI_CONFIG_FILE="+filepath.Join(dir, "dev.tfrc"), "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1",
		"TF_VAR_namespace="+r.namespace(), "TF_VAR_gateway_image_repository="+repo, "TF_VAR_gateway_image_tag="+gatewayImageTag,
		"STRIPE_API_KEY="+r.stripeKey)
	r.writeOverride()
	if out, err := r.tofu(context.Background(), "get", "-no-color"); err != nil {
		t.Fatalf("tofu get: %v\n%s", err, out)
	}
	return r
}

func (r *platformRun) namespace() string { return r.id + "p" }

// tenants are the three billed tenants of the current cycle.
func (r *platformRun) tenants() []string {
	return []string{fmt.Sprintf("%s%dta", r.id, r.cycle), fmt.Sprintf("%s%dtb", r.id, r.cycle), fmt.Sprintf("%s%dtc", r.id, r.cycle)}
}

func (r *platformRun) poolPrefix() string { return fmt.Sprintf("%s%d-", r.id, r.cycle) }

// writeOverride writes override.tf: the quickstart's module with three billed tenants and this
// cycle's node pool prefix (OpenTofu merges an override file's module arguments into main.tf's).
func (r *platformRun) writeOverride() {
	r.t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "module \"platform\" {\n  node_pool_name_prefix = %q\n  tenants = {\n", r.poolPrefix())
	for _, name := range r.tenants() {
		fmt.Fprintf(&b, "    %s = { display_name = \"Tenant %s\", allowed_models = [\"gpt-4o-mini\", \"claude-haiku-4-5\"], billing_email = \"billing@%s.example\" }\n",
			name, name, name)
	}
	b.WriteString("  }\n}\n")
	// The quickstart's outputs name its tenants demo and acme: the first two stand in for them.
	for i, out := range []string{"demo_api_key", "acme_api_key"} {
		fmt.Fprintf(&b, "\noutput %q {\n  value     = module.platform.tenant_api_keys[%q]\n  sensitive = true\n}\n", out, r.tenants()[i])
	}
	if err := os.WriteFile(filepath.Join(r.dir, "override.tf"), []byte(b.String()), 0o600); err != nil {
		r.t.Fatal(err)
	}
}

// command is the CLI in its own process group, so a kill of the group takes its provider too.
func (r *platformRun) command(ctx context.Context, args ...string) (*exec.Cmd, *bytes.Buffer) {
	cmd := exec.CommandContext(ctx, filepath.Join(r.root, "bin", "tofu"), args...) //nolint:gosec // the pinned CLI
	cmd.Dir, cmd.Env = r.dir, r.env
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	return cmd, &out
}

func (r *platformRun) tofu(ctx context.Context, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	cmd, out := r.command(ctx, args...)
	err := cmd.Run()
	return out.String(), err
}

// must runs tofu and fails the test with its output when it fails.
func (r *platformRun) must(args ...string) string {
	r.t.Helper()
	out, err := r.tofu(context.Background(), args...)
	if err != nil {
		r.t.Fatalf("tofu %s: %v\n%s", strings.Join(args, " "), err, tail(out, 6000))
	}
	return out
}

func (r *platformRun) apply() string {
	r.t.Helper()
	return r.must("apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=10")
}

// planEmpty fails the test unless the plan has no changes (-detailed-exitcode 0).
func (r *platformRun) planEmpty(when string) {
	r.t.Helper()
	out, err := r.tofu(context.Background(), "plan", "-detailed-exitcode", "-input=false", "-no-color")
	if err != nil {
		r.t.Fatalf("the plan %s is not empty (%v):\n%s", when, err, tail(out, 6000))
	}
}

func (r *platformRun) destroy() {
	r.t.Helper()
	r.must("destroy", "-auto-approve", "-input=false", "-no-color", "-parallelism=10")
}

// stateIDs is every resource instance's id in the state, by type.
func (r *platformRun) stateIDs() map[string][]string {
	r.t.Helper()
	out := r.must("show", "-json", "-no-color")
	var st tfjson.State
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		r.t.Fatalf("tofu show -json: %v", err)
	}
	ids := map[string][]string{}
	if st.Values == nil {
		return ids
	}
	var walk func(m *tfjson.StateModule)
	walk = func(m *tfjson.StateModule) {
		for _, res := range m.Resources {
			if res.Mode == tfjson.ManagedResourceMode {
				id, _ := res.AttributeValues["id"].(string)
				ids[res.Type] = append(ids[res.Type], id)
			}
		}
		for _, c := range m.ChildModules {
			walk(c)
		}
	}
	walk(st.Values.RootModule)
	return ids
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "...\n" + s[len(s)-n:]
}

// --- The backends, read directly (never through the fault proxy or with faults on). ---

// skippedKinds are written by controllers, not by the provider (they carry an owner reference
// or copy a template's labels).
var skippedKinds = []string{"pods", "replicasets", "events", "endpoints", "endpointslices", "controllerrevisions"}

// idPattern matches the ids Stripe hands out and timePattern the times (compliance evidence's
// evaluated_at), which differ between runs.
var (
	idPattern   = regexp.MustCompile(`\b(cus|sub|si|prod|price|mtr)_[A-Za-z0-9]+`)
	timePattern = regexp.MustCompile(`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})`)
)

// kubeSnapshot is every object the provider wrote (label managed-by, no owner) in the run's
// platform namespace and its tenants' namespaces, of every namespaced kind the apiserver
// serves, plus those namespaces; keyed by kind and name, without what the apiserver sets, with
// the run's names replaced by their roles so two runs compare equal.
func kubeSnapshot(t *testing.T, names map[string]string, namespaces ...string) map[string]string {
	t.Helper()
	cfg, err := clientcmd.BuildConfigFromFlags("", acctest.Sandbox().Kubeconfig) // direct, never faulted
	if err != nil {
		t.Fatal(err)
	}
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	disc, err := discovery.NewDiscoveryClientForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	lists, err := discovery.ServerPreferredNamespacedResources(disc)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	sel := metav1.ListOptions{LabelSelector: "app.kubernetes.io/managed-by=terraform-provider-octollm"}
	// Longest first, so a tenant's name is replaced before the id it starts with.
	olds := slices.Collect(func(yield func(string) bool) {
		for k := range names {
			if !yield(k) {
				return
			}
		}
	})
	sort.Slice(olds, func(i, j int) bool { return len(olds[i]) > len(olds[j]) })
	var pairs []string
	for _, o := range olds {
		pairs = append(pairs, o, names[o])
	}
	normalize := strings.NewReplacer(pairs...)
	out := map[string]string{}
	add := func(kind string, obj map[string]any, name, ns string) {
		delete(obj, "status")
		meta, _ := obj["metadata"].(map[string]any)
		obj["metadata"] = map[string]any{"name": name, "namespace": ns, "labels": meta["labels"], "annotations": meta["annotations"]}
		if spec, ok := obj["spec"].(map[string]any); ok && kind == "services" {
			delete(spec, "clusterIP") // the apiserver's draw
			delete(spec, "clusterIPs")
		}
		// Compliance evidence's records say what each evaluation saw when it ran: the two
		// controls, applied in parallel, may or may not see each other's deny policy yet.
		if data, ok := obj["data"].(map[string]any); ok && kind == "configmaps" && strings.HasPrefix(name, "compliance-evidence-") {
			if _, ok := data["records.jsonl"]; ok {
				data["records.jsonl"] = "<evaluation records>"
			}
		}
		if kind == "secrets" {
			for _, field := range []string{"data", "stringData"} {
				if data, ok := obj[field].(map[string]any); ok {
					for k := range data {
						data[k] = "<value>"
					}
				}
			}
		}
		b, err := json.Marshal(obj)
		if err != nil {
			t.Fatal(err)
		}
		// The compliance controls applied in parallel share the default_deny_network
		// mechanism: a control writes its deny policy only where no default deny exists yet,
		// so which of them writes a namespace's depends on their order (seen in R1: CC6.6 first
		// under faults, CC6.1 first without). Compare that the namespace has one.
		if kind == "networkpolicies" && strings.HasPrefix(name, "compliance-") && strings.HasSuffix(name, "-deny") {
			out[normalize.Replace(kind+" "+ns+"/compliance-*-deny")] = "a compliance default deny"
			return
		}
		out[normalize.Replace(kind+" "+ns+"/"+name)] = timePattern.ReplaceAllString(idPattern.ReplaceAllString(normalize.Replace(string(b)), "${1}_X"), "<time>")
	}
	nsList, err := dyn.Resource(schema.GroupVersionResource{Version: "v1", Resource: "namespaces"}).List(ctx, sel)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range nsList.Items {
		if slices.Contains(namespaces, o.GetName()) {
			add("namespaces", o.Object, o.GetName(), "")
		}
	}
	for _, l := range lists {
		gv, err := schema.ParseGroupVersion(l.GroupVersion)
		if err != nil {
			t.Fatal(err)
		}
		for _, res := range l.APIResources {
			if slices.Contains(skippedKinds, res.Name) || !slices.Contains(res.Verbs, "list") || strings.Contains(res.Name, "/") {
				continue
			}
			gvr := gv.WithResource(res.Name)
			for _, ns := range namespaces {
				list, err := dyn.Resource(gvr).Namespace(ns).List(ctx, sel)
				if err != nil {
					t.Fatalf("list %s in %s: %v", gvr, ns, err)
				}
				for _, o := range list.Items {
					if len(o.GetOwnerReferences()) == 0 {
						add(res.Name, o.Object, o.GetName(), ns)
					}
				}
			}
		}
	}
	return out
}

// diffSnapshots lists the objects that differ, are missing or are extra in got.
func diffSnapshots(want, got map[string]string) (diffs []string, extra int) {
	for _, k := range slices.Sorted(mapsKeys(want)) {
		switch g, ok := got[k]; {
		case !ok:
			diffs = append(diffs, k+": missing")
		case g != want[k]:
			diffs = append(diffs, fmt.Sprintf("%s:\n  want %s\n  got  %s", k, want[k], g))
		}
	}
	for _, k := range slices.Sorted(mapsKeys(got)) {
		if _, ok := want[k]; !ok {
			diffs = append(diffs, k+": extra (a duplicate or an orphan)")
			extra++
		}
	}
	return diffs, extra
}

func mapsKeys(m map[string]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// stripeCounts is what one Stripe account holds: totals per kind, and customers and
// subscriptions (every status) per tenant (their octollm_tenant metadata).
type stripeCounts struct {
	Customers, Subscriptions, LiveSubscriptions, Products, Prices, Meters int
	CustomersPerTenant, SubscriptionsPerTenant, LivePerTenant             map[string]int
}

func (c stripeCounts) String() string {
	return fmt.Sprintf("%d customers, %d subscriptions (%d live), %d products, %d prices, %d meters",
		c.Customers, c.Subscriptions, c.LiveSubscriptions, c.Products, c.Prices, c.Meters)
}

// objects is how many Stripe objects the counts cover.
func (c stripeCounts) objects() int {
	return c.Customers + c.Subscriptions + c.Products + c.Prices + c.Meters
}

func countStripe(t *testing.T, key string) stripeCounts {
	t.Helper()
	list := func(path string) []map[string]any {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, acctest.Sandbox().StripeURL()+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = resp.Body.Close() }()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %s %s", path, resp.Status, body)
		}
		var page struct {
			Data    []map[string]any `json:"data"`
			HasMore bool             `json:"has_more"`
		}
		if err := json.Unmarshal(body, &page); err != nil {
			t.Fatal(err)
		}
		if page.HasMore {
			t.Fatalf("GET %s: more than one page; the counts would be short", path)
		}
		return page.Data
	}
	tenantOf := func(o map[string]any) string {
		md, _ := o["metadata"].(map[string]any)
		s, _ := md["octollm_tenant"].(string)
		return s
	}
	c := stripeCounts{CustomersPerTenant: map[string]int{}, SubscriptionsPerTenant: map[string]int{}, LivePerTenant: map[string]int{}}
	for _, o := range list("/v1/customers?limit=100") {
		c.Customers++
		c.CustomersPerTenant[tenantOf(o)]++
	}
	for _, o := range list("/v1/subscriptions?limit=100&status=all") {
		c.Subscriptions++
		c.SubscriptionsPerTenant[tenantOf(o)]++
		if s, _ := o["status"].(string); s != "canceled" && s != "incomplete_expired" {
			c.LiveSubscriptions++
			c.LivePerTenant[tenantOf(o)]++
		}
	}
	c.Products = len(list("/v1/products?limit=100"))
	c.Prices = len(list("/v1/prices?limit=100"))
	c.Meters = len(list("/v1/billing/meters?limit=100"))
	return c
}

// nodePools lists the GKE emulator's pools whose names start with prefix.
func nodePools(t *testing.T, prefix string) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	resp, err := acctest.GKE(t).Client.ListNodePools(ctx, &containerpb.ListNodePoolsRequest{
		Parent: fmt.Sprintf("projects/%s/locations/%s/clusters/%s", sandbox.Project, sandbox.Location, sandbox.Cluster)})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range resp.NodePools {
		if strings.HasPrefix(p.Name, prefix) {
			names = append(names, p.Name)
		}
	}
	slices.Sort(names)
	return names
}

// --- Faults on the three backends. ---

// emulatorFaults PUTs the GKE or Stripe emulator's fault settings (which "gke" or "stripe").
func emulatorFaults(t *testing.T, which, body string) {
	t.Helper()
	putSettings(t, fmt.Sprintf("http://127.0.0.1:%d/faults/%s", acctest.Sandbox().Ports.EmulatorsAdmin, which), body)
}

// emulatorInjected is how many failures the GKE or Stripe emulator injected so far.
func emulatorInjected(t *testing.T, which string) int {
	t.Helper()
	resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/faults/%s", acctest.Sandbox().Ports.EmulatorsAdmin, which)) //nolint:noctx // loopback
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	var body struct {
		Injected *int `json:"injected"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	if body.Injected == nil {
		t.Fatalf("GET /faults/%s has no injected count: rebuild the sandbox (make build)", which)
	}
	return *body.Injected
}

// injectedCounts are the faults injected so far on the apiserver, GKE and Stripe.
type injectedCounts struct{ kube, gke, stripe int }

func readInjected(t *testing.T, route kubeFaultRoute) injectedCounts {
	t.Helper()
	return injectedCounts{kube: route.injected(t), gke: emulatorInjected(t, "gke"), stripe: emulatorInjected(t, "stripe")}
}

func (c injectedCounts) since(before injectedCounts) injectedCounts {
	return injectedCounts{kube: c.kube - before.kube, gke: c.gke - before.gke, stripe: c.stripe - before.stripe}
}

// allFaults turns on rate (0 to turn off) on every backend: the apiserver's 429 with
// Retry-After, 500, 503 and connection resets; GKE's Unavailable; Stripe's 500 api_error.
func allFaults(t *testing.T, route kubeFaultRoute, rate float64) {
	t.Helper()
	if rate == 0 {
		route.set(t, noKubeFaults)
	} else {
		route.set(t, fmt.Sprintf(`{"error_rate":%g,"kinds":["429","500","503","reset"],"verbs":[],"path_prefix":"","retry_after_seconds":1}`, rate))
	}
	emulatorFaults(t, "gke", fmt.Sprintf(`{"error_rate":%g,"latency":"0s","only":""}`, rate))
	emulatorFaults(t, "stripe", fmt.Sprintf(`{"error_rate":%g,"latency":"0s","only":""}`, rate))
}
