package registry

import (
	"strings"
	"testing"
)

func TestValidateRepository(t *testing.T) {
	for repo, want := range map[string]string{
		"us-docker.pkg.dev/acme-prod/octollm/octollm-gateway": "",
		"ghcr.io/octollm/octollm-gateway":                     "",
		"127.0.0.1:16427/octollm/gateway":                     "",
		"localhost/gateway":                                   "",
		"docker.io/library/nginx":                             "",
		"octollm/gateway":                                     "must start with the registry host",
		"gateway":                                             "must start with the registry host",
		"ghcr.io":                                             "must start with the registry host",
		"ghcr.io/octollm/gateway:v1":                          "must be a repository without a tag",
		"127.0.0.1:16427/octollm/gateway:dev":                 "must be a repository without a tag",
		"ghcr.io/octollm/gateway@sha256:" + strings.Repeat("a", 64): "must be a repository without a digest",
		"ghcr.io/OctoLLM/Gateway":                                   "is not a valid repository",
		"ghcr.io/octollm//gateway":                                  "is not a valid repository",
	} {
		got := ValidateRepository(repo)
		if want == "" && got != "" || !strings.Contains(got, want) {
			t.Errorf("ValidateRepository(%q) = %q, want %q", repo, got, want)
		}
	}
}

func TestValidateTag(t *testing.T) {
	for tag, want := range map[string]string{
		"v1.2.3":                            "",
		"dev":                               "",
		"v0.1.0-3-gabc1234-dirty":           "",
		"sha256:" + strings.Repeat("a", 64): "must be a tag, not a digest",
		"gateway:v1":                        "must be the tag alone",
		"ghcr.io/octollm/gateway":           "must be the tag alone",
		"-v1":                               "must be a tag: 1-128 letters",
		"":                                  "must be a tag: 1-128 letters",
		strings.Repeat("a", 129):            "must be a tag: 1-128 letters",
	} {
		got := ValidateTag(tag)
		if want == "" && got != "" || !strings.Contains(got, want) {
			t.Errorf("ValidateTag(%q) = %q, want %q", tag, got, want)
		}
	}
}

func TestDefaultInsecure(t *testing.T) {
	for repo, want := range map[string]bool{
		"127.0.0.1:16427/octollm/gateway": true,
		"localhost:5000/gateway":          true,
		"[::1]:5000/gateway":              true,
		"ghcr.io/octollm/octollm-gateway": false,
		"10.0.0.5:5000/gateway":           false,
	} {
		if got := DefaultInsecure(repo); got != want {
			t.Errorf("DefaultInsecure(%q) = %v, want %v", repo, got, want)
		}
	}
}
