package provider

import (
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/octollm/terraform-provider-octollm/internal/clients"
)

// envLookup is os.LookupEnv; tests pass their own.
var envLookup = os.LookupEnv

var newBackends = clients.NewBackends

// setting resolves one string attribute: the configuration wins, then the environment.
func setting(v types.String, env string, lookup func(string) (string, bool)) string {
	if !v.IsNull() && !v.IsUnknown() {
		return v.ValueString()
	}
	if env != "" {
		if s, ok := lookup(env); ok {
			return strings.TrimSpace(s)
		}
	}
	return ""
}

func boolSetting(v types.Bool, env string, p path.Path, lookup func(string) (string, bool), diags *diag.Diagnostics) bool {
	if !v.IsNull() && !v.IsUnknown() {
		return v.ValueBool()
	}
	s, ok := lookup(env)
	if !ok || s == "" {
		return false
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		diags.AddAttributeError(p, "Invalid boolean in "+env, fmt.Sprintf("%s=%q is not a boolean: set it to true or false.", env, s))
	}
	return b
}

// resolveConfig merges the provider block with the environment and checks what can be
// checked without reaching any backend.
func resolveConfig(m providerModel, lookup func(string) (string, bool)) (clients.Config, diag.Diagnostics) {
	var diags diag.Diagnostics
	cfg := clients.Config{
		Namespace: setting(m.Namespace, "OCTOLLM_NAMESPACE", lookup),
	}
	if cfg.Namespace == "" {
		cfg.Namespace = "octollm"
	}
	if timeout := setting(m.RequestTimeout, "OCTOLLM_REQUEST_TIMEOUT", lookup); timeout != "" {
		d, err := time.ParseDuration(timeout)
		if err != nil || d <= 0 {
			diags.AddAttributeError(path.Root("request_timeout"), "Invalid request_timeout",
				fmt.Sprintf("%q is not a positive Go duration: use a value such as \"30s\" or \"2m\".", timeout))
		}
		cfg.RequestTimeout = d
	}

	gke := m.GKE
	if gke == nil {
		gke = &gkeBlockModel{}
	}
	cfg.GKE = clients.GKEConfig{
		Project:     setting(gke.Project, "GOOGLE_PROJECT", lookup),
		Location:    setting(gke.Location, "OCTOLLM_GKE_LOCATION", lookup),
		Cluster:     setting(gke.Cluster, "OCTOLLM_GKE_CLUSTER", lookup),
		Credentials: setting(gke.Credentials, "GOOGLE_CREDENTIALS", lookup),
		AccessToken: setting(gke.AccessToken, "GOOGLE_OAUTH_ACCESS_TOKEN", lookup),
		Endpoint:    setting(gke.Endpoint, "OCTOLLM_GKE_ENDPOINT", lookup),
		Insecure:    boolSetting(gke.Insecure, "OCTOLLM_GKE_INSECURE", path.Root("gke").AtName("insecure"), lookup, &diags),
	}
	if msg := cfg.GKE.InsecureProblem(); msg != "" {
		diags.AddAttributeError(path.Root("gke").AtName("insecure"), "Insecure transport refused", msg)
	}

	kube := m.Kubernetes
	if kube == nil {
		kube = &kubeBlockModel{}
	}
	cfg.Kubernetes = clients.KubeConfig{
		Host:                 setting(kube.Host, "KUBE_HOST", lookup),
		Token:                setting(kube.Token, "KUBE_TOKEN", lookup),
		ClusterCACertificate: setting(kube.ClusterCACertificate, "KUBE_CLUSTER_CA_CERT_DATA", lookup),
		ConfigPath:           setting(kube.ConfigPath, "KUBE_CONFIG_PATH", lookup),
		ConfigContext:        setting(kube.ConfigContext, "KUBE_CTX", lookup),
		Insecure:             boolSetting(kube.Insecure, "KUBE_INSECURE", path.Root("kubernetes").AtName("insecure"), lookup, &diags),
	}
	checkBaseURL(path.Root("kubernetes").AtName("host"), cfg.Kubernetes.Host, "an apiserver URL", &diags)
	if msg := cfg.Kubernetes.InsecureProblem(); msg != "" {
		diags.AddAttributeError(path.Root("kubernetes").AtName("insecure"), "Insecure transport refused", msg)
	}

	stripe := m.Stripe
	if stripe == nil {
		stripe = &stripeBlockModel{}
	}
	cfg.Stripe = clients.StripeConfig{
		APIKey:  setting(stripe.APIKey, "STRIPE_API_KEY", lookup),
		APIBase: setting(stripe.APIBase, "OCTOLLM_STRIPE_API_BASE", lookup),
	}
	checkBaseURL(path.Root("stripe").AtName("api_base"), cfg.Stripe.APIBase, "a URL", &diags)
	if k := cfg.Stripe.APIKey; k != "" && !strings.HasPrefix(k, "sk_") && !strings.HasPrefix(k, "rk_") {
		diags.AddAttributeError(path.Root("stripe").AtName("api_key"), "Invalid stripe.api_key",
			"A Stripe secret or restricted key starts with sk_ or rk_: copy it from the Stripe dashboard's API keys page.")
	}
	return cfg, diags
}

// checkBaseURL refuses a set base URL (kubernetes.host, stripe.api_base) that is not http(s)
// with a host ("is not <kind>"), and plain http to a host that is not loopback.
func checkBaseURL(p path.Path, s, kind string, diags *diag.Diagnostics) {
	if s == "" {
		return
	}
	u, err := url.Parse(s)
	switch {
	case err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http"):
		diags.AddAttributeError(p, "Invalid "+p.String(), fmt.Sprintf("%q is not %s: use https://HOST[:PORT].", s, kind))
	case u.Scheme == "http" && !clients.IsLoopback(s):
		diags.AddAttributeError(p, "Insecure transport refused", fmt.Sprintf("plain http is allowed only for loopback hosts, and %q is not one: use https.", s))
	}
}
