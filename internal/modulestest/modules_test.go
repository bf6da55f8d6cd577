// Package modulestest runs `tofu test` for the Terraform modules in modules/ against the
// acceptance-test sandbox, through scripts/tofu-test.sh, so `make test` covers them.
package modulestest_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/octollm/terraform-provider-octollm/internal/acctest"
)

func TestMain(m *testing.M) { acctest.Main(m) }

// Every module with a tests/ directory: its plan-time tests (defaults, variable validation) and
// its apply tests, which create a small platform in the sandbox and destroy it; then every
// environment of examples/environments (one root, a tfvars file each) is validated and planned
// against the sandbox. The
// provider is built from this checkout and reached through dev_overrides, as a module author
// would.
func TestAccModules(t *testing.T) {
	acctest.PreCheck(t)
	root, err := acctest.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	tested, err := filepath.Glob(filepath.Join(root, "modules", "*", "tests"))
	if err != nil || len(tested) == 0 {
		t.Fatalf("no modules/*/tests in %s (%v)", root, err)
	}
	var dirs []string
	for _, d := range tested {
		dirs = append(dirs, filepath.Join("modules", filepath.Base(filepath.Dir(d))))
	}
	// The environments root, planned once per environment's tfvars file.
	envs, err := filepath.Glob(filepath.Join(root, "examples", "environments", "*.tfvars"))
	if err != nil || len(envs) == 0 {
		t.Fatalf("no examples/environments/*.tfvars in %s (%v)", root, err)
	}
	for _, e := range envs {
		dirs = append(dirs, filepath.Join("examples", "environments", filepath.Base(e)))
	}
	providerDir := t.TempDir()
	build := exec.Command("go", "build", "-o", filepath.Join(providerDir, "terraform-provider-octollm"), ".")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the provider: %v\n%s", err, out)
	}
	// The suites are OpenTofu's test files; under Terraform 1.5.7 (make testacc-terraform),
	// which has no .tftest.hcl support, they still run through bin/tofu.
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if !strings.HasPrefix(filepath.Base(cli), "tofu") {
		cli = filepath.Join(root, "bin", "tofu")
	}
	for _, dir := range dirs {
		name := strings.TrimSuffix(filepath.Base(dir), ".tfvars")
		t.Run(dir, func(t *testing.T) {
			cmd := exec.CommandContext(t.Context(), "bash", filepath.Join(root, "scripts", "tofu-test.sh"), dir)
			cmd.Dir = root
			cmd.Env = append(os.Environ(),
				"OCTOLLM_SANDBOX_DIR="+acctest.Sandbox().Dir,
				"OCTOLLM_PROVIDER_DIR="+providerDir,
				"TF_ACC_TERRAFORM_PATH="+cli,
				"OCTOLLM_MODULES_NAMESPACE=octollm-modules-"+name,
				// An account of its own: other packages' Stripe checks never see these customers.
				"OCTOLLM_MODULES_STRIPE_API_KEY="+acctest.StripeKey(t),
			)
			out, err := cmd.CombinedOutput()
			t.Logf("scripts/tofu-test.sh %s:\n%s", dir, out)
			if err != nil {
				t.Fatalf("scripts/tofu-test.sh %s failed: %v", dir, err)
			}
		})
	}
}
