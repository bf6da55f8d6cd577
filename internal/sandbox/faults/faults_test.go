package faults

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

func TestDecideRateZeroNeverFails(t *testing.T) {
	i := New(0, 0, 1)
	for range 10000 {
		if _, fail := i.Decide(); fail {
			t.Fatal("Decide failed with error rate 0")
		}
	}
}

func TestDecideRateOneAlwaysFails(t *testing.T) {
	i := New(1, 0, 1)
	for range 10000 {
		if _, fail := i.Decide(); !fail {
			t.Fatal("Decide succeeded with error rate 1")
		}
	}
}

func TestDecideRateIsRoughlyHonoured(t *testing.T) {
	i := New(0.3, 0, 42)
	fails := 0
	const n = 20000
	for range n {
		if _, fail := i.Decide(); fail {
			fails++
		}
	}
	if got := float64(fails) / n; got < 0.27 || got > 0.33 {
		t.Errorf("failure fraction = %.3f, want about 0.3", got)
	}
}

func TestDecideSameSeedSameSequence(t *testing.T) {
	a, b := New(0.5, 0, 7), New(0.5, 0, 7)
	for n := range 1000 {
		_, fa := a.Decide()
		_, fb := b.Decide()
		if fa != fb {
			t.Fatalf("draw %d differs between injectors with the same seed", n)
		}
	}
}

func TestSetClampsAndChangesAtRuntime(t *testing.T) {
	i := New(0, 0, 1)
	i.Set(1, 5*time.Millisecond)
	if delay, fail := i.Decide(); !fail || delay != 5*time.Millisecond {
		t.Errorf("after Set(1, 5ms): Decide() = %v, %v", delay, fail)
	}
	i.Set(7, -time.Second)
	if got := i.Settings(); got != (Settings{ErrorRate: 1}) {
		t.Errorf("Set(7, -1s) gave %+v, want rate clamped to 1 and no latency", got)
	}
}

func TestNilInjectorIsNoOp(t *testing.T) {
	var i *Injector
	if delay, fail := i.Decide(); delay != 0 || fail {
		t.Errorf("nil Decide() = %v, %v; want 0, false", delay, fail)
	}
	i.Set(1, time.Hour) // must not panic
	if got := i.Settings(); got != (Settings{}) {
		t.Errorf("nil Settings() = %+v", got)
	}

	called := false
	resp, err := i.UnaryServerInterceptor()(context.Background(), "req", &grpc.UnaryServerInfo{FullMethod: "/x.Y/Z"},
		func(context.Context, any) (any, error) { called = true; return "resp", nil })
	if err != nil || resp != "resp" || !called {
		t.Errorf("nil interceptor: resp=%v err=%v called=%v", resp, err, called)
	}

	next := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusTeapot) })
	rec := httptest.NewRecorder()
	i.HTTPMiddleware(next, nil).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	if rec.Code != http.StatusTeapot {
		t.Errorf("nil middleware status = %d, want the wrapped handler's 418", rec.Code)
	}

	rec = httptest.NewRecorder()
	i.ControlHandler().ServeHTTP(rec, httptest.NewRequest(http.MethodPut, "/", strings.NewReader(`{"error_rate":1}`)))
	if rec.Code != http.StatusConflict {
		t.Errorf("nil control PUT status = %d, want 409", rec.Code)
	}
}

func TestUnaryServerInterceptor(t *testing.T) {
	info := &grpc.UnaryServerInfo{FullMethod: "/google.container.v1.ClusterManager/GetCluster"}
	handler := func(context.Context, any) (any, error) { return "ok", nil }

	t.Run("fails with Unavailable", func(t *testing.T) {
		_, err := New(1, 0, 1).UnaryServerInterceptor()(context.Background(), nil, info, handler)
		st := status.Convert(err)
		if st.Code() != codes.Unavailable || !strings.HasPrefix(st.Message(), "injected fault: ") {
			t.Errorf("err = %v, want Unavailable \"injected fault: ...\"", err)
		}
	})
	t.Run("applies latency", func(t *testing.T) {
		start := time.Now()
		resp, err := New(0, 30*time.Millisecond, 1).UnaryServerInterceptor()(context.Background(), nil, info, handler)
		if err != nil || resp != "ok" {
			t.Fatalf("resp=%v err=%v", resp, err)
		}
		if elapsed := time.Since(start); elapsed < 30*time.Millisecond {
			t.Errorf("call took %v, want at least 30ms", elapsed)
		}
	})
	t.Run("stops waiting when the context ends", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
		defer cancel()
		_, err := New(0, time.Hour, 1).UnaryServerInterceptor()(ctx, nil, info, handler)
		if status.Code(err) != codes.DeadlineExceeded {
			t.Errorf("err = %v, want DeadlineExceeded", err)
		}
	})
}

func TestHTTPMiddleware(t *testing.T) {
	next := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) })

	t.Run("custom failure", func(t *testing.T) {
		render := func(w http.ResponseWriter, _ *http.Request) {
			http.Error(w, `{"error":"boom"}`, http.StatusInternalServerError)
		}
		rec := httptest.NewRecorder()
		New(1, 0, 1).HTTPMiddleware(next, render).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/v1/x", nil))
		if rec.Code != http.StatusInternalServerError || !strings.Contains(rec.Body.String(), "boom") {
			t.Errorf("got %d %q, want the custom failure", rec.Code, rec.Body)
		}
	})
	t.Run("default failure", func(t *testing.T) {
		rec := httptest.NewRecorder()
		New(1, 0, 1).HTTPMiddleware(next, nil).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/v1/x", nil))
		if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "injected fault") {
			t.Errorf("got %d %q, want 503 injected fault", rec.Code, rec.Body)
		}
	})
	t.Run("latency then success", func(t *testing.T) {
		rec := httptest.NewRecorder()
		start := time.Now()
		New(0, 20*time.Millisecond, 1).HTTPMiddleware(next, nil).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
		if rec.Code != http.StatusOK || rec.Body.String() != "ok" {
			t.Errorf("got %d %q, want 200 ok", rec.Code, rec.Body)
		}
		if elapsed := time.Since(start); elapsed < 20*time.Millisecond {
			t.Errorf("request took %v, want at least 20ms", elapsed)
		}
	})
}

func TestControlHandler(t *testing.T) {
	i := New(0, 0, 1)
	h := i.ControlHandler()
	do := func(method, body string) (int, map[string]any) {
		t.Helper()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(method, "/faults", strings.NewReader(body)))
		var got map[string]any
		if rec.Code == http.StatusOK {
			if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
				t.Fatalf("%s: decoding %q: %v", method, rec.Body, err)
			}
		}
		return rec.Code, got
	}

	if code, got := do(http.MethodGet, ""); code != http.StatusOK || got["error_rate"] != 0.0 || got["latency"] != "0s" {
		t.Errorf("GET = %d %v", code, got)
	}
	if code, got := do(http.MethodPut, `{"error_rate":0.2,"latency":"50ms"}`); code != http.StatusOK || got["error_rate"] != 0.2 || got["latency"] != "50ms" {
		t.Errorf("PUT = %d %v", code, got)
	}
	if s := i.Settings(); s != (Settings{ErrorRate: 0.2, Latency: 50 * time.Millisecond}) {
		t.Errorf("after PUT Settings() = %+v", s)
	}
	// An omitted field keeps its value.
	if code, got := do(http.MethodPut, `{"latency":"1s"}`); code != http.StatusOK || got["error_rate"] != 0.2 || got["latency"] != "1s" {
		t.Errorf("partial PUT = %d %v", code, got)
	}
	for _, bad := range []string{`{"error_rate":1.5}`, `{"latency":"soon"}`, `{"latency":"-1s"}`, `{"rate":1}`, `not json`} {
		if code, _ := do(http.MethodPut, bad); code != http.StatusBadRequest {
			t.Errorf("PUT %s = %d, want 400", bad, code)
		}
	}
	if s := i.Settings(); s != (Settings{ErrorRate: 0.2, Latency: time.Second}) {
		t.Errorf("bad PUTs changed settings to %+v", s)
	}
	if code, _ := do(http.MethodPost, `{}`); code != http.StatusMethodNotAllowed {
		t.Errorf("POST = %d, want 405", code)
	}
	// GET counts the failures injected so far (a reliability test reads it around a run).
	if code, got := do(http.MethodGet, ""); code != http.StatusOK || got["injected"] != 0.0 {
		t.Errorf("GET before any failure = %d %v, want injected 0", code, got)
	}
	i.Set(1, 0)
	for range 3 {
		i.Decide()
	}
	i.Set(0, 0)
	i.Decide()
	if code, got := do(http.MethodGet, ""); code != http.StatusOK || got["injected"] != 3.0 {
		t.Errorf("GET after 3 failures = %d %v, want injected 3", code, got)
	}
}

func TestFromEnv(t *testing.T) {
	t.Run("unset gives nil", func(t *testing.T) {
		t.Setenv("GKEEMU_ERROR_RATE", "")
		t.Setenv("GKEEMU_LATENCY", "")
		i, err := FromEnv("GKEEMU")
		if i != nil || err != nil {
			t.Errorf("FromEnv = %v, %v; want nil, nil", i, err)
		}
	})
	t.Run("both set", func(t *testing.T) {
		t.Setenv("GKEEMU_ERROR_RATE", "0.25")
		t.Setenv("GKEEMU_LATENCY", "40ms")
		t.Setenv("GKEEMU_SEED", "3")
		i, err := FromEnv("GKEEMU_")
		if err != nil {
			t.Fatal(err)
		}
		if s := i.Settings(); s != (Settings{ErrorRate: 0.25, Latency: 40 * time.Millisecond}) {
			t.Errorf("Settings() = %+v", s)
		}
	})
	t.Run("latency only", func(t *testing.T) {
		t.Setenv("GKEEMU_ERROR_RATE", "")
		t.Setenv("GKEEMU_LATENCY", "1s")
		i, err := FromEnv("GKEEMU")
		if err != nil || i.Settings() != (Settings{Latency: time.Second}) {
			t.Errorf("FromEnv = %+v, %v", i.Settings(), err)
		}
	})
	for _, tc := range []struct{ rate, latency, seed, wantVar string }{
		{rate: "lots", wantVar: "GKEEMU_ERROR_RATE"},
		{rate: "1.5", wantVar: "GKEEMU_ERROR_RATE"},
		{rate: "-0.1", wantVar: "GKEEMU_ERROR_RATE"},
		{rate: "NaN", wantVar: "GKEEMU_ERROR_RATE"},
		{latency: "50", wantVar: "GKEEMU_LATENCY"},
		{latency: "-5ms", wantVar: "GKEEMU_LATENCY"},
		{rate: "0.1", seed: "x", wantVar: "GKEEMU_SEED"},
	} {
		t.Run("malformed "+tc.wantVar+"="+tc.rate+tc.latency+tc.seed, func(t *testing.T) {
			t.Setenv("GKEEMU_ERROR_RATE", tc.rate)
			t.Setenv("GKEEMU_LATENCY", tc.latency)
			t.Setenv("GKEEMU_SEED", tc.seed)
			i, err := FromEnv("GKEEMU")
			if err == nil || i != nil {
				t.Fatalf("FromEnv = %v, %v; want an error", i, err)
			}
			if !strings.Contains(err.Error(), tc.wantVar) {
				t.Errorf("error %q does not name %s", err, tc.wantVar)
			}
		})
	}
}

// Only limits faults to matching requests, over HTTP and through the control endpoint.
func TestOnly(t *testing.T) {
	i := New(1, 0, 1)
	req := httptest.NewRequest(http.MethodPut, "/faults", strings.NewReader(`{"only": "POST /v1/subscriptions"}`))
	rec := httptest.NewRecorder()
	i.ControlHandler().ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"only":"POST /v1/subscriptions"`) {
		t.Fatalf("PUT only: %d %s", rec.Code, rec.Body.String())
	}
	h := i.HTTPMiddleware(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) }), nil)
	for _, tc := range []struct {
		method, path string
		want         int
	}{
		{http.MethodPost, "/v1/subscriptions", http.StatusServiceUnavailable},
		{http.MethodPost, "/v1/subscriptions/sub_1", http.StatusServiceUnavailable},
		{http.MethodGet, "/v1/subscriptions", http.StatusOK},
		{http.MethodPost, "/v1/customers", http.StatusOK},
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(tc.method, tc.path, nil))
		if rec.Code != tc.want {
			t.Errorf("%s %s: %d, want %d", tc.method, tc.path, rec.Code, tc.want)
		}
	}
	i.SetOnly("")
	if _, fail := i.DecideFor("GET /v1/customers"); !fail {
		t.Error("with only cleared, every request fails at rate 1")
	}
}
