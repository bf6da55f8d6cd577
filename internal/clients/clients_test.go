package clients

import (
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"cloud.google.com/go/container/apiv1/containerpb"
	"golang.org/x/oauth2"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/rest"
)

func TestIsLoopback(t *testing.T) {
	for endpoint, want := range map[string]bool{
		"127.0.0.1:16420":           true,
		"127.3.4.5":                 true,
		"localhost:8080":            true,
		"https://127.0.0.1:16443":   true,
		"http://[::1]:12111/v1":     true,
		"[::1]:443":                 true,
		"10.0.0.5:443":              false,
		"container.googleapis.com":  false,
		"https://34.1.2.3":          false,
		"https://localhost.evil.io": false,
	} {
		if got := IsLoopback(endpoint); got != want {
			t.Errorf("IsLoopback(%q) = %v, want %v", endpoint, got, want)
		}
	}
}

func TestNewGKE_refusesInsecureRemoteEndpoint(t *testing.T) {
	_, err := NewGKE(context.Background(), GKEConfig{Endpoint: "10.0.0.5:443", Insecure: true, AccessToken: "x"}, 0)
	if err == nil || !strings.Contains(err.Error(), "allowed only for loopback endpoints") {
		t.Fatalf("want a loopback-only error, got %v", err)
	}
}

func TestRESTConfigFromGKE_usesEndpointCAAndToken(t *testing.T) {
	pem := "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
	cluster := &containerpb.Cluster{
		Name:       "octollm",
		Endpoint:   "34.1.2.3",
		MasterAuth: &containerpb.MasterAuth{ClusterCaCertificate: base64.StdEncoding.EncodeToString([]byte(pem))},
	}
	cfg, err := RESTConfigFromGKE(cluster, oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "ya29"}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Host != "https://34.1.2.3" || string(cfg.CAData) != pem || cfg.WrapTransport == nil {
		t.Errorf("derived config = host %q, CA %q, token transport set %v", cfg.Host, cfg.CAData, cfg.WrapTransport != nil)
	}
	if _, err := RESTConfigFromGKE(&containerpb.Cluster{Name: "x", Status: containerpb.Cluster_PROVISIONING}, nil); err == nil || !strings.Contains(err.Error(), "no endpoint yet (status PROVISIONING)") {
		t.Errorf("a cluster without endpoint: %v", err)
	}
}

func TestRESTConfigFromBlock_insecureRemoteRefused(t *testing.T) {
	if _, err := RESTConfigFromBlock(KubeConfig{Host: "https://34.1.2.3", Insecure: true}); err == nil || !strings.Contains(err.Error(), "kubernetes.insecure") {
		t.Fatalf("want kubernetes.insecure refused, got %v", err)
	}
	cfg, err := RESTConfigFromBlock(KubeConfig{Host: "https://127.0.0.1:6443", Insecure: true, Token: "t"})
	if err != nil || !cfg.Insecure || cfg.BearerToken != "t" {
		t.Fatalf("loopback insecure: %+v, %v", cfg, err)
	}
}

func TestKubeError_saysWhatToCheck(t *testing.T) {
	k := &Kube{Config: mustConfig(t), Source: "kubernetes block"}
	unauthorized := apierrors.NewUnauthorized("bad token")
	if got := k.Error("read server version", unauthorized).Error(); !strings.HasPrefix(got, "kubernetes: unauthorized (401)") || !strings.Contains(got, "check kubernetes.token") {
		t.Errorf("401 = %q", got)
	}
	forbidden := apierrors.NewForbidden(schema.GroupResource{Resource: "namespaces"}, "octollm", errors.New("no"))
	if got := k.Error("create namespace", forbidden).Error(); !strings.Contains(got, "forbidden (403)") || !strings.Contains(got, "RBAC") {
		t.Errorf("403 = %q", got)
	}
	if got := k.Error("read", context.DeadlineExceeded).Error(); !strings.Contains(got, "timed out") {
		t.Errorf("timeout = %q", got)
	}
}

func TestBackends_missingConfigurationNamesBlocksAndVariables(t *testing.T) {
	b := NewBackends(Config{})
	_, err := b.Kube(context.Background())
	if !errors.Is(err, ErrNoClusterConfig) {
		t.Fatalf("Kube() = %v, want ErrNoClusterConfig", err)
	}
	for _, want := range []string{"gke block", "GOOGLE_PROJECT", "OCTOLLM_GKE_CLUSTER", "kubernetes block", "KUBE_CONFIG_PATH"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %s", err, want)
		}
	}
	_, err = NewBackends(Config{GKE: GKEConfig{Project: "p"}}).GKE(context.Background())
	if err == nil || !strings.Contains(err.Error(), "gke.location (OCTOLLM_GKE_LOCATION)") || !strings.Contains(err.Error(), "gke.cluster (OCTOLLM_GKE_CLUSTER)") {
		t.Errorf("incomplete gke: %v", err)
	}
	if _, err := NewBackends(Config{}).Stripe(context.Background()); err == nil || !strings.Contains(err.Error(), "STRIPE_API_KEY") {
		t.Errorf("no stripe key: %v", err)
	}
}

func mustConfig(t *testing.T) *rest.Config {
	t.Helper()
	cfg, err := RESTConfigFromBlock(KubeConfig{Host: "https://127.0.0.1:6443"})
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}
