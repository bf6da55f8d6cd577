package faults

import (
	"bufio"
	"crypto/tls"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func req(method, target string) *http.Request {
	return httptest.NewRequest(method, target, nil)
}

func TestKubeVerb(t *testing.T) {
	for _, tc := range []struct{ method, target, want string }{
		{"GET", "/api/v1/namespaces", "list"},
		{"GET", "/api/v1/namespaces/octollm", "get"},
		{"GET", "/api/v1/namespaces/octollm/configmaps", "list"},
		{"GET", "/api/v1/namespaces/octollm/configmaps/a", "get"},
		{"GET", "/api/v1/namespaces/octollm/configmaps?watch=true", "watch"},
		{"GET", "/api/v1/watch/namespaces/octollm/configmaps", "watch"},
		{"GET", "/apis/apps/v1/namespaces/x/deployments/d/status", "get"},
		{"PUT", "/api/v1/namespaces/x/finalize", "update"},
		{"POST", "/apis/apps/v1/namespaces/x/deployments", "create"},
		{"PATCH", "/apis/apps/v1/namespaces/x/deployments/d", "patch"},
		{"PUT", "/apis/apps/v1/namespaces/x/deployments/d", "update"},
		{"DELETE", "/apis/apps/v1/namespaces/x/deployments/d", "delete"},
		{"DELETE", "/apis/apps/v1/namespaces/x/deployments", "deletecollection"},
		{"GET", "/version", "get"},
	} {
		if got := KubeVerb(req(tc.method, tc.target)); got != tc.want {
			t.Errorf("KubeVerb(%s %s) = %q, want %q", tc.method, tc.target, got, tc.want)
		}
	}
}

func mustKube(t *testing.T, s KubeSettings, seed int64) *KubeInjector {
	t.Helper()
	k, err := NewKube(s, seed)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestKubeDecide_selectsByVerbAndPath(t *testing.T) {
	k := mustKube(t, KubeSettings{ErrorRate: 1, Verbs: []string{"list", "DELETE"}, PathPrefix: "/api/v1/namespaces/a"}, 1)
	for _, tc := range []struct {
		method, target string
		fail           bool
	}{
		{"GET", "/api/v1/namespaces/a/configmaps", true},      // list by verb
		{"DELETE", "/api/v1/namespaces/a/configmaps/x", true}, // DELETE by method
		{"GET", "/api/v1/namespaces/a/configmaps/x", false},   // get: verb not selected
		{"PATCH", "/api/v1/namespaces/a/configmaps/x", false}, // patch: verb not selected
		{"GET", "/api/v1/namespaces/b/configmaps", false},     // other path
		{"GET", "/api/v1/namespaces/a/configmaps?watch=true", false},
	} {
		if got := k.Decide(req(tc.method, tc.target)) != ""; got != tc.fail {
			t.Errorf("%s %s: fault = %v, want %v", tc.method, tc.target, got, tc.fail)
		}
	}
}

func TestKubeDecide_longRunningRequestsNeverFail(t *testing.T) {
	k := mustKube(t, KubeSettings{ErrorRate: 1}, 1)
	for _, target := range []string{
		"/api/v1/namespaces/a/pods?watch=true",
		"/api/v1/watch/namespaces",
		"/api/v1/namespaces/a/pods/p/exec?command=ls",
		"/api/v1/namespaces/a/pods/p/portforward",
		"/api/v1/namespaces/a/pods/p/log?follow=true",
		"/api/v1/namespaces/a/services/s/proxy/healthz",
	} {
		if kind := k.Decide(req("GET", target)); kind != "" {
			t.Errorf("GET %s got fault %q; long-running requests must pass", target, kind)
		}
	}
}

func TestKubeDecide_seededRateAndKinds(t *testing.T) {
	draw := func(seed int64) []KubeKind {
		k := mustKube(t, KubeSettings{ErrorRate: 0.2, Kinds: []KubeKind{KubeTooManyRequests, KubeReset}}, seed)
		var out []KubeKind
		for range 5000 {
			out = append(out, k.Decide(req("GET", "/api/v1/namespaces")))
		}
		return out
	}
	a, b := draw(7), draw(7)
	counts := map[KubeKind]int{}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("draw %d differs between injectors with the same seed", i)
		}
		counts[a[i]]++
	}
	failed := counts[KubeTooManyRequests] + counts[KubeReset]
	if f := float64(failed) / 5000; f < 0.17 || f > 0.23 {
		t.Errorf("failure fraction %.3f, want about 0.2", f)
	}
	if counts[KubeTooManyRequests] == 0 || counts[KubeReset] == 0 || len(counts) != 3 {
		t.Errorf("kinds drawn %v, want only 429 and reset (and passes)", counts)
	}
}

func TestNewKube_badSettingsAreNamed(t *testing.T) {
	if _, err := NewKube(KubeSettings{ErrorRate: 1.5}, 1); err == nil || !strings.Contains(err.Error(), "0 to 1") {
		t.Errorf("rate 1.5: %v", err)
	}
	if _, err := NewKube(KubeSettings{Kinds: []KubeKind{"502"}}, 1); err == nil || !strings.Contains(err.Error(), "use 429, 500, 503 or reset") {
		t.Errorf("kind 502: %v", err)
	}
}

func TestKubeFromEnv(t *testing.T) {
	const p = "TEST_KUBE_FAULT"
	if k, err := KubeFromEnv(p); k != nil || err != nil {
		t.Fatalf("unset: %v, %v; want nil, nil", k, err)
	}
	t.Setenv(p+"_ERROR_RATE", "0.5")
	t.Setenv(p+"_KINDS", "429, reset")
	t.Setenv(p+"_VERBS", "list,PATCH")
	t.Setenv(p+"_PATH_PREFIX", "/apis/apps")
	t.Setenv(p+"_RETRY_AFTER", "2")
	k, err := KubeFromEnv(p)
	if err != nil {
		t.Fatal(err)
	}
	s := k.Settings()
	if s.ErrorRate != 0.5 || strings.Join([]string{string(s.Kinds[0]), string(s.Kinds[1])}, ",") != "429,reset" ||
		strings.Join(s.Verbs, ",") != "list,PATCH" || s.PathPrefix != "/apis/apps" || s.RetryAfter != 2 {
		t.Errorf("settings %+v", s)
	}
	t.Setenv(p+"_KINDS", "418")
	if _, err := KubeFromEnv(p); err == nil || !strings.Contains(err.Error(), p+"_KINDS") {
		t.Errorf("bad kind: %v, want an error naming %s_KINDS", err, p)
	}
	t.Setenv(p+"_KINDS", "")
	t.Setenv(p+"_ERROR_RATE", "lots")
	if _, err := KubeFromEnv(p); err == nil || !strings.Contains(err.Error(), p+"_ERROR_RATE") {
		t.Errorf("bad rate: %v, want an error naming %s_ERROR_RATE", err, p)
	}
}

// proxyTo serves k's proxy over TLS (HTTP/1.1) in front of upstream and returns a client of it.
func proxyTo(t *testing.T, upstream *httptest.Server, k *KubeInjector) (string, *http.Client) {
	t.Helper()
	u, _ := url.Parse(upstream.URL)
	h := k.Proxy(u, upstream.Client().Transport)
	front := httptest.NewUnstartedServer(h)
	front.TLS = &tls.Config{NextProtos: []string{"http/1.1"}, MinVersion: tls.VersionTLS12}
	front.StartTLS()
	t.Cleanup(front.Close)
	return front.URL, front.Client()
}

func TestKubeProxy_faultsAsTheApiserverAnswers(t *testing.T) {
	upstream := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, `{"kind":"Namespace"}`)
	}))
	defer upstream.Close()
	k := mustKube(t, KubeSettings{ErrorRate: 1, Kinds: []KubeKind{KubeTooManyRequests}, PathPrefix: "/api/v1/namespaces/a", RetryAfter: 3}, 1)
	base, client := proxyTo(t, upstream, k)

	resp, err := client.Get(base + "/api/v1/namespaces/a")
	if err != nil {
		t.Fatal(err)
	}
	var status struct {
		Kind, Reason string
		Code         int
		Details      struct{ RetryAfterSeconds int }
	}
	_ = json.NewDecoder(resp.Body).Decode(&status)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "3" || status.Kind != "Status" || status.Reason != "TooManyRequests" || status.Details.RetryAfterSeconds != 3 {
		t.Errorf("429 fault: %s Retry-After %q, body %+v", resp.Status, resp.Header.Get("Retry-After"), status)
	}

	resp, err = client.Get(base + "/api/v1/namespaces/b")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK || string(body) != `{"kind":"Namespace"}` {
		t.Errorf("unselected path: %s %s, want the upstream's answer", resp.Status, body)
	}

	for _, tc := range []struct {
		kind   KubeKind
		code   int
		reason string
	}{{KubeInternalError, 500, "InternalError"}, {KubeUnavailable, 503, "ServiceUnavailable"}} {
		if err := k.Set(KubeSettings{ErrorRate: 1, Kinds: []KubeKind{tc.kind}}); err != nil {
			t.Fatal(err)
		}
		resp, err := client.Get(base + "/api/v1/namespaces/b")
		if err != nil {
			t.Fatal(err)
		}
		_ = json.NewDecoder(resp.Body).Decode(&status)
		_ = resp.Body.Close()
		if resp.StatusCode != tc.code || status.Reason != tc.reason || resp.Header.Get("Retry-After") != "" {
			t.Errorf("%s fault: %s reason %q Retry-After %q", tc.kind, resp.Status, status.Reason, resp.Header.Get("Retry-After"))
		}
	}
	if got := k.Injected(); got[KubeTooManyRequests] != 1 || got[KubeInternalError] != 1 || got[KubeUnavailable] != 1 {
		t.Errorf("Injected() = %v, want one of each", got)
	}
}

func TestKubeProxy_resetClosesTheConnection(t *testing.T) {
	upstream := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer upstream.Close()
	k := mustKube(t, KubeSettings{ErrorRate: 1, Kinds: []KubeKind{KubeReset}}, 1)
	base, client := proxyTo(t, upstream, k)
	resp, err := client.Get(base + "/api/v1/namespaces")
	if err == nil {
		_ = resp.Body.Close()
		t.Fatalf("reset fault answered %s, want a transport error", resp.Status)
	}
	var opErr *net.OpError
	if !strings.Contains(err.Error(), "reset") && !strings.Contains(err.Error(), "EOF") && !errors.As(err, &opErr) {
		t.Errorf("reset fault error %v, want a connection reset", err)
	}
}

func TestKubeProxy_watchStreamsThroughAtFullFaultRate(t *testing.T) {
	release := make(chan struct{})
	upstream := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "{\"type\":\"ADDED\"}\n")
		w.(http.Flusher).Flush()
		<-release // the watch stays open: the first event must arrive before the answer ends
		_, _ = io.WriteString(w, "{\"type\":\"MODIFIED\"}\n")
	}))
	defer upstream.Close()
	defer close(release)
	k := mustKube(t, KubeSettings{ErrorRate: 1}, 1)
	base, client := proxyTo(t, upstream, k)
	resp, err := client.Get(base + "/api/v1/namespaces?watch=true")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	line, err := bufio.NewReader(resp.Body).ReadString('\n')
	if err != nil || line != "{\"type\":\"ADDED\"}\n" {
		t.Fatalf("first watch event %q, %v; want ADDED streamed before the watch ends", line, err)
	}
}

func TestKubeControlHandler(t *testing.T) {
	k := mustKube(t, KubeSettings{}, 1)
	srv := httptest.NewServer(k.ControlHandler())
	defer srv.Close()
	put := func(body string) (*http.Response, string) {
		r, _ := http.NewRequest(http.MethodPut, srv.URL, strings.NewReader(body))
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		return resp, string(b)
	}
	resp, body := put(`{"error_rate":1,"kinds":["503"],"verbs":["get"],"path_prefix":"/api/v1/namespaces/kube-system"}`)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `"kinds":["503"]`) {
		t.Fatalf("PUT: %s %s", resp.Status, body)
	}
	if kind := k.Decide(req("GET", "/api/v1/namespaces/kube-system")); kind != KubeUnavailable {
		t.Errorf("after PUT, GET kube-system got %q, want 503", kind)
	}
	resp, body = put(`{"error_rate":0}`)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `"path_prefix":"/api/v1/namespaces/kube-system"`) || !strings.Contains(body, `"injected":{"503":1}`) {
		t.Errorf("partial PUT must keep the other fields and count faults: %s %s", resp.Status, body)
	}
	if resp, body = put(`{"kinds":["418"]}`); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "418") {
		t.Errorf("bad kind: %s %s, want 400 naming it", resp.Status, body)
	}

	var none *KubeInjector
	off := httptest.NewServer(none.ControlHandler())
	defer off.Close()
	r, _ := http.NewRequest(http.MethodPut, off.URL, strings.NewReader(`{"error_rate":1}`))
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusConflict || !strings.Contains(string(b), "OCTOLLM_SANDBOX_KUBE_FAULT_ERROR_RATE") {
		t.Errorf("PUT without the proxy: %s %s, want 409 saying how to enable it", resp.Status, b)
	}
}
