// Package stripeemu is an in-memory, stateful emulator of the Stripe API for
// the local sandbox. It lets the provider, which talks to Stripe through
// stripe-go v76, run against a Stripe look-alike without the network.
//
// The emulator follows Stripe's wire behaviour rather than just its shapes:
// secret-key authentication with one isolated account per key, form-encoded
// parameters with Stripe's bracket notation and unknown-parameter errors,
// Stripe's error envelope and codes, cursor pagination, deleted-object
// tombstones, and the idempotency layer (replay with Idempotent-Replayed,
// idempotency_error on reuse with other parameters, per-key serialization).
//
// Optionally every request is first replayed to a stripe-mock server, whose
// validation is generated from Stripe's published OpenAPI specification, so
// a request Stripe would reject is rejected here too even where the emulator
// itself is lenient. See [Config.ValidatorURL]. [Config.RequestLog] records
// every request so that a whole test run can be checked against stripe-mock
// afterwards with [Replay].
//
// Implemented resources: customers; products; prices (amounts, currency,
// product and recurring immutable, no deletion); billing meters with
// deactivation and reactivation; billing meter events, summed per customer
// and meter by [Server.MeterUsage] and listed as billing meter event
// summaries (GET /v1/billing/meters/{id}/event_summaries, over the range or
// per hour or day); subscriptions (created active, one price interval per
// period, no invoicing or payment) and subscription items. Each kind is a
// table in account and a file of endpoints.
//
// What stripe-mock v0.203.0 checks, and what only the emulator does: its
// specification knows every endpoint and top-level parameter used here,
// including /v1/billing/meters (create, retrieve, update, list,
// deactivate, reactivate, event_summaries), /v1/billing/meter_events,
// recurring[meter] on prices and metered prices on subscriptions. It checks top-level unknown
// parameters, required parameters, enums and numeric formats, but
//   - not unknown keys nested in a hash or in an array of hashes
//     (recurring[bogus], items[0][bogus] pass): checkKnown on each nested
//     params does that here;
//   - nothing that needs state or cross-field rules: whether an ID exists
//     or is active, the case of currency codes (it keeps "USD"), negative,
//     malformed or over-precise amounts (unit_amount=-5,
//     unit_amount_decimal=abc, 13 decimal places), both unit_amount and
//     unit_amount_decimal, recurring[meter] without usage_type=metered, a
//     quantity on a metered item, duplicate meter event names or event
//     identifiers, event summary times off the minute (or off the hour or
//     UTC day with value_grouping_window) or start_time not before end_time;
//   - nor what its newer specification dropped or loosened against the
//     2023-10-16 API of stripe-go v76: it does not require customer on
//     POST /v1/subscriptions and accepts default_aggregation[formula]=last.
//
// Those rules are the emulator's own. stripe-mock's 400s are passed on,
// every other answer from it defers to the emulator (its fixtures know no
// state), so an endpoint stripe-mock did not know (404) would be served
// unvalidated; Replay reports such 404s as rejections.
package stripeemu

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/octollm/terraform-provider-octollm/internal/sandbox/faults"
)

// Config configures a [Server].
type Config struct {
	// ValidatorURL is the base URL of a running stripe-mock, Stripe's
	// OpenAPI-driven mock, e.g. "http://127.0.0.1:12111". When set, every
	// request is first replayed to it (method, path, query, body,
	// Authorization, Stripe-Version); if stripe-mock answers 400, that
	// status and body are returned to the caller unchanged, so requests that
	// are invalid against Stripe's published API fail here too. Otherwise
	// the emulator answers from its own state. If stripe-mock cannot be
	// reached the request fails with a 500 api_error naming the URL: the
	// check is never skipped silently.
	ValidatorURL string

	// Faults optionally injects latency and failures. Failures are answered
	// with Stripe's 500 api_error shape before the request reaches the
	// emulator, so they change no state and record no idempotency key.
	Faults *faults.Injector

	// RequestLog, when set, receives one JSON line per API request that
	// reached an endpoint with a valid key, before anything else is checked:
	// {"method","path","query","body","idempotency_key","stripe_version"}.
	// The API key is never written. [Replay] reads this log back. If a line
	// cannot be written the request fails with a 500 api_error, so the log
	// never silently misses a request.
	RequestLog io.Writer
}

// Server is the emulator. It implements [http.Handler]; serve it over plain
// HTTP and point stripe-go's API backend URL at it.
type Server struct {
	validator *validator
	log       *requestLog  // nil without Config.RequestLog
	handler   http.Handler // fault middleware around api
	mux       *http.ServeMux

	// now is the clock, replaceable in tests.
	now func() time.Time

	mu       sync.Mutex
	accounts map[string]*account // by API key
}

// New returns an emulator with empty state.
func New(cfg Config) *Server {
	s := &Server{
		mux:      http.NewServeMux(),
		now:      time.Now,
		accounts: map[string]*account{},
	}
	if cfg.ValidatorURL != "" {
		s.validator = newValidator(cfg.ValidatorURL)
	}
	if cfg.RequestLog != nil {
		s.log = &requestLog{w: cfg.RequestLog}
	}
	s.routes()
	s.handler = cfg.Faults.HTTPMiddleware(http.HandlerFunc(s.serveAPI), renderFault)
	return s
}

// endpoint implements one API operation. It runs with the account locked
// and returns the object to send as JSON with status 200, or an error.
type endpoint func(c *call) (any, *apiError)

// call is the context of one endpoint invocation.
type call struct {
	acct   *account
	params params
	req    *http.Request
	now    time.Time
}

// routes registers every endpoint. Patterns use net/http's syntax.
func (s *Server) routes() {
	s.handle("POST /v1/customers", s.createCustomer)
	s.handle("GET /v1/customers", s.listCustomers)
	s.handle("GET /v1/customers/{id}", s.retrieveCustomer)
	s.handle("POST /v1/customers/{id}", s.updateCustomer)
	s.handle("DELETE /v1/customers/{id}", s.deleteCustomer)

	s.handle("POST /v1/products", s.createProduct)
	s.handle("GET /v1/products", s.listProducts)
	s.handle("GET /v1/products/{id}", s.retrieveProduct)
	s.handle("POST /v1/products/{id}", s.updateProduct)
	s.handle("DELETE /v1/products/{id}", s.deleteProduct)

	// Prices cannot be deleted: DELETE /v1/prices/{id} is an unknown URL.
	s.handle("POST /v1/prices", s.createPrice)
	s.handle("GET /v1/prices", s.listPrices)
	s.handle("GET /v1/prices/{id}", s.retrievePrice)
	s.handle("POST /v1/prices/{id}", s.updatePrice)

	s.handle("POST /v1/billing/meters", s.createMeter)
	s.handle("GET /v1/billing/meters", s.listMeters)
	s.handle("GET /v1/billing/meters/{id}", s.retrieveMeter)
	s.handle("POST /v1/billing/meters/{id}", s.updateMeter)
	s.handle("POST /v1/billing/meters/{id}/deactivate", s.deactivateMeter)
	s.handle("POST /v1/billing/meters/{id}/reactivate", s.reactivateMeter)
	s.handle("GET /v1/billing/meters/{id}/event_summaries", s.listMeterEventSummaries)
	s.handle("POST /v1/billing/meter_events", s.createMeterEvent)

	s.handle("POST /v1/subscriptions", s.createSubscription)
	s.handle("GET /v1/subscriptions", s.listSubscriptions)
	s.handle("GET /v1/subscriptions/{id}", s.retrieveSubscription)
	s.handle("POST /v1/subscriptions/{id}", s.updateSubscription)
	s.handle("DELETE /v1/subscriptions/{id}", s.cancelSubscription)
	s.handle("POST /v1/subscription_items", s.createSubscriptionItem)
	s.handle("GET /v1/subscription_items", s.listSubscriptionItems)
	s.handle("GET /v1/subscription_items/{id}", s.retrieveSubscriptionItem)
	s.handle("DELETE /v1/subscription_items/{id}", s.deleteSubscriptionItem)
}

func (s *Server) handle(pattern string, ep endpoint) {
	s.mux.Handle(pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.dispatch(w, r, ep)
	}))
}

// ServeHTTP implements [http.Handler].
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Request-Id", newID("req_"))
	if v := r.Header.Get("Stripe-Version"); v != "" {
		h.Set("Stripe-Version", v)
	}
	h.Set("Cache-Control", "no-cache, no-store")
	s.handler.ServeHTTP(w, r)
}

// renderFault answers an injected failure as Stripe answers an internal
// error.
func renderFault(w http.ResponseWriter, r *http.Request) {
	writeResponse(w, errorResponse(internalError(
		"An unknown error occurred while processing %s %s (injected by the sandbox fault injector).", r.Method, r.URL.Path)))
}

// serveAPI routes a request, answering unknown URLs as Stripe does.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	if _, pattern := s.mux.Handler(r); pattern == "" {
		writeResponse(w, errorResponse(&apiError{
			status: http.StatusNotFound,
			Type:   errTypeInvalidRequest,
			Message: "Unrecognized request URL (" + r.Method + ": " + r.URL.Path +
				"). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.",
		}))
		return
	}
	s.mux.ServeHTTP(w, r)
}

// maxBodyBytes bounds request bodies; Stripe's own limit is similar.
const maxBodyBytes = 1 << 20

// dispatch runs the request pipeline shared by all endpoints: auth, param
// decoding, stripe-mock validation, idempotency, then the endpoint itself.
func (s *Server) dispatch(w http.ResponseWriter, r *http.Request, ep endpoint) {
	acct, aerr := s.authenticate(r)
	if aerr != nil {
		w.Header().Set("WWW-Authenticate", `Basic realm="Stripe"`)
		writeResponse(w, errorResponse(aerr))
		return
	}

	var body []byte
	if r.Method != http.MethodGet && r.Body != nil {
		var err error
		body, err = io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
		if err != nil {
			writeResponse(w, errorResponse(invalidRequest("Invalid request: the request body could not be read: %v", err)))
			return
		}
	}
	if s.log != nil {
		if err := s.log.record(r, body); err != nil {
			writeResponse(w, errorResponse(err))
			return
		}
	}
	values, perr := requestValues(r, body)
	if perr != nil {
		writeResponse(w, errorResponse(perr))
		return
	}
	root, perr := parseForm(values)
	if perr != nil {
		writeResponse(w, errorResponse(perr))
		return
	}

	if s.validator != nil {
		verdict, verr := s.validator.check(r, body)
		if verr != nil {
			writeResponse(w, errorResponse(verr))
			return
		}
		if verdict.rejected {
			writeResponse(w, verdict.resp)
			return
		}
	}

	exec := func() (*apiResponse, bool) {
		acct.mu.Lock()
		defer acct.mu.Unlock()
		obj, err := ep(&call{acct: acct, params: params{root: root}, req: r, now: s.now()})
		if err != nil {
			return errorResponse(err), !err.validation
		}
		return jsonResponse(http.StatusOK, obj), true
	}

	key := strings.TrimSpace(r.Header.Get("Idempotency-Key"))
	if r.Method != http.MethodPost || key == "" {
		resp, _ := exec()
		writeResponse(w, resp)
		return
	}
	if len(key) > maxIdempotencyKeyLen {
		writeResponse(w, errorResponse(invalidRequest(
			"Idempotency keys can be at most %d characters long, but the one provided has %d.", maxIdempotencyKeyLen, len(key))))
		return
	}
	w.Header().Set("Idempotency-Key", key)
	reqID := w.Header().Get("Request-Id")
	resp, rec, replayed := acct.idem.do(s.now(), key,
		idemRequest{method: r.Method, path: r.URL.Path, params: values.Encode()}, reqID, exec)
	if rec != nil {
		w.Header().Set("Original-Request", rec.requestID)
	}
	if replayed {
		w.Header().Set("Idempotent-Replayed", "true")
	}
	writeResponse(w, resp)
}

// requestValues merges query parameters and the form-encoded body, as
// Stripe accepts parameters in either.
func requestValues(r *http.Request, body []byte) (url.Values, *apiError) {
	values, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, invalidRequest("Invalid request: the query string could not be parsed: %v", err)
	}
	if len(body) > 0 {
		bv, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, invalidRequest("Invalid request: the body is not valid application/x-www-form-urlencoded: %v", err)
		}
		for k, vs := range bv {
			values[k] = append(values[k], vs...)
		}
	}
	return values, nil
}

// Authentication error messages, as Stripe words them.
const msgNoAPIKey = "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/."

// testKeyPrefix is the prefix of the only keys the sandbox accepts: Stripe
// test-mode secret keys.
const testKeyPrefix = "sk_test_"

// authenticate resolves the request's API key, sent as a Bearer token or as
// the HTTP Basic username, to its account.
func (s *Server) authenticate(r *http.Request) (*account, *apiError) {
	key := ""
	h := strings.TrimSpace(r.Header.Get("Authorization"))
	if scheme, rest, ok := strings.Cut(h, " "); ok && strings.EqualFold(scheme, "Bearer") {
		key = strings.TrimSpace(rest)
	} else if user, _, ok := r.BasicAuth(); ok {
		key = user
	} else if !strings.EqualFold(h, "Bearer") && !strings.EqualFold(h, "Basic") {
		key = h // some other scheme: Stripe reports it as an invalid key
	}
	if key == "" {
		return nil, &apiError{status: http.StatusUnauthorized, Type: errTypeInvalidRequest, Message: msgNoAPIKey}
	}
	if !strings.HasPrefix(key, testKeyPrefix) || len(key) == len(testKeyPrefix) {
		return nil, &apiError{status: http.StatusUnauthorized, Type: errTypeInvalidRequest,
			Message: "Invalid API Key provided: " + maskKey(key)}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.accounts[key]
	if !ok {
		a = newAccount()
		s.accounts[key] = a
	}
	return a, nil
}

// maskKey hides an API key as Stripe does in error messages: the mode
// prefix (such as "sk_live_") and the last four characters stay visible,
// every other character becomes '*'.
func maskKey(key string) string {
	prefix := ""
	if i := strings.IndexByte(key, '_'); i > 0 && i <= 4 {
		if j := strings.IndexByte(key[i+1:], '_'); j > 0 && j <= 5 {
			prefix = key[:i+1+j+1]
		}
	}
	rest := key[len(prefix):]
	if len(rest) <= 4 {
		return prefix + strings.Repeat("*", len(rest))
	}
	return prefix + strings.Repeat("*", len(rest)-4) + rest[len(rest)-4:]
}

// apiResponse is a fully rendered response, as saved for idempotent replay.
type apiResponse struct {
	status      int
	body        []byte
	contentType string
}

func jsonResponse(status int, v any) *apiResponse {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		// Only emulator bugs get here: every response type is plain data.
		return errorResponse(internalError("The sandbox Stripe emulator failed to encode its response: %v", err))
	}
	return &apiResponse{status: status, body: append(b, '\n'), contentType: "application/json"}
}

func errorResponse(e *apiError) *apiResponse {
	return jsonResponse(e.status, errorBody{Error: e})
}

func writeResponse(w http.ResponseWriter, resp *apiResponse) {
	w.Header().Set("Content-Type", resp.contentType)
	w.WriteHeader(resp.status)
	_, _ = w.Write(resp.body)
}
