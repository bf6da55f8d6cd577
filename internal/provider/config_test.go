package provider

import (
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func lookupFrom(env map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := env[k]; return v, ok }
}

func TestResolveConfig_environmentFillsEveryField(t *testing.T) {
	env := map[string]string{
		"OCTOLLM_NAMESPACE": "llm", "OCTOLLM_REQUEST_TIMEOUT": "45s",
		"GOOGLE_PROJECT": "acme-prod", "OCTOLLM_GKE_LOCATION": "us-central1", "OCTOLLM_GKE_CLUSTER": "octollm",
		"GOOGLE_OAUTH_ACCESS_TOKEN": "ya29.x", "GOOGLE_CREDENTIALS": "{}", "OCTOLLM_GKE_ENDPOINT": "127.0.0.1:9999", "OCTOLLM_GKE_INSECURE": "true",
		"KUBE_HOST": "https://10.0.0.2", "KUBE_TOKEN": "t", "KUBE_CLUSTER_CA_CERT_DATA": "pem", "KUBE_CONFIG_PATH": "/kc", "KUBE_CTX": "ctx",
		"STRIPE_API_KEY": "sk_test_1", "OCTOLLM_STRIPE_API_BASE": "http://127.0.0.1:12111",
	}
	cfg, diags := resolveConfig(providerModel{}, lookupFrom(env))
	if diags.HasError() {
		t.Fatalf("unexpected diagnostics: %v", diags)
	}
	if cfg.Namespace != "llm" || cfg.RequestTimeout != 45*time.Second {
		t.Errorf("namespace/timeout = %q/%s", cfg.Namespace, cfg.RequestTimeout)
	}
	g := cfg.GKE
	if g.Project != "acme-prod" || g.Location != "us-central1" || g.Cluster != "octollm" || g.AccessToken != "ya29.x" || g.Credentials != "{}" || g.Endpoint != "127.0.0.1:9999" || !g.Insecure {
		t.Errorf("gke from env = %+v", g)
	}
	k := cfg.Kubernetes
	if k.Host != "https://10.0.0.2" || k.Token != "t" || k.ClusterCACertificate != "pem" || k.ConfigPath != "/kc" || k.ConfigContext != "ctx" {
		t.Errorf("kubernetes from env = %+v", k)
	}
	if cfg.Stripe.APIKey != "sk_test_1" || cfg.Stripe.APIBase != "http://127.0.0.1:12111" {
		t.Errorf("stripe from env = %+v", cfg.Stripe)
	}
}

func TestResolveConfig_blockWinsOverEnvironment(t *testing.T) {
	m := providerModel{
		Namespace: types.StringValue("from-block"),
		GKE:       &gkeBlockModel{Project: types.StringValue("block-project"), Insecure: types.BoolValue(false)},
	}
	cfg, diags := resolveConfig(m, lookupFrom(map[string]string{"OCTOLLM_NAMESPACE": "from-env", "GOOGLE_PROJECT": "env-project", "OCTOLLM_GKE_INSECURE": "true"}))
	if diags.HasError() {
		t.Fatalf("unexpected diagnostics: %v", diags)
	}
	if cfg.Namespace != "from-block" || cfg.GKE.Project != "block-project" || cfg.GKE.Insecure {
		t.Errorf("block did not win: %+v", cfg)
	}
}

func TestResolveConfig_defaults(t *testing.T) {
	cfg, diags := resolveConfig(providerModel{}, lookupFrom(nil))
	if diags.HasError() {
		t.Fatalf("unexpected diagnostics: %v", diags)
	}
	if cfg.Namespace != "octollm" {
		t.Errorf("default namespace = %q, want octollm", cfg.Namespace)
	}
	if cfg.GKE.Configured() || cfg.Kubernetes.Configured() {
		t.Errorf("nothing configured, yet %+v", cfg)
	}
}

func TestResolveConfig_badInput(t *testing.T) {
	for name, tc := range map[string]struct {
		model providerModel
		env   map[string]string
		path  string
		want  string
	}{
		"timeout not a duration":   {env: map[string]string{"OCTOLLM_REQUEST_TIMEOUT": "soon"}, path: "request_timeout", want: `"soon" is not a positive Go duration`},
		"timeout negative":         {model: providerModel{RequestTimeout: types.StringValue("-1s")}, path: "request_timeout", want: "positive Go duration"},
		"insecure bool malformed":  {env: map[string]string{"OCTOLLM_GKE_INSECURE": "yes please"}, path: "gke.insecure", want: `OCTOLLM_GKE_INSECURE="yes please" is not a boolean`},
		"gke insecure no endpoint": {env: map[string]string{"OCTOLLM_GKE_INSECURE": "true"}, path: "gke.insecure", want: "set gke.endpoint"},
		"gke insecure remote":      {env: map[string]string{"OCTOLLM_GKE_INSECURE": "true", "OCTOLLM_GKE_ENDPOINT": "container.googleapis.com:443"}, path: "gke.insecure", want: "allowed only for loopback endpoints"},
		"kube insecure remote":     {env: map[string]string{"KUBE_INSECURE": "true", "KUBE_HOST": "https://34.1.2.3"}, path: "kubernetes.insecure", want: "allowed only for loopback hosts"},
		"kube plain http remote":   {env: map[string]string{"KUBE_HOST": "http://34.1.2.3"}, path: "kubernetes.host", want: "plain http is allowed only for loopback hosts"},
		"kube host not a url":      {env: map[string]string{"KUBE_HOST": "34.1.2.3"}, path: "kubernetes.host", want: "is not an apiserver URL"},
		"stripe base plain remote": {env: map[string]string{"OCTOLLM_STRIPE_API_BASE": "http://api.stripe.com"}, path: "stripe.api_base", want: "plain http is allowed only for loopback hosts"},
		"stripe key shape":         {env: map[string]string{"STRIPE_API_KEY": "pk_test_123"}, path: "stripe.api_key", want: "starts with sk_ or rk_"},
	} {
		t.Run(name, func(t *testing.T) {
			_, diags := resolveConfig(tc.model, lookupFrom(tc.env))
			if !diags.HasError() {
				t.Fatalf("want an error containing %q, got none", tc.want)
			}
			var found bool
			for _, d := range diags.Errors() {
				withPath, ok := d.(diag.DiagnosticWithPath)
				if ok && withPath.Path().String() == tc.path && strings.Contains(d.Detail(), tc.want) {
					found = true
				}
			}
			if !found {
				t.Errorf("want an error at %s containing %q, got %v", tc.path, tc.want, diags)
			}
		})
	}
}
