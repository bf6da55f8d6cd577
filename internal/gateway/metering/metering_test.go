package metering

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/client"

	"github.com/octollm/terraform-provider-octollm/internal/sandbox/stripeemu"
)

const testKey = "sk_test_meteringAAAAAAAAAAAAAAAAAAAAAA"

var eventNames = []string{EventAPICalls, EventLLMTokens, EventComputeSeconds}

// faultMiddleware sits in front of the emulator and disturbs POST /v1/billing/meter_events.
type faultMiddleware struct {
	next  http.Handler
	mu    sync.Mutex
	fail  []int           // statuses to answer, one per request, before anything reaches Stripe
	lose  int             // first attempts to pass to Stripe whose answer is then replaced by a 500
	seen  map[string]bool // identifiers that reached the middleware, so a retry is never "lost" again
	delay atomic.Int64
	down  atomic.Bool // answer 503 to everything
	posts atomic.Int64
}

func (f *faultMiddleware) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/v1/billing/meter_events" {
		f.next.ServeHTTP(w, r)
		return
	}
	f.posts.Add(1)
	body, err := io.ReadAll(r.Body)
	if err != nil {
		writeStripeErr(w, http.StatusBadRequest)
		return
	}
	r.Body = io.NopCloser(strings.NewReader(string(body)))
	form, _ := url.ParseQuery(string(body))
	id := form.Get("identifier")
	if d := time.Duration(f.delay.Load()); d > 0 {
		time.Sleep(d)
	}
	if f.down.Load() {
		writeStripeErr(w, http.StatusServiceUnavailable)
		return
	}
	f.mu.Lock()
	status, lose := 0, false
	firstAttempt := !f.seen[id]
	if f.seen == nil {
		f.seen = map[string]bool{}
	}
	f.seen[id] = true
	if len(f.fail) > 0 {
		status, f.fail = f.fail[0], f.fail[1:]
	} else if f.lose > 0 && firstAttempt {
		// A retry of a lost event must meet "identifier already exists", not another lost
		// answer: each lost answer then costs exactly one retry and one duplicate.
		f.lose--
		lose = true
	}
	f.mu.Unlock()
	if status != 0 {
		writeStripeErr(w, status)
		return
	}
	if lose {
		f.next.ServeHTTP(httptest.NewRecorder(), r)
		writeStripeErr(w, http.StatusInternalServerError)
		return
	}
	f.next.ServeHTTP(w, r)
}

func writeStripeErr(w http.ResponseWriter, status int) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	typ := "api_error"
	if status == http.StatusTooManyRequests {
		typ = "rate_limit_error"
	}
	fmt.Fprintf(w, `{"error":{"type":%q,"message":"injected fault"}}`, typ)
}

// stripeEnv is a Stripe emulator with the three OctoLLM meters and some customers.
type stripeEnv struct {
	emu       *stripeemu.Server
	srv       *httptest.Server
	api       *client.API
	mw        *faultMiddleware
	meters    map[string]string // event name -> meter ID
	customers []string
}

func newStripeEnv(t testing.TB, customers int) *stripeEnv {
	t.Helper()
	emu := stripeemu.New(stripeemu.Config{})
	mw := &faultMiddleware{next: emu}
	srv := httptest.NewServer(mw)
	t.Cleanup(srv.Close)
	b := stripe.GetBackendWithConfig(stripe.APIBackend, &stripe.BackendConfig{
		URL: stripe.String(srv.URL), MaxNetworkRetries: stripe.Int64(0),
		LeveledLogger: &stripe.LeveledLogger{Level: stripe.LevelNull},
	})
	api := &client.API{}
	api.Init(testKey, &stripe.Backends{API: b, Connect: b, Uploads: b})
	env := &stripeEnv{emu: emu, srv: srv, api: api, mw: mw, meters: map[string]string{}}
	for _, name := range eventNames {
		m, err := api.BillingMeters.New(&stripe.BillingMeterParams{
			DisplayName:        stripe.String(name),
			EventName:          stripe.String(name),
			DefaultAggregation: &stripe.BillingMeterDefaultAggregationParams{Formula: stripe.String("sum")},
			CustomerMapping: &stripe.BillingMeterCustomerMappingParams{
				EventPayloadKey: stripe.String(PayloadCustomerKey), Type: stripe.String("by_id"),
			},
			ValueSettings: &stripe.BillingMeterValueSettingsParams{EventPayloadKey: stripe.String(PayloadValueKey)},
		})
		if err != nil {
			t.Fatalf("create meter %s: %v", name, err)
		}
		env.meters[name] = m.ID
	}
	for i := range customers {
		c, err := api.Customers.New(&stripe.CustomerParams{Name: stripe.String(fmt.Sprintf("tenant-%d", i))})
		if err != nil {
			t.Fatalf("create customer: %v", err)
		}
		env.customers = append(env.customers, c.ID)
	}
	return env
}

func (e *stripeEnv) usage(event, customer string) (float64, int) {
	return e.emu.MeterUsage(testKey, e.meters[event], customer)
}

func (e *stripeEnv) config(dir string) Config {
	return Config{
		Dir: dir, StripeKey: testKey, StripeAPIBase: e.srv.URL,
		RetryBase: 5 * time.Millisecond, RetryMax: 50 * time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
}

// testRecord is record i of a run, spread over the customers.
func testRecord(i int, customers []string, at time.Time) Record {
	return Record{
		RequestID:       fmt.Sprintf("req-%05d", i),
		Tenant:          fmt.Sprintf("tenant-%d", i%len(customers)),
		CustomerID:      customers[i%len(customers)],
		InputTokens:     int64(i),
		OutputTokens:    int64(2*i + 1),
		UpstreamSeconds: float64(i%7)*0.25 + 0.5,
		At:              at,
	}
}

// checkTotals asserts that Stripe holds exactly the usage of recs, per customer and meter.
func (e *stripeEnv) checkTotals(t *testing.T, recs []Record) {
	t.Helper()
	type want struct {
		calls  int
		tokens float64
		secs   float64
	}
	w := map[string]*want{}
	for _, c := range e.customers {
		w[c] = &want{}
	}
	for _, r := range recs {
		x := w[r.CustomerID]
		x.calls++
		x.tokens += float64(r.InputTokens + r.OutputTokens)
		x.secs += r.UpstreamSeconds
	}
	for c, x := range w {
		if total, n := e.usage(EventAPICalls, c); n != x.calls || total != float64(x.calls) {
			t.Errorf("customer %s: api_calls = %v in %d events, want %d", c, total, n, x.calls)
		}
		if total, _ := e.usage(EventLLMTokens, c); total != x.tokens {
			t.Errorf("customer %s: llm_tokens = %v, want %v", c, total, x.tokens)
		}
		if total, _ := e.usage(EventComputeSeconds, c); math.Abs(total-x.secs) > 1e-6 {
			t.Errorf("customer %s: compute_seconds = %v, want %v", c, total, x.secs)
		}
	}
}

func reportAll(t testing.TB, m *Meter, recs []Record) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, len(recs))
	for _, r := range recs {
		wg.Add(1)
		go func() { defer wg.Done(); errs <- m.Report(r) }()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("Report: %v", err)
		}
	}
}

func closeMeter(t *testing.T, m *Meter) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := m.Close(ctx); err != nil {
		t.Fatalf("Close: %v", err)
	}
}

func makeRecords(n int, customers []string) []Record {
	now := time.Now()
	recs := make([]Record, n)
	for i := range recs {
		recs[i] = testRecord(i, customers, now)
	}
	return recs
}

func spoolFiles(t *testing.T, dir string) (names []string, size int64) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, e.Name())
		size += info.Size()
	}
	return names, size
}

func TestDeliversUsagePerCustomer(t *testing.T) {
	env := newStripeEnv(t, 3)
	dir := t.TempDir()
	var onDelivered atomic.Int64
	cfg := env.config(dir)
	cfg.OnDelivered = func(Record) { onDelivered.Add(1) }
	m, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	recs := makeRecords(120, env.customers)
	recs[5].InputTokens, recs[5].OutputTokens, recs[5].UpstreamSeconds = 0, 0, 0 // only api_calls
	reportAll(t, m, recs)
	if err := m.Report(Record{RequestID: "x", Tenant: "free"}); !errors.Is(err, ErrNoCustomer) {
		t.Errorf("Report without customer = %v, want ErrNoCustomer", err)
	}
	closeMeter(t, m)
	env.checkTotals(t, recs)

	st := m.Stats()
	if st.Spooled != 120 || st.Delivered != 120 || st.Pending != 0 || st.DeadLettered != 0 || onDelivered.Load() != 120 {
		t.Errorf("stats = %+v, OnDelivered %d", st, onDelivered.Load())
	}
	if st.Events != 3*120-2 || env.mw.posts.Load() != 3*120-2 {
		t.Errorf("events = %d, posts = %d, want %d (zero values skipped)", st.Events, env.mw.posts.Load(), 3*120-2)
	}
	if err := m.Report(recs[0]); !errors.Is(err, ErrClosed) {
		t.Errorf("Report after Close = %v, want ErrClosed", err)
	}
	if names, _ := spoolFiles(t, dir); !slices.Equal(names, []string{lockName}) {
		t.Errorf("spool after a clean Close holds %v, want only %s", names, lockName)
	}
}

func TestRetriesFaultsAndDeliversOnce(t *testing.T) {
	env := newStripeEnv(t, 2)
	env.mw.fail = []int{500, 429, 503, 502, 500, 429}
	env.mw.lose = 3 // reach Stripe, answer lost: the retry meets "identifier already exists"
	m, err := Open(env.config(t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	recs := makeRecords(30, env.customers)
	reportAll(t, m, recs)
	closeMeter(t, m)
	env.checkTotals(t, recs)
	st := m.Stats()
	if st.Delivered != 30 || st.Retries != 9 || st.Duplicates != 3 || st.DeadLettered != 0 {
		t.Errorf("stats = %+v, want 30 delivered, 9 retries, 3 duplicates", st)
	}
}

func TestDuplicateIdentifierCountsAsDelivered(t *testing.T) {
	env := newStripeEnv(t, 1)
	rec := testRecord(7, env.customers, time.Now())
	// The api_calls event reached Stripe before, say, a crash.
	_, err := env.api.BillingMeterEvents.New(&stripe.BillingMeterEventParams{
		EventName:  stripe.String(EventAPICalls),
		Identifier: stripe.String(rec.RequestID + "-api_calls"),
		Payload:    map[string]string{PayloadCustomerKey: rec.CustomerID, PayloadValueKey: "1"},
	})
	if err != nil {
		t.Fatal(err)
	}
	m, err := Open(env.config(t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	reportAll(t, m, []Record{rec})
	closeMeter(t, m)
	env.checkTotals(t, []Record{rec})
	if st := m.Stats(); st.Delivered != 1 || st.Duplicates != 1 || st.Retries != 0 {
		t.Errorf("stats = %+v, want 1 delivered with 1 duplicate and no retry", st)
	}
}

func TestDeadLetter(t *testing.T) {
	env := newStripeEnv(t, 1)
	dir := t.TempDir()
	cfg := env.config(dir)
	var dead atomic.Int64
	cfg.OnDeadLetter = func(Record, string, error) { dead.Add(1) }
	m, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	recs := makeRecords(4, env.customers)
	bad := testRecord(99, []string{"cus_doesnotexist"}, time.Now())
	reportAll(t, m, append(slices.Clone(recs), bad))
	closeMeter(t, m)
	env.checkTotals(t, recs)
	st := m.Stats()
	if st.Delivered != 4 || st.DeadLettered != 1 || st.Pending != 0 || st.Retries != 0 || dead.Load() != 3 {
		t.Errorf("stats = %+v, OnDeadLetter %d; want 4 delivered, 1 dead-lettered (3 events), no retries", st, dead.Load())
	}
	if posts := env.mw.posts.Load(); posts != 4*3+3 {
		t.Errorf("posts = %d, want %d: a refused event is not retried", posts, 4*3+3)
	}
	data, err := os.ReadFile(filepath.Join(dir, deadLetterName))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(lines) != 3 || !strings.Contains(lines[0], `"request_id":"req-00099"`) || !strings.Contains(lines[0], `"status":400`) ||
		!strings.Contains(lines[0], "cus_doesnotexist") || strings.Contains(string(data), testKey) {
		t.Errorf("dead letters:\n%s", data)
	}
	// The dead letter survives a restart and the record is not sent again.
	m2, err := Open(env.config(dir))
	if err != nil {
		t.Fatal(err)
	}
	closeMeter(t, m2)
	if env.mw.posts.Load() != 4*3+3 || m2.Stats().Recovered != 0 {
		t.Errorf("restart resent acknowledged records: posts %d, stats %+v", env.mw.posts.Load(), m2.Stats())
	}
}

func TestTornSpoolLineIgnored(t *testing.T) {
	env := newStripeEnv(t, 2)
	dir := t.TempDir()
	env.mw.down.Store(true)
	m, err := Open(env.config(dir))
	if err != nil {
		t.Fatal(err)
	}
	recs := makeRecords(5, env.customers)
	reportAll(t, m, recs)
	// Stripe is down: give up at once; the records stay in the spool.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := m.Close(ctx); err == nil {
		t.Fatal("Close with Stripe down and a done context = nil, want an error")
	}
	// A crash in the middle of the next write leaves half a line.
	segs, _ := filepath.Glob(filepath.Join(dir, "seg-*.spool"))
	slices.Sort(segs)
	f, err := os.OpenFile(segs[len(segs)-1], os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	torn := appendFrame(nil, []byte(`5 {"request_id":"req-torn","customer_id":"`+env.customers[0]+`","input_tokens":1000}`))
	if _, err := f.Write(torn[:len(torn)/2]); err != nil {
		t.Fatal(err)
	}
	f.Close()

	env.mw.down.Store(false)
	m2, err := Open(env.config(dir))
	if err != nil {
		t.Fatal(err)
	}
	closeMeter(t, m2)
	env.checkTotals(t, recs)
	if st := m2.Stats(); st.Recovered != 5 || st.Delivered != 5 || st.CorruptLines != 1 {
		t.Errorf("stats = %+v, want 5 recovered and delivered, 1 corrupt line", st)
	}
}

func TestCompaction(t *testing.T) {
	env := newStripeEnv(t, 2)
	dir := t.TempDir()
	env.mw.down.Store(true)
	cfg := env.config(dir)
	cfg.SegmentBytes = 2048
	m, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	recs := makeRecords(100, env.customers)
	for _, r := range recs { // one at a time: segments rotate at every 2 KiB
		if err := m.Report(r); err != nil {
			t.Fatal(err)
		}
	}
	names, before := spoolFiles(t, dir)
	if st := m.Stats(); st.Segments < 5 || st.Pending != 100 {
		t.Fatalf("stats = %+v (files %v), want several segments and 100 pending", st, names)
	}
	env.mw.down.Store(false)
	deadline := time.Now().Add(30 * time.Second)
	for m.Stats().Pending != 0 || m.Stats().Segments != 1 {
		if time.Now().After(deadline) {
			t.Fatalf("not compacted: stats %+v", m.Stats())
		}
		time.Sleep(10 * time.Millisecond)
	}
	names, after := spoolFiles(t, dir)
	if after >= before/4 {
		t.Errorf("spool is %d bytes after delivery (%v), was %d", after, names, before)
	}
	closeMeter(t, m)
	env.checkTotals(t, recs)
	if names, _ := spoolFiles(t, dir); !slices.Equal(names, []string{lockName}) {
		t.Errorf("spool after Close holds %v", names)
	}
}

func TestSecondOpenRefused(t *testing.T) {
	env := newStripeEnv(t, 1)
	dir := t.TempDir()
	m, err := Open(env.config(dir))
	if err != nil {
		t.Fatal(err)
	}
	defer closeMeter(t, m)
	if _, err := Open(env.config(dir)); err == nil || !strings.Contains(err.Error(), "in use") {
		t.Errorf("second Open on the same spool = %v, want in use", err)
	}
}

// Environment of the child process of TestCrashRestart.
const (
	envHelperDir       = "METERING_HELPER_DIR"
	envHelperURL       = "METERING_HELPER_URL"
	envHelperCustomers = "METERING_HELPER_CUSTOMERS"
	envHelperN         = "METERING_HELPER_N"
)

// TestHelperProcess is the gateway of TestCrashRestart: it reports N records, prints
// "ok <request id>" after each Report returns and "reported" after all, then waits to be killed
// while the sender is still at work.
func TestHelperProcess(t *testing.T) {
	dir := os.Getenv(envHelperDir)
	if dir == "" {
		t.Skip("run by TestCrashRestart")
	}
	n, _ := strconv.Atoi(os.Getenv(envHelperN))
	customers := strings.Split(os.Getenv(envHelperCustomers), ",")
	m, err := Open(Config{
		Dir: dir, StripeKey: testKey, StripeAPIBase: os.Getenv(envHelperURL), Concurrency: 4,
		RetryBase: 5 * time.Millisecond, RetryMax: 50 * time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(2)
	}
	at := time.Now()
	next := atomic.Int64{}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				rec := testRecord(i, customers, at)
				if err := m.Report(rec); err != nil {
					fmt.Println("report:", err)
					os.Exit(2)
				}
				fmt.Printf("ok %s\n", rec.RequestID)
			}
		}()
	}
	wg.Wait()
	fmt.Println("reported")
	select {}
}

// startGateway runs TestHelperProcess in a child process and returns its stdout lines.
func startGateway(t *testing.T, env *stripeEnv, dir string, n int) (*exec.Cmd, <-chan string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(),
		envHelperDir+"="+dir, envHelperURL+"="+env.srv.URL,
		envHelperCustomers+"="+strings.Join(env.customers, ","), envHelperN+"="+strconv.Itoa(n))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	lines := make(chan string, n+10)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	return cmd, lines
}

func kill(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
}

// TestCrashRestart SIGKILLs a gateway while it sends (Stripe slowed down), restarts on the
// same spool, and checks that Stripe holds every reported request exactly once.
func TestCrashRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	env := newStripeEnv(t, 3)
	env.mw.delay.Store(int64(10 * time.Millisecond))
	dir := t.TempDir()
	const n = 300
	cmd, lines := startGateway(t, env, dir, n)
	timeout := time.After(60 * time.Second)
	for reported := false; !reported; {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatal("gateway exited before reporting")
			}
			if !strings.HasPrefix(l, "ok ") {
				reported = l == "reported"
				if !reported {
					t.Fatalf("gateway: %s", l)
				}
			}
		case <-timeout:
			t.Fatal("gateway did not report in time")
		}
	}
	// Let the sender get some way, then kill it mid-sending.
	for {
		if _, sent := env.usage(EventAPICalls, env.customers[0]); sent >= 10 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	kill(t, cmd)
	var sentAtKill int
	for _, c := range env.customers {
		_, k := env.usage(EventAPICalls, c)
		sentAtKill += k
	}
	if sentAtKill >= n {
		t.Fatalf("all %d api_calls events were sent before the kill; slow Stripe down", sentAtKill)
	}

	env.mw.delay.Store(0)
	postsBefore := env.mw.posts.Load()
	m, err := Open(env.config(dir))
	if err != nil {
		t.Fatal(err)
	}
	closeMeter(t, m)
	env.checkTotals(t, makeRecordsAt(n, env.customers))
	st := m.Stats()
	if st.Recovered == 0 || st.Recovered >= n || st.Recovered+uint64(sentAtKill) < n {
		t.Errorf("recovered %d records after %d of %d were sent: want only the unacknowledged ones", st.Recovered, sentAtKill, n)
	}
	resent := env.mw.posts.Load() - postsBefore
	t.Logf("killed after %d of %d requests were billed; restart resent %d records (%d events, %d duplicates)",
		sentAtKill, n, st.Recovered, resent, st.Duplicates)
	if st.Duplicates > 60 { // the events of records in flight or awaiting their ack at the kill
		t.Errorf("%d duplicates: acknowledged records were resent", st.Duplicates)
	}
}

// makeRecordsAt is makeRecords without At, which checkTotals does not look at.
func makeRecordsAt(n int, customers []string) []Record { return makeRecords(n, customers) }

// TestCrashWhileReporting SIGKILLs the gateway while Report calls are in flight: every request
// whose Report returned is billed after the restart, none twice.
func TestCrashWhileReporting(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	env := newStripeEnv(t, 2)
	env.mw.delay.Store(int64(5 * time.Millisecond))
	dir := t.TempDir()
	const n = 20000
	cmd, lines := startGateway(t, env, dir, n)
	var ok []string
	timeout := time.After(60 * time.Second)
	for len(ok) < 300 {
		select {
		case l, open := <-lines:
			if !open {
				t.Fatal("gateway exited")
			}
			if id, found := strings.CutPrefix(l, "ok "); found {
				ok = append(ok, id)
			} else if l == "reported" {
				t.Fatal("gateway reported everything before the kill")
			}
		case <-timeout:
			t.Fatal("gateway too slow")
		}
	}
	kill(t, cmd)
	for l := range lines { // what the gateway printed before it died
		if id, found := strings.CutPrefix(l, "ok "); found {
			ok = append(ok, id)
		}
	}
	env.mw.delay.Store(0)
	m, err := Open(env.config(dir))
	if err != nil {
		t.Fatal(err)
	}
	closeMeter(t, m)
	billed := 0
	for _, c := range env.customers {
		_, k := env.usage(EventAPICalls, c)
		billed += k
	}
	// Reports in flight at the kill (at most the 8 reporters) may or may not be billed.
	if billed < len(ok) || billed > len(ok)+8 {
		t.Errorf("%d api calls billed, %d Reports returned", billed, len(ok))
	}
	// Every returned Report is billed: Stripe already has each of their identifiers.
	for _, id := range ok {
		rec := Record{RequestID: id}
		_, err := env.api.BillingMeterEvents.New(&stripe.BillingMeterEventParams{
			EventName: stripe.String(EventAPICalls), Identifier: stripe.String(rec.RequestID + "-api_calls"),
			Payload: map[string]string{PayloadCustomerKey: env.customers[0], PayloadValueKey: "1"},
		})
		var se *stripe.Error
		if !errors.As(err, &se) || !isDuplicate(se) {
			t.Fatalf("request %s was not billed (sending it again: %v)", id, err)
		}
	}
	t.Logf("%d Reports returned before the kill, %d billed", len(ok), billed)
}

// BenchmarkReport measures Report with many concurrent callers: the group commit shares one
// fsync among them (records/fsync).
// "sending" runs the sender against the emulator in the same process (both compete with
// the callers for the CPU); "spool-only" keeps Stripe down to measure the spool alone.
func BenchmarkReport(b *testing.B) {
	b.Run("sending", func(b *testing.B) { benchmarkReport(b, false) })
	b.Run("spool-only", func(b *testing.B) { benchmarkReport(b, true) })
}

func benchmarkReport(b *testing.B, stripeDown bool) {
	env := newStripeEnv(b, 4)
	env.mw.down.Store(stripeDown)
	cfg := env.config(b.TempDir())
	cfg.RetryBase, cfg.RetryMax = time.Second, time.Second
	m, err := Open(cfg)
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now()
	var i atomic.Int64
	b.SetParallelism(32)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			k := int(i.Add(1))
			rec := testRecord(k, env.customers, now)
			rec.RequestID = fmt.Sprintf("bench-%d-%d", b.N, k)
			if err := m.Report(rec); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	st := m.Stats()
	b.ReportMetric(float64(st.Spooled)/float64(max(st.Commits, 1)), "records/fsync")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if stripeDown {
		cancel() // leave the spool as it is
	}
	if err := m.Close(ctx); err != nil && !stripeDown {
		b.Fatal(err)
	}
}
