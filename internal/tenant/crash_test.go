package tenant_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/octollm/terraform-provider-octollm/internal/acctest"
)

// cli runs the real OpenTofu (or Terraform) CLI with the provider built from this checkout,
// so a test can kill it mid-apply as a CI runner or a laptop lid would.
type cli struct {
	t        *testing.T
	bin, dir string
	env      []string
}

func newCLI(t *testing.T) *cli {
	t.Helper()
	// The provider built from this checkout, through scripts/dev-overrides.sh's CLI configuration.
	checkout := acctest.NewCheckoutCLI(t)
	return &cli{t: t, bin: checkout.Bin, dir: t.TempDir(), env: checkout.Env()}
}

func (c *cli) write(config string) {
	c.t.Helper()
	config = strings.Replace(config, acctest.RequiredProviders(), "", 1)
	config = acctest.CheckoutRequiredProviders + config
	if err := os.WriteFile(filepath.Join(c.dir, "main.tf"), []byte(config), 0o600); err != nil {
		c.t.Fatal(err)
	}
}

func (c *cli) command(args ...string) (*exec.Cmd, *bytes.Buffer) {
	cmd := exec.Command(c.bin, args...)
	cmd.Dir, cmd.Env = c.dir, c.env
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // one group: the CLI and its provider
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	return cmd, &out
}

func (c *cli) run(args ...string) error {
	cmd, out := c.command(args...)
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s %s: %w\n%s", filepath.Base(c.bin), strings.Join(args, " "), err, out)
	}
	return nil
}

// The CLI is killed (SIGKILL, CLI and provider together) while it creates ten billed tenants;
// re-running apply finishes them with exactly ten Stripe customers and ten subscriptions.
func TestAccTenant_crashMidApply(t *testing.T) {
	e := newEnv(t)
	const n = 10
	var names []string
	var tenants []tenantConfig
	for i := range n {
		name := fmt.Sprintf("crash-%02d", i)
		names = append(names, name)
		tenants = append(tenants, tenantConfig{name: name, billing: true})
	}
	e.cleanupTenants(names...)
	api := acctest.Stripe(t, e.key)
	c := newCLI(t)
	c.write(e.config(tenants...))
	t.Cleanup(func() {
		if err := c.run("destroy", "-auto-approve", "-input=false", "-lock=false"); err != nil {
			t.Logf("cleanup: %v", err)
		}
	})

	// Slow Stripe down so the kill lands while tenants are half made.
	acctest.StripeFaultSettings(t, map[string]any{"error_rate": 0, "only": "", "latency": "150ms"})
	cmd, out := c.command("apply", "-auto-approve", "-input=false", "-parallelism=10")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	killedAt := -1
	for deadline := time.Now().Add(3 * time.Minute); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		customers, _, err := countBilling(api)
		if err != nil {
			t.Fatal(err)
		}
		if got := total(customers); got >= 3 {
			killedAt = got
			break
		}
	}
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	_ = cmd.Wait()
	if killedAt < 0 {
		t.Fatalf("apply made fewer than 3 customers in 3 minutes:\n%s", out)
	}
	customers, subs, err := countBilling(api)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("killed the CLI after %d customers; when it died: %d customers, %d subscriptions", killedAt, total(customers), total(subs))
	if total(subs) >= n && total(customers) >= n {
		t.Logf("warning: the apply had finished its Stripe writes before the kill; the re-apply still checks adoption")
	}

	acctest.StripeFaultSettings(t, map[string]any{"latency": "0s"})
	if err := c.run("apply", "-auto-approve", "-input=false", "-lock=false"); err != nil {
		t.Fatal(err)
	}
	customers, subs, err = countBilling(api)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		if customers[name] != 1 || subs[name] != 1 {
			t.Errorf("tenant %s: %d customers, %d live subscriptions; want 1 and 1", name, customers[name], subs[name])
		}
	}
	if total(customers) != n || total(subs) != n {
		t.Errorf("after the re-apply: %d customers and %d subscriptions in Stripe, want exactly %d and %d", total(customers), total(subs), n, n)
	}
	if err := c.run("plan", "-detailed-exitcode", "-input=false", "-lock=false"); err != nil {
		t.Errorf("the plan after the re-apply is not empty: %v", err)
	}
	for _, name := range names {
		if _, err := e.kube.CoreV1().Namespaces().Get(context.Background(), "tenant-"+name, metav1GetOptions); err != nil {
			t.Errorf("tenant %s: %v", name, err)
		}
	}
}

func total(m map[string]int) int {
	n := 0
	for k, v := range m {
		if k != "" {
			n += v
		}
	}
	return n
}

// tenant returns octollm_tenant.<name>'s attributes from `show -json` (sensitive ones included).
func (c *cli) tenant(name string) map[string]any {
	c.t.Helper()
	cmd, out := c.command("show", "-json")
	cmd.Stderr = io.Discard
	if err := cmd.Run(); err != nil {
		c.t.Fatalf("show -json: %v\n%s", err, out)
	}
	var state tfjson.State
	if err := json.Unmarshal(out.Bytes(), &state); err != nil {
		c.t.Fatalf("show -json: %v\n%s", err, out)
	}
	if state.Values != nil {
		for _, r := range state.Values.RootModule.Resources {
			if r.Address == "octollm_tenant."+name {
				return r.AttributeValues
			}
		}
	}
	c.t.Fatalf("show -json has no octollm_tenant.%s:\n%s", name, out)
	return nil
}
