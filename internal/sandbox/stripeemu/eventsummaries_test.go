package stripeemu_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/billing/metereventsummary"
	"github.com/stripe/stripe-go/v76/client"

	"github.com/octollm/terraform-provider-octollm/internal/sandbox/stripeemu"
)

// window is what a test checks of a summary: its range and value.
type window struct {
	Start, End int64
	Value      float64
}

func windowsOf(ss []*stripe.BillingMeterEventSummary) []window {
	out := make([]window, len(ss))
	for i, s := range ss {
		out[i] = window{s.StartTime, s.EndTime, s.AggregatedValue}
	}
	return out
}

// summaryFixture is a sum meter with events for alice and bob around one
// UTC day, day (two days ago, so every event is within Stripe's 35 days).
type summaryFixture struct {
	sc                *client.API
	mtr               *stripe.BillingMeter
	alice, bob, carol *stripe.Customer
	day               int64
}

func newSummaryFixture(t *testing.T, cfg stripeemu.Config) summaryFixture {
	t.Helper()
	srv := startEmulator(t, cfg)
	f := summaryFixture{sc: newClient(srv.URL, testKey)}
	f.mtr = newMeter(t, f.sc, "tokens")
	f.alice, f.bob, f.carol = newCustomer(t, f.sc), newCustomer(t, f.sc), newCustomer(t, f.sc)
	f.day = time.Now().Unix()/86400*86400 - 2*86400
	d := f.day
	for _, ev := range []struct {
		cus   string
		at    int64
		value string
	}{
		{f.alice.ID, d - 1, "10000"}, // the previous day
		{f.alice.ID, d, "10"},        // start_time is inclusive
		{f.alice.ID, d + 3599, "5"},  // last second of the first hour
		{f.alice.ID, d + 3600, "7"},  // first second of the second hour
		{f.alice.ID, d + 9000, "1"},  // 02:30
		{f.alice.ID, d + 86399, "100"},
		{f.alice.ID, d + 86400, "1000"}, // end_time is exclusive
		{f.bob.ID, d + 60, "3"},
	} {
		must(f.sc.BillingMeterEvents.New(&stripe.BillingMeterEventParams{
			EventName: stripe.String("tokens"), Timestamp: stripe.Int64(ev.at),
			Payload: map[string]string{"stripe_customer_id": ev.cus, "value": ev.value},
		})).get(t)
	}
	return f
}

func (f summaryFixture) params(cus string, start, end int64, grouping string) *stripe.BillingMeterEventSummaryListParams {
	p := &stripe.BillingMeterEventSummaryListParams{
		ID: stripe.String(f.mtr.ID), Customer: stripe.String(cus),
		StartTime: stripe.Int64(start), EndTime: stripe.Int64(end),
	}
	if grouping != "" {
		p.ValueGroupingWindow = stripe.String(grouping)
	}
	return p
}

// list reads every summary through stripe-go's own event summary iterator.
func (f summaryFixture) list(t *testing.T, p *stripe.BillingMeterEventSummaryListParams) []*stripe.BillingMeterEventSummary {
	t.Helper()
	var out []*stripe.BillingMeterEventSummary
	it := f.sc.BillingMeterEventSummaries.List(p)
	for it.Next() {
		out = append(out, it.BillingMeterEventSummary())
	}
	if err := it.Err(); err != nil {
		t.Fatalf("list event summaries: %v", err)
	}
	return out
}

func TestMeterEventSummaries(t *testing.T) {
	f := newSummaryFixture(t, stripeemu.Config{})
	d := f.day

	// One summary for the whole range, per customer.
	got := f.list(t, f.params(f.alice.ID, d, d+86400, ""))
	if len(got) != 1 {
		t.Fatalf("alice's summaries = %+v", got)
	}
	s := got[0]
	if s.Object != "billing.meter_event_summary" || s.Meter != f.mtr.ID || s.Livemode || s.StartTime != d || s.EndTime != d+86400 ||
		s.AggregatedValue != 123 || len(s.ID) < len("mtrusg_test_") || s.ID[:len("mtrusg_test_")] != "mtrusg_test_" {
		t.Errorf("alice's day = %+v", s)
	}
	if got := windowsOf(f.list(t, f.params(f.bob.ID, d, d+86400, ""))); !slices.Equal(got, []window{{d, d + 86400, 3}}) {
		t.Errorf("bob's day = %+v", got)
	}
	// No usage: still one summary, of zero.
	if got := windowsOf(f.list(t, f.params(f.carol.ID, d, d+86400, ""))); !slices.Equal(got, []window{{d, d + 86400, 0}}) {
		t.Errorf("carol's day = %+v", got)
	}

	// Window boundaries: start inclusive, end exclusive, any minute.
	for _, c := range []struct {
		start, end int64
		want       float64
	}{
		{d + 60, d + 3600, 5},        // 00:01-01:00 holds 00:59:59
		{d, d + 60, 10},              // the first minute
		{d + 3600, d + 3660, 7},      // 01:00-01:01
		{d + 3660, d + 9000, 0},      // 01:01-02:30 is empty: 02:30 itself is excluded
		{d + 9000, d + 9060, 1},      // 02:30-02:31
		{d - 60, d + 2*86400, 11123}, // both days and the minute before
	} {
		got := windowsOf(f.list(t, f.params(f.alice.ID, c.start, c.end, "")))
		if !slices.Equal(got, []window{{c.start, c.end, c.want}}) {
			t.Errorf("[%d, %d) = %+v, want %v", c.start-d, c.end-d, got, c.want)
		}
	}

	// By hour: only hours with events, newest first.
	hours := []window{{d + 23*3600, d + 86400, 100}, {d + 2*3600, d + 3*3600, 1}, {d + 3600, d + 2*3600, 7}, {d, d + 3600, 15}}
	if got := windowsOf(f.list(t, f.params(f.alice.ID, d, d+86400, "hour"))); !slices.Equal(got, hours) {
		t.Errorf("alice by hour = %+v\nwant %+v", got, hours)
	}
	if got := windowsOf(f.list(t, f.params(f.bob.ID, d, d+86400, "hour"))); !slices.Equal(got, []window{{d, d + 3600, 3}}) {
		t.Errorf("bob by hour = %+v", got)
	}
	if got := f.list(t, f.params(f.carol.ID, d, d+86400, "hour")); len(got) != 0 {
		t.Errorf("carol by hour = %+v", got)
	}
	// By day.
	days := []window{{d + 86400, d + 2*86400, 1000}, {d, d + 86400, 123}, {d - 86400, d, 10000}}
	if got := windowsOf(f.list(t, f.params(f.alice.ID, d-86400, d+2*86400, "day"))); !slices.Equal(got, days) {
		t.Errorf("alice by day = %+v", got)
	}

	// Pagination: stripe-go's iterator follows has_more with starting_after...
	p := f.params(f.alice.ID, d, d+86400, "hour")
	p.Limit = stripe.Int64(1)
	all := f.list(t, p)
	if !slices.Equal(windowsOf(all), hours) {
		t.Errorf("alice by hour, one per page = %+v", windowsOf(all))
	}
	// ...and ending_before (it reverses each page: oldest first).
	p = f.params(f.alice.ID, d, d+86400, "hour")
	p.Limit = stripe.Int64(2)
	p.EndingBefore = stripe.String(all[3].ID)
	if got := windowsOf(f.list(t, p)); !slices.Equal(got, []window{hours[2], hours[1], hours[0]}) {
		t.Errorf("ending_before the first hour = %+v", got)
	}
	p = f.params(f.alice.ID, d, d+86400, "hour")
	p.StartingAfter = stripe.String(all[1].ID)
	if got := windowsOf(f.list(t, p)); !slices.Equal(got, hours[2:]) {
		t.Errorf("starting_after 02:00 = %+v", got)
	}
	// A summary ID is stable, so it works as a cursor in a later request.
	again := f.list(t, f.params(f.alice.ID, d, d+86400, "hour"))
	if again[0].ID != all[0].ID || again[0].ID == all[1].ID {
		t.Errorf("summary IDs are not stable and distinct: %s %s %s", again[0].ID, all[0].ID, all[1].ID)
	}

	// The package-level client (stripe-go's metereventsummary.List) speaks the same API.
	ic := metereventsummary.Client{B: f.sc.BillingMeterEventSummaries.B, Key: testKey}
	it := ic.List(f.params(f.bob.ID, d, d+86400, "hour"))
	var n int
	for it.Next() {
		if s := it.BillingMeterEventSummary(); s.AggregatedValue != 3 {
			t.Errorf("bob via metereventsummary = %+v", s)
		}
		n++
	}
	if it.Err() != nil || n != 1 {
		t.Errorf("metereventsummary.List: %d summaries, %v", n, it.Err())
	}
}

func TestMeterEventSummariesCountMeter(t *testing.T) {
	srv := startEmulator(t, stripeemu.Config{})
	sc := newClient(srv.URL, testKey)
	mtr := must(sc.BillingMeters.New(&stripe.BillingMeterParams{
		DisplayName: stripe.String("Requests"), EventName: stripe.String("requests"),
		DefaultAggregation: &stripe.BillingMeterDefaultAggregationParams{Formula: stripe.String("count")},
	})).get(t)
	cus := newCustomer(t, sc)
	hour := time.Now().Unix()/3600*3600 - 3*3600
	for i, v := range []string{"", "5", ""} {
		payload := map[string]string{"stripe_customer_id": cus.ID}
		if v != "" {
			payload["value"] = v
		}
		must(sc.BillingMeterEvents.New(&stripe.BillingMeterEventParams{
			EventName: stripe.String("requests"), Timestamp: stripe.Int64(hour + int64(i)*60), Payload: payload,
		})).get(t)
	}
	it := sc.BillingMeterEventSummaries.List(&stripe.BillingMeterEventSummaryListParams{
		ID: stripe.String(mtr.ID), Customer: stripe.String(cus.ID),
		StartTime: stripe.Int64(hour), EndTime: stripe.Int64(hour + 3600), ValueGroupingWindow: stripe.String("hour"),
	})
	got := collect[*stripe.BillingMeterEventSummary](t, it)
	if len(got) != 1 || got[0].AggregatedValue != 3 {
		t.Errorf("count meter = %+v", got)
	}
}

func TestMeterEventSummariesInvalid(t *testing.T) {
	f := newSummaryFixture(t, stripeemu.Config{})
	d := f.day
	first := func(p *stripe.BillingMeterEventSummaryListParams) error {
		it := f.sc.BillingMeterEventSummaries.List(p)
		it.Next()
		return it.Err()
	}
	for _, c := range []struct {
		name   string
		p      *stripe.BillingMeterEventSummaryListParams
		status int
		param  string
		msg    string
	}{
		{"no customer", &stripe.BillingMeterEventSummaryListParams{ID: stripe.String(f.mtr.ID), StartTime: stripe.Int64(d), EndTime: stripe.Int64(d + 60)},
			400, "customer", "Missing required param: customer."},
		{"no start_time", &stripe.BillingMeterEventSummaryListParams{ID: stripe.String(f.mtr.ID), Customer: stripe.String(f.alice.ID), EndTime: stripe.Int64(d + 60)},
			400, "start_time", "Missing required param: start_time."},
		{"no end_time", &stripe.BillingMeterEventSummaryListParams{ID: stripe.String(f.mtr.ID), Customer: stripe.String(f.alice.ID), StartTime: stripe.Int64(d)},
			400, "end_time", "Missing required param: end_time."},
		{"start_time off the minute", f.params(f.alice.ID, d+30, d+3600, ""), 400, "start_time", "must be aligned with minute boundaries"},
		{"end_time off the minute", f.params(f.alice.ID, d, d+3601, ""), 400, "end_time", "must be aligned with minute boundaries"},
		{"hour off the hour", f.params(f.alice.ID, d+60, d+3600, "hour"), 400, "start_time", "value_grouping_window=hour, the start_time must be aligned with hour boundaries"},
		{"day off the day", f.params(f.alice.ID, d, d+3600, "day"), 400, "end_time", "must be aligned with UTC day boundaries"},
		{"empty range", f.params(f.alice.ID, d+60, d+60, ""), 400, "start_time", "must be before the end_time"},
		{"reversed range", f.params(f.alice.ID, d+120, d+60, ""), 400, "start_time", "must be before the end_time"},
		{"bad grouping", f.params(f.alice.ID, d, d+86400, "week"), 400, "value_grouping_window", "Invalid value_grouping_window: must be one of day or hour"},
		{"unknown customer", f.params("cus_nope", d, d+60, ""), 400, "customer", "No such customer: 'cus_nope'"},
		{"unknown meter", &stripe.BillingMeterEventSummaryListParams{ID: stripe.String("mtr_nope"), Customer: stripe.String(f.alice.ID), StartTime: stripe.Int64(d), EndTime: stripe.Int64(d + 60)},
			404, "id", "No such billing.meter: 'mtr_nope'"},
	} {
		t.Run(c.name, func(t *testing.T) {
			wantErr(t, first(c.p), c.status, c.param, c.msg)
		})
	}

	p := f.params(f.alice.ID, d, d+86400, "")
	p.Filters.AddFilter("bogus", "", "1")
	wantErr(t, first(p), 400, "bogus", "Received unknown parameter: bogus")
	p = f.params(f.alice.ID, d, d+86400, "")
	p.Limit = stripe.Int64(101)
	wantErr(t, first(p), 400, "limit", "less than or equal to 100")
	// A cursor must be a summary of the same meter and customer.
	bobs := f.list(t, f.params(f.bob.ID, d, d+86400, ""))
	p = f.params(f.alice.ID, d, d+86400, "hour")
	p.StartingAfter = stripe.String(bobs[0].ID)
	wantErr(t, first(p), 400, "starting_after", "No such billing.meter_event_summary")
}

// TestMeterEventSummariesStripeMock checks the endpoint's requests against
// stripe-mock: it knows the endpoint, passes the requests stripe-go sends
// (answered from the emulator's state) and rejects what Stripe's
// specification forbids before the emulator sees it.
func TestMeterEventSummariesStripeMock(t *testing.T) {
	mockURL := startStripeMock(t)
	d := time.Now().Unix()/86400*86400 - 2*86400
	direct := do(t, http.MethodGet, fmt.Sprintf("%s/v1/billing/meters/mtr_123/event_summaries?customer=cus_123&start_time=%d&end_time=%d&value_grouping_window=hour&limit=2", mockURL, d, d+86400), "", "Bearer "+testKey, nil)
	direct.Body.Close()
	if direct.StatusCode != http.StatusOK {
		t.Fatalf("stripe-mock answered %d to a valid event summary list", direct.StatusCode)
	}

	f := newSummaryFixture(t, stripeemu.Config{ValidatorURL: mockURL})
	p := f.params(f.alice.ID, d, d+86400, "hour")
	p.Limit = stripe.Int64(3)
	if got := windowsOf(f.list(t, p)); len(got) != 4 || got[3] != (window{d, d + 3600, 15}) {
		t.Errorf("validated list by hour = %+v", got)
	}
	if got := windowsOf(f.list(t, f.params(f.bob.ID, d, d+86400, ""))); !slices.Equal(got, []window{{d, d + 86400, 3}}) {
		t.Errorf("validated list = %+v", got)
	}
	for name, p := range map[string]*stripe.BillingMeterEventSummaryListParams{
		"no customer":  {ID: stripe.String(f.mtr.ID), StartTime: stripe.Int64(d), EndTime: stripe.Int64(d + 60)},
		"bad grouping": f.params(f.alice.ID, d, d+86400, "week"),
		"unknown param": func() *stripe.BillingMeterEventSummaryListParams {
			p := f.params(f.alice.ID, d, d+60, "")
			p.Filters.AddFilter("bogus", "", "1")
			return p
		}(),
	} {
		it := f.sc.BillingMeterEventSummaries.List(p)
		it.Next()
		se := stripeErr(t, it.Err())
		if se.HTTPStatusCode != 400 || !strings.HasPrefix(se.Msg, "Request validation error:") {
			t.Errorf("%s: error = %+v, want stripe-mock's validation error", name, se)
		}
	}
}
