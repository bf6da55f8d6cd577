package tenant

import (
	"encoding/base64"
	"reflect"
	"testing"

	"github.com/octollm/terraform-provider-octollm/internal/contract"
)

// Spec carries every field of the contract's tenant record, so TenantRecord and
// specFromRecord lose nothing, and tenant.json reads back to the spec it was written from.
func TestSpecCarriesTheRecord(t *testing.T) {
	spec, rec := reflect.TypeFor[Spec](), reflect.TypeFor[contract.TenantRecord]()
	for i := range rec.NumField() {
		f := rec.Field(i)
		if g, ok := spec.FieldByName(f.Name); !ok || g.Type != f.Type {
			t.Errorf("contract.TenantRecord.%s (%s) is not a field of Spec with that type", f.Name, f.Type)
		}
	}
	s := acme()
	s.QuotaFields = []string{"cpu"}
	s.Billing = &Billing{PlanID: "prod_1", Email: "a@acme.example", CustomerID: "cus_1"}
	sec, err := s.KeySecret()
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseRecord(sec)
	if err != nil {
		t.Fatal(err)
	}
	want := s
	want.PlatformNamespace = ""
	want.AllowedModels, want.Admins = sortedCopy(s.AllowedModels), sortedCopy(s.Admins)
	if !reflect.DeepEqual(back, want) {
		t.Errorf("ParseRecord(KeySecret()) = %+v, want %+v", back, want)
	}
}

// The gateway reads the key Secret the tenant family writes.
func TestGatewayReadsKeySecret(t *testing.T) {
	s := acme()
	sec, err := s.KeySecret()
	if err != nil {
		t.Fatal(err)
	}
	data := map[string][]byte{}
	b64, _ := sec.Object["data"].(map[string]any)
	for k, v := range b64 {
		raw, err := decodeB64(v.(string))
		if err != nil {
			t.Fatal(err)
		}
		data[k] = raw
	}
	k, err := contract.ParseKeySecret(data)
	if err != nil {
		t.Fatal(err)
	}
	if k.KeySHA256 != s.APIKeyHash || k.Record.Name != "acme" || k.Record.Quota != s.Quota {
		t.Errorf("ParseKeySecret = %+v", k)
	}
}

func decodeB64(s string) ([]byte, error) { return base64.StdEncoding.DecodeString(s) }
