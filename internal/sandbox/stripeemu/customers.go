package stripeemu

import (
	"regexp"
	"slices"
	"strings"
)

// customer is Stripe's customer object. Fields are declared in the order
// Stripe sends them: id and object first, the rest alphabetically.
// Fields the emulator does not model are present with the value Stripe
// gives a customer that never set them.
type customer struct {
	ID                  string            `json:"id"`
	Object              string            `json:"object"`
	Address             *struct{}         `json:"address"`
	Balance             int64             `json:"balance"`
	Created             int64             `json:"created"`
	Currency            *string           `json:"currency"`
	DefaultSource       *string           `json:"default_source"`
	Delinquent          bool              `json:"delinquent"`
	Description         *string           `json:"description"`
	Discount            *struct{}         `json:"discount"`
	Email               *string           `json:"email"`
	InvoicePrefix       string            `json:"invoice_prefix"`
	InvoiceSettings     invoiceSettings   `json:"invoice_settings"`
	Livemode            bool              `json:"livemode"`
	Metadata            map[string]string `json:"metadata"`
	Name                *string           `json:"name"`
	NextInvoiceSequence int64             `json:"next_invoice_sequence"`
	Phone               *string           `json:"phone"`
	PreferredLocales    []string          `json:"preferred_locales"`
	Shipping            *struct{}         `json:"shipping"`
	TaxExempt           string            `json:"tax_exempt"`
	TestClock           *string           `json:"test_clock"`
}

// invoiceSettings is a customer's invoice_settings hash.
type invoiceSettings struct {
	CustomFields         *struct{} `json:"custom_fields"`
	DefaultPaymentMethod *string   `json:"default_payment_method"`
	Footer               *string   `json:"footer"`
	RenderingOptions     *struct{} `json:"rendering_options"`
}

// Parameters of POST /v1/customers and POST /v1/customers/{id}.
var (
	customerWriteParams = []string{
		"description", "email", "expand", "invoice_prefix", "metadata",
		"name", "phone", "preferred_locales", "tax_exempt",
	}
	// Accepted by Stripe, not modelled by the emulator yet.
	customerWriteUnsupported = []string{
		"address", "balance", "cash_balance", "coupon", "default_source",
		"invoice_settings", "next_invoice_sequence", "payment_method",
		"promotion_code", "shipping", "source", "tax", "tax_id_data",
		"test_clock", "validate",
	}
	// Expandable fields of a customer whose value is always null here.
	customerExpandable = []string{"default_source", "invoice_settings.default_payment_method", "test_clock"}
)

// createCustomer implements POST /v1/customers.
func (s *Server) createCustomer(c *call) (any, *apiError) {
	if _, err := c.params.accept(customerWriteParams, customerWriteUnsupported, customerExpandable); err != nil {
		return nil, err
	}
	cus := &customer{
		ID:                  newID("cus_"),
		Object:              "customer",
		Created:             c.now.Unix(),
		InvoicePrefix:       newInvoicePrefix(),
		Metadata:            map[string]string{},
		NextInvoiceSequence: 1,
		PreferredLocales:    []string{},
		TaxExempt:           "none",
	}
	for c.acct.invoicePrefixTaken(cus.InvoicePrefix, "") {
		cus.InvoicePrefix = newInvoicePrefix()
	}
	if err := applyCustomerParams(c, cus); err != nil {
		return nil, err
	}
	c.acct.customers.insert(cus.ID, cus)
	return cus, nil
}

// retrieveCustomer implements GET /v1/customers/{id}.
func (s *Server) retrieveCustomer(c *call) (any, *apiError) {
	if _, err := c.params.accept([]string{"expand"}, nil, customerExpandable); err != nil {
		return nil, err
	}
	return c.acct.customers.retrieve(c.req.PathValue("id"))
}

// updateCustomer implements POST /v1/customers/{id}.
func (s *Server) updateCustomer(c *call) (any, *apiError) {
	if _, err := c.params.accept(customerWriteParams, customerWriteUnsupported, customerExpandable); err != nil {
		return nil, err
	}
	cur, err := c.acct.customers.live(c.req.PathValue("id"))
	if err != nil {
		return nil, err
	}
	// Apply to a copy so a failed update changes nothing.
	next := *cur
	next.Metadata = make(map[string]string, len(cur.Metadata))
	for k, v := range cur.Metadata {
		next.Metadata[k] = v
	}
	if err := applyCustomerParams(c, &next); err != nil {
		return nil, err
	}
	*cur = next
	return cur, nil
}

// deleteCustomer implements DELETE /v1/customers/{id}.
func (s *Server) deleteCustomer(c *call) (any, *apiError) {
	if err := c.params.checkKnown(nil, nil); err != nil {
		return nil, err
	}
	return c.acct.customers.remove(c.req.PathValue("id"))
}

// listCustomers implements GET /v1/customers.
func (s *Server) listCustomers(c *call) (any, *apiError) {
	known := append([]string{"created", "email", "expand"}, paginationParams...)
	if _, err := c.params.accept(known, []string{"test_clock"}, dataFields(customerExpandable)); err != nil {
		return nil, err
	}
	q, err := parseListQuery(c.params)
	if err != nil {
		return nil, err
	}
	email, byEmail, err := c.params.str("email")
	if err != nil {
		return nil, err
	}
	created, err := parseCreatedFilter(c.params)
	if err != nil {
		return nil, err
	}
	page, more, err := c.acct.customers.list(q, func(cus *customer) bool {
		// Stripe's email filter is an exact, case-sensitive match.
		if byEmail && (cus.Email == nil || *cus.Email != email) {
			return false
		}
		return created.match(cus.Created)
	})
	if err != nil {
		return nil, err
	}
	return newList("/v1/customers", page, more), nil
}

var (
	invoicePrefixRE = regexp.MustCompile(`^[A-Z0-9]{3,12}$`)
	// emailRE is a loose check in the spirit of Stripe's: one @, no spaces,
	// a dot in the domain.
	emailRE = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
)

// Stripe's length limits on customer fields.
const (
	maxEmailLen       = 512
	maxNameLen        = 256
	maxPhoneLen       = 20
	maxDescriptionLen = 350
)

// applyCustomerParams applies the writable customer parameters to cus.
func applyCustomerParams(c *call, cus *customer) *apiError {
	p := c.params
	for _, f := range []struct {
		name string
		dst  **string
		max  int
	}{
		{"description", &cus.Description, maxDescriptionLen},
		{"email", &cus.Email, maxEmailLen},
		{"name", &cus.Name, maxNameLen},
		{"phone", &cus.Phone, maxPhoneLen},
	} {
		if err := p.optString(f.name, f.dst); err != nil {
			return err
		}
		if v := *f.dst; v != nil && len(*v) > f.max {
			return invalidParam(f.name, "", "Invalid %s: must be at most %d characters", f.name, f.max)
		}
	}
	if cus.Email != nil && p.has("email") && !emailRE.MatchString(*cus.Email) {
		return invalidParam("email", codeEmailInvalid, "Invalid email address: %s", *cus.Email)
	}
	if err := p.applyMetadata(cus.Metadata); err != nil {
		return err
	}
	if v, ok, err := p.str("tax_exempt"); err != nil {
		return err
	} else if ok {
		if !slices.Contains([]string{"none", "exempt", "reverse"}, v) {
			return invalidParam("tax_exempt", "", "Invalid tax_exempt: must be one of none, exempt, or reverse")
		}
		cus.TaxExempt = v
	}
	if v, ok, err := p.strings("preferred_locales"); err != nil {
		return err
	} else if ok {
		cus.PreferredLocales = v
	}
	if v, ok, err := p.str("invoice_prefix"); err != nil {
		return err
	} else if ok {
		if !invoicePrefixRE.MatchString(v) {
			return invalidParam("invoice_prefix", "", "Invoice prefix must be 3-12 uppercase letters or numbers.")
		}
		if c.acct.invoicePrefixTaken(v, cus.ID) {
			return invalidParam("invoice_prefix", "", "The invoice prefix %s is already in use by another customer. Invoice prefixes must be unique per account.", v)
		}
		cus.InvoicePrefix = v
	}
	return nil
}

// invoicePrefixTaken reports whether a customer other than exceptID uses
// prefix. The caller holds a.mu.
func (a *account) invoicePrefixTaken(prefix, exceptID string) bool {
	for _, r := range a.customers.rows {
		if r.id != exceptID && strings.EqualFold(r.obj.InvoicePrefix, prefix) {
			return true
		}
	}
	return false
}

// createdFilter is the created parameter of list endpoints: an exact
// timestamp or a gt/gte/lt/lte range.
type createdFilter struct {
	gt, gte, lt, lte *int64
}

func (f createdFilter) match(created int64) bool {
	return (f.gt == nil || created > *f.gt) &&
		(f.gte == nil || created >= *f.gte) &&
		(f.lt == nil || created < *f.lt) &&
		(f.lte == nil || created <= *f.lte)
}

func parseCreatedFilter(p params) (createdFilter, *apiError) {
	var f createdFilter
	n, ok := p.root.fields["created"]
	if !ok {
		return f, nil
	}
	if n.isString() {
		v, _, err := p.integer("created")
		if err != nil {
			return f, err
		}
		f.gte, f.lte = &v, &v
		return f, nil
	}
	if n.items != nil {
		return f, invalidParam("created", "", "Invalid timestamp or range: %s", n.describe())
	}
	var unknown []string
	for k := range n.fields {
		var dst **int64
		switch k {
		case "gt":
			dst = &f.gt
		case "gte":
			dst = &f.gte
		case "lt":
			dst = &f.lt
		case "lte":
			dst = &f.lte
		default:
			unknown = append(unknown, "created["+k+"]")
			continue
		}
		v, _, err := (params{root: n}).integer(k)
		if err != nil {
			err.Param = "created[" + k + "]"
			return f, err
		}
		*dst = &v
	}
	return f, unknownParams(unknown)
}
