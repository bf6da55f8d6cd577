package stripeemu

// meter is Stripe's billing meter (object "billing.meter"), as of the API
// that stripe-go v76 speaks. Meters are never deleted: deactivated ones stay
// retrievable and listable.
type meter struct {
	ID                 string                 `json:"id"`
	Object             string                 `json:"object"`
	Created            int64                  `json:"created"`
	CustomerMapping    meterCustomerMapping   `json:"customer_mapping"`
	DefaultAggregation meterAggregation       `json:"default_aggregation"`
	DisplayName        string                 `json:"display_name"`
	EventName          string                 `json:"event_name"`
	EventTimeWindow    *string                `json:"event_time_window"`
	Livemode           bool                   `json:"livemode"`
	Status             string                 `json:"status"`
	StatusTransitions  meterStatusTransitions `json:"status_transitions"`
	Updated            int64                  `json:"updated"`
	ValueSettings      meterValueSettings     `json:"value_settings"`
}

type meterCustomerMapping struct {
	EventPayloadKey string `json:"event_payload_key"`
	Type            string `json:"type"`
}

type meterAggregation struct {
	Formula string `json:"formula"`
}

type meterStatusTransitions struct {
	DeactivatedAt *int64 `json:"deactivated_at"`
}

type meterValueSettings struct {
	EventPayloadKey string `json:"event_payload_key"`
}

// Meter statuses.
const (
	meterActive   = "active"
	meterInactive = "inactive"
)

// Parameters of the meter endpoints.
var (
	meterCreateParams = []string{
		"customer_mapping", "default_aggregation", "display_name", "event_name",
		"event_time_window", "expand", "value_settings",
	}
	meterUpdateParams = []string{"display_name", "expand"}
)

// createMeter implements POST /v1/billing/meters.
func (s *Server) createMeter(c *call) (any, *apiError) {
	p := c.params
	if _, err := p.accept(meterCreateParams, nil, nil); err != nil {
		return nil, err
	}
	m := &meter{
		ID:              newID("mtr_test_"),
		Object:          "billing.meter",
		Created:         c.now.Unix(),
		CustomerMapping: meterCustomerMapping{EventPayloadKey: "stripe_customer_id", Type: "by_id"},
		Status:          meterActive,
		Updated:         c.now.Unix(),
		ValueSettings:   meterValueSettings{EventPayloadKey: "value"},
	}
	var err *apiError
	if m.DisplayName, err = p.required("display_name"); err != nil {
		return nil, err
	}
	if m.EventName, err = p.required("event_name"); err != nil {
		return nil, err
	}
	agg, ok, err := p.object("default_aggregation")
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, missingParam("default_aggregation")
	}
	if err := agg.checkKnown([]string{"formula"}, nil); err != nil {
		return nil, err
	}
	if m.DefaultAggregation.Formula, ok, err = agg.enum("formula", "count", "sum"); err != nil {
		return nil, err
	} else if !ok {
		return nil, missingParam("default_aggregation[formula]")
	}
	if cm, ok, err := p.object("customer_mapping"); err != nil {
		return nil, err
	} else if ok {
		if err := cm.checkKnown([]string{"event_payload_key", "type"}, nil); err != nil {
			return nil, err
		}
		if m.CustomerMapping.EventPayloadKey, err = cm.required("event_payload_key"); err != nil {
			return nil, err
		}
		if m.CustomerMapping.Type, ok, err = cm.enum("type", "by_id"); err != nil {
			return nil, err
		} else if !ok {
			return nil, missingParam("customer_mapping[type]")
		}
	}
	if vs, ok, err := p.object("value_settings"); err != nil {
		return nil, err
	} else if ok {
		if err := vs.checkKnown([]string{"event_payload_key"}, nil); err != nil {
			return nil, err
		}
		if m.ValueSettings.EventPayloadKey, err = vs.required("event_payload_key"); err != nil {
			return nil, err
		}
	}
	if w, ok, err := p.enum("event_time_window", "day", "hour"); err != nil {
		return nil, err
	} else if ok {
		m.EventTimeWindow = &w
	}
	for _, r := range c.acct.meters.rows {
		if r.obj.EventName == m.EventName {
			return nil, stateError("event_name", "", "A meter with event_name `%s` already exists.", m.EventName)
		}
	}
	c.acct.meters.insert(m.ID, m)
	return m, nil
}

// retrieveMeter implements GET /v1/billing/meters/{id}.
func (s *Server) retrieveMeter(c *call) (any, *apiError) {
	return pathMeter(c, []string{"expand"})
}

// pathMeter checks the request's parameter names against known and returns
// the meter named in the URL.
func pathMeter(c *call, known []string) (*meter, *apiError) {
	if _, err := c.params.accept(known, nil, nil); err != nil {
		return nil, err
	}
	return c.acct.meters.live(c.req.PathValue("id"))
}

// updateMeter implements POST /v1/billing/meters/{id}: only the display
// name can change.
func (s *Server) updateMeter(c *call) (any, *apiError) {
	m, err := pathMeter(c, meterUpdateParams)
	if err != nil {
		return nil, err
	}
	name, ok, err := c.params.nonEmpty("display_name")
	if err != nil {
		return nil, err
	}
	if ok {
		m.DisplayName = name
		m.Updated = c.now.Unix()
	}
	return m, nil
}

// deactivateMeter implements POST /v1/billing/meters/{id}/deactivate.
func (s *Server) deactivateMeter(c *call) (any, *apiError) {
	return s.setMeterStatus(c, meterInactive)
}

// reactivateMeter implements POST /v1/billing/meters/{id}/reactivate.
func (s *Server) reactivateMeter(c *call) (any, *apiError) {
	return s.setMeterStatus(c, meterActive)
}

func (s *Server) setMeterStatus(c *call, status string) (any, *apiError) {
	m, err := pathMeter(c, []string{"expand"})
	if err != nil {
		return nil, err
	}
	if m.Status == status {
		return nil, stateError("", "", "The meter `%s` is already %s.", m.ID, status)
	}
	m.Status = status
	m.Updated = c.now.Unix()
	if status == meterInactive {
		at := c.now.Unix()
		m.StatusTransitions.DeactivatedAt = &at
	} else {
		m.StatusTransitions.DeactivatedAt = nil
	}
	return m, nil
}

// listMeters implements GET /v1/billing/meters.
func (s *Server) listMeters(c *call) (any, *apiError) {
	if _, err := c.params.accept(append([]string{"expand", "status"}, paginationParams...), nil, nil); err != nil {
		return nil, err
	}
	q, err := parseListQuery(c.params)
	if err != nil {
		return nil, err
	}
	status, byStatus, err := c.params.enum("status", meterActive, meterInactive)
	if err != nil {
		return nil, err
	}
	page, more, err := c.acct.meters.list(q, func(m *meter) bool {
		return !byStatus || m.Status == status
	})
	if err != nil {
		return nil, err
	}
	return newList("/v1/billing/meters", page, more), nil
}
