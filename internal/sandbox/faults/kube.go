package faults

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// KubeKind is one kind of fault the apiserver proxy injects.
type KubeKind string

// The faults a [KubeInjector] can inject, as named in OCTOLLM_SANDBOX_KUBE_FAULT_KINDS and on the
// control endpoint.
const (
	// KubeTooManyRequests answers 429 TooManyRequests with a Retry-After header, as the
	// apiserver's priority and fairness does.
	KubeTooManyRequests KubeKind = "429"
	// KubeInternalError answers 500 InternalError.
	KubeInternalError KubeKind = "500"
	// KubeUnavailable answers 503 ServiceUnavailable.
	KubeUnavailable KubeKind = "503"
	// KubeReset resets the client's TCP connection without an answer.
	KubeReset KubeKind = "reset"
)

// AllKubeKinds are the kinds a [KubeInjector] draws from when none are configured.
var AllKubeKinds = []KubeKind{KubeTooManyRequests, KubeInternalError, KubeUnavailable, KubeReset}

// Environment variable suffixes read by [KubeFromEnv], after the prefix and "_".
const (
	EnvKinds      = "KINDS"
	EnvVerbs      = "VERBS"
	EnvPathPrefix = "PATH_PREFIX"
	EnvRetryAfter = "RETRY_AFTER"
)

// KubeSettings configure a [KubeInjector].
type KubeSettings struct {
	// ErrorRate is the probability, from 0 to 1, that a request the selection matches fails.
	ErrorRate float64
	// Kinds are the faults drawn from, with equal odds; empty means [AllKubeKinds].
	Kinds []KubeKind
	// Verbs, when set, limits faults to requests whose HTTP method (upper case, "GET") or
	// Kubernetes verb (lower case: get, list, create, update, patch, delete, deletecollection)
	// is listed.
	Verbs []string
	// PathPrefix, when set, limits faults to requests whose URL path starts with it.
	PathPrefix string
	// RetryAfter is the Retry-After of 429 answers, in whole seconds; 0 means 1.
	RetryAfter int
}

// KubeInjector decides which apiserver requests fail and how. Watches and the other
// long-running requests (exec, attach, port-forward, proxy, followed logs) are never failed: they
// stream through the proxy unharmed. It is safe for concurrent use; a nil *KubeInjector injects
// nothing.
type KubeInjector struct {
	mu       sync.Mutex
	s        KubeSettings
	rng      *rand.Rand
	injected map[KubeKind]int
}

// NewKube returns a KubeInjector with settings s, or an error naming the bad setting. seed makes
// the sequence of faults reproducible.
func NewKube(s KubeSettings, seed int64) (*KubeInjector, error) {
	if err := s.validate(); err != nil {
		return nil, err
	}
	// Fault draws need reproducibility, not unpredictability.
	rng := rand.New(rand.NewPCG(uint64(seed), 0x6b756265)) //nolint:gosec // G404
	return &KubeInjector{s: s, rng: rng, injected: map[KubeKind]int{}}, nil
}

func (s KubeSettings) validate() error {
	if math.IsNaN(s.ErrorRate) || s.ErrorRate < 0 || s.ErrorRate > 1 {
		return fmt.Errorf("error rate %v: not a number from 0 to 1", s.ErrorRate)
	}
	for _, k := range s.Kinds {
		if !slices.Contains(AllKubeKinds, k) {
			return fmt.Errorf("fault kind %q: use 429, 500, 503 or reset", k)
		}
	}
	if s.RetryAfter < 0 {
		return fmt.Errorf("retry after %d: not a whole number of seconds, 0 or more", s.RetryAfter)
	}
	return nil
}

// KubeFromEnv builds a KubeInjector from PREFIX_ERROR_RATE (0 to 1), PREFIX_KINDS (a comma
// list of 429, 500, 503, reset; default all), PREFIX_VERBS (a comma list of HTTP methods or
// Kubernetes verbs; default all), PREFIX_PATH_PREFIX, PREFIX_RETRY_AFTER (seconds, default 1) and
// PREFIX_SEED. It returns nil, nil when PREFIX_ERROR_RATE is unset or empty, and an error
// naming the variable when one is malformed.
func KubeFromEnv(prefix string) (*KubeInjector, error) {
	prefix = strings.TrimSuffix(prefix, "_") + "_"
	rateStr := os.Getenv(prefix + EnvErrorRate)
	if rateStr == "" {
		return nil, nil
	}
	var s KubeSettings
	var err error
	if s.ErrorRate, err = parseRate(rateStr); err != nil {
		return nil, fmt.Errorf("faults: %s=%q: %w", prefix+EnvErrorRate, rateStr, err)
	}
	for _, k := range splitList(os.Getenv(prefix + EnvKinds)) {
		s.Kinds = append(s.Kinds, KubeKind(k))
	}
	s.Verbs = splitList(os.Getenv(prefix + EnvVerbs))
	s.PathPrefix = os.Getenv(prefix + EnvPathPrefix)
	if v := os.Getenv(prefix + EnvRetryAfter); v != "" {
		if s.RetryAfter, err = strconv.Atoi(v); err != nil || s.RetryAfter < 0 {
			return nil, fmt.Errorf("faults: %s=%q: not a whole number of seconds", prefix+EnvRetryAfter, v)
		}
	}
	if err := s.validate(); err != nil {
		return nil, fmt.Errorf("faults: %s: %w", prefix+EnvKinds, err)
	}
	seed := time.Now().UnixNano()
	if v := os.Getenv(prefix + EnvSeed); v != "" {
		if seed, err = strconv.ParseInt(v, 10, 64); err != nil {
			return nil, fmt.Errorf("faults: %s=%q: not an integer: %w", prefix+EnvSeed, v, err)
		}
	}
	return NewKube(s, seed)
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// Settings returns the current configuration; zero for a nil KubeInjector.
func (k *KubeInjector) Settings() KubeSettings {
	if k == nil {
		return KubeSettings{}
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	s := k.s
	s.Kinds, s.Verbs = slices.Clone(s.Kinds), slices.Clone(s.Verbs)
	return s
}

// Set replaces the configuration at run time, or returns an error naming the bad setting.
func (k *KubeInjector) Set(s KubeSettings) error {
	if err := s.validate(); err != nil {
		return err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	k.s = s
	return nil
}

// Injected counts the faults injected so far, by kind.
func (k *KubeInjector) Injected() map[KubeKind]int {
	out := map[KubeKind]int{}
	if k == nil {
		return out
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	for kind, n := range k.injected {
		out[kind] = n
	}
	return out
}

// Decide draws the fate of one request: the fault to inject, or "" to pass it through.
func (k *KubeInjector) Decide(r *http.Request) KubeKind {
	if k == nil || LongRunning(r) {
		return ""
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	s := k.s
	if s.ErrorRate <= 0 {
		return ""
	}
	if s.PathPrefix != "" && !strings.HasPrefix(r.URL.Path, s.PathPrefix) {
		return ""
	}
	if len(s.Verbs) > 0 && !slices.Contains(s.Verbs, r.Method) && !slices.Contains(s.Verbs, KubeVerb(r)) {
		return ""
	}
	if s.ErrorRate < 1 && k.rng.Float64() >= s.ErrorRate {
		return ""
	}
	kinds := s.Kinds
	if len(kinds) == 0 {
		kinds = AllKubeKinds
	}
	kind := kinds[k.rng.IntN(len(kinds))]
	k.injected[kind]++
	return kind
}

// namespaceSubresources are the subresources of a namespace, which the apiserver tells apart from
// a namespaced resource type of the same position in the path.
var namespaceSubresources = []string{"status", "finalize"}

// KubeVerb is the Kubernetes verb of an apiserver request, as the apiserver's RequestInfo names
// it: get, list, watch, create, update, patch, delete, deletecollection; for a non-resource path
// (/version, /openapi/v3) the lower-case HTTP method.
func KubeVerb(r *http.Request) string {
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	var rest []string
	switch {
	case len(parts) >= 2 && parts[0] == "api":
		rest = parts[2:]
	case len(parts) >= 3 && parts[0] == "apis":
		rest = parts[3:]
	default:
		return strings.ToLower(r.Method)
	}
	watch := false
	if len(rest) > 0 && rest[0] == "watch" {
		watch, rest = true, rest[1:]
	}
	if len(rest) > 2 && rest[0] == "namespaces" && !slices.Contains(namespaceSubresources, rest[2]) {
		rest = rest[2:]
	}
	named := len(rest) >= 2
	if v := r.URL.Query().Get("watch"); v == "true" || v == "1" {
		watch = true
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		switch {
		case watch:
			return "watch"
		case named:
			return "get"
		default:
			return "list"
		}
	case http.MethodPost:
		return "create"
	case http.MethodPut:
		return "update"
	case http.MethodPatch:
		return "patch"
	case http.MethodDelete:
		if named {
			return "delete"
		}
		return "deletecollection"
	}
	return strings.ToLower(r.Method)
}

// LongRunning reports whether r is a watch or another request that streams (exec, attach,
// port-forward, proxy, a followed log), which the proxy never fails.
func LongRunning(r *http.Request) bool {
	if KubeVerb(r) == "watch" || r.Header.Get("Upgrade") != "" {
		return true
	}
	p := r.URL.Path
	for _, sub := range []string{"/exec", "/attach", "/portforward", "/proxy"} {
		if strings.HasSuffix(p, sub) || strings.Contains(p, sub+"/") {
			return true
		}
	}
	return strings.HasSuffix(p, "/log") && r.URL.Query().Get("follow") == "true"
}

// Proxy returns a reverse proxy to upstream (the apiserver's https URL) through transport that
// injects k's faults. It streams answers as they come, so watches pass through. Connection
// resets need HTTP/1.1 between the client and the proxy (see [ServeKubeProxy]).
func (k *KubeInjector) Proxy(upstream *url.URL, transport http.RoundTripper) http.Handler {
	rp := &httputil.ReverseProxy{
		Rewrite:       func(pr *httputil.ProxyRequest) { pr.SetURL(upstream) },
		Transport:     transport,
		FlushInterval: -1,
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		kind := k.Decide(r)
		if kind == "" {
			rp.ServeHTTP(w, r)
			return
		}
		writeKubeFault(w, r, kind, k.Settings().RetryAfter)
	})
}

// writeKubeFault answers r with the fault kind, in the apiserver's Status format.
func writeKubeFault(w http.ResponseWriter, r *http.Request, kind KubeKind, retryAfter int) {
	target := r.Method + " " + r.URL.Path
	var code int
	var reason, message string
	switch kind {
	case KubeTooManyRequests:
		retryAfter = max(retryAfter, 1)
		w.Header().Set("Retry-After", strconv.Itoa(retryAfter))
		code, reason, message = http.StatusTooManyRequests, "TooManyRequests", "injected fault: too many requests for "+target+", please try again later"
	case KubeInternalError:
		code, reason, message = http.StatusInternalServerError, "InternalError", "injected fault: internal error serving "+target
	case KubeUnavailable:
		code, reason, message = http.StatusServiceUnavailable, "ServiceUnavailable", "injected fault: "+target+" is unavailable"
	case KubeReset:
		resetConnection(w)
		return
	}
	status := map[string]any{
		"kind": "Status", "apiVersion": "v1", "metadata": map[string]any{},
		"status": "Failure", "message": message, "reason": reason, "code": code,
	}
	if kind == KubeTooManyRequests {
		status["details"] = map[string]any{"retryAfterSeconds": retryAfter}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(status)
}

// resetConnection closes the client's connection with a TCP RST. Over HTTP/2, where a handler
// cannot take the connection over, it aborts the stream instead.
func resetConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	raw := conn
	if tc, ok := conn.(*tls.Conn); ok {
		raw = tc.NetConn()
	}
	if tcp, ok := raw.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0) // close sends RST, not FIN
		_ = tcp.Close()
		return
	}
	_ = conn.Close()
}

// ServeKubeProxy serves k's proxy to upstream on lis over TLS with cert, HTTP/1.1 only (so a
// connection reset is a real one). caPEM verifies the apiserver. It returns when srv is closed.
func ServeKubeProxy(lis net.Listener, cert tls.Certificate, upstream *url.URL, caPEM []byte, k *KubeInjector) (*http.Server, func() error, error) {
	pool, err := certPool(caPEM)
	if err != nil {
		return nil, nil, err
	}
	transport := &http.Transport{
		TLSClientConfig:     &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12},
		MaxIdleConnsPerHost: 100,
		IdleConnTimeout:     90 * time.Second,
	}
	srv := &http.Server{
		Handler:           k.Proxy(upstream, transport),
		ReadHeaderTimeout: 10 * time.Second,
		TLSConfig:         &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: []string{"http/1.1"}, MinVersion: tls.VersionTLS12},
		// A non-nil empty map turns HTTP/2 off.
		TLSNextProto: map[string]func(*http.Server, *tls.Conn, http.Handler){},
	}
	serve := func() error { return srv.Serve(tls.NewListener(lis, srv.TLSConfig)) }
	return srv, serve, nil
}

// kubeSettingsJSON is the wire form of [KubeSettings] on the control endpoint.
type kubeSettingsJSON struct {
	ErrorRate  *float64         `json:"error_rate,omitempty"`
	Kinds      *[]KubeKind      `json:"kinds,omitempty"`
	Verbs      *[]string        `json:"verbs,omitempty"`
	PathPrefix *string          `json:"path_prefix,omitempty"`
	RetryAfter *int             `json:"retry_after_seconds,omitempty"`
	Injected   map[KubeKind]int `json:"injected,omitempty"`
}

// ControlHandler serves the settings so a test can change the apiserver's faults on a running
// sandbox:
//
//   - GET answers {"error_rate":0.2,"kinds":["429","503"],"verbs":["list"],"path_prefix":"/api/v1",
//     "retry_after_seconds":1,"injected":{"429":3}}; injected counts the faults so far.
//   - PUT takes the same JSON (without injected); an omitted field keeps its current value. It
//     answers the new settings, or 400 naming the bad field.
//
// A nil KubeInjector's handler reports zero settings and refuses PUT with 409 Conflict: the proxy
// is only in the apiserver's path when the sandbox started with OCTOLLM_SANDBOX_KUBE_FAULT_ERROR_RATE.
func (k *KubeInjector) ControlHandler() http.Handler {
	return controlHandler(k != nil, "apiserver faults are not enabled: start the sandbox with OCTOLLM_SANDBOX_KUBE_FAULT_ERROR_RATE set (0 is enough)", k.applyJSON, func() any {
		cur := k.Settings()
		kinds, verbs := cur.Kinds, cur.Verbs
		if kinds == nil {
			kinds = []KubeKind{}
		}
		if verbs == nil {
			verbs = []string{}
		}
		return kubeSettingsJSON{
			ErrorRate: &cur.ErrorRate, Kinds: &kinds, Verbs: &verbs, PathPrefix: &cur.PathPrefix,
			RetryAfter: &cur.RetryAfter, Injected: k.Injected(),
		}
	})
}

func (k *KubeInjector) applyJSON(r *http.Request) error {
	var body kubeSettingsJSON
	if err := decodeSettings(r, &body); err != nil {
		return err
	}
	if body.Injected != nil {
		return errors.New("injected is read-only")
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	s := k.s
	if body.ErrorRate != nil {
		s.ErrorRate = *body.ErrorRate
	}
	if body.Kinds != nil {
		s.Kinds = *body.Kinds
	}
	if body.Verbs != nil {
		s.Verbs = *body.Verbs
	}
	if body.PathPrefix != nil {
		s.PathPrefix = *body.PathPrefix
	}
	if body.RetryAfter != nil {
		s.RetryAfter = *body.RetryAfter
	}
	if err := s.validate(); err != nil {
		return err
	}
	k.s = s
	return nil
}

func certPool(caPEM []byte) (*x509.CertPool, error) {
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPEM) {
		return nil, errors.New("faults: no certificate in the apiserver's CA PEM")
	}
	return pool, nil
}
