package stripeemu

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"
	"time"
)

// manyEvents returns a server whose account under key holds a sum meter and
// n events of value 1 for each of customers spread over the past 30 days,
// plus as many events of another meter, stored as createMeterEvent stores
// them.
func manyEvents(tb testing.TB, key string, n int, customers ...string) (s *Server, meterID string, start, end int64) {
	tb.Helper()
	s = New(Config{})
	now := time.Now()
	s.now = func() time.Time { return now }
	a := newAccount()
	s.accounts[key] = a
	for _, cus := range customers {
		a.customers.insert(cus, &customer{ID: cus, Object: "customer"})
	}
	meters := []*meter{
		{ID: "mtr_sum", Object: "billing.meter", DefaultAggregation: meterAggregation{Formula: "sum"}, Status: meterActive},
		{ID: "mtr_other", Object: "billing.meter", DefaultAggregation: meterAggregation{Formula: "sum"}, Status: meterActive},
	}
	for _, m := range meters {
		a.meters.insert(m.ID, m)
	}
	end = now.Unix() / 3600 * 3600
	start = end - 30*86400
	for i := range n {
		// Every hour gets events, out of timestamp order (as backdated events arrive).
		ts := start + int64(i%720)*3600 + int64((i/720*131)%3600)
		for _, cus := range customers {
			for _, m := range meters {
				ev := &meterEvent{Object: "billing.meter_event", Identifier: fmt.Sprintf("%s-%s-%d", m.ID, cus, i), Timestamp: ts, meterID: m.ID, customerID: cus, value: 1}
				a.meterEvents.insert(ev.Identifier, ev)
				a.indexMeterEvent(ev)
			}
		}
	}
	return s, "mtr_sum", start, end
}

func getSummaries(tb testing.TB, s *Server, key, meterID string, q url.Values) (int, listObject[meterEventSummary]) {
	tb.Helper()
	req := httptest.NewRequest(http.MethodGet, "/v1/billing/meters/"+meterID+"/event_summaries?"+q.Encode(), nil)
	req.Header.Set("Authorization", "Bearer "+key)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	var l listObject[meterEventSummary]
	if rec.Code == http.StatusOK {
		if err := json.Unmarshal(rec.Body.Bytes(), &l); err != nil {
			tb.Fatal(err)
		}
	}
	return rec.Code, l
}

// TestMeterEventSummariesManyEvents pages through hourly summaries of
// 20,000 events of one customer, among 80,000 in the account.
func TestMeterEventSummariesManyEvents(t *testing.T) {
	const key = "sk_test_many"
	s, meterID, start, end := manyEvents(t, key, 20000, "cus_a", "cus_b")
	if got := len(s.accounts[key].usageBetween(meterID, "cus_a", start, end)); got != 20000 {
		t.Fatalf("indexed events = %d", got)
	}
	begin := time.Now()
	q := url.Values{"customer": {"cus_a"}, "start_time": {strconv.FormatInt(start, 10)}, "end_time": {strconv.FormatInt(end, 10)},
		"value_grouping_window": {"hour"}, "limit": {"100"}}
	var total float64
	windows, pages := 0, 0
	last := end
	for {
		code, l := getSummaries(t, s, key, meterID, q)
		if code != http.StatusOK {
			t.Fatalf("page %d: %d", pages, code)
		}
		pages++
		for _, w := range l.Data {
			if w.StartTime >= last || w.EndTime-w.StartTime != 3600 {
				t.Fatalf("window %+v after %d", w, last)
			}
			last = w.StartTime
			total += w.AggregatedValue
			windows++
		}
		if !l.HasMore {
			break
		}
		q.Set("starting_after", l.Data[len(l.Data)-1].ID)
	}
	if total != 20000 || windows != 720 || pages != 8 {
		t.Errorf("total %v over %d windows in %d pages; want 20000 over 720 in 8", total, windows, pages)
	}
	t.Logf("%d pages of hourly summaries over 20,000 events in %v", pages, time.Since(begin))
	if total, n := s.MeterUsage(key, meterID, "cus_b"); total != 20000 || n != 20000 {
		t.Errorf("MeterUsage = %v, %d", total, n)
	}
}

func BenchmarkMeterEventSummaries(b *testing.B) {
	const key = "sk_test_many"
	s, meterID, _, end := manyEvents(b, key, 20000, "cus_a", "cus_b")
	q := url.Values{"customer": {"cus_a"}, "start_time": {strconv.FormatInt(end-86400, 10)}, "end_time": {strconv.FormatInt(end, 10)},
		"value_grouping_window": {"hour"}}
	b.ResetTimer()
	for range b.N {
		if code, _ := getSummaries(b, s, key, meterID, q); code != http.StatusOK {
			b.Fatal(code)
		}
	}
}
