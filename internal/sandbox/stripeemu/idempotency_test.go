package stripeemu_test

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stripe/stripe-go/v76"

	"github.com/octollm/terraform-provider-octollm/internal/sandbox/stripeemu"
)

func TestIdempotentReplay(t *testing.T) {
	srv := startEmulator(t, stripeemu.Config{})
	sc := newClient(srv.URL, testKey)

	newParams := func(email string) *stripe.CustomerParams {
		p := &stripe.CustomerParams{Email: stripe.String(email)}
		p.AddMetadata("k", "v")
		p.SetIdempotencyKey("create-ada")
		return p
	}
	first, err := sc.Customers.New(newParams("ada@example.com"))
	if err != nil {
		t.Fatal(err)
	}
	second, err := sc.Customers.New(newParams("ada@example.com"))
	if err != nil {
		t.Fatal(err)
	}
	if second.ID != first.ID {
		t.Errorf("replay id = %s, want %s", second.ID, first.ID)
	}
	if !bytes.Equal(second.LastResponse.RawJSON, first.LastResponse.RawJSON) {
		t.Errorf("replayed body differs:\n%s\nvs\n%s", second.LastResponse.RawJSON, first.LastResponse.RawJSON)
	}
	if h := first.LastResponse.Header.Get("Idempotent-Replayed"); h != "" {
		t.Errorf("first response Idempotent-Replayed = %q", h)
	}
	if h := second.LastResponse.Header.Get("Idempotent-Replayed"); h != "true" {
		t.Errorf("replay Idempotent-Replayed = %q, want true", h)
	}
	if second.LastResponse.IdempotencyKey != "create-ada" {
		t.Errorf("Idempotency-Key echo = %q", second.LastResponse.IdempotencyKey)
	}
	if second.LastResponse.RequestID == first.LastResponse.RequestID {
		t.Errorf("replay reused Request-Id %s", first.LastResponse.RequestID)
	}
	if got := second.LastResponse.Header.Get("Original-Request"); got != first.LastResponse.RequestID {
		t.Errorf("Original-Request = %q, want %q", got, first.LastResponse.RequestID)
	}
	if all := listAll(t, sc, nil); len(all) != 1 {
		t.Errorf("customers = %v, want exactly one", ids(all))
	}

	// Same key, different parameters.
	_, err = sc.Customers.New(newParams("grace@example.com"))
	se := stripeErr(t, err)
	want := "Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than 'create-ada' if you meant to execute a different request."
	if se.Type != stripe.ErrorTypeIdempotency || se.HTTPStatusCode != 400 || se.Msg != want {
		t.Errorf("mismatch error = %+v", se)
	}
	var ie *stripe.IdempotencyError
	if !errors.As(se.Err, &ie) {
		t.Errorf("typed error = %T, want *stripe.IdempotencyError", se.Err)
	}

	// Same key, other endpoint.
	up := &stripe.CustomerParams{Email: stripe.String("ada@example.com")}
	up.SetIdempotencyKey("create-ada")
	_, err = sc.Customers.Update(first.ID, up)
	if se := stripeErr(t, err); se.Type != stripe.ErrorTypeIdempotency {
		t.Errorf("endpoint mismatch error = %+v", se)
	}

	// A request that fails parameter validation records nothing, so the
	// corrected request may reuse its key, as on Stripe.
	bad := &stripe.CustomerParams{Email: stripe.String("x@example.com")}
	bad.AddExtra("bogus", "1")
	bad.SetIdempotencyKey("fix-and-retry")
	if _, err := sc.Customers.New(bad); stripeErr(t, err).Code != "parameter_unknown" {
		t.Fatalf("bogus param accepted: %v", err)
	}
	good := &stripe.CustomerParams{Email: stripe.String("x@example.com")}
	good.SetIdempotencyKey("fix-and-retry")
	if _, err := sc.Customers.New(good); err != nil {
		t.Errorf("corrected retry under the same key: %v", err)
	}

	// An executed failure (404) is recorded and replayed.
	miss := &stripe.CustomerParams{Name: stripe.String("n")}
	miss.SetIdempotencyKey("update-missing")
	_, err1 := sc.Customers.Update("cus_missing", miss)
	_, err2 := sc.Customers.Update("cus_missing", miss)
	se1, se2 := stripeErr(t, err1), stripeErr(t, err2)
	if se1.HTTPStatusCode != 404 || se2.HTTPStatusCode != 404 || se2.LastResponse.Header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("404 replay: %+v / %+v", se1, se2)
	}
}

// TestRetryWithAutomaticIdempotencyKey loses the response to the first
// create after the emulator has executed it. stripe-go retries with the
// idempotency key it generated itself, and the retry must replay the
// original result instead of creating a second customer.
func TestRetryWithAutomaticIdempotencyKey(t *testing.T) {
	emu := stripeemu.New(stripeemu.Config{})
	var posts atomic.Int32
	var keys sync.Map
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			emu.ServeHTTP(w, r)
			return
		}
		keys.Store(r.Header.Get("Idempotency-Key"), true)
		if posts.Add(1) > 1 {
			emu.ServeHTTP(w, r)
			return
		}
		// Execute, then drop the connection before answering.
		emu.ServeHTTP(httptest.NewRecorder(), r)
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Errorf("hijack: %v", err)
			return
		}
		conn.Close()
	}))
	t.Cleanup(srv.Close)

	sc := newClientWithBackend(testKey, newBackend(srv.URL, 3))
	c, err := sc.Customers.New(&stripe.CustomerParams{Email: stripe.String("retry@example.com")})
	if err != nil {
		t.Fatalf("create with retries: %v", err)
	}
	if n := posts.Load(); n < 2 {
		t.Fatalf("POSTs = %d, the request was not retried", n)
	}
	nkeys := 0
	keys.Range(func(k, _ any) bool { nkeys++; return k.(string) != "" })
	if nkeys != 1 {
		t.Errorf("retries used %d distinct idempotency keys, want 1", nkeys)
	}
	if c.LastResponse.Header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("retry was not answered by replay")
	}
	all := listAll(t, sc, nil)
	if len(all) != 1 || all[0].ID != c.ID {
		t.Errorf("customers = %v, want only %s", ids(all), c.ID)
	}
}

func TestConcurrentRequestsWithSameKey(t *testing.T) {
	srv := startEmulator(t, stripeemu.Config{})
	sc := newClient(srv.URL, testKey)

	const n = 16
	var (
		wg       sync.WaitGroup
		start    = make(chan struct{})
		idsSeen  = make([]string, n)
		replayed atomic.Int32
	)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			p := &stripe.CustomerParams{Name: stripe.String("racer")}
			p.SetIdempotencyKey("race")
			c, err := sc.Customers.New(p)
			if err != nil {
				t.Errorf("request %d: %v", i, err)
				return
			}
			idsSeen[i] = c.ID
			if c.LastResponse.Header.Get("Idempotent-Replayed") == "true" {
				replayed.Add(1)
			}
		}()
	}
	close(start)
	wg.Wait()
	for i, id := range idsSeen {
		if id != idsSeen[0] {
			t.Errorf("request %d got %s, request 0 got %s", i, id, idsSeen[0])
		}
	}
	if r := replayed.Load(); r != n-1 {
		t.Errorf("replayed = %d, want %d", r, n-1)
	}
	if all := listAll(t, sc, nil); len(all) != 1 {
		t.Errorf("customers = %v, want one", ids(all))
	}
}

func TestFaultInjection(t *testing.T) {
	inj := faultsNew(1)
	srv := startEmulator(t, stripeemu.Config{Faults: inj})
	sc := newClient(srv.URL, testKey)

	p := &stripe.CustomerParams{Name: stripe.String("unlucky")}
	p.SetIdempotencyKey("faulty")
	_, err := sc.Customers.New(p)
	se := stripeErr(t, err)
	if se.HTTPStatusCode != 500 || se.Type != stripe.ErrorTypeAPI || se.RequestID == "" {
		t.Errorf("injected failure = %+v", se)
	}
	var ae *stripe.APIError
	if !errors.As(se.Err, &ae) {
		t.Errorf("typed error = %T, want *stripe.APIError", se.Err)
	}

	// The failure happened before the emulator: nothing was created and the
	// key was not consumed.
	inj.Set(0, 0)
	c, err := sc.Customers.New(p)
	if err != nil {
		t.Fatalf("after faults off: %v", err)
	}
	if c.LastResponse.Header.Get("Idempotent-Replayed") != "" {
		t.Errorf("a faulted request recorded its idempotency key")
	}
	if all := listAll(t, sc, nil); len(all) != 1 {
		t.Errorf("customers = %v", ids(all))
	}

	// Raw shape.
	inj.Set(1, 0)
	res := do(t, http.MethodGet, srv.URL+"/v1/customers", "", "Bearer "+testKey, nil)
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusInternalServerError || !bytes.Contains(b, []byte(`"type": "api_error"`)) {
		t.Errorf("fault response %d %s", res.StatusCode, b)
	}
}
