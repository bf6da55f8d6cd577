package stripeemu

import (
	"maps"
	"slices"
)

// product is Stripe's product object, fields in Stripe's order. Fields the
// emulator does not model hold the value Stripe gives a product that never
// set them.
type product struct {
	ID                  string            `json:"id"`
	Object              string            `json:"object"`
	Active              bool              `json:"active"`
	Created             int64             `json:"created"`
	DefaultPrice        *string           `json:"default_price"`
	Description         *string           `json:"description"`
	Features            []struct{}        `json:"features"`
	Images              []string          `json:"images"`
	Livemode            bool              `json:"livemode"`
	Metadata            map[string]string `json:"metadata"`
	Name                string            `json:"name"`
	PackageDimensions   *struct{}         `json:"package_dimensions"`
	Shippable           *bool             `json:"shippable"`
	StatementDescriptor *string           `json:"statement_descriptor"`
	TaxCode             *string           `json:"tax_code"`
	Type                string            `json:"type"`
	UnitLabel           *string           `json:"unit_label"`
	Updated             int64             `json:"updated"`
	URL                 *string           `json:"url"`
}

// Parameters of the product endpoints.
var (
	productCreateParams = []string{"active", "description", "expand", "id", "metadata", "name"}
	productUpdateParams = []string{"active", "description", "expand", "metadata", "name"}
	// Accepted by Stripe, not modelled by the emulator yet.
	productCreateUnsupported = []string{
		"default_price_data", "features", "images", "package_dimensions", "shippable",
		"statement_descriptor", "tax_code", "type", "unit_label", "url",
	}
	productUpdateUnsupported = []string{
		"default_price", "features", "images", "package_dimensions", "shippable",
		"statement_descriptor", "tax_code", "unit_label", "url",
	}
	// Expandable fields of a product; always null here.
	productExpandable = []string{"default_price", "tax_code"}
)

// Stripe's length limits on product fields.
const (
	maxProductIDLen   = 255
	maxProductNameLen = 250
)

// createProduct implements POST /v1/products.
func (s *Server) createProduct(c *call) (any, *apiError) {
	if _, err := c.params.accept(productCreateParams, productCreateUnsupported, productExpandable); err != nil {
		return nil, err
	}
	name, err := c.params.required("name")
	if err != nil {
		return nil, err
	}
	prod := &product{
		ID:       newID("prod_"),
		Object:   "product",
		Active:   true,
		Created:  c.now.Unix(),
		Features: []struct{}{},
		Images:   []string{},
		Metadata: map[string]string{},
		Name:     name,
		Type:     "service",
		Updated:  c.now.Unix(),
	}
	if id, ok, err := c.params.nonEmpty("id"); err != nil {
		return nil, err
	} else if ok {
		if len(id) > maxProductIDLen {
			return nil, invalidParam("id", "", "Invalid id: must be at most %d characters", maxProductIDLen)
		}
		prod.ID = id
	}
	if err := applyProductParams(c.params, prod); err != nil {
		return nil, err
	}
	if _, taken := c.acct.products.byID[prod.ID]; taken {
		return nil, stateError("id", codeResourceAlreadyExists, "Product already exists.")
	}
	c.acct.products.insert(prod.ID, prod)
	return prod, nil
}

// retrieveProduct implements GET /v1/products/{id}.
func (s *Server) retrieveProduct(c *call) (any, *apiError) {
	if _, err := c.params.accept([]string{"expand"}, nil, productExpandable); err != nil {
		return nil, err
	}
	return c.acct.products.retrieve(c.req.PathValue("id"))
}

// updateProduct implements POST /v1/products/{id}.
func (s *Server) updateProduct(c *call) (any, *apiError) {
	if _, err := c.params.accept(productUpdateParams, productUpdateUnsupported, productExpandable); err != nil {
		return nil, err
	}
	cur, err := c.acct.products.live(c.req.PathValue("id"))
	if err != nil {
		return nil, err
	}
	next := *cur // a failed update changes nothing
	next.Metadata = maps.Clone(cur.Metadata)
	if name, ok, err := c.params.nonEmpty("name"); err != nil {
		return nil, err
	} else if ok {
		next.Name = name
	}
	if err := applyProductParams(c.params, &next); err != nil {
		return nil, err
	}
	next.Updated = c.now.Unix()
	*cur = next
	return cur, nil
}

// applyProductParams applies the parameters shared by create and update.
func applyProductParams(p params, prod *product) *apiError {
	if len(prod.Name) > maxProductNameLen {
		return invalidParam("name", "", "Invalid name: must be at most %d characters", maxProductNameLen)
	}
	if v, ok, err := p.boolean("active"); err != nil {
		return err
	} else if ok {
		prod.Active = v
	}
	if err := p.optString("description", &prod.Description); err != nil {
		return err
	}
	return p.applyMetadata(prod.Metadata)
}

// deleteProduct implements DELETE /v1/products/{id}. Like Stripe, it refuses
// while any price, archived or not, belongs to the product.
func (s *Server) deleteProduct(c *call) (any, *apiError) {
	if err := c.params.checkKnown(nil, nil); err != nil {
		return nil, err
	}
	id := c.req.PathValue("id")
	if _, err := c.acct.products.live(id); err != nil {
		return nil, err
	}
	for _, r := range c.acct.prices.rows {
		if r.obj.Product == id {
			return nil, stateError("", "", "This product cannot be deleted because it has one or more user-created prices.")
		}
	}
	return c.acct.products.remove(id)
}

// listProducts implements GET /v1/products.
func (s *Server) listProducts(c *call) (any, *apiError) {
	known := append([]string{"active", "created", "expand", "ids"}, paginationParams...)
	if _, err := c.params.accept(known, []string{"shippable", "type", "url"}, dataFields(productExpandable)); err != nil {
		return nil, err
	}
	q, err := parseListQuery(c.params)
	if err != nil {
		return nil, err
	}
	active, byActive, err := c.params.boolean("active")
	if err != nil {
		return nil, err
	}
	ids, byIDs, err := c.params.strings("ids")
	if err != nil {
		return nil, err
	}
	created, err := parseCreatedFilter(c.params)
	if err != nil {
		return nil, err
	}
	page, more, err := c.acct.products.list(q, func(prod *product) bool {
		return (!byActive || prod.Active == active) &&
			(!byIDs || slices.Contains(ids, prod.ID)) &&
			created.match(prod.Created)
	})
	if err != nil {
		return nil, err
	}
	return newList("/v1/products", page, more), nil
}
