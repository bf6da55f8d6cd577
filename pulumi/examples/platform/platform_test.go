package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optrefresh"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/octollm/terraform-provider-octollm/internal/gateway/image"
	"github.com/octollm/terraform-provider-octollm/internal/sandbox"
	"github.com/octollm/terraform-provider-octollm/internal/tenant"
)

// The dev stack's tenant whose quota the test changes and edits out of band.
const quotaTenant = "dev-acme"

// TestDevStack runs the dev stack of this program through the Automation API (an inline
// program: this test process is the language host) against the sandbox in
// OCTOLLM_SANDBOX_DIR, with bin/pulumi and the provider plugin bin/pulumi-resource-octollm
// found on PATH, a file:// backend and the passphrase secrets provider in temporary
// directories. make pulumi-test starts the sandbox and builds both binaries.
func TestDevStack(t *testing.T) {
	// Only when asked (make pulumi-test): `go test ./...` in pulumi/ with a sandbox (as
	// scripts/testacc.sh runs the bridge's tests) would otherwise run it a second time.
	if os.Getenv("OCTOLLM_PULUMI_TEST") == "" {
		t.Skip("set OCTOLLM_PULUMI_TEST=1 and OCTOLLM_SANDBOX_DIR to a running sandbox (make pulumi-test does)")
	}
	dir := os.Getenv("OCTOLLM_SANDBOX_DIR")
	if dir == "" {
		t.Fatal("OCTOLLM_PULUMI_TEST is set but OCTOLLM_SANDBOX_DIR is not: run `make pulumi-test`")
	}
	sb, ok := sandbox.Running(dir)
	if !ok {
		t.Fatalf("OCTOLLM_SANDBOX_DIR=%s has no running sandbox", dir)
	}
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(root, "bin")
	for _, f := range []string{"pulumi", "pulumi-resource-octollm"} {
		if _, err := os.Stat(filepath.Join(bin, f)); err != nil {
			t.Fatalf("bin/%s is missing: run `make pulumi-test` (it builds bin/pulumi with tools/install.sh and the plugin with make pulumi-build)", f)
		}
	}
	ctx := t.Context()

	// The gateway's image, pushed to the sandbox's registry: the component resolves its tag
	// to a digest. Its pods never run (kwok nodes), so any file stands in for the binary.
	tag := "pulumi-" + randomHex(t, 4)
	repo := sb.RegistryHost() + "/octollm/gateway"
	img, err := image.Build([]byte("#!/bin/true\n"), image.HostPlatform(), image.Metadata{Version: tag, Revision: "pulumi-test", Created: time.Unix(0, 0).UTC()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := image.Push(ctx, img, repo+":"+tag); err != nil {
		t.Fatal(err)
	}

	// The provider's settings from the sandbox's environment, except the Stripe key: it comes
	// from the stack's secret configuration, so it is in the state only as ciphertext.
	stripeKey := "sk_test_" + randomHex(t, 12)
	pulumiHome, backend := t.TempDir(), t.TempDir()
	env := map[string]string{
		"PULUMI_BACKEND_URL":       "file://" + filepath.ToSlash(backend),
		"PULUMI_CONFIG_PASSPHRASE": "octollm-pulumi-test",
		"PULUMI_HOME":              pulumiHome,
		"PULUMI_SKIP_UPDATE_CHECK": "true",
		// No plugin download (there is no internet): the provider plugin must be found on
		// PATH, as an ambient plugin, which PULUMI_IGNORE_AMBIENT_PLUGINS would turn off.
		"PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
		"PULUMI_IGNORE_AMBIENT_PLUGINS":               "",
		"PATH":                                        bin + string(os.PathListSeparator) + os.Getenv("PATH"),
	}
	for _, kv := range sb.Env() {
		env[kv[0]] = kv[1]
	}
	delete(env, "STRIPE_API_KEY")
	t.Setenv("STRIPE_API_KEY", "")
	for k, v := range env {
		t.Setenv(k, v)
	}

	work := t.TempDir()
	for _, f := range []string{"Pulumi.yaml", "Pulumi.dev.yaml"} {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(work, f), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cli, err := auto.NewPulumiCommand(&auto.PulumiCommandOptions{Root: root})
	if err != nil {
		t.Fatalf("bin/pulumi: %v", err)
	}
	stack, err := auto.UpsertStackInlineSource(ctx, "dev", "octollm-platform", Program,
		auto.WorkDir(work), auto.Pulumi(cli), auto.EnvVars(env), auto.PulumiHome(pulumiHome), auto.SecretsProvider("passphrase"))
	if err != nil {
		t.Fatal(err)
	}
	destroyed := false
	t.Cleanup(func() {
		if !destroyed {
			// A failed test still leaves nothing behind in the sandbox.
			_, _ = stack.Destroy(context.Background(), optdestroy.ProgressStreams(testWriter{t}))
		}
	})
	if err := stack.SetConfig(ctx, "stripeApiKey", auto.ConfigValue{Value: stripeKey, Secret: true}); err != nil {
		t.Fatal(err)
	}
	setPlatform(ctx, t, stack, func(p map[string]any) {
		gw := p["gateway"].(map[string]any)
		gw["imageRepository"], gw["imageTag"] = repo, tag
	})

	// up: everything created.
	up, err := stack.Up(ctx, optup.ProgressStreams(testWriter{t}))
	if err != nil {
		t.Fatalf("up: %v", err)
	}
	if got := up.Outputs["namespace"].Value; got != "octollm-dev" {
		t.Errorf("output namespace = %v, want octollm-dev", got)
	}
	if got, want := up.Outputs["gatewayUrl"].Value, "http://gateway.octollm-dev.svc.cluster.local:8080"; got != want {
		t.Errorf("output gatewayUrl = %v, want %s", got, want)
	}
	keysOut := up.Outputs["tenantApiKeys"]
	keys, _ := keysOut.Value.(map[string]any)
	if !keysOut.Secret || len(keys) != 2 {
		t.Fatalf("output tenantApiKeys = secret %v, %d keys: want a secret with both tenants' keys", keysOut.Secret, len(keys))
	}
	var secrets []string
	for name, k := range keys {
		s, _ := k.(string)
		if !strings.HasPrefix(s, "ollm_") {
			t.Errorf("tenant %s's API key %q is not an ollm_ key", name, s)
		}
		secrets = append(secrets, s)
	}
	tenants, _ := up.Outputs["tenants"].Value.(map[string]any)
	acme, _ := tenants[quotaTenant].(map[string]any)
	if sub, _ := acme["stripeSubscriptionId"].(string); !strings.HasPrefix(sub, "sub_") {
		t.Errorf("tenant %s has Stripe subscription %q, want sub_...", quotaTenant, sub)
	}

	// Secrets: the API keys and the Stripe key are in the stack's state only encrypted, as
	// `pulumi stack export` shows it (stack.Export passes --show-secrets), and nowhere in the
	// backend's files or the stack's configuration in plaintext.
	state := run(t, work, bin, "stack", "export", "--stack", "dev")
	for _, s := range append(secrets, stripeKey) {
		if bytes.Contains(state, []byte(s)) {
			t.Errorf("the stack's state holds the secret %s in plaintext", redact(s))
		}
		for _, f := range filesContaining(t, []byte(s), backend, work) {
			t.Errorf("%s holds the secret %s in plaintext", f, redact(s))
		}
	}
	if n := bytes.Count(state, []byte(`"ciphertext"`)); n < len(secrets)+1 {
		t.Errorf("the stack's state has %d ciphertexts, want at least %d (each tenant's key and the Stripe key)", n, len(secrets)+1)
	}
	// The same values decrypted, so the search above looked for what is really there.
	if plain := export(ctx, t, stack); !bytes.Contains(plain, []byte(stripeKey)) || !bytes.Contains(plain, []byte(secrets[0])) {
		t.Errorf("the decrypted state has no Stripe key or tenant key: the secrets check searched for the wrong values")
	}

	// A second up changes nothing.
	again, err := stack.Up(ctx, optup.ExpectNoChanges(), optup.ProgressStreams(testWriter{t}))
	if err != nil {
		t.Fatalf("second up: %v", err)
	}
	if changes := changed(again.Summary.ResourceChanges); len(changes) > 0 {
		t.Errorf("second up changed %v, want no changes", changes)
	}

	// One tenant's quota changed: an update in place, not a replacement.
	setPlatform(ctx, t, stack, func(p map[string]any) {
		tenant := p["tenants"].(map[string]any)[quotaTenant].(map[string]any)
		tenant["quota"] = map[string]any{"requestsPerMinute": 120}
	})
	evs := make(chan events.EngineEvent)
	steps := collect(evs)
	res, err := stack.Up(ctx, optup.EventStreams(evs), optup.ProgressStreams(testWriter{t}))
	if err != nil {
		t.Fatalf("up with a new quota: %v", err)
	}
	ops := <-steps
	tenantOps := ops["octollm:index:Tenant::platform-tenant-"+quotaTenant]
	if len(tenantOps) != 1 || tenantOps[0] != apitype.OpUpdate {
		t.Errorf("the quota change made the steps %v for tenant %s, want one update: all steps %v", tenantOps, quotaTenant, ops)
	}
	if got := changed(res.Summary.ResourceChanges); len(got) != 1 || got["update"] != 1 {
		t.Errorf("the quota change made %v, want exactly one update", got)
	}

	// Out of band: the tenant's ResourceQuota edited with client-go; refresh shows the drift.
	kube := kubeClient(t, sb)
	ns := tenant.Namespace(quotaTenant)
	rq, err := kube.CoreV1().ResourceQuotas(ns).Get(ctx, tenant.QuotaName, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rq.Spec.Hard["pods"] = mustQuantity(t, "999")
	if _, err := kube.CoreV1().ResourceQuotas(ns).Update(ctx, rq, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	ref, err := stack.Refresh(ctx, optrefresh.ProgressStreams(testWriter{t}))
	if err != nil {
		t.Fatalf("refresh: %v", err)
	}
	if got := changed(ref.Summary.ResourceChanges); got["update"] < 1 {
		t.Errorf("refresh after the out-of-band edit reported %v, want the tenant updated", got)
	}
	status := resourceOutput(t, export(ctx, t, stack), "octollm:index:Tenant", "platform-tenant-"+quotaTenant, "syncStatus")
	if s, _ := status.(string); !strings.HasPrefix(s, "drifted") || !strings.Contains(s, tenant.QuotaName) {
		t.Errorf("after refresh tenant %s has syncStatus %q, want drifted naming %s", quotaTenant, status, tenant.QuotaName)
	}

	// destroy: nothing left in the stack, and no process of this test's Pulumi left running.
	des, err := stack.Destroy(ctx, optdestroy.ProgressStreams(testWriter{t}))
	if err != nil {
		t.Fatalf("destroy: %v", err)
	}
	destroyed = true
	if got := changed(des.Summary.ResourceChanges); got["delete"] < 10 {
		t.Errorf("destroy reported %v, want every resource deleted", got)
	}
	if n := bytes.Count(export(ctx, t, stack), []byte(`"urn"`)); n != 0 {
		t.Errorf("after destroy the state still has %d resources", n)
	}
	if left := processesWithEnv("PULUMI_HOME=" + pulumiHome); len(left) > 0 {
		t.Errorf("processes of this test's Pulumi still running after destroy: %v", left)
	}
	if err := stack.Workspace().RemoveStack(ctx, "dev"); err != nil {
		t.Errorf("remove the stack: %v", err)
	}
}

// run runs bin/pulumi in the stack's directory with the test's environment.
func run(t *testing.T, dir, bin string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(filepath.Join(bin, "pulumi"), append(args, "--non-interactive")...) //nolint:gosec // the test's own CLI
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pulumi %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return out
}

// filesContaining lists the files under dirs whose content holds secret.
func filesContaining(t *testing.T, secret []byte, dirs ...string) []string {
	t.Helper()
	var found []string
	for _, dir := range dirs {
		err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(path) //nolint:gosec // the test's own temporary directories
			if err != nil {
				return err
			}
			if bytes.Contains(data, secret) {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return found
}

func redact(s string) string { return s[:8] + "..." + s[len(s)-4:] }

// setPlatform changes the stack's platform configuration object.
func setPlatform(ctx context.Context, t *testing.T, stack auto.Stack, change func(map[string]any)) {
	t.Helper()
	v, err := stack.GetConfig(ctx, "platform")
	if err != nil {
		t.Fatal(err)
	}
	var p map[string]any
	if err := json.Unmarshal([]byte(v.Value), &p); err != nil {
		t.Fatalf("the platform configuration is not an object: %v: %s", err, v.Value)
	}
	change(p)
	data, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := stack.SetConfig(ctx, "platform", auto.ConfigValue{Value: string(data)}); err != nil {
		t.Fatal(err)
	}
}

func export(ctx context.Context, t *testing.T, stack auto.Stack) []byte {
	t.Helper()
	d, err := stack.Export(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return d.Deployment
}

// resourceOutput is one output of the resource of type typ and name in an exported deployment.
func resourceOutput(t *testing.T, deployment []byte, typ, name, key string) any {
	t.Helper()
	var d apitype.DeploymentV3
	if err := json.Unmarshal(deployment, &d); err != nil {
		t.Fatal(err)
	}
	for _, r := range d.Resources {
		if string(r.Type) == typ && strings.HasSuffix(string(r.URN), "::"+name) {
			return r.Outputs[key]
		}
	}
	t.Fatalf("no %s %s in the state", typ, name)
	return nil
}

// collect gathers the step operations of an operation's engine events, by "type::name".
func collect(evs <-chan events.EngineEvent) <-chan map[string][]apitype.OpType {
	out := make(chan map[string][]apitype.OpType, 1)
	go func() {
		ops := map[string][]apitype.OpType{}
		for e := range evs {
			if e.ResourcePreEvent == nil {
				continue
			}
			m := e.ResourcePreEvent.Metadata
			if m.Op == apitype.OpSame {
				continue
			}
			parts := strings.Split(m.URN, "::")
			key := m.Type + "::" + parts[len(parts)-1]
			ops[key] = append(ops[key], m.Op)
		}
		out <- ops
	}()
	return out
}

// changed is a summary's resource changes other than "same".
func changed(c *map[string]int) map[string]int {
	out := map[string]int{}
	if c == nil {
		return out
	}
	for op, n := range *c {
		if op != string(apitype.OpSame) && n > 0 {
			out[op] = n
		}
	}
	return out
}

func kubeClient(t *testing.T, sb *sandbox.State) kubernetes.Interface {
	t.Helper()
	cfg, err := clientcmd.BuildConfigFromFlags("", sb.Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	c, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// processesWithEnv lists the processes (pid and command) whose environment holds kv.
func processesWithEnv(kv string) []string {
	var found []string
	procs, _ := filepath.Glob("/proc/[0-9]*/environ")
	for _, p := range procs {
		data, err := os.ReadFile(p) //nolint:gosec // /proc entries
		if err != nil {
			continue
		}
		for _, e := range bytes.Split(data, []byte{0}) {
			if string(e) == kv {
				pid := filepath.Base(filepath.Dir(p))
				if pid == fmt.Sprint(os.Getpid()) {
					break
				}
				cmd, _ := os.ReadFile(filepath.Join(filepath.Dir(p), "cmdline")) //nolint:gosec // /proc entries
				found = append(found, pid+" "+strings.ReplaceAll(string(cmd), "\x00", " "))
				break
			}
		}
	}
	return found
}

func randomHex(t *testing.T, n int) string {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// testWriter sends Pulumi's progress output to the test log.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

func mustQuantity(t *testing.T, s string) resource.Quantity {
	t.Helper()
	q, err := resource.ParseQuantity(s)
	if err != nil {
		t.Fatal(err)
	}
	return q
}
