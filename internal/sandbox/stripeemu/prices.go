package stripeemu

import (
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// price is Stripe's price object, fields in Stripe's order. Amounts,
// currency, product and recurring are immutable once created, as on Stripe.
type price struct {
	ID                string            `json:"id"`
	Object            string            `json:"object"`
	Active            bool              `json:"active"`
	BillingScheme     string            `json:"billing_scheme"`
	Created           int64             `json:"created"`
	Currency          string            `json:"currency"`
	CustomUnitAmount  *struct{}         `json:"custom_unit_amount"`
	Livemode          bool              `json:"livemode"`
	LookupKey         *string           `json:"lookup_key"`
	Metadata          map[string]string `json:"metadata"`
	Nickname          *string           `json:"nickname"`
	Product           string            `json:"product"`
	Recurring         *priceRecurring   `json:"recurring"`
	TaxBehavior       string            `json:"tax_behavior"`
	TiersMode         *string           `json:"tiers_mode"`
	TransformQuantity *struct{}         `json:"transform_quantity"`
	Type              string            `json:"type"`
	UnitAmount        *int64            `json:"unit_amount"`
	UnitAmountDecimal *string           `json:"unit_amount_decimal"`
}

// priceRecurring is a price's recurring hash.
type priceRecurring struct {
	AggregateUsage  *string `json:"aggregate_usage"`
	Interval        string  `json:"interval"`
	IntervalCount   int64   `json:"interval_count"`
	Meter           *string `json:"meter"`
	TrialPeriodDays *int64  `json:"trial_period_days"`
	UsageType       string  `json:"usage_type"`
}

func (pr *price) metered() bool { return pr.Recurring != nil && pr.Recurring.UsageType == "metered" }

// Parameters of the price endpoints. Only active, lookup_key, metadata and
// nickname can change after creation: Stripe's update endpoint does not
// know the others, so sending one is parameter_unknown.
var (
	priceCreateParams = []string{
		"active", "billing_scheme", "currency", "expand", "lookup_key", "metadata", "nickname",
		"product", "recurring", "transfer_lookup_key", "unit_amount", "unit_amount_decimal",
	}
	priceUpdateParams = []string{"active", "expand", "lookup_key", "metadata", "nickname", "transfer_lookup_key"}
	// Accepted by Stripe, not modelled by the emulator yet.
	priceCreateUnsupported = []string{
		"currency_options", "custom_unit_amount", "product_data", "tax_behavior",
		"tiers", "tiers_mode", "transform_quantity",
	}
	priceUpdateUnsupported    = []string{"currency_options", "tax_behavior"}
	priceRecurringParams      = []string{"interval", "interval_count", "meter", "usage_type"}
	priceRecurringUnsupported = []string{"aggregate_usage", "trial_period_days"}
	priceExpandable           = []string{"product"}

	recurringIntervals = []string{"day", "week", "month", "year"}
	// maxIntervalCount caps recurring[interval_count]: at most one year.
	maxIntervalCount    = map[string]int64{"day": 365, "week": 52, "month": 12, "year": 1}
	decimalRE           = regexp.MustCompile(`^([0-9]+)(?:\.([0-9]+))?$`)
	supportedCurrencies = strings.Fields(supportedCurrencyList)
)

// Stripe's limits on price fields.
const (
	maxDecimalPlaces = 12
	maxLookupKeyLen  = 200
)

// supportedCurrencyList is the ISO 4217 codes Stripe accepts for prices.
const supportedCurrencyList = `usd aed afn all amd ang aoa ars aud awg azn bam bbd bdt bgn bhd bif bmd bnd bob
brl bsd bwp byn bzd cad cdf chf clp cny cop crc cve czk djf dkk dop dzd egp etb eur fjd fkp gbp gel
gip gmd gnf gtq gyd hkd hnl htg huf idr ils inr isk jmd jod jpy kes kgs khr kmf krw kwd kyd kzt lak
lbp lkr lrd lsl mad mdl mga mkd mmk mnt mop mur mvr mwk mxn myr mzn nad ngn nio nok npr nzd omr pab
pen pgk php pkr pln pyg qar ron rsd rub rwf sar sbd scr sek sgd shp sle sos srd std szl thb tjs tnd
top try ttd twd tzs uah ugx uyu uzs vnd vuv wst xaf xcd xof xpf yer zar zmw`

// createPrice implements POST /v1/prices.
func (s *Server) createPrice(c *call) (any, *apiError) {
	p := c.params
	expand, err := p.accept(priceCreateParams, priceCreateUnsupported, priceExpandable)
	if err != nil {
		return nil, err
	}
	pr := &price{
		ID:            newID("price_"),
		Object:        "price",
		Active:        true,
		BillingScheme: "per_unit",
		Created:       c.now.Unix(),
		Metadata:      map[string]string{},
		TaxBehavior:   "unspecified",
		Type:          "one_time",
	}
	if pr.Currency, err = parseCurrency(p); err != nil {
		return nil, err
	}
	if pr.Product, err = p.required("product"); err != nil {
		return nil, err
	}
	if _, err := c.acct.products.live(pr.Product); err != nil {
		return nil, resourceMissing(http.StatusBadRequest, "product", "product", pr.Product)
	}
	if scheme, _, err := p.enum("billing_scheme", "per_unit", "tiered"); err != nil {
		return nil, err
	} else if scheme == "tiered" {
		return nil, unsupportedParam("billing_scheme") // tiered prices need tiers, not modelled
	}
	if err := parseUnitAmount(p, pr); err != nil {
		return nil, err
	}
	if pr.Recurring, err = c.acct.parseRecurring(p); err != nil {
		return nil, err
	}
	if pr.Recurring != nil {
		pr.Type = "recurring"
	}
	commit, err := c.acct.applyPriceParams(p, pr)
	if err != nil {
		return nil, err
	}
	commit()
	c.acct.prices.insert(pr.ID, pr)
	return c.acct.renderPrice(pr, expand["product"]), nil
}

// parseCurrency reads the required currency parameter. Stripe documents
// lowercase codes and answers with them; it accepts any case.
func parseCurrency(p params) (string, *apiError) {
	cur, err := p.required("currency")
	if err != nil {
		return "", err
	}
	cur = strings.ToLower(cur)
	if !slices.Contains(supportedCurrencies, cur) {
		return "", invalidParam("currency", "", "Invalid currency: %s. Stripe currently supports these currencies: %s",
			cur, strings.Join(supportedCurrencies, ", "))
	}
	return cur, nil
}

// parseUnitAmount reads unit_amount or unit_amount_decimal, exactly one of
// which a per-unit price needs.
func parseUnitAmount(p params, pr *price) *apiError {
	amount, hasAmount, err := p.integer("unit_amount")
	if err != nil {
		return err
	}
	dec, hasDec, err := p.str("unit_amount_decimal")
	if err != nil {
		return err
	}
	switch {
	case hasAmount && hasDec:
		return invalidRequest("You may only specify one of these parameters: unit_amount, unit_amount_decimal.")
	case hasAmount:
		if amount < 0 {
			return invalidParam("unit_amount", codeParameterInvalidInteger, "This value must be greater than or equal to 0.")
		}
		s := strconv.FormatInt(amount, 10)
		pr.UnitAmount, pr.UnitAmountDecimal = &amount, &s
	case hasDec:
		canonical, err := parseDecimal("unit_amount_decimal", dec)
		if err != nil {
			return err
		}
		pr.UnitAmountDecimal = &canonical
		if n, perr := strconv.ParseInt(canonical, 10, 64); perr == nil {
			pr.UnitAmount = &n // a whole number of cents is also the unit_amount
		}
	default:
		return missingParam("unit_amount")
	}
	return nil
}

// parseDecimal checks a non-negative decimal string with at most 12
// decimal places and returns it in canonical form ("010.50" -> "10.5").
func parseDecimal(param, s string) (string, *apiError) {
	m := decimalRE.FindStringSubmatch(s)
	if m == nil {
		return "", invalidParam(param, "", "Invalid decimal: %s", s)
	}
	if len(m[2]) > maxDecimalPlaces {
		return "", invalidParam(param, "", "Invalid decimal: %s. Decimals can have at most %d decimal places.", s, maxDecimalPlaces)
	}
	whole := strings.TrimLeft(m[1], "0")
	if whole == "" {
		whole = "0"
	}
	if frac := strings.TrimRight(m[2], "0"); frac != "" {
		return whole + "." + frac, nil
	}
	return whole, nil
}

// parseRecurring reads the recurring hash; nil means a one-time price.
func (a *account) parseRecurring(p params) (*priceRecurring, *apiError) {
	rp, ok, err := p.object("recurring")
	if err != nil || !ok {
		return nil, err
	}
	if err := rp.checkKnown(priceRecurringParams, priceRecurringUnsupported); err != nil {
		return nil, err
	}
	rec := &priceRecurring{IntervalCount: 1, UsageType: "licensed"}
	interval, ok, err := rp.enum("interval", recurringIntervals...)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, missingParam("recurring[interval]")
	}
	rec.Interval = interval
	if n, ok, err := rp.integer("interval_count"); err != nil {
		return nil, err
	} else if ok {
		if n < 1 || n > maxIntervalCount[interval] {
			return nil, invalidParam("recurring[interval_count]", "",
				"Invalid recurring[interval_count]: the maximum billing interval is one year (1 year, 12 months, 52 weeks or 365 days), and the count must be at least 1.")
		}
		rec.IntervalCount = n
	}
	if v, ok, err := rp.enum("usage_type", "licensed", "metered"); err != nil {
		return nil, err
	} else if ok {
		rec.UsageType = v
	}
	if rec.UsageType == "metered" {
		sum := "sum"
		rec.AggregateUsage = &sum
	}
	meterID, ok, err := rp.nonEmpty("meter")
	if err != nil || !ok {
		return rec, err
	}
	if rec.UsageType != "metered" {
		return nil, invalidParam("recurring[meter]", "", "recurring[meter] can only be set when recurring[usage_type] is `metered`.")
	}
	m, ok := a.meters.byID[meterID]
	if !ok {
		return nil, resourceMissing(http.StatusBadRequest, "billing.meter", "recurring[meter]", meterID)
	}
	if m.obj.Status != meterActive {
		return nil, stateError("recurring[meter]", "", "The meter `%s` is inactive. Only active meters can be attached to a price.", meterID)
	}
	rec.Meter = &meterID
	return rec, nil
}

// applyPriceParams applies the parameters that create and update share to
// pr, a copy when updating. The returned commit performs what the request
// does to other prices (a transferred lookup key) and must be called once
// the request can no longer fail.
func (a *account) applyPriceParams(p params, pr *price) (commit func(), err *apiError) {
	commit = func() {}
	if v, ok, err := p.boolean("active"); err != nil {
		return nil, err
	} else if ok {
		pr.Active = v
	}
	if err := p.optString("nickname", &pr.Nickname); err != nil {
		return nil, err
	}
	if err := p.applyMetadata(pr.Metadata); err != nil {
		return nil, err
	}
	transfer, _, err := p.boolean("transfer_lookup_key")
	if err != nil {
		return nil, err
	}
	if err := p.optString("lookup_key", &pr.LookupKey); err != nil || !p.has("lookup_key") || pr.LookupKey == nil {
		return commit, err
	}
	key := *pr.LookupKey
	if len(key) > maxLookupKeyLen {
		return nil, invalidParam("lookup_key", "", "Invalid lookup_key: must be at most %d characters", maxLookupKeyLen)
	}
	for _, r := range a.prices.rows {
		other := r.obj
		if other.ID == pr.ID || other.LookupKey == nil || *other.LookupKey != key {
			continue
		}
		if !transfer {
			return nil, stateError("lookup_key", "", "A price (`%s`) already uses that lookup key.", other.ID)
		}
		commit = func() { other.LookupKey = nil }
	}
	return commit, nil
}

// renderPrice returns pr as the response, with its product expanded when
// asked for.
func (a *account) renderPrice(pr *price, expandProduct bool) any {
	if !expandProduct {
		return pr
	}
	prod := a.products.byID[pr.Product].obj // a product with prices cannot be deleted
	return struct {
		*price
		Product *product `json:"product"`
	}{pr, prod}
}

// retrievePrice implements GET /v1/prices/{id}.
func (s *Server) retrievePrice(c *call) (any, *apiError) {
	expand, err := c.params.accept([]string{"expand"}, nil, priceExpandable)
	if err != nil {
		return nil, err
	}
	pr, err := c.acct.prices.live(c.req.PathValue("id"))
	if err != nil {
		return nil, err
	}
	return c.acct.renderPrice(pr, expand["product"]), nil
}

// updatePrice implements POST /v1/prices/{id}.
func (s *Server) updatePrice(c *call) (any, *apiError) {
	expand, err := c.params.accept(priceUpdateParams, priceUpdateUnsupported, priceExpandable)
	if err != nil {
		return nil, err
	}
	cur, err := c.acct.prices.live(c.req.PathValue("id"))
	if err != nil {
		return nil, err
	}
	next := *cur // a failed update changes nothing
	next.Metadata = maps.Clone(cur.Metadata)
	commit, err := c.acct.applyPriceParams(c.params, &next)
	if err != nil {
		return nil, err
	}
	commit()
	*cur = next
	return c.acct.renderPrice(cur, expand["product"]), nil
}

// listPrices implements GET /v1/prices.
func (s *Server) listPrices(c *call) (any, *apiError) {
	p := c.params
	known := append([]string{"active", "created", "currency", "expand", "lookup_keys", "product", "type"}, paginationParams...)
	expand, err := p.accept(known, []string{"recurring"}, dataFields(priceExpandable))
	if err != nil {
		return nil, err
	}
	q, err := parseListQuery(p)
	if err != nil {
		return nil, err
	}
	active, byActive, err := p.boolean("active")
	if err != nil {
		return nil, err
	}
	prod, byProduct, err := p.str("product")
	if err != nil {
		return nil, err
	}
	cur, byCurrency, err := p.str("currency")
	if err != nil {
		return nil, err
	}
	typ, byType, err := p.enum("type", "one_time", "recurring")
	if err != nil {
		return nil, err
	}
	keys, byKeys, err := p.strings("lookup_keys")
	if err != nil {
		return nil, err
	}
	created, err := parseCreatedFilter(p)
	if err != nil {
		return nil, err
	}
	page, more, err := c.acct.prices.list(q, func(pr *price) bool {
		return (!byActive || pr.Active == active) &&
			(!byProduct || pr.Product == prod) &&
			(!byCurrency || pr.Currency == strings.ToLower(cur)) &&
			(!byType || pr.Type == typ) &&
			(!byKeys || (pr.LookupKey != nil && slices.Contains(keys, *pr.LookupKey))) &&
			created.match(pr.Created)
	})
	if err != nil {
		return nil, err
	}
	data := make([]any, len(page))
	for i, pr := range page {
		data[i] = c.acct.renderPrice(pr, expand["data.product"])
	}
	return newList("/v1/prices", data, more), nil
}
