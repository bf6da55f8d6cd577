// Package applylog_test runs an apply the way a user debugging one would, with TF_LOG=TRACE
// into a file, and holds the log to two promises: no secret ever appears in it, and INFO lines
// say what the apply is waiting for (GKE operations, rollouts, namespace deletion).
package applylog_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/octollm/terraform-provider-octollm/internal/acctest"
)

func TestMain(m *testing.M) { acctest.Main(m) }

// TestAccApplyLogKeepsSecrets applies a platform namespace, a billing plan, a tenant billed on
// Stripe, a node pool and a component running as the gateway's ServiceAccount through the CLI
// with the provider built from this checkout (dev_overrides), TF_LOG=TRACE and TF_LOG_PATH, then
// destroys them. The log (the CLI's and the provider's, every RPC with its values) must not
// hold the tenant's API key, the Stripe key, or the bearer tokens the provider sends to GKE and
// the apiserver; it must hold the progress lines of the waits.
func TestAccApplyLogKeepsSecrets(t *testing.T) {
	acctest.PreCheck(t)
	checkout := acctest.NewCheckoutCLI(t)
	cli, rc, work := checkout.Bin, checkout.Config, t.TempDir()

	ns := acctest.RandomName("logs")
	pool := acctest.RandomName("logs")
	stripeKey := acctest.StripeKey(t)
	config := acctest.BilledPlatformHCL(ns) + fmt.Sprintf(`
%[3]s

resource "octollm_tenant" "acme" {
  name = %[1]q
  billing {
    plan_id = octollm_billing_plan.logs.id
    email   = "billing@logs.example"
  }
  deletion_protection = false
  depends_on          = [octollm_platform.this]
}

resource "octollm_node_pool" "cpu" {
  name               = %[2]q
  workload_type      = "cpu-optimized"
  cpu                = 4
  memory_gb          = 8
  initial_node_count = 1
}

resource "octollm_component" "orchestrator" {
  name                 = "orchestrator"
  namespace            = octollm_platform.this.namespace
  kind                 = "orchestrator"
  image                = "ghcr.io/acme/octollm-orchestrator:1.4.2"
  port                 = 8000
  replicas             = 1
  service_account_name = octollm_platform.this.gateway_service_account
  placement {
    workload_type = "cpu-optimized"
  }
  termination_grace_period_seconds = 4
  timeouts {
    create = "5m"
  }
  depends_on = [octollm_node_pool.cpu]
}

output "api_key" {
  value     = octollm_tenant.acme.api_key
  sensitive = true
}
`, ns, pool, acctest.BillingPlanHCL("logs"))
	if err := os.WriteFile(filepath.Join(work, "main.tf"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}

	// Kept when the test fails, to read what leaked or what is missing.
	logDir, err := os.MkdirTemp("", "applylog-")
	if err != nil {
		t.Fatal(err)
	}
	logPath := filepath.Join(logDir, "trace.log")
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("the TF_LOG=TRACE log is kept in %s", logPath)
			return
		}
		_ = os.RemoveAll(logDir)
	})
	run := func(args ...string) string {
		t.Helper()
		cmd := exec.CommandContext(t.Context(), cli, args...)
		cmd.Dir = work
		cmd.Env = append(os.Environ(),
			"TF_CLI_CONFIG_FILE="+rc,
			"TF_IN_AUTOMATION=1",
			"CHECKPOINT_DISABLE=1",
			"TF_LOG=TRACE",
			"TF_LOG_PATH="+logPath,
			"TF_VAR_stripe_api_key="+stripeKey,
		)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("%s %s: %v\n%s\n%s", filepath.Base(cli), strings.Join(args, " "), err, stdout.String(), stderr.String())
		}
		return stdout.String()
	}
	destroyed := false
	t.Cleanup(func() {
		if !destroyed {
			cmd := exec.Command(cli, "destroy", "-auto-approve", "-no-color", "-input=false")
			cmd.Dir = work
			cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "TF_IN_AUTOMATION=1", "TF_VAR_stripe_api_key="+stripeKey)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Logf("cleanup destroy: %v\n%s", err, out)
			}
		}
	})

	run("apply", "-auto-approve", "-no-color", "-input=false")
	apiKey := strings.TrimSpace(run("output", "-raw", "api_key"))
	run("destroy", "-auto-approve", "-no-color", "-input=false")
	destroyed = true

	raw, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatalf("TF_LOG_PATH %s: %v", logPath, err)
	}
	log := string(raw)
	// The log really is the provider's TRACE output, not an empty file.
	for _, want := range []string{"[TRACE] provider.terraform-provider-octollm: ", "tf_rpc=ApplyResourceChange"} {
		if !strings.Contains(log, want) {
			t.Fatalf("the TF_LOG=TRACE log (%d bytes) has no %q: is it the provider's log?", len(raw), want)
		}
	}

	secrets := map[string]string{
		"the tenant's API key": apiKey,
		"the Stripe key":       stripeKey,
		// In the sandbox the provider reaches GKE and the apiserver with this token.
		"the Google access token (the provider's bearer token)": os.Getenv("GOOGLE_OAUTH_ACCESS_TOKEN"),
	}
	// The apiserver's token of the sandbox's kubeconfig (the cluster admin's).
	if tok := acctest.Sandbox().Token; tok != os.Getenv("GOOGLE_OAUTH_ACCESS_TOKEN") {
		secrets["the sandbox apiserver's token"] = tok
	}
	for what, secret := range secrets {
		if len(secret) < 16 {
			t.Fatalf("%s is %d characters: the test cannot look for it", what, len(secret))
		}
		if i := strings.Index(log, secret); i >= 0 {
			start := max(0, strings.LastIndexByte(log[:i], '\n')+1)
			end := i + strings.IndexByte(log[i:]+"\n", '\n')
			t.Errorf("%s appears in the TF_LOG=TRACE log: %s", what, strings.ReplaceAll(log[start:end], secret, "<"+what+">"))
		}
	}

	// INFO progress lines for what the apply and the destroy waited on.
	for _, want := range []string{
		"Waiting for GKE operation ",
		"Done waiting for GKE operation ",
		"Waiting for the rollout of Deployment " + ns + "/orchestrator",
		"Done waiting for the rollout of Deployment " + ns + "/orchestrator",
		"Waiting for namespace " + ns + " to be deleted",
	} {
		if !containsAtInfo(log, want) {
			t.Errorf("the log has no INFO line %q", want)
		}
	}
}

// containsAtInfo reports whether a line of the log at level INFO contains s.
func containsAtInfo(log, s string) bool {
	for line := range strings.Lines(log) {
		if strings.Contains(line, s) && strings.Contains(line, "[INFO]") {
			return true
		}
	}
	return false
}
