package upstream

import (
	"reflect"
	"strings"
	"testing"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestProvidersFromEnvDefaults(t *testing.T) {
	got, err := ProvidersFromEnv(env(map[string]string{"OPENAI_API_KEY": "sk-o", "ANTHROPIC_API_KEY": "sk-a"}))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]Provider{
		"openai":    {"openai", "openai", "https://api.openai.com/v1", "sk-o"},
		"anthropic": {"anthropic", "anthropic", "https://api.anthropic.com/v1", "sk-a"},
		"google":    {"google", "openai", "https://generativelanguage.googleapis.com/v1beta/openai", ""},
		"mistral":   {"mistral", "openai", "https://api.mistral.ai/v1", ""},
		"deepseek":  {"deepseek", "openai", "https://api.deepseek.com/v1", ""},
		"groq":      {"groq", "openai", "https://api.groq.com/openai/v1", ""},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

func TestProvidersFromEnvOverrides(t *testing.T) {
	got, err := ProvidersFromEnv(env(map[string]string{
		"OCTOLLM_UPSTREAM_SELF_HOSTED_URL": "http://vllm.llm.svc:8000/v1/",
		"SELF_HOSTED_API_KEY":              "token",
		"OCTOLLM_UPSTREAM_ANTHROPIC_URL":   "http://127.0.0.1:18080/anthropic/v1",
		"GROQ_API_KEY":                     " gsk ",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if p := got["self-hosted"]; p != (Provider{"self-hosted", "openai", "http://vllm.llm.svc:8000/v1", "token"}) {
		t.Errorf("self-hosted = %+v", p)
	}
	if p := got["anthropic"]; p.BaseURL != "http://127.0.0.1:18080/anthropic/v1" || p.Kind != "anthropic" {
		t.Errorf("anthropic = %+v", p)
	}
	if got["groq"].APIKey != "gsk" {
		t.Errorf("groq = %+v", got["groq"])
	}
}

func TestProvidersFromEnvBadURL(t *testing.T) {
	for _, tc := range []struct{ name, value, want string }{
		{"OCTOLLM_UPSTREAM_OPENAI_URL", "ftp://example.com", `OCTOLLM_UPSTREAM_OPENAI_URL: "ftp://example.com" must be an http:// or https:// URL`},
		{"OCTOLLM_UPSTREAM_SELF_HOSTED_URL", "vllm:8000", `OCTOLLM_UPSTREAM_SELF_HOSTED_URL: "vllm:8000" must be an http:// or https:// URL`},
		{"OCTOLLM_UPSTREAM_MISTRAL_URL", "http://[::1", `OCTOLLM_UPSTREAM_MISTRAL_URL: "http://[::1" is not a URL`},
		{"OCTOLLM_UPSTREAM_GOOGLE_URL", "https://", `OCTOLLM_UPSTREAM_GOOGLE_URL: "https://" must be an http:// or https:// URL`},
	} {
		_, err := ProvidersFromEnv(env(map[string]string{tc.name: tc.value}))
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s=%s: err = %v, want prefix %q", tc.name, tc.value, err, tc.want)
		}
	}
}

func TestVariableNames(t *testing.T) {
	if got := URLVariable("self-hosted"); got != "OCTOLLM_UPSTREAM_SELF_HOSTED_URL" {
		t.Error(got)
	}
	if got := KeyVariable("self-hosted"); got != "SELF_HOSTED_API_KEY" {
		t.Error(got)
	}
}
