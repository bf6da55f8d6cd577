package llmemu

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/anthropics/anthropic-sdk-go/v2"
	anthropicoption "github.com/anthropics/anthropic-sdk-go/v2/option"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
)

// newServer serves a new Emulator with cfg and its admin handlers, as the sandbox does.
func newServer(t testing.TB, cfg Config) (*Emulator, *httptest.Server) {
	t.Helper()
	e, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	mux := http.NewServeMux()
	mux.Handle("/", e)
	mux.Handle("/faults/llm", e.FaultsHandler())
	mux.Handle("/llm/latency", e.LatencyHandler())
	mux.Handle("/llm/stats", e.StatsHandler())
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return e, srv
}

func openAIClient(srv *httptest.Server) *openai.Client {
	c := openai.NewClient(option.WithBaseURL(srv.URL+"/v1"), option.WithAPIKey("sk-test"), option.WithMaxRetries(0))
	return &c
}

func anthropicClient(srv *httptest.Server) *anthropic.Client {
	c := anthropic.NewClient(anthropicoption.WithBaseURL(srv.URL+"/anthropic"), anthropicoption.WithAPIKey("sk-ant-test"),
		anthropicoption.WithMaxRetries(0))
	return &c
}

// do sends a raw request and returns the response and its body.
func do(t testing.TB, method, url, body string, header map[string]string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading body: %v", method, url, err)
	}
	return resp, string(b)
}

var (
	bearer        = map[string]string{"Authorization": "Bearer sk-test", "Content-Type": "application/json"}
	anthropicAuth = map[string]string{"X-Api-Key": "sk-ant-test", "Anthropic-Version": "2023-06-01", "Content-Type": "application/json"}
)
