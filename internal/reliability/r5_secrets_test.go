package reliability

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/octollm/terraform-provider-octollm/internal/acctest"
)

// r5Tenants are the billed tenants of R5's platform.
var r5Tenants = []string{"acme", "globex", "initech"}

// jwt matches a JSON Web Token, the shape of every Kubernetes ServiceAccount token.
var jwt = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+`)

// TestAccReliability_R5TraceLogKeepsSecrets applies the platform the way a user debugging it
// would, through the CLI with the provider built from this checkout (dev_overrides), TF_LOG=TRACE
// and TF_LOG_PATH: the platform namespace and its gateway ServiceAccount, a billing plan on the
// Stripe key, three billed tenants (each with its API key), a model route, and the gateway
// component running as the platform's ServiceAccount with its API token mounted; then it destroys
// them. The log (the CLI's and the provider's, every RPC with its values) and the CLI's output
// must hold none of the tenants' keys (read back from state), the Stripe key, the bearer tokens
// the provider sends to GKE and the apiserver, or any ServiceAccount token (a JWT); the state
// must mark every tenant key sensitive.
func TestAccReliability_R5TraceLogKeepsSecrets(t *testing.T) {
	acctest.PreCheck(t)
	checkout := acctest.NewCheckoutCLI(t)
	cli, rc, work := checkout.Bin, checkout.Config, t.TempDir()

	ns := acctest.RandomName("r5")
	stripeKey := acctest.StripeKey(t)
	var b strings.Builder
	b.WriteString(acctest.BilledPlatformHCL(ns))
	b.WriteString(acctest.BillingPlanHCL("r5"))
	b.WriteString(`
resource "octollm_model_route" "summaries" {
  name                 = "summaries"
  required_capability  = "knowledge"
  min_capability_score = 7
  depends_on           = [octollm_platform.this]
}

resource "octollm_component" "gateway" {
  name                 = "gateway"
  namespace            = octollm_platform.this.namespace
  kind                 = "gateway"
  image                = "ghcr.io/acme/octollm-gateway:1.4.2"
  port                 = 8080
  replicas             = 1
  health_path          = "/readyz"
  service_account_name = octollm_platform.this.gateway_service_account
  wait_for_rollout     = false
}
`)
	for _, name := range r5Tenants {
		tn := ns + "-" + name
		fmt.Fprintf(&b, `
resource "octollm_tenant" %[1]q {
  name           = %[2]q
  allowed_models = ["gpt-4o-mini"]
  billing {
    plan_id = octollm_billing_plan.r5.id
    email   = "billing@%[1]s.example"
  }
  deletion_protection = false
  timeouts {
    delete = "3m"
  }
  depends_on = [octollm_platform.this]
}
`, name, tn)
	}
	if err := os.WriteFile(filepath.Join(work, "main.tf"), []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}

	// Kept when the test fails, to read what leaked.
	logDir, err := os.MkdirTemp("", "r5-trace-")
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
	env := append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1", "TF_VAR_stripe_api_key="+stripeKey)
	var output bytes.Buffer // what the CLI printed for apply, plan and destroy (show -json prints values by design)
	run := func(trace bool, args ...string) string {
		t.Helper()
		cmd := exec.CommandContext(t.Context(), cli, args...)
		cmd.Dir = work
		cmd.Env = env
		if trace {
			cmd.Env = append(slices.Clone(env), "TF_LOG=TRACE", "TF_LOG_PATH="+logPath)
		}
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		if trace {
			output.Write(stdout.Bytes())
			output.Write(stderr.Bytes())
		}
		if err != nil {
			t.Fatalf("%s %s: %v\n%s\n%s", filepath.Base(cli), strings.Join(args, " "), err, stdout.String(), stderr.String())
		}
		return stdout.String()
	}
	destroyed := false
	t.Cleanup(func() {
		if !destroyed {
			cmd := exec.Command(cli, "destroy", "-auto-approve", "-no-color", "-input=false")
			cmd.Dir = work
			cmd.Env = env
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Logf("cleanup destroy: %v\n%s", err, out)
			}
		}
	})

	run(true, "apply", "-auto-approve", "-no-color", "-input=false")
	// The real values, read back from state (show -json prints them, with the marks).
	var show tfjson.State
	stateJSON := run(false, "show", "-json", "-no-color")
	if err := json.Unmarshal([]byte(stateJSON), &show); err != nil {
		t.Fatalf("tofu show -json: %v", err)
	}
	secrets := map[string]string{"the Stripe key": stripeKey}
	marked := 0
	if show.Values == nil {
		t.Fatal("tofu show -json: the state has no values")
	}
	for _, r := range show.Values.RootModule.Resources {
		if r.Type != "octollm_tenant" {
			continue
		}
		key, _ := r.AttributeValues["api_key"].(string)
		if !strings.HasPrefix(key, "ollm_") {
			t.Errorf("%s: api_key in state is %q, not a tenant key", r.Address, key)
			continue
		}
		secrets[r.Address+"'s API key"] = key
		var sens map[string]any
		if err := json.Unmarshal(r.SensitiveValues, &sens); err != nil {
			t.Fatal(err)
		}
		if sens["api_key"] != true {
			t.Errorf("%s: the state does not mark api_key sensitive (sensitive_values %s)", r.Address, r.SensitiveValues)
		} else {
			marked++
		}
	}
	if marked != len(r5Tenants) {
		t.Errorf("%d of %d tenant keys are marked sensitive in state", marked, len(r5Tenants))
	}
	run(true, "plan", "-no-color", "-input=false", "-detailed-exitcode")
	run(true, "destroy", "-auto-approve", "-no-color", "-input=false")
	destroyed = true

	secrets["the Google access token (the provider's bearer token)"] = os.Getenv("GOOGLE_OAUTH_ACCESS_TOKEN")
	if tok := acctest.Sandbox().Token; tok != os.Getenv("GOOGLE_OAUTH_ACCESS_TOKEN") {
		secrets["the sandbox apiserver's token"] = tok
	}
	raw, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatalf("TF_LOG_PATH %s: %v", logPath, err)
	}
	log := string(raw)
	for _, want := range []string{"[TRACE] provider.terraform-provider-octollm: ", "tf_rpc=ApplyResourceChange", "octollm_tenant", "octollm_billing_plan", "octollm_component"} {
		if !strings.Contains(log, want) {
			t.Fatalf("the TF_LOG=TRACE log (%d bytes) has no %q: is it the provider's log of this apply?", len(raw), want)
		}
	}
	leaks := 0
	for _, what := range slices.Sorted(maps.Keys(secrets)) {
		secret := secrets[what]
		if len(secret) < 16 {
			t.Fatalf("%s is %d characters: the test cannot look for it", what, len(secret))
		}
		for source, text := range map[string]string{"the TF_LOG=TRACE log": log, "the CLI's output": output.String()} {
			if i := strings.Index(text, secret); i >= 0 {
				leaks++
				start := max(0, strings.LastIndexByte(text[:i], '\n')+1)
				end := i + strings.IndexByte(text[i:]+"\n", '\n')
				t.Errorf("%s appears in %s: %s", what, source, strings.ReplaceAll(text[start:end], secret, "<"+what+">"))
			}
		}
	}
	if m := jwt.FindString(log); m != "" {
		leaks++
		t.Errorf("a JWT (a ServiceAccount token?) appears in the TF_LOG=TRACE log: %.40s...", m)
	}
	report(t, "R5", "TF_LOG=TRACE apply, plan and destroy of %d resources (%d MB of log): %d secrets searched (%d tenant keys, the Stripe key, %d provider bearer token(s)) and any JWT, in the log and the CLI output: %d found; %d of %d tenant keys marked sensitive in state",
		len(show.Values.RootModule.Resources), len(raw)>>20, len(secrets), len(r5Tenants), len(secrets)-len(r5Tenants)-1, leaks, marked, len(r5Tenants))
}
