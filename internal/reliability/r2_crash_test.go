package reliability

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/octollm/terraform-provider-octollm/internal/acctest"
)

// r2SeedEnv fixes R2's random kill points (default: the time); the report gives the seed used.
const r2SeedEnv = "OCTOLLM_RELIABILITY_R2_SEED"

const (
	r2Kills = 10
	// r2MaxReapplies bounds the re-applies after one kill.
	r2MaxReapplies = 4
)

// providerPIDs are the provider plugin processes the CLI (pid) started.
func providerPIDs(pid int) []int {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	var pids []int
	for _, e := range entries {
		child, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...: comm may hold spaces, so read after the last ')'.
		s := string(stat)
		fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
		if len(fields) < 2 || fields[1] != strconv.Itoa(pid) {
			continue
		}
		if exe, err := os.Readlink(filepath.Join("/proc", e.Name(), "exe")); err == nil && filepath.Base(exe) == "terraform-provider-octollm" {
			pids = append(pids, child)
		}
	}
	return pids
}

var lockID = regexp.MustCompile(`(?m)^\s*ID:\s+(\S+)`)

// killedApply is one apply that R2 killed (or that finished before its kill point).
type killedApply struct {
	what    string // "CLI and provider" or "provider only"
	delay   time.Duration
	landed  bool // the process was killed while the apply ran
	reapply int  // re-applies until one succeeded
}

// killApply starts an apply and SIGKILLs, after delay, the CLI's whole process group (the CLI
// and its provider) or only the provider plugin, then waits for the CLI to end.
func (r *platformRun) killApply(delay time.Duration, providerOnly bool) killedApply {
	r.t.Helper()
	k := killedApply{what: "CLI and provider", delay: delay}
	if providerOnly {
		k.what = "provider only"
	}
	cmd, out := r.command(context.Background(), "apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=10")
	if err := cmd.Start(); err != nil {
		r.t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		r.t.Logf("kill %s after %v: the apply ended first (%v)", k.what, delay, err)
		return k
	case <-time.After(delay):
	}
	if !providerOnly {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		k.landed = true
	} else {
		// Between two of its runs (validate, plan, apply) the CLI has no provider: wait for one.
	poll:
		for range 100 {
			if pids := providerPIDs(cmd.Process.Pid); len(pids) > 0 {
				for _, p := range pids {
					_ = syscall.Kill(p, syscall.SIGKILL)
				}
				k.landed = true
				break
			}
			select {
			case err := <-done:
				done <- err
				break poll
			case <-time.After(50 * time.Millisecond):
			}
		}
	}
	select {
	case err := <-done:
		r.t.Logf("the killed CLI ended: %v", err)
	case <-time.After(5 * time.Minute):
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		r.t.Logf("the CLI, killed again: %v", <-done)
		r.t.Fatalf("the CLI did not end within 5 minutes of its provider's kill:\n%s", tail(out.String(), 3000))
	}
	r.t.Logf("killed %s after %v (landed %v); the CLI's last output:\n%s", k.what, delay, k.landed, tail(out.String(), 1500))
	return k
}

// converge re-applies until one apply succeeds (at most r2MaxReapplies), releasing a stale
// state lock with force-unlock as a user would when the CLI says the state is locked.
func (r *platformRun) converge(unlocks *int) int {
	r.t.Helper()
	for attempt := 1; attempt <= r2MaxReapplies; attempt++ {
		out, err := r.tofu(context.Background(), "apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=10")
		if err == nil {
			return attempt
		}
		if strings.Contains(out, "Error acquiring the state lock") {
			if m := lockID.FindStringSubmatch(out); m != nil {
				r.must("force-unlock", "-force", m[1])
				*unlocks++
				continue
			}
		}
		r.t.Logf("re-apply %d failed: %v\n%s", attempt, err, tail(out, 4000))
	}
	r.t.Fatalf("the platform did not converge in %d re-applies", r2MaxReapplies)
	return 0
}

// TestAccReliability_R2CrashedApplies (issue 16, R2): the quickstart platform's apply (three
// billed tenants) is SIGKILLed 10 times at seeded random points, alternately the CLI with its
// provider (its process group, as a CI runner's timeout does) and only the provider plugin.
// The first kill lands in the first apply from nothing; each later one in an apply that
// replaces the three tenants and the four node pools with new ones (fresh names), so every
// kill meets Kubernetes, GKE and Stripe writes in flight. After each kill, re-applies (at most
// 4) converge and the plan is empty. At the end: no duplicate or orphan on any backend (each
// tenant's Stripe customer and subscription once, no live subscription of a replaced tenant,
// no replaced tenant's namespace, the Kubernetes objects a clean apply makes, GKE pools
// exactly the state's), and destroy leaves nothing.
func TestAccReliability_R2CrashedApplies(t *testing.T) {
	requireFullSuite(t)
	acctest.PreCheck(t)
	route := faultRoute(t)
	allFaults(t, route, 0)
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv(r2SeedEnv); s != "" {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("%s=%q: not an unsigned integer", r2SeedEnv, s)
		}
		seed = v
	}
	t.Logf("R2 seed %d (rerun the same kill points with %s=%d)", seed, r2SeedEnv, seed)
	rng := rand.New(rand.NewPCG(seed, 0x5232)) //nolint:gosec // reproducible kill points, not secrets
	r := newPlatformRun(t, "r2"+strings.TrimPrefix(acctest.RandomName("x"), "x-"))
	t.Cleanup(func() {
		if out, err := r.tofu(context.Background(), "destroy", "-auto-approve", "-input=false", "-no-color", "-lock=false"); err != nil {
			t.Logf("cleanup destroy: %v\n%s", err, tail(out, 3000))
		}
	})

	var kills []killedApply
	unlocks, landed := 0, 0
	var everTenants, everPrefixes []string
	for i := range r2Kills {
		if i > 0 {
			r.cycle = i
			r.writeOverride()
		}
		everTenants = append(everTenants, r.tenants()...)
		everPrefixes = append(everPrefixes, r.poolPrefix())
		// The first apply makes everything (about 90 s on the sandbox), later ones replace
		// tenants and pools (about 60 s): kill within the first 30 s.
		delay := time.Second + time.Duration(rng.Int64N(int64(29*time.Second))).Round(100*time.Millisecond)
		k := r.killApply(delay, i%2 == 1)
		k.reapply = r.converge(&unlocks)
		r.planEmpty(fmt.Sprintf("after kill %d (%s after %v) and %d re-applies", i+1, k.what, delay, k.reapply))
		if k.landed {
			landed++
		}
		kills = append(kills, k)
	}
	if landed == 0 {
		t.Fatal("no kill landed during an apply: every apply ended before its kill point")
	}

	// Orphans and duplicates, backend by backend.
	ids := r.stateIDs()
	orphans := map[string]int{}
	dups := map[string]int{}
	// Kubernetes: the namespaces of every replaced tenant are gone; the platform's objects are
	// those a clean apply makes (R1's clean run, when it ran in this process).
	kube := acctest.Kube(t)
	for _, name := range everTenants {
		if slices.Contains(r.tenants(), name) {
			continue
		}
		if _, err := kube.CoreV1().Namespaces().Get(context.Background(), "tenant-"+name, metav1.GetOptions{}); err == nil {
			t.Errorf("namespace tenant-%s of a replaced tenant still exists", name)
			orphans["kube"]++
		}
	}
	snap := kubeSnapshot(t, r.roles(), r.namespaces()...)
	compared := "not compared with a clean apply (R1 did not run)"
	if r1Clean != nil {
		diffs, extra := diffSnapshots(r1Clean.kube, snap)
		orphans["kube"] += extra
		if len(diffs) > 0 {
			t.Errorf("after the crashes the Kubernetes objects differ from a clean apply's:\n%s", strings.Join(diffs, "\n"))
		}
		compared = fmt.Sprintf("equal to a clean apply's: %d differ", len(diffs))
	}
	// Stripe: each tenant ever made has one customer and one subscription; replaced tenants'
	// subscriptions are canceled.
	sc := countStripe(t, r.stripeKey)
	for _, name := range everTenants {
		if n := sc.CustomersPerTenant[name]; n != 1 {
			t.Errorf("tenant %s has %d Stripe customers, want 1", name, n)
			dups["stripe"] += max(n-1, 0)
		}
		if n := sc.SubscriptionsPerTenant[name]; n != 1 {
			t.Errorf("tenant %s has %d Stripe subscriptions, want 1", name, n)
			dups["stripe"] += max(n-1, 0)
		}
		if live := sc.LivePerTenant[name]; live > 0 && !slices.Contains(r.tenants(), name) {
			t.Errorf("replaced tenant %s still has %d live Stripe subscriptions", name, live)
			orphans["stripe"] += live
		}
	}
	if r1Clean != nil {
		for _, k := range []struct {
			what       string
			want, have int
		}{{"products", r1Clean.stripe.Products, sc.Products}, {"prices", r1Clean.stripe.Prices, sc.Prices}, {"meters", r1Clean.stripe.Meters, sc.Meters}} {
			if k.have != k.want {
				t.Errorf("Stripe %s: %d, a clean apply makes %d", k.what, k.have, k.want)
				dups["stripe"] += max(k.have-k.want, 0)
			}
		}
	}
	// GKE: the pools of every prefix used are exactly the state's.
	var inState []string
	for _, id := range ids["octollm_node_pool"] {
		inState = append(inState, id[strings.LastIndexByte(id, '/')+1:])
	}
	pools := nodePools(t, r.id)
	for _, p := range pools {
		if !slices.Contains(inState, p) {
			t.Errorf("GKE node pool %s is not in the state", p)
			orphans["gke"]++
		}
	}
	for _, p := range inState {
		if !slices.Contains(pools, p) {
			t.Errorf("GKE node pool %s is in the state but not in GKE", p)
		}
	}

	r.destroy()
	if left := kubeSnapshot(t, r.roles(), r.namespaces()...); len(left) > 0 {
		t.Errorf("destroy left %d managed objects: %v", len(left), slices.Sorted(mapsKeys(left)))
		orphans["kube"] += len(left)
	}
	if left := nodePools(t, r.id); len(left) > 0 {
		t.Errorf("destroy left GKE node pools %v", left)
		orphans["gke"] += len(left)
	}
	// The last tenants' subscriptions (replaced tenants' were counted above).
	after := countStripe(t, r.stripeKey)
	for _, name := range r.tenants() {
		if live := after.LivePerTenant[name]; live > 0 {
			t.Errorf("destroy left %d live Stripe subscriptions of tenant %s", live, name)
			orphans["stripe"] += live
		}
	}

	var points []string
	reapplies := 0
	for _, k := range kills {
		mark := ""
		if !k.landed {
			mark = " (apply ended first)"
		}
		points = append(points, fmt.Sprintf("%s@%v%s", map[string]string{"CLI and provider": "cli", "provider only": "provider"}[k.what], k.delay, mark))
		reapplies += k.reapply
	}
	report(t, "R2", "seed %d; %d kills (%d landed mid-apply: %s), each converged to an empty plan in %d re-applies in all, %d force-unlocks; "+
		"%d tenants and %d pool sets made; orphans: Kubernetes %d, Stripe %d, GKE %d; duplicates: Stripe %d; Kubernetes objects %s",
		seed, len(kills), landed, strings.Join(points, " "), reapplies, unlocks, len(everTenants), len(everPrefixes),
		orphans["kube"], orphans["stripe"], orphans["gke"], dups["stripe"], compared)
}
