package reliability

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/octollm/terraform-provider-octollm/internal/acctest"
)

// platformResult is what one R1 run left on the backends after its apply.
type platformResult struct {
	kube   map[string]string
	stripe stripeCounts
	pools  []string // without the run's prefix
	faults injectedCounts
}

// r1Clean is the clean run's result, which R2 compares its converged platform with.
var r1Clean *platformResult

// runPlatform applies the quickstart platform with three billed tenants under the given fault
// rate on every backend (one apply must complete: retries, not failures), reads every backend
// with faults off, checks that the plan is empty and destroys it (with faults on again), and
// checks that the destroy left nothing of it.
func runPlatform(t *testing.T, route kubeFaultRoute, id string, rate float64) platformResult {
	t.Helper()
	r := newPlatformRun(t, id)
	t.Cleanup(func() {
		allFaults(t, route, 0)
		if out, err := r.tofu(context.Background(), "destroy", "-auto-approve", "-input=false", "-no-color"); err != nil {
			t.Logf("cleanup destroy: %v\n%s", err, tail(out, 3000))
		}
	})
	before := readInjected(t, route)
	allFaults(t, route, rate)
	r.apply()
	allFaults(t, route, 0)
	res := platformResult{
		kube:   kubeSnapshot(t, r.roles(), r.namespaces()...),
		stripe: countStripe(t, r.stripeKey),
	}
	for _, p := range nodePools(t, r.poolPrefix()) {
		res.pools = append(res.pools, strings.TrimPrefix(p, r.poolPrefix()))
	}
	allFaults(t, route, rate)
	r.planEmpty("after the apply")
	r.destroy()
	allFaults(t, route, 0)
	res.faults = readInjected(t, route).since(before)
	if left := kubeSnapshot(t, r.roles(), r.namespaces()...); len(left) > 0 {
		t.Errorf("destroy left %d managed objects: %v", len(left), slices.Sorted(mapsKeys(left)))
	}
	if left := nodePools(t, r.poolPrefix()); len(left) > 0 {
		t.Errorf("destroy left GKE node pools %v", left)
	}
	if c := countStripe(t, r.stripeKey); c.LiveSubscriptions > 0 {
		t.Errorf("destroy left %d live Stripe subscriptions", c.LiveSubscriptions)
	}
	return res
}

// roles maps the run's names to their roles, so two runs' objects compare equal.
func (r *platformRun) roles() map[string]string {
	m := map[string]string{r.namespace(): "PLATFORM", r.poolPrefix(): "POOL-"}
	for i, name := range r.tenants() {
		m[name] = fmt.Sprintf("TENANT%d", i)
	}
	return m
}

// namespaces are the platform's namespace and its tenants'.
func (r *platformRun) namespaces() []string {
	ns := []string{r.namespace()}
	for _, name := range r.tenants() {
		ns = append(ns, "tenant-"+name)
	}
	return ns
}

// checkStripe counts duplicates: each tenant's customer and subscription exactly once, and the
// same totals as the clean run.
func checkStripe(t *testing.T, tenants []string, clean, got stripeCounts) (duplicates int) {
	t.Helper()
	for _, name := range tenants {
		if n := got.CustomersPerTenant[name]; n != 1 {
			t.Errorf("tenant %s has %d Stripe customers, want 1", name, n)
			duplicates += max(n-1, 0)
		}
		if n := got.SubscriptionsPerTenant[name]; n != 1 {
			t.Errorf("tenant %s has %d Stripe subscriptions, want 1", name, n)
			duplicates += max(n-1, 0)
		}
	}
	for _, k := range []struct {
		what       string
		want, have int
	}{
		{"customers", clean.Customers, got.Customers}, {"subscriptions", clean.Subscriptions, got.Subscriptions},
		{"products", clean.Products, got.Products}, {"prices", clean.Prices, got.Prices}, {"meters", clean.Meters, got.Meters},
	} {
		if k.have != k.want {
			t.Errorf("Stripe %s: %d, the clean run made %d", k.what, k.have, k.want)
			duplicates += max(k.have-k.want, 0)
		}
	}
	return duplicates
}

// TestAccReliability_R1PlatformFaults (issue 16, R1): the quickstart platform with three billed
// tenants, applied once without faults and once with 20% faults on the apiserver (429 with
// Retry-After, 500, 503, connection resets), GKE (Unavailable) and Stripe (500 api_error) at
// once. Both applies complete in one go, the next plan is empty, destroy completes, and the
// backends hold the same objects: Kubernetes objects equal, the same Stripe customers,
// subscriptions, products, prices and meters (each tenant's customer once), the same GKE pools.
func TestAccReliability_R1PlatformFaults(t *testing.T) {
	requireFullSuite(t)
	acctest.PreCheck(t)
	route := faultRoute(t)
	t.Cleanup(func() { allFaults(t, route, 0) })
	suffix := strings.TrimPrefix(acctest.RandomName("x"), "x-")
	cleanRun, faultRun := "r1c"+suffix, "r1f"+suffix

	clean := runPlatform(t, route, cleanRun, 0)
	if len(clean.kube) == 0 || clean.stripe.Customers != 3 || len(clean.pools) == 0 {
		t.Fatalf("the clean run made %d Kubernetes objects, %s, pools %v: want objects, 3 customers and pools", len(clean.kube), clean.stripe, clean.pools)
	}
	r1Clean = &clean
	faulted := runPlatform(t, route, faultRun, 0.2)

	diffs, extra := diffSnapshots(clean.kube, faulted.kube)
	if len(diffs) > 0 {
		t.Errorf("Kubernetes objects differ between the runs without and with faults:\n%s", strings.Join(diffs, "\n"))
	}
	var tenants []string
	for i := range 3 {
		tenants = append(tenants, fmt.Sprintf("%s0t%c", faultRun, 'a'+i))
	}
	dupStripe := checkStripe(t, tenants, clean.stripe, faulted.stripe)
	extraPools := 0
	for _, p := range faulted.pools {
		if !slices.Contains(clean.pools, p) {
			extraPools++
		}
	}
	if !slices.Equal(clean.pools, faulted.pools) {
		t.Errorf("GKE node pools differ: without faults %v, with faults %v", clean.pools, faulted.pools)
	}
	f := faulted.faults
	if f.kube == 0 || f.gke == 0 || f.stripe == 0 {
		t.Errorf("faults injected: apiserver %d, GKE %d, Stripe %d: every backend should have failed some requests", f.kube, f.gke, f.stripe)
	}
	report(t, "R1", "quickstart platform, 3 billed tenants, 20%% faults on every backend: faults injected apiserver %d, GKE %d, Stripe %d; "+
		"objects compared: %d Kubernetes, %d Stripe (%s), %d GKE pools; duplicates found: Kubernetes %d, Stripe %d, GKE %d; %d Kubernetes objects differ",
		f.kube, f.gke, f.stripe, len(clean.kube), clean.stripe.objects(), clean.stripe, len(clean.pools), extra, dupStripe, extraPools, len(diffs))
}
