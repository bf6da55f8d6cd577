package clients

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

const manifestDigest = "sha256:0000000000000000000000000000000000000000000000000000000000000001"

// fakeRegistry answers /v2/ and the manifest of octollm/gateway:v1 with status until n
// requests have failed, then with the manifest's digest.
func fakeRegistry(t *testing.T, failures int32, status int) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var failed atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v2/" {
			w.WriteHeader(http.StatusOK)
			return
		}
		if r.URL.Path != "/v2/octollm/gateway/manifests/v1" {
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}`))
			return
		}
		if failed.Load() < failures {
			failed.Add(1)
			w.WriteHeader(status)
			return
		}
		w.Header().Set("Content-Type", "application/vnd.oci.image.manifest.v1+json")
		w.Header().Set("Docker-Content-Digest", manifestDigest)
		w.Header().Set("Content-Length", "2")
		if r.Method == http.MethodGet {
			_, _ = w.Write([]byte("{}"))
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &failed
}

func TestRegistry_ResolveTagRetriesUnavailable(t *testing.T) {
	srv, failed := fakeRegistry(t, 2, http.StatusServiceUnavailable)
	host := strings.TrimPrefix(srv.URL, "http://")
	got, err := NewRegistry(context.Background(), Config{}).ResolveTag(context.Background(), host+"/octollm/gateway", "v1", true)
	if err != nil {
		t.Fatal(err)
	}
	if got != manifestDigest || failed.Load() != 2 {
		t.Fatalf("ResolveTag = %s after %d failures, want %s after 2", got, failed.Load(), manifestDigest)
	}
}

func TestRegistry_ResolveTagDeniedSaysHowToLogIn(t *testing.T) {
	srv, _ := fakeRegistry(t, 1000, http.StatusForbidden)
	host := strings.TrimPrefix(srv.URL, "http://")
	_, err := NewRegistry(context.Background(), Config{}).ResolveTag(context.Background(), host+"/octollm/gateway", "v1", true)
	if !errors.Is(err, ErrRegistryDenied) || !strings.Contains(err.Error(), "docker login "+host) {
		t.Fatalf("ResolveTag on 403 = %v, want ErrRegistryDenied saying docker login %s", err, host)
	}
}

func TestRegistry_ResolveTagUnknownTagIsNotFound(t *testing.T) {
	srv, _ := fakeRegistry(t, 0, 0)
	host := strings.TrimPrefix(srv.URL, "http://")
	_, err := NewRegistry(context.Background(), Config{}).ResolveTag(context.Background(), host+"/octollm/gateway", "v2", true)
	if !errors.Is(err, ErrImageNotFound) || !strings.Contains(err.Error(), `tag "v2" is not in `+host+"/octollm/gateway") {
		t.Fatalf("ResolveTag of a missing tag = %v, want ErrImageNotFound naming the tag", err)
	}
}

func TestIsGoogleRegistry(t *testing.T) {
	for host, want := range map[string]bool{
		"us-docker.pkg.dev": true, "europe-west1-docker.pkg.dev": true, "gcr.io": true, "eu.gcr.io": true,
		"ghcr.io": false, "127.0.0.1:16427": false, "pkg.dev.evil.com": false,
	} {
		if got := IsGoogleRegistry(host); got != want {
			t.Errorf("IsGoogleRegistry(%q) = %v, want %v", host, got, want)
		}
	}
}
