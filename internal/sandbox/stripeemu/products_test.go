package stripeemu_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/stripe/stripe-go/v76"

	"github.com/octollm/terraform-provider-octollm/internal/sandbox/stripeemu"
)

func productID(p *stripe.Product) string { return p.ID }

func TestProductLifecycle(t *testing.T) {
	srv := startEmulator(t, stripeemu.Config{})
	sc := newClient(srv.URL, testKey)

	params := &stripe.ProductParams{Name: stripe.String("Inference"), Description: stripe.String("tokens")}
	params.AddMetadata("tier", "pro")
	created := must(sc.Products.New(params)).get(t)
	if created.Name != "Inference" || created.Description != "tokens" || !created.Active || created.Metadata["tier"] != "pro" ||
		created.Type != stripe.ProductTypeService || created.Created == 0 || created.Updated == 0 || created.DefaultPrice != nil {
		t.Errorf("created = %+v", created)
	}
	if got := must(sc.Products.Get(created.ID, nil)).get(t); got.Name != "Inference" || got.Metadata["tier"] != "pro" {
		t.Errorf("get = %+v", got)
	}

	// Update: rename, archive, unset description, drop a metadata key.
	up := &stripe.ProductParams{Name: stripe.String("Inference v2"), Active: stripe.Bool(false), Description: stripe.String("")}
	up.AddMetadata("tier", "")
	updated := must(sc.Products.Update(created.ID, up)).get(t)
	if updated.Name != "Inference v2" || updated.Active || updated.Description != "" || len(updated.Metadata) != 0 {
		t.Errorf("updated = %+v", updated)
	}
	// The name cannot be unset; id and type cannot change.
	_, err := sc.Products.Update(created.ID, &stripe.ProductParams{Name: stripe.String("")})
	wantErr(t, err, 400, "name", "cannot be unset")
	_, err = sc.Products.Update(created.ID, &stripe.ProductParams{ID: stripe.String("prod_other")})
	wantErr(t, err, 400, "id", "Received unknown parameter: id")

	// A custom ID, once only; name is required.
	custom := must(sc.Products.New(&stripe.ProductParams{ID: stripe.String("octollm-gpu-hours"), Name: stripe.String("GPU hours")})).get(t)
	if custom.ID != "octollm-gpu-hours" {
		t.Errorf("custom id = %q", custom.ID)
	}
	_, err = sc.Products.New(&stripe.ProductParams{ID: stripe.String("octollm-gpu-hours"), Name: stripe.String("again")})
	if se := wantErr(t, err, 400, "id", "Product already exists."); se.Code != "resource_already_exists" {
		t.Errorf("code = %q", se.Code)
	}
	_, err = sc.Products.New(&stripe.ProductParams{Description: stripe.String("nameless")})
	if se := wantErr(t, err, 400, "name", "Missing required param: name."); se.Code != "parameter_missing" {
		t.Errorf("code = %q", se.Code)
	}

	// List: active filter and pagination.
	all := collect[*stripe.Product](t, sc.Products.List(&stripe.ProductListParams{ListParams: stripe.ListParams{Limit: stripe.Int64(1)}}))
	if got := idsOf(all, productID); !slices.Equal(got, []string{custom.ID, created.ID}) {
		t.Errorf("list = %v", got)
	}
	active := collect[*stripe.Product](t, sc.Products.List(&stripe.ProductListParams{Active: stripe.Bool(true)}))
	if got := idsOf(active, productID); !slices.Equal(got, []string{custom.ID}) {
		t.Errorf("active = %v", got)
	}
	archived := collect[*stripe.Product](t, sc.Products.List(&stripe.ProductListParams{Active: stripe.Bool(false)}))
	if got := idsOf(archived, productID); !slices.Equal(got, []string{created.ID}) {
		t.Errorf("archived = %v", got)
	}

	// Delete: refused while the product has a price, even an archived one.
	pr := must(sc.Prices.New(monthly(custom.ID, 500))).get(t)
	must(sc.Prices.Update(pr.ID, &stripe.PriceParams{Active: stripe.Bool(false)})).get(t)
	_, err = sc.Products.Del(custom.ID, nil)
	wantErr(t, err, 400, "", "This product cannot be deleted because it has one or more user-created prices.")
	del := must(sc.Products.Del(created.ID, nil)).get(t)
	if !del.Deleted || del.ID != created.ID {
		t.Errorf("delete = %+v", del)
	}
	if tomb := must(sc.Products.Get(created.ID, nil)).get(t); !tomb.Deleted {
		t.Errorf("get deleted = %+v", tomb)
	}
	_, err = sc.Prices.New(monthly(created.ID, 100))
	wantErr(t, err, 400, "product", "No such product: '"+created.ID+"'")
	_, err = sc.Products.Update(created.ID, &stripe.ProductParams{Name: stripe.String("x")})
	wantErr(t, err, 404, "id", "No such product")
}

func TestProductWireShape(t *testing.T) {
	srv := startEmulator(t, stripeemu.Config{})
	body := decode(t, do(t, http.MethodPost, srv.URL+"/v1/products", "name=Widget", "Bearer "+testKey, nil), http.StatusOK)
	for field, want := range map[string]any{
		"object": "product", "name": "Widget", "active": true, "description": nil, "default_price": nil,
		"livemode": false, "type": "service", "url": nil, "unit_label": nil, "tax_code": nil, "shippable": nil,
	} {
		if got, ok := body[field]; !ok || got != want {
			t.Errorf("%s = %#v (present %v), want %#v", field, got, ok, want)
		}
	}
	if imgs, ok := body["images"].([]any); !ok || len(imgs) != 0 {
		t.Errorf("images = %#v", body["images"])
	}
}
