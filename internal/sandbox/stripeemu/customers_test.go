package stripeemu_test

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stripe/stripe-go/v76"

	"github.com/octollm/terraform-provider-octollm/internal/sandbox/stripeemu"
)

var customerIDRE = regexp.MustCompile(`^cus_[A-Za-z0-9]{14}$`)

func TestCustomerLifecycle(t *testing.T) {
	srv := startEmulator(t, stripeemu.Config{})
	sc := newClient(srv.URL, testKey)

	params := &stripe.CustomerParams{
		Email:       stripe.String("ada@example.com"),
		Name:        stripe.String("Ada Lovelace"),
		Description: stripe.String("tenant acme"),
		Phone:       stripe.String("+15555550100"),
	}
	params.AddMetadata("tenant", "acme")
	params.AddMetadata("plan", "pro")
	created, err := sc.Customers.New(params)
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if !customerIDRE.MatchString(created.ID) {
		t.Errorf("id = %q, want cus_ + 14 alphanumerics", created.ID)
	}
	if created.Email != "ada@example.com" || created.Name != "Ada Lovelace" || created.Description != "tenant acme" || created.Phone != "+15555550100" {
		t.Errorf("created = %+v", created)
	}
	if created.Metadata["tenant"] != "acme" || created.Metadata["plan"] != "pro" {
		t.Errorf("metadata = %v", created.Metadata)
	}
	if created.Created == 0 || created.Livemode || created.TaxExempt != stripe.CustomerTaxExemptNone || created.InvoicePrefix == "" {
		t.Errorf("defaults wrong: %+v", created)
	}
	if !strings.HasPrefix(created.LastResponse.RequestID, "req_") {
		t.Errorf("Request-Id = %q", created.LastResponse.RequestID)
	}
	if got := created.LastResponse.Header.Get("Stripe-Version"); got != stripe.APIVersion {
		t.Errorf("Stripe-Version = %q, want echo of %q", got, stripe.APIVersion)
	}

	got, err := sc.Customers.Get(created.ID, nil)
	if err != nil {
		t.Fatalf("get: %v", err)
	}
	if got.ID != created.ID || got.Email != created.Email || got.Metadata["plan"] != "pro" {
		t.Errorf("get = %+v", got)
	}

	// Update: change name, unset description, delete one metadata key.
	up := &stripe.CustomerParams{Name: stripe.String("Countess"), Description: stripe.String("")}
	up.AddMetadata("plan", "")
	up.AddMetadata("region", "eu")
	updated, err := sc.Customers.Update(created.ID, up)
	if err != nil {
		t.Fatalf("update: %v", err)
	}
	if updated.Name != "Countess" || updated.Description != "" || updated.Email != "ada@example.com" {
		t.Errorf("updated = %+v", updated)
	}
	if want := map[string]string{"tenant": "acme", "region": "eu"}; !mapsEqual(updated.Metadata, want) {
		t.Errorf("metadata = %v, want %v", updated.Metadata, want)
	}

	deleted, err := sc.Customers.Del(created.ID, nil)
	if err != nil {
		t.Fatalf("delete: %v", err)
	}
	if !deleted.Deleted || deleted.ID != created.ID {
		t.Errorf("delete = %+v", deleted)
	}
	// Like Stripe, a deleted customer can still be retrieved as a tombstone.
	tomb, err := sc.Customers.Get(created.ID, nil)
	if err != nil {
		t.Fatalf("get deleted: %v", err)
	}
	if !tomb.Deleted || tomb.ID != created.ID {
		t.Errorf("get deleted = %+v", tomb)
	}
	// But it can be neither updated nor deleted again, and is not listed.
	_, err = sc.Customers.Update(created.ID, &stripe.CustomerParams{Name: stripe.String("x")})
	if se := stripeErr(t, err); se.Code != stripe.ErrorCodeResourceMissing || se.HTTPStatusCode != 404 {
		t.Errorf("update deleted: %+v", se)
	}
	_, err = sc.Customers.Del(created.ID, nil)
	if se := stripeErr(t, err); se.Code != stripe.ErrorCodeResourceMissing {
		t.Errorf("delete twice: %+v", se)
	}
	if all := listAll(t, sc, nil); len(all) != 0 {
		t.Errorf("list after delete = %v", ids(all))
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// TestCustomerWireShape checks the raw JSON, including the fields stripe-go
// would silently zero if missing.
func TestCustomerWireShape(t *testing.T) {
	srv := startEmulator(t, stripeemu.Config{})
	res := do(t, http.MethodPost, srv.URL+"/v1/customers", "email=a%40b.co", "Bearer "+testKey, nil)
	body := decode(t, res, http.StatusOK)
	for field, want := range map[string]any{
		"object": "customer", "email": "a@b.co", "name": nil, "description": nil, "phone": nil,
		"livemode": false, "balance": float64(0), "currency": nil, "delinquent": false,
		"default_source": nil, "tax_exempt": "none", "address": nil, "shipping": nil, "discount": nil,
		"test_clock": nil, "next_invoice_sequence": float64(1),
	} {
		if got, ok := body[field]; !ok || got != want {
			t.Errorf("%s = %#v (present %v), want %#v", field, got, ok, want)
		}
	}
	if md, ok := body["metadata"].(map[string]any); !ok || len(md) != 0 {
		t.Errorf("metadata = %#v, want {}", body["metadata"])
	}
	if pl, ok := body["preferred_locales"].([]any); !ok || len(pl) != 0 {
		t.Errorf("preferred_locales = %#v, want []", body["preferred_locales"])
	}
	is, ok := body["invoice_settings"].(map[string]any)
	if !ok {
		t.Fatalf("invoice_settings = %#v", body["invoice_settings"])
	}
	for _, f := range []string{"custom_fields", "default_payment_method", "footer", "rendering_options"} {
		if v, ok := is[f]; !ok || v != nil {
			t.Errorf("invoice_settings.%s = %#v (present %v), want null", f, v, ok)
		}
	}
	if _, ok := body["created"].(float64); !ok {
		t.Errorf("created = %#v", body["created"])
	}
	if p, _ := body["invoice_prefix"].(string); !regexp.MustCompile(`^[0-9A-F]{8}$`).MatchString(p) {
		t.Errorf("invoice_prefix = %q", p)
	}

	// DELETE and list envelopes.
	id := body["id"].(string)
	del := decode(t, do(t, http.MethodDelete, srv.URL+"/v1/customers/"+id, "", "Bearer "+testKey, nil), http.StatusOK)
	if len(del) != 3 || del["id"] != id || del["object"] != "customer" || del["deleted"] != true {
		t.Errorf("delete body = %v", del)
	}
	list := decode(t, do(t, http.MethodGet, srv.URL+"/v1/customers", "", "Bearer "+testKey, nil), http.StatusOK)
	if list["object"] != "list" || list["url"] != "/v1/customers" || list["has_more"] != false {
		t.Errorf("list = %v", list)
	}
	if data, ok := list["data"].([]any); !ok || len(data) != 0 {
		t.Errorf("list data = %#v, want []", list["data"])
	}
}

func TestListPagination(t *testing.T) {
	srv := startEmulator(t, stripeemu.Config{})
	sc := newClient(srv.URL, testKey)

	var created []string
	for i := range 25 {
		email := "other@example.com"
		if i%5 == 0 {
			email = "five@example.com"
		}
		c, err := sc.Customers.New(&stripe.CustomerParams{Email: stripe.String(email)})
		if err != nil {
			t.Fatalf("create %d: %v", i, err)
		}
		created = append(created, c.ID)
	}
	newestFirst := slices.Clone(created)
	slices.Reverse(newestFirst)

	// Auto-pagination (stripe-go follows starting_after) sees everything once, newest first.
	all := listAll(t, sc, &stripe.CustomerListParams{ListParams: stripe.ListParams{Limit: stripe.Int64(4)}})
	if !slices.Equal(ids(all), newestFirst) {
		t.Errorf("auto-paginated = %v\nwant %v", ids(all), newestFirst)
	}
	// page fetches one page and returns its IDs in wire order. (stripe-go's
	// iterator reverses ending_before pages so that it walks towards newer
	// objects; Stripe itself always sends newest first.)
	page := func(p *stripe.CustomerListParams) ([]string, bool) {
		t.Helper()
		p.Single = true
		it := sc.Customers.List(p)
		for it.Next() {
		}
		if err := it.Err(); err != nil {
			t.Fatalf("list: %v", err)
		}
		return ids(it.CustomerList().Data), it.Meta().HasMore
	}
	// Default limit is 10.
	if got, more := page(&stripe.CustomerListParams{}); !slices.Equal(got, newestFirst[:10]) || !more {
		t.Errorf("default page = %v more=%v", got, more)
	}
	p1, more := page(&stripe.CustomerListParams{ListParams: stripe.ListParams{Limit: stripe.Int64(3)}})
	if !slices.Equal(p1, newestFirst[:3]) || !more {
		t.Errorf("page 1 = %v more=%v", p1, more)
	}
	p2, more := page(&stripe.CustomerListParams{ListParams: stripe.ListParams{Limit: stripe.Int64(3), StartingAfter: stripe.String(p1[2])}})
	if !slices.Equal(p2, newestFirst[3:6]) || !more {
		t.Errorf("page 2 = %v more=%v", p2, more)
	}
	back, more := page(&stripe.CustomerListParams{ListParams: stripe.ListParams{Limit: stripe.Int64(3), EndingBefore: stripe.String(p2[0])}})
	if !slices.Equal(back, p1) || more {
		t.Errorf("ending_before page 2 = %v more=%v, want %v more=false", back, more, p1)
	}
	back, more = page(&stripe.CustomerListParams{ListParams: stripe.ListParams{Limit: stripe.Int64(2), EndingBefore: stripe.String(p2[0])}})
	if !slices.Equal(back, p1[1:]) || !more {
		t.Errorf("ending_before limit 2 = %v more=%v, want %v more=true", back, more, p1[1:])
	}
	last, more := page(&stripe.CustomerListParams{ListParams: stripe.ListParams{Limit: stripe.Int64(100), StartingAfter: stripe.String(newestFirst[20])}})
	if !slices.Equal(last, newestFirst[21:]) || more {
		t.Errorf("last page = %v more=%v", last, more)
	}
	// Auto-pagination backwards from ending_before walks towards newer objects.
	backAll := listAll(t, sc, &stripe.CustomerListParams{ListParams: stripe.ListParams{Limit: stripe.Int64(2), EndingBefore: stripe.String(newestFirst[5])}})
	if len(backAll) != 5 {
		t.Errorf("ending_before auto-pagination = %v, want the 5 newest", ids(backAll))
	}

	// Email filter.
	five := listAll(t, sc, &stripe.CustomerListParams{Email: stripe.String("five@example.com")})
	if want := []string{created[20], created[15], created[10], created[5], created[0]}; !slices.Equal(ids(five), want) {
		t.Errorf("email filter = %v, want %v", ids(five), want)
	}
	if none := listAll(t, sc, &stripe.CustomerListParams{Email: stripe.String("FIVE@example.com")}); len(none) != 0 {
		t.Errorf("email filter is case-sensitive on Stripe, got %v", ids(none))
	}

	// Deleted cursors still work; deleted customers are skipped.
	if _, err := sc.Customers.Del(newestFirst[1], nil); err != nil {
		t.Fatal(err)
	}
	got, _ := page(&stripe.CustomerListParams{ListParams: stripe.ListParams{Limit: stripe.Int64(2), StartingAfter: stripe.String(newestFirst[0])}})
	if !slices.Equal(got, newestFirst[2:4]) {
		t.Errorf("after delete = %v, want %v", got, newestFirst[2:4])
	}
	got, _ = page(&stripe.CustomerListParams{ListParams: stripe.ListParams{Limit: stripe.Int64(2), StartingAfter: stripe.String(newestFirst[1])}})
	if !slices.Equal(got, newestFirst[2:4]) {
		t.Errorf("deleted cursor = %v, want %v", got, newestFirst[2:4])
	}

	// Bad pagination parameters.
	for _, tc := range []struct {
		params *stripe.CustomerListParams
		param  string
		code   stripe.ErrorCode
		status int
	}{
		{&stripe.CustomerListParams{ListParams: stripe.ListParams{Limit: stripe.Int64(101)}}, "limit", "parameter_invalid_integer", 400},
		{&stripe.CustomerListParams{ListParams: stripe.ListParams{Limit: stripe.Int64(0)}}, "limit", "parameter_invalid_integer", 400},
		{&stripe.CustomerListParams{ListParams: stripe.ListParams{StartingAfter: stripe.String("cus_nope")}}, "starting_after", stripe.ErrorCodeResourceMissing, 400},
	} {
		tc.params.Single = true
		it := sc.Customers.List(tc.params)
		for it.Next() {
		}
		se := stripeErr(t, it.Err())
		if se.Param != tc.param || se.Code != tc.code || se.HTTPStatusCode != tc.status {
			t.Errorf("%s: got %+v", tc.param, se)
		}
	}
}

func TestNotFound(t *testing.T) {
	srv := startEmulator(t, stripeemu.Config{})
	sc := newClient(srv.URL, testKey)
	_, err := sc.Customers.Get("cus_x", nil)
	se := stripeErr(t, err)
	if se.HTTPStatusCode != 404 || se.Type != stripe.ErrorTypeInvalidRequest || se.Code != stripe.ErrorCodeResourceMissing ||
		se.Param != "id" || se.Msg != "No such customer: 'cus_x'" ||
		se.DocURL != "https://stripe.com/docs/error-codes/resource-missing" || !strings.HasPrefix(se.RequestID, "req_") {
		t.Errorf("error = %+v", se)
	}
	var ire *stripe.InvalidRequestError
	if !errors.As(se.Err, &ire) {
		t.Errorf("typed error = %T, want *stripe.InvalidRequestError", se.Err)
	}

	// Raw shape.
	body := decode(t, do(t, http.MethodGet, srv.URL+"/v1/customers/cus_x", "", "Bearer "+testKey, nil), http.StatusNotFound)
	want := `{"error":{"code":"resource_missing","doc_url":"https://stripe.com/docs/error-codes/resource-missing","message":"No such customer: 'cus_x'","param":"id","type":"invalid_request_error"}}`
	if got, _ := json.Marshal(body); string(got) != want {
		t.Errorf("body = %s\nwant %s", got, want)
	}

	// Unknown URL.
	body = decode(t, do(t, http.MethodGet, srv.URL+"/v1/nonsense", "", "Bearer "+testKey, nil), http.StatusNotFound)
	if msg := body["error"].(map[string]any)["message"].(string); !strings.HasPrefix(msg, "Unrecognized request URL (GET: /v1/nonsense)") {
		t.Errorf("message = %q", msg)
	}
}

func TestUnknownAndInvalidParameters(t *testing.T) {
	srv := startEmulator(t, stripeemu.Config{})
	sc := newClient(srv.URL, testKey)

	p := &stripe.CustomerParams{Email: stripe.String("a@b.co")}
	p.AddExtra("favourite_colour", "blue")
	_, err := sc.Customers.New(p)
	se := stripeErr(t, err)
	if se.HTTPStatusCode != 400 || se.Code != "parameter_unknown" || se.Param != "favourite_colour" ||
		se.Msg != "Received unknown parameter: favourite_colour" || se.Type != stripe.ErrorTypeInvalidRequest {
		t.Errorf("unknown param: %+v", se)
	}

	for name, tc := range map[string]struct {
		params *stripe.CustomerParams
		param  string
		code   stripe.ErrorCode
	}{
		"bad email":        {&stripe.CustomerParams{Email: stripe.String("not-an-email")}, "email", "email_invalid"},
		"nested email":     {withExtra(&stripe.CustomerParams{}, "email[first]", "x"), "email", ""},
		"bad tax_exempt":   {&stripe.CustomerParams{TaxExempt: stripe.String("sometimes")}, "tax_exempt", ""},
		"bad expand":       {withExpand(&stripe.CustomerParams{}, "sources"), "expand", ""},
		"long metadata":    {withMetadata(&stripe.CustomerParams{}, strings.Repeat("k", 41), "v"), "metadata[" + strings.Repeat("k", 41) + "]", ""},
		"unmodelled param": {&stripe.CustomerParams{Balance: stripe.Int64(5)}, "balance", ""},
	} {
		_, err := sc.Customers.New(tc.params)
		se := stripeErr(t, err)
		if se.HTTPStatusCode != 400 || se.Param != tc.param || se.Code != tc.code {
			t.Errorf("%s: %+v", name, se)
		}
	}
	if all := listAll(t, sc, nil); len(all) != 0 {
		t.Errorf("invalid creates left customers: %v", ids(all))
	}

	// Accepted extras round-trip.
	c, err := sc.Customers.New(withExpand(&stripe.CustomerParams{
		PreferredLocales: stripe.StringSlice([]string{"en", "fr"}),
		TaxExempt:        stripe.String("exempt"),
		InvoicePrefix:    stripe.String("ACME1"),
	}, "default_source"))
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if !slices.Equal(c.PreferredLocales, []string{"en", "fr"}) || c.TaxExempt != "exempt" || c.InvoicePrefix != "ACME1" {
		t.Errorf("created = %+v", c)
	}
	_, err = sc.Customers.New(&stripe.CustomerParams{InvoicePrefix: stripe.String("ACME1")})
	if se := stripeErr(t, err); se.Param != "invoice_prefix" {
		t.Errorf("duplicate invoice prefix: %+v", se)
	}
}

func withExtra(p *stripe.CustomerParams, k, v string) *stripe.CustomerParams {
	p.AddExtra(k, v)
	return p
}

func withExpand(p *stripe.CustomerParams, f string) *stripe.CustomerParams {
	p.AddExpand(f)
	return p
}

func withMetadata(p *stripe.CustomerParams, k, v string) *stripe.CustomerParams {
	p.AddMetadata(k, v)
	return p
}

func TestAuthentication(t *testing.T) {
	srv := startEmulator(t, stripeemu.Config{})
	url := srv.URL + "/v1/customers"

	body := decode(t, do(t, http.MethodGet, url, "", "", nil), http.StatusUnauthorized)
	e := body["error"].(map[string]any)
	if e["type"] != "invalid_request_error" || !strings.HasPrefix(e["message"].(string), "You did not provide an API key. ") {
		t.Errorf("missing key: %v", e)
	}

	body = decode(t, do(t, http.MethodGet, url, "", "Bearer sk_live_51Habcdefabcd", nil), http.StatusUnauthorized)
	if msg := body["error"].(map[string]any)["message"]; msg != "Invalid API Key provided: sk_live_*********abcd" {
		t.Errorf("live key message = %q", msg)
	}

	// Through stripe-go.
	_, err := newClient(srv.URL, "sk_live_0123456789wxyz").Customers.Get("cus_x", nil)
	if se := stripeErr(t, err); se.HTTPStatusCode != 401 || se.Msg != "Invalid API Key provided: sk_live_**********wxyz" {
		t.Errorf("stripe-go live key: %+v", se)
	}

	// HTTP Basic with the key as username, as curl -u sk_test_...: sends it.
	res := do(t, http.MethodPost, url, "name=basic", "", func(r *http.Request) { r.SetBasicAuth(testKey, "") })
	created := decode(t, res, http.StatusOK)
	// ...and it is the same account as Bearer auth with that key.
	got, err := newClient(srv.URL, testKey).Customers.Get(created["id"].(string), nil)
	if err != nil || got.Name != "basic" {
		t.Errorf("bearer view of basic-auth customer: %v %+v", err, got)
	}
}

func TestPerKeyIsolation(t *testing.T) {
	srv := startEmulator(t, stripeemu.Config{})
	a := newClient(srv.URL, "sk_test_tenantA")
	b := newClient(srv.URL, "sk_test_tenantB")

	ca, err := a.Customers.New(&stripe.CustomerParams{Name: stripe.String("A")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Customers.Get(ca.ID, nil); stripeErr(t, err).Code != stripe.ErrorCodeResourceMissing {
		t.Errorf("key B sees key A's customer: %v", err)
	}
	if _, err := b.Customers.Del(ca.ID, nil); stripeErr(t, err).Code != stripe.ErrorCodeResourceMissing {
		t.Errorf("key B deletes key A's customer: %v", err)
	}
	if got := listAll(t, b, nil); len(got) != 0 {
		t.Errorf("key B lists %v", ids(got))
	}
	if got := listAll(t, a, nil); !slices.Equal(ids(got), []string{ca.ID}) {
		t.Errorf("key A lists %v", ids(got))
	}

	// Idempotency keys are scoped per API key too.
	key := "shared-idempotency-key"
	pa := &stripe.CustomerParams{Name: stripe.String("A2")}
	pa.SetIdempotencyKey(key)
	pb := &stripe.CustomerParams{Name: stripe.String("B2")}
	pb.SetIdempotencyKey(key)
	ra, err := a.Customers.New(pa)
	if err != nil {
		t.Fatal(err)
	}
	rb, err := b.Customers.New(pb)
	if err != nil {
		t.Fatalf("same idempotency key under another API key: %v", err)
	}
	if ra.ID == rb.ID || rb.Name != "B2" {
		t.Errorf("idempotency leaked across keys: %+v %+v", ra, rb)
	}
}

// do sends a raw request; auth is the Authorization header value.
func do(t *testing.T, method, url, form, auth string, mutate func(*http.Request)) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(form))
	if err != nil {
		t.Fatal(err)
	}
	if form != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	if mutate != nil {
		mutate(req)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// decode checks the status and decodes a JSON object body.
func decode(t *testing.T, res *http.Response, status int) map[string]any {
	t.Helper()
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != status {
		t.Fatalf("status = %d, want %d; body %s", res.StatusCode, status, b)
	}
	if !strings.HasPrefix(res.Header.Get("Request-Id"), "req_") {
		t.Errorf("missing Request-Id header")
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
	return m
}
