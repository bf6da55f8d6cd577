// Package upstream owns the gateway's calls to LLM providers: which providers exist (from the
// environment), one tuned connection pool per provider, and one call (plain or streaming) with
// its errors classified for the gateway's fallback logic. Schema conversion is translate's.
package upstream

import (
	"fmt"
	"net/url"
	"strings"
)

// Provider is one upstream LLM API.
type Provider struct {
	// Name is the provider's name in routes ("openai", "self-hosted", ...).
	Name string
	// Kind is the upstream schema: "openai" (OpenAI-compatible) or "anthropic".
	Kind string
	// BaseURL is the API root the translator's path is appended to, without a trailing slash.
	BaseURL string
	// APIKey is sent as the translator's auth header; empty sends none.
	APIKey string
}

// KnownProviders are the provider names ProvidersFromEnv reads, with their public base URLs
// ("" for self-hosted, which has no default).
var KnownProviders = []struct{ Name, DefaultURL string }{
	{"openai", "https://api.openai.com/v1"},
	{"anthropic", "https://api.anthropic.com/v1"},
	{"google", "https://generativelanguage.googleapis.com/v1beta/openai"},
	{"mistral", "https://api.mistral.ai/v1"},
	{"deepseek", "https://api.deepseek.com/v1"},
	{"groq", "https://api.groq.com/openai/v1"},
	{"self-hosted", ""},
}

// envName is a provider name as it appears in variable names: "self-hosted" -> "SELF_HOSTED".
func envName(provider string) string {
	return strings.ReplaceAll(strings.ToUpper(provider), "-", "_")
}

// URLVariable is the variable that sets a provider's base URL, e.g. OCTOLLM_UPSTREAM_SELF_HOSTED_URL.
func URLVariable(provider string) string { return "OCTOLLM_UPSTREAM_" + envName(provider) + "_URL" }

// KeyVariable is the variable that holds a provider's API key, e.g. ANTHROPIC_API_KEY.
func KeyVariable(provider string) string { return envName(provider) + "_API_KEY" }

// ProvidersFromEnv configures every known provider: its base URL from
// OCTOLLM_UPSTREAM_<NAME>_URL (else the vendor's public URL) and its key from <NAME>_API_KEY.
// self-hosted is configured only when its URL is set. A URL that is not an absolute http(s)
// URL is an error naming the variable.
func ProvidersFromEnv(getenv func(string) string) (map[string]Provider, error) {
	out := make(map[string]Provider, len(KnownProviders))
	for _, kp := range KnownProviders {
		base := kp.DefaultURL
		if v := strings.TrimSpace(getenv(URLVariable(kp.Name))); v != "" {
			u, err := url.Parse(v)
			if err != nil {
				return nil, fmt.Errorf("%s: %q is not a URL: %w", URLVariable(kp.Name), v, err)
			}
			if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				return nil, fmt.Errorf("%s: %q must be an http:// or https:// URL such as https://llm.internal:8000/v1", URLVariable(kp.Name), v)
			}
			base = v
		}
		if base == "" {
			continue
		}
		kind := "openai"
		if kp.Name == "anthropic" {
			kind = "anthropic"
		}
		out[kp.Name] = Provider{
			Name:    kp.Name,
			Kind:    kind,
			BaseURL: strings.TrimRight(base, "/"),
			APIKey:  strings.TrimSpace(getenv(KeyVariable(kp.Name))),
		}
	}
	return out, nil
}
