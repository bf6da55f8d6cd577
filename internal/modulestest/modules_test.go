// Package modulestest runs the Terraform modules' tests, so `make test` covers them: in the unit
// pass (no TF_ACC), every module's plan-time `tofu test` files (mock_provider, no sandbox) and
// `terraform validate` with HashiCorp Terraform 1.5.7 on every module and example root; with
// TF_ACC, the apply tests against the acceptance-test sandbox, through scripts/tofu-test.sh.
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
	providerDir := acctest.BuildProvider(t)
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

// unitOnly skips a test that needs no sandbox in the acceptance pass, which `make test` runs
// after the unit pass: it ran there already.
func unitOnly(t *testing.T) string {
	t.Helper()
	if os.Getenv("TF_ACC") != "" {
		t.Skip("runs in the unit pass (go test without TF_ACC)")
	}
	root, err := acctest.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// TestTerraformValidate: every module and example root initializes and validates under
// HashiCorp Terraform 1.5.7 (bin/terraform), the lowest version their versions.tf declare, which
// OpenTofu's tests cannot show: a variable validation referring to another variable, for one,
// is an error there ("Invalid reference in variable validation") and fine in OpenTofu.
func TestTerraformValidate(t *testing.T) {
	t.Parallel() // in a scratch copy of the configurations
	root := unitOnly(t)
	cli := filepath.Join(root, "bin", "terraform")
	if _, err := os.Stat(cli); err != nil {
		t.Fatalf("no Terraform CLI at %s: run `make tools` (%v)", cli, err)
	}
	cmd := exec.CommandContext(t.Context(), "bash", filepath.Join(root, "scripts", "terraform-validate.sh"))
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "OCTOLLM_PROVIDER_DIR="+acctest.BuildProvider(t), "OCTOLLM_VALIDATE_CLI="+cli)
	out, err := cmd.CombinedOutput()
	t.Logf("scripts/terraform-validate.sh:\n%s", out)
	if err != nil {
		t.Fatalf("scripts/terraform-validate.sh failed: %v", err)
	}
}

// TestModulesPlan: every module's plan tests (tests/*.tftest.hcl files with
// `mock_provider "octollm"`) under OpenTofu: defaults, variable validation and preconditions,
// with no cluster; every module must have some. Then examples/environments' plan tests with each
// environment's tfvars file: what the README promises of dev, staging and prod.
func TestModulesPlan(t *testing.T) {
	root := unitOnly(t)
	modules, err := filepath.Glob(filepath.Join(root, "modules", "*", "versions.tf"))
	if err != nil || len(modules) == 0 {
		t.Fatalf("no modules/*/versions.tf in %s (%v)", root, err)
	}
	tofu := filepath.Join(root, "bin", "tofu")
	if _, err := os.Stat(tofu); err != nil {
		t.Fatalf("no OpenTofu CLI at %s: run `make tools` (%v)", tofu, err)
	}
	providerDir := acctest.BuildProvider(t)
	for _, m := range modules {
		dir := filepath.Join("modules", filepath.Base(filepath.Dir(m)))
		t.Run(dir, func(t *testing.T) {
			t.Parallel() // each module in its own directory, with its own .terraform
			requirePlanTests(t, root, dir)
			tofuTest(t, root, dir, providerDir, tofu)
		})
	}
	// The environments root: its plan tests once per environment's tfvars file (what the README
	// promises of dev, staging and prod), one after another in the same directory.
	envs, err := filepath.Glob(filepath.Join(root, "examples", "environments", "*.tfvars"))
	if err != nil || len(envs) == 0 {
		t.Fatalf("no examples/environments/*.tfvars in %s (%v)", root, err)
	}
	t.Run("examples/environments", func(t *testing.T) {
		t.Parallel()
		requirePlanTests(t, root, filepath.Join("examples", "environments"))
		for _, e := range envs {
			t.Run(filepath.Base(e), func(t *testing.T) {
				tofuTest(t, root, filepath.Join("examples", "environments", filepath.Base(e)), providerDir, tofu)
			})
		}
	})
}

// requirePlanTests fails unless dir has tests/*.tftest.hcl declaring `mock_provider "octollm"`.
func requirePlanTests(t *testing.T, root, dir string) {
	t.Helper()
	tests, _ := filepath.Glob(filepath.Join(root, dir, "tests", "*.tftest.hcl"))
	mocked := false
	for _, f := range tests {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		mocked = mocked || strings.Contains(string(b), "\nmock_provider \"octollm\"")
	}
	if !mocked {
		t.Fatalf("%s has no plan tests: add tests/plan.tftest.hcl with mock_provider \"octollm\" {}", dir)
	}
}

// tofuTest runs scripts/tofu-test.sh on target (a module, or a root's tfvars file) without a
// sandbox: its plan tests.
func tofuTest(t *testing.T, root, target, providerDir, tofu string) {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), "bash", filepath.Join(root, "scripts", "tofu-test.sh"), target)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "OCTOLLM_SANDBOX_DIR=", "OCTOLLM_PROVIDER_DIR="+providerDir, "TF_ACC_TERRAFORM_PATH="+tofu)
	out, err := cmd.CombinedOutput()
	t.Logf("scripts/tofu-test.sh %s:\n%s", target, out)
	if err != nil {
		t.Fatalf("scripts/tofu-test.sh %s failed: %v", target, err)
	}
}
