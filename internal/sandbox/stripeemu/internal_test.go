package stripeemu

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestMaskKey(t *testing.T) {
	for key, want := range map[string]string{
		"sk_live_abcdefghabcd": "sk_live_********abcd",
		"sk_live_abcd":         "sk_live_****",
		"pk_test_123456789":    "pk_test_*****6789",
		"rk_live_xyz":          "rk_live_***",
		"garbage-key-1234":     "************1234",
		"abc":                  "***",
	} {
		if got := maskKey(key); got != want {
			t.Errorf("maskKey(%q) = %q, want %q", key, got, want)
		}
	}
}

func TestParseForm(t *testing.T) {
	for _, raw := range []string{
		"expand[]=a&expand[]=b",
		"expand[0]=a&expand[1]=b",
		"expand[1]=b&expand[0]=a",
	} {
		vals, _ := url.ParseQuery(raw)
		root, err := parseForm(vals)
		if err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
		got, ok, err := (params{root: root}).strings("expand")
		if err != nil || !ok || !slices.Equal(got, []string{"a", "b"}) {
			t.Errorf("%s: %v %v %v", raw, got, ok, err)
		}
	}

	vals, _ := url.ParseQuery("metadata[a]=1&metadata[b]=&created[gte]=5")
	root, err := parseForm(vals)
	if err != nil {
		t.Fatal(err)
	}
	md := map[string]string{"b": "old", "c": "keep"}
	if err := (params{root: root}).applyMetadata(md); err != nil {
		t.Fatal(err)
	}
	if len(md) != 2 || md["a"] != "1" || md["c"] != "keep" {
		t.Errorf("metadata = %v", md)
	}
	f, err := parseCreatedFilter(params{root: root})
	if err != nil || f.gte == nil || *f.gte != 5 || !f.match(5) || f.match(4) {
		t.Errorf("created filter = %+v %v", f, err)
	}

	vals, _ = url.ParseQuery("email=x&email[a]=b")
	if _, err := parseForm(vals); err == nil || err.Param != "email" {
		t.Errorf("conflicting email accepted: %v", err)
	}
}

// TestIdempotencyKeyExpiry checks that keys are kept 24 hours, then free.
func TestIdempotencyKeyExpiry(t *testing.T) {
	s := New(Config{})
	now := time.Unix(1_700_000_000, 0)
	s.now = func() time.Time { return now }

	create := func(name string) (int, map[string]any, http.Header) {
		req := httptest.NewRequest(http.MethodPost, "/v1/customers", strings.NewReader("name="+name))
		req.Header.Set("Authorization", "Bearer sk_test_clock")
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Idempotency-Key", "k")
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		var body map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
			t.Fatal(err)
		}
		return rec.Code, body, rec.Header()
	}

	code, first, _ := create("a")
	if code != 200 {
		t.Fatalf("create: %d %v", code, first)
	}
	now = now.Add(idempotencyTTL - time.Second)
	code, body, h := create("a")
	if code != 200 || body["id"] != first["id"] || h.Get("Idempotent-Replayed") != "true" {
		t.Errorf("within TTL: %d %v %v", code, body, h)
	}
	if code, _, _ := create("b"); code != 400 {
		t.Errorf("different params within TTL: %d, want 400", code)
	}
	now = now.Add(2 * time.Second)
	code, body, h = create("b")
	if code != 200 || body["id"] == first["id"] || h.Get("Idempotent-Replayed") != "" {
		t.Errorf("after TTL: %d %v %v", code, body, h)
	}
	// The sweep drops expired keys.
	now = now.Add(idempotencyTTL + time.Hour)
	create("c")
	a := s.accounts["sk_test_clock"]
	a.idem.mu.Lock()
	n := len(a.idem.slots)
	a.idem.mu.Unlock()
	if n != 1 {
		t.Errorf("slots after sweep = %d, want 1", n)
	}
}
