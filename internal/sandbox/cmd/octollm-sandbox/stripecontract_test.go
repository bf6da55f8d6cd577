package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/octollm/terraform-provider-octollm/internal/sandbox"
)

// fakeStripeMock rejects, as stripe-mock does, any request with a "bogus" parameter.
func fakeStripeMock(t *testing.T) int {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.Header.Get("Authorization") != "Bearer sk_test_123" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		if strings.Contains(string(body), "bogus") {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"error":{"message":"Request validation error: additional properties are not allowed","type":"invalid_request_error"}}`))
			return
		}
		_, _ = w.Write([]byte(`{}`))
	}))
	t.Cleanup(srv.Close)
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	port, err := strconv.Atoi(u.Port())
	if err != nil {
		t.Fatal(err)
	}
	return port
}

// sandboxDir writes the state of a sandbox whose stripe-mock listens on port and, unless
// log is nil, its Stripe request log.
func sandboxDir(t *testing.T, port int, log []string) string {
	t.Helper()
	dir := t.TempDir()
	state, err := json.Marshal(sandbox.State{Dir: dir, Ports: sandbox.Ports{StripeMock: port}})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "state.json"), state, 0o600); err != nil {
		t.Fatal(err)
	}
	if log != nil {
		data := strings.Join(log, "\n")
		if err := os.WriteFile(stripeRequestLog(dir), []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestStripeContract(t *testing.T) {
	port := fakeStripeMock(t)
	good := `{"method":"POST","path":"/v1/products","body":"name=x"}`
	bad := `{"method":"POST","path":"/v1/prices/price_1","body":"bogus=1"}`
	for name, tc := range map[string]struct {
		log     []string
		wantErr string
		wantOut []string
	}{
		"accepted": {log: []string{good, good}, wantOut: []string{"stripe contract: 2 requests replayed against stripe-mock, 0 rejected\n"}},
		"rejected": {log: []string{good, bad}, wantErr: "rejected 1 of 2", wantOut: []string{
			"stripe contract: 2 requests replayed against stripe-mock, 1 rejected\n",
			"  #2 POST /v1/prices/price_1: 400 Request validation error: additional properties are not allowed\n",
		}},
		"empty":  {log: []string{}, wantErr: "the run made no Stripe request", wantOut: []string{"0 requests replayed"}},
		"no log": {wantErr: "no request log"},
	} {
		t.Run(name, func(t *testing.T) {
			var out bytes.Buffer
			err := runStripeContract(context.Background(), sandboxDir(t, port, tc.log), &out)
			if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Errorf("err = %v, want %q", err, tc.wantErr)
			}
			for _, want := range tc.wantOut {
				if !strings.Contains(out.String(), want) {
					t.Errorf("output %q lacks %q", out.String(), want)
				}
			}
		})
	}
	if err := runStripeContract(context.Background(), t.TempDir(), io.Discard); err == nil || !strings.Contains(err.Error(), "no sandbox state") {
		t.Errorf("no sandbox: %v", err)
	}
}
