package acctest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// CheckoutCLI is what a test needs to run the CLI itself (rather than through
// terraform-plugin-testing) with the provider built from this checkout, as a module author does.
type CheckoutCLI struct {
	// Root is the repository's root directory.
	Root string
	// Bin is the CLI: TF_ACC_TERRAFORM_PATH, or bin/tofu.
	Bin string
	// ProviderDir holds terraform-provider-octollm, built from this checkout for the test.
	ProviderDir string
	// Config is scripts/dev-overrides.sh's CLI configuration for ProviderDir; pass it as
	// TF_CLI_CONFIG_FILE (Env does).
	Config string
}

// NewCheckoutCLI builds the provider from this checkout into a temporary directory and writes the
// dev_overrides CLI configuration that points both registries' octollm/octollm at it.
func NewCheckoutCLI(t testing.TB) *CheckoutCLI {
	t.Helper()
	root, err := RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	c := &CheckoutCLI{Root: root, Bin: os.Getenv("TF_ACC_TERRAFORM_PATH"), ProviderDir: BuildProvider(t)}
	if c.Bin == "" {
		c.Bin = filepath.Join(root, "bin", "tofu")
	}
	overrides, err := exec.Command("bash", filepath.Join(root, "scripts", "dev-overrides.sh"), c.ProviderDir).Output()
	if err != nil {
		t.Fatalf("scripts/dev-overrides.sh: %v", err)
	}
	c.Config = filepath.Join(t.TempDir(), "cli.tfrc")
	if err := os.WriteFile(c.Config, overrides, 0o600); err != nil {
		t.Fatal(err)
	}
	return c
}

// Env is the process environment with the CLI configuration and automation settings added.
func (c *CheckoutCLI) Env() []string {
	return append(os.Environ(), "TF_CLI_CONFIG_FILE="+c.Config, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")
}

// BuildProvider builds terraform-provider-octollm from this checkout into a temporary directory
// and returns the directory.
func BuildProvider(t testing.TB) string {
	t.Helper()
	root, err := RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	build := exec.Command("go", "build", "-o", filepath.Join(dir, "terraform-provider-octollm"), ".")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the provider: %v\n%s", err, out)
	}
	return dir
}

// CheckoutRequiredProviders is the terraform block naming the provider as a CheckoutCLI's
// dev_overrides serve it (octollm/octollm, the registry address users write).
const CheckoutRequiredProviders = "terraform {\n  required_providers {\n    octollm = { source = \"octollm/octollm\" }\n  }\n}\n"

// BilledPlatformHCL starts a configuration run through a CheckoutCLI: the terraform block, the
// provider in namespace with Stripe's key from the sensitive variable stripe_api_key (pass it as
// TF_VAR_stripe_api_key, so the key is in neither the files nor the CLI's arguments), and
// octollm_platform.this creating that namespace, without deletion protection.
func BilledPlatformHCL(namespace string) string {
	return CheckoutRequiredProviders + fmt.Sprintf(`
provider "octollm" {
  namespace = %[1]q
  stripe {
    api_key = var.stripe_api_key
  }
}

variable "stripe_api_key" {
  type      = string
  sensitive = true
}

resource "octollm_platform" "this" {
  namespace           = %[1]q
  deletion_protection = false
}
`, namespace)
}
