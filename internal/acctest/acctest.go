// Package acctest is the one acceptance-test harness every package uses: it finds or starts
// the local sandbox, points the provider at it through the environment, and runs Terraform
// configurations through OpenTofu (or Terraform 1.5.7 with `make testacc-terraform`).
package acctest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/octollm/terraform-provider-octollm/internal/clients"
	"github.com/octollm/terraform-provider-octollm/internal/provider"
	"github.com/octollm/terraform-provider-octollm/internal/sandbox"
)

// ProtoV6ProviderFactories serves the provider in-process to every test configuration.
var ProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"octollm": providerserver.NewProtocol6WithError(provider.New("test")()),
}

var current *sandbox.State

// Sandbox returns the running sandbox; it is set by Main when TF_ACC is set.
func Sandbox() *sandbox.State { return current }

// Main runs a package's tests. With TF_ACC set it reuses the sandbox `make test` or
// `make sandbox` started (OCTOLLM_SANDBOX_DIR, else <repo>/.sandbox), or starts one of its own
// on free ports and stops it afterwards, even when tests fail.
func Main(m *testing.M) {
	if os.Getenv("TF_ACC") == "" {
		os.Exit(m.Run())
	}
	code, err := runWithSandbox(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, "acctest:", err)
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}

func runWithSandbox(m *testing.M) (int, error) {
	root, err := RepoRoot()
	if err != nil {
		return 1, err
	}
	if err := useCLI(root); err != nil {
		return 1, err
	}
	dir := os.Getenv("OCTOLLM_SANDBOX_DIR")
	if dir != "" {
		s, ok := sandbox.Running(dir)
		if !ok {
			return 1, fmt.Errorf("OCTOLLM_SANDBOX_DIR=%s has no running sandbox: start one with `make sandbox` or unset it", dir)
		}
		return runAgainst(m, s), nil
	}
	if s, ok := sandbox.Running(filepath.Join(root, ".sandbox")); ok {
		return runAgainst(m, s), nil
	}
	own, err := os.MkdirTemp("", "octollm-acctest-sandbox-")
	if err != nil {
		return 1, err
	}
	bin, err := sandboxBinary(root)
	if err != nil {
		return 1, err
	}
	base, err := FreePortBase()
	if err != nil {
		return 1, err
	}
	up := exec.Command(bin, "up", "--dir", own, "--bin", filepath.Join(root, "bin"))
	up.Env = append(os.Environ(), "OCTOLLM_SANDBOX_PORT_BASE="+strconv.Itoa(base))
	up.Stdout, up.Stderr = os.Stderr, os.Stderr
	defer func() {
		down := exec.Command(bin, "down", "--dir", own)
		down.Stdout, down.Stderr = os.Stderr, os.Stderr
		_ = down.Run()
	}()
	if err := up.Run(); err != nil {
		return 1, fmt.Errorf("start a sandbox for this package: %w", err)
	}
	s, ok := sandbox.Running(own)
	if !ok {
		return 1, fmt.Errorf("the sandbox in %s did not stay up; see %s/logs", own, own)
	}
	return runAgainst(m, s), nil
}

func runAgainst(m *testing.M, s *sandbox.State) int {
	current = s
	for _, kv := range s.Env() {
		_ = os.Setenv(kv[0], kv[1])
	}
	return m.Run()
}

// useCLI points terraform-plugin-testing at bin/tofu unless TF_ACC_TERRAFORM_PATH names
// another CLI; OpenTofu needs the provider address spelled for its registry.
func useCLI(root string) error {
	// A CLI configuration file named but missing only adds a warning to every error.
	if f := os.Getenv("TF_CLI_CONFIG_FILE"); f != "" {
		if _, err := os.Stat(f); err != nil { //nolint:gosec // the developer's own CLI configuration path
			_ = os.Unsetenv("TF_CLI_CONFIG_FILE")
		}
	}
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if cli == "" {
		cli = filepath.Join(root, "bin", "tofu")
		if _, err := os.Stat(cli); err != nil {
			return fmt.Errorf("%s not found: run `make tools` (or set TF_ACC_TERRAFORM_PATH)", cli)
		}
		_ = os.Setenv("TF_ACC_TERRAFORM_PATH", cli)
	}
	if strings.HasPrefix(filepath.Base(cli), "tofu") {
		setDefault("TF_ACC_PROVIDER_HOST", "registry.opentofu.org")
		setDefault("TF_ACC_PROVIDER_NAMESPACE", "octollm")
	}
	return nil
}

func setDefault(k, v string) {
	if os.Getenv(k) == "" {
		_ = os.Setenv(k, v)
	}
}

// sandboxBinary builds bin/octollm-sandbox from this checkout, so a package run by hand
// always uses the current emulators.
func sandboxBinary(root string) (string, error) {
	out := filepath.Join(root, "bin", "octollm-sandbox")
	cmd := exec.Command("go", "build", "-o", out, "./internal/sandbox/cmd/octollm-sandbox")
	cmd.Dir = root
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("build octollm-sandbox: %w", err)
	}
	return out, nil
}

// FreePortBase picks a base where every sandbox port is free, away from `make sandbox`'s and
// below the kernel's ephemeral range: a port that range hands to some client's outgoing
// connection between this check and the sandbox's listen would make the sandbox fail to start.
func FreePortBase() (int, error) {
	const lowest, span = 20000, 100
	slots := (ephemeralPortsFrom() - lowest) / span
	if slots < 10 {
		slots = 400 // no room below the ephemeral range: take the old band and rely on CheckFree
	}
	for i := 0; i < 50; i++ {
		n, err := rand.Int(rand.Reader, big.NewInt(int64(slots)))
		if err != nil {
			return 0, err
		}
		base := lowest + int(n.Int64())*span
		if sandbox.PortsFrom(base).CheckFree() == nil {
			return base, nil
		}
	}
	return 0, fmt.Errorf("found no free range of loopback ports for a sandbox")
}

// ephemeralPortsFrom is the first port of the kernel's ephemeral range (Linux's default 32768
// when it cannot be read).
func ephemeralPortsFrom() int {
	data, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range")
	if err != nil {
		return 32768
	}
	fields := strings.Fields(string(data))
	if len(fields) == 0 {
		return 32768
	}
	low, err := strconv.Atoi(fields[0])
	if err != nil {
		return 32768
	}
	return low
}

// RepoRoot finds the checkout's root from the working directory.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && strings.Contains(string(data), "module github.com/octollm/terraform-provider-octollm\n") {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("not inside the terraform-provider-octollm checkout")
		}
		dir = parent
	}
}

// PreCheck skips an acceptance test without TF_ACC, as resource.Test does, and fails fast
// when TF_ACC is set but the harness did not set the sandbox up. Call it first in any test
// that reads Sandbox() before resource.Test runs.
func PreCheck(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 (make test does) to run it against the sandbox")
	}
	if current == nil {
		t.Fatal("no sandbox: acceptance tests run through acctest.Main (TF_ACC=1)")
	}
}

// ErrorText matches an error message however Terraform wraps it: text is taken literally,
// except that "..." matches anything and every run of spaces matches any whitespace.
func ErrorText(text string) *regexp.Regexp {
	parts := strings.Split(text, "...")
	for i, p := range parts {
		words := strings.Fields(p)
		for j, w := range words {
			words[j] = regexp.QuoteMeta(w)
		}
		parts[i] = strings.Join(words, `\s+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(parts, `.*`))
}

// RandomName returns prefix-<6 hex>, unique enough for tests sharing one sandbox.
func RandomName(prefix string) string {
	b := make([]byte, 3)
	_, _ = rand.Read(b)
	return prefix + "-" + hex.EncodeToString(b)
}

// GKE returns a client for the sandbox's GKE emulator, for tests that change things out of band.
func GKE(t *testing.T) *clients.GKE {
	t.Helper()
	s := Sandbox()
	g, err := clients.NewGKE(context.Background(), clients.GKEConfig{
		Project: sandbox.Project, Location: sandbox.Location, Cluster: sandbox.Cluster,
		AccessToken: s.Token, Endpoint: s.GKEEndpoint(), Insecure: true,
	}, 30*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = g.Close() })
	return g
}

// Kube returns a clientset for the sandbox's apiserver.
func Kube(t *testing.T) kubernetes.Interface {
	t.Helper()
	cfg, err := clientcmd.BuildConfigFromFlags("", Sandbox().Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

// RequiredProviders names the provider's source as the harness serves it. The test framework
// adds this block to ordinary steps but not to import steps, where OpenTofu would otherwise
// look for hashicorp/octollm: configurations with import steps start with it.
func RequiredProviders() string {
	host, namespace := os.Getenv("TF_ACC_PROVIDER_HOST"), os.Getenv("TF_ACC_PROVIDER_NAMESPACE")
	if host == "" {
		host = "registry.terraform.io"
	}
	if namespace == "" {
		namespace = "hashicorp"
	}
	return fmt.Sprintf("terraform {\n  required_providers {\n    octollm = { source = %q }\n  }\n}\n", host+"/"+namespace+"/octollm")
}

// NoChanges is a step's plan checks for "this configuration changes nothing": the plan before
// the step's apply must be empty (a refresh that finds drift, or a read that disagrees with the
// configuration, fails it), and so must the plan after.
var NoChanges = resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}
