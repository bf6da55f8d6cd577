package stripeemu

import (
	"encoding/hex"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// meterEventSummary is Stripe's billing meter event summary (object
// "billing.meter_event_summary"): the usage a customer accrued on a meter
// from start_time (inclusive) to end_time (exclusive).
type meterEventSummary struct {
	ID              string  `json:"id"`
	Object          string  `json:"object"`
	AggregatedValue float64 `json:"aggregated_value"`
	EndTime         int64   `json:"end_time"`
	Livemode        bool    `json:"livemode"`
	Meter           string  `json:"meter"`
	StartTime       int64   `json:"start_time"`
}

// Lengths of Stripe's summary grouping windows, in seconds.
const (
	minuteSeconds = 60
	hourSeconds   = 60 * 60
	daySeconds    = 24 * 60 * 60
)

// usageKey names the meter events of one customer on one meter.
type usageKey struct{ meter, customer string }

// indexMeterEvent adds ev to the account's per meter and customer index,
// which is kept sorted by timestamp (events with equal timestamps in the
// order they were recorded), so that summaries read only the events of
// their meter, customer and time range.
func (a *account) indexMeterEvent(ev *meterEvent) {
	k := usageKey{ev.meterID, ev.customerID}
	evs := a.usage[k]
	i := sort.Search(len(evs), func(i int) bool { return evs[i].Timestamp > ev.Timestamp })
	a.usage[k] = slices.Insert(evs, i, ev)
}

// usageBetween returns the meter's events for the customer with from <=
// timestamp < to, oldest first.
func (a *account) usageBetween(meterID, customerID string, from, to int64) []*meterEvent {
	evs := a.usage[usageKey{meterID, customerID}]
	lo := sort.Search(len(evs), func(i int) bool { return evs[i].Timestamp >= from })
	hi := sort.Search(len(evs), func(i int) bool { return evs[i].Timestamp >= to })
	if lo >= hi {
		return nil
	}
	return evs[lo:hi]
}

// aggregate applies the meter's default aggregation to events.
func (m *meter) aggregate(events []*meterEvent) float64 {
	if m.DefaultAggregation.Formula == "count" {
		return float64(len(events))
	}
	var total float64
	for _, ev := range events {
		total += ev.value
	}
	return total
}

// Parameters of GET /v1/billing/meters/{id}/event_summaries.
var meterEventSummaryParams = append([]string{
	"customer", "end_time", "expand", "start_time", "value_grouping_window",
}, paginationParams...)

// listMeterEventSummaries implements GET /v1/billing/meters/{id}/event_summaries.
//
// Without value_grouping_window the answer is one summary of the whole
// range, zero when there was no usage. With hour or day it is one summary
// per window that has events; windows without usage are left out, as
// Stripe does. Summaries come newest first and are paginated like any list;
// their IDs are derived from meter, customer and window, so they work as
// cursors. Stripe aggregates asynchronously; here summaries are exact at
// once.
func (s *Server) listMeterEventSummaries(c *call) (any, *apiError) {
	p := c.params
	if _, err := p.accept(meterEventSummaryParams, nil, nil); err != nil {
		return nil, err
	}
	q, err := parseListQuery(p)
	if err != nil {
		return nil, err
	}
	customerID, err := p.required("customer")
	if err != nil {
		return nil, err
	}
	start, err := requiredTimestamp(p, "start_time")
	if err != nil {
		return nil, err
	}
	end, err := requiredTimestamp(p, "end_time")
	if err != nil {
		return nil, err
	}
	window, grouped, err := p.enum("value_grouping_window", "day", "hour")
	if err != nil {
		return nil, err
	}
	step := int64(0)
	for _, t := range []struct {
		name string
		v    int64
	}{{"start_time", start}, {"end_time", end}} {
		if t.v%minuteSeconds != 0 {
			return nil, invalidParam(t.name, "", "The %s must be aligned with minute boundaries (a multiple of 60 seconds), but %d is not.", t.name, t.v)
		}
	}
	switch window {
	case "hour":
		step = hourSeconds
	case "day":
		step = daySeconds
	}
	if grouped {
		what := map[string]string{"hour": "hour boundaries (e.g., 00:00, 01:00, ..., 23:00)", "day": "UTC day boundaries (00:00 UTC)"}[window]
		for _, t := range []struct {
			name string
			v    int64
		}{{"start_time", start}, {"end_time", end}} {
			if t.v%step != 0 {
				return nil, invalidParam(t.name, "",
					"With value_grouping_window=%s, the %s must be aligned with %s, but %d is not.", window, t.name, what, t.v)
			}
		}
	}
	if start >= end {
		return nil, invalidParam("start_time", "", "The start_time (%d) must be before the end_time (%d).", start, end)
	}

	meterID := c.req.PathValue("id")
	m, err := c.acct.meters.live(meterID)
	if err != nil {
		return nil, err
	}
	if _, err := c.acct.customers.live(customerID); err != nil {
		return nil, resourceMissing(http.StatusBadRequest, "customer", "customer", customerID)
	}

	// Every summary of the request, newest first.
	events := c.acct.usageBetween(m.ID, customerID, start, end)
	var all []meterEventSummary
	if !grouped {
		all = []meterEventSummary{newMeterEventSummary(m.ID, customerID, start, end, m.aggregate(events))}
	} else {
		for i := len(events); i > 0; {
			// events[j:i] fall in the window starting at from.
			from := start + (events[i-1].Timestamp-start)/step*step
			j := i - 1
			for j > 0 && events[j-1].Timestamp >= from {
				j--
			}
			all = append(all, newMeterEventSummary(m.ID, customerID, from, from+step, m.aggregate(events[j:i])))
			i = j
		}
	}

	page, more, err := paginateSummaries(all, q, m.ID, customerID)
	if err != nil {
		return nil, err
	}
	return newList("/v1/billing/meters/"+m.ID+"/event_summaries", page, more), nil
}

// requiredTimestamp returns a required integer parameter.
func requiredTimestamp(p params, name string) (int64, *apiError) {
	v, ok, err := p.integer(name)
	if err != nil {
		return 0, err
	}
	if !ok {
		return 0, missingParam(p.qualify(name))
	}
	return v, nil
}

// summaryIDPrefix starts every summary ID, as on Stripe's test mode.
const summaryIDPrefix = "mtrusg_test_"

func newMeterEventSummary(meterID, customerID string, start, end int64, value float64) meterEventSummary {
	key := meterID + "|" + customerID + "|" + strconv.FormatInt(start, 10) + "|" + strconv.FormatInt(end, 10)
	return meterEventSummary{
		ID:              summaryIDPrefix + hex.EncodeToString([]byte(key)),
		Object:          "billing.meter_event_summary",
		AggregatedValue: value,
		EndTime:         end,
		Meter:           meterID,
		StartTime:       start,
	}
}

// summaryCursor returns the start time of the summary id of the meter and
// customer, for use as a pagination cursor.
func summaryCursor(id, meterID, customerID string) (int64, bool) {
	raw, err := hex.DecodeString(strings.TrimPrefix(id, summaryIDPrefix))
	if err != nil || !strings.HasPrefix(id, summaryIDPrefix) {
		return 0, false
	}
	parts := strings.Split(string(raw), "|")
	if len(parts) != 4 || parts[0] != meterID || parts[1] != customerID {
		return 0, false
	}
	start, err := strconv.ParseInt(parts[2], 10, 64)
	return start, err == nil
}

// paginateSummaries pages summaries (newest first) as table.list pages
// stored objects: starting_after pages towards older windows, ending_before
// returns the limit windows immediately newer than the cursor.
func paginateSummaries(all []meterEventSummary, q listQuery, meterID, customerID string) ([]meterEventSummary, bool, *apiError) {
	const noun = "billing.meter_event_summary"
	switch {
	case q.startingAfter != "":
		at, ok := summaryCursor(q.startingAfter, meterID, customerID)
		if !ok {
			return nil, false, resourceMissing(http.StatusBadRequest, noun, "starting_after", q.startingAfter)
		}
		i := sort.Search(len(all), func(i int) bool { return all[i].StartTime < at })
		all = all[i:]
		if len(all) > q.limit {
			return all[:q.limit], true, nil
		}
		return all, false, nil
	case q.endingBefore != "":
		at, ok := summaryCursor(q.endingBefore, meterID, customerID)
		if !ok {
			return nil, false, resourceMissing(http.StatusBadRequest, noun, "ending_before", q.endingBefore)
		}
		i := sort.Search(len(all), func(i int) bool { return all[i].StartTime <= at })
		all = all[:i]
		if len(all) > q.limit {
			return all[len(all)-q.limit:], true, nil
		}
		return all, false, nil
	}
	if len(all) > q.limit {
		return all[:q.limit], true, nil
	}
	return all, false, nil
}
