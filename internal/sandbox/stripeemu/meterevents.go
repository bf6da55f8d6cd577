package stripeemu

import (
	"net/http"
	"regexp"
	"strconv"
	"time"
)

// meterEvent is Stripe's billing meter event (object "billing.meter_event").
// Events are kept in the account's meterEvents table, keyed by identifier,
// with the meter and customer they were resolved to, and indexed by meter and
// customer (account.usage), so that usage can be summed per customer and
// meter (see [Server.MeterUsage] and GET /v1/billing/meters/{id}/event_summaries).
type meterEvent struct {
	Object     string            `json:"object"`
	Created    int64             `json:"created"`
	EventName  string            `json:"event_name"`
	Identifier string            `json:"identifier"`
	Livemode   bool              `json:"livemode"`
	Payload    map[string]string `json:"payload"`
	Timestamp  int64             `json:"timestamp"`

	meterID    string
	customerID string
	value      float64 // payload value; 1 for a count meter without one
}

// Stripe's window for meter event timestamps.
const (
	meterEventMaxAge    = 35 * 24 * time.Hour
	meterEventMaxFuture = 5 * time.Minute
)

// meterValueRE is a non-negative decimal number, the form of a meter
// event's value.
var meterValueRE = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?$`)

// createMeterEvent implements POST /v1/billing/meter_events. Stripe checks
// the customer and value asynchronously and reports problems later; the
// emulator answers them at once with a 400, so that a bad event fails the
// request that sent it instead of vanishing.
func (s *Server) createMeterEvent(c *call) (any, *apiError) {
	p := c.params
	if _, err := p.accept([]string{"event_name", "expand", "identifier", "payload", "timestamp"}, nil, nil); err != nil {
		return nil, err
	}
	ev := &meterEvent{Object: "billing.meter_event", Created: c.now.Unix(), Timestamp: c.now.Unix(), Payload: map[string]string{}}
	var err *apiError
	if ev.EventName, err = p.required("event_name"); err != nil {
		return nil, err
	}
	payload, ok, err := p.object("payload")
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, missingParam("payload")
	}
	for k := range payload.root.fields {
		if ev.Payload[k], _, err = payload.str(k); err != nil {
			return nil, err
		}
	}
	if ts, ok, err := p.integer("timestamp"); err != nil {
		return nil, err
	} else if ok {
		t := time.Unix(ts, 0)
		if c.now.Sub(t) > meterEventMaxAge || t.Sub(c.now) > meterEventMaxFuture {
			return nil, invalidParam("timestamp", "",
				"The timestamp must be within the past 35 days and not more than 5 minutes in the future.")
		}
		ev.Timestamp = ts
	}
	ev.Identifier = newID("")
	if id, ok, err := p.nonEmpty("identifier"); err != nil {
		return nil, err
	} else if ok {
		ev.Identifier = id
	}

	var m *meter
	for _, r := range c.acct.meters.rows {
		if r.obj.EventName == ev.EventName && r.obj.Status == meterActive {
			m = r.obj
		}
	}
	if m == nil {
		return nil, stateError("event_name", "", "No active meter was found for event_name `%s`.", ev.EventName)
	}
	ev.meterID = m.ID
	custKey := m.CustomerMapping.EventPayloadKey
	cust, ok := ev.Payload[custKey]
	if !ok || cust == "" {
		return nil, missingParam("payload[" + custKey + "]")
	}
	if _, err := c.acct.customers.live(cust); err != nil {
		return nil, resourceMissing(http.StatusBadRequest, "customer", "payload["+custKey+"]", cust)
	}
	ev.customerID = cust
	valKey := m.ValueSettings.EventPayloadKey
	ev.value = 1
	if v, ok := ev.Payload[valKey]; ok || m.DefaultAggregation.Formula == "sum" {
		if !meterValueRE.MatchString(v) {
			return nil, invalidParam("payload["+valKey+"]", "",
				"The meter `%s` needs payload[%s] to be a non-negative number, got %q.", m.ID, valKey, v)
		}
		ev.value, _ = strconv.ParseFloat(v, 64)
	}
	if _, dup := c.acct.meterEvents.byID[ev.Identifier]; dup {
		return nil, stateError("identifier", "", "A meter event with identifier `%s` already exists.", ev.Identifier)
	}
	c.acct.meterEvents.insert(ev.Identifier, ev)
	c.acct.indexMeterEvent(ev)
	return ev, nil
}

// MeterUsage sums the meter events recorded under the secret key apiKey
// for the meter and customer: the total of their values and their number.
// For a count meter the events' number is the usage.
func (s *Server) MeterUsage(apiKey, meterID, customerID string) (total float64, events int) {
	s.mu.Lock()
	a := s.accounts[apiKey]
	s.mu.Unlock()
	if a == nil {
		return 0, 0
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, ev := range a.usage[usageKey{meterID, customerID}] {
		total += ev.value
		events++
	}
	return total, events
}
