package contract_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/octollm/terraform-provider-octollm/internal/contract"
)

const (
	record = `{"name":"acme","display_name":"Acme","tier":"standard","quota":{"cpu":"8","memory":"16Gi","pods":50,"llm_tokens_per_month":10000000,"requests_per_minute":600},"allowed_models":["gpt-4o"],"admins":[],"network_isolation":true,"data_retention_days":30,"api_key_version":1,"api_key_id":"ollmk_0123456789abcdef","billing":{"plan_id":"prod_1","email":"a@acme.example","delete_customer":false,"customer_id":"cus_1"}}`
	hash   = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
)

func TestParseKeySecret(t *testing.T) {
	k, err := contract.ParseKeySecret(map[string][]byte{
		contract.KeySecretRecord: []byte(record), contract.KeySecretSHA256: []byte(strings.ToUpper(hash)),
		contract.KeySecretKeyID: []byte("ollmk_0123456789abcdef"),
	})
	if err != nil {
		t.Fatal(err)
	}
	want := contract.TenantKey{KeySHA256: hash, Record: contract.TenantRecord{
		Name: "acme", DisplayName: "Acme", Tier: "standard",
		Quota:         contract.Quota{CPU: "8", Memory: "16Gi", Pods: 50, LLMTokensPerMonth: 10_000_000, RequestsPerMinute: 600},
		AllowedModels: []string{"gpt-4o"}, Admins: []string{}, NetworkIsolation: true, DataRetentionDays: 30,
		APIKeyVersion: 1, APIKeyID: "ollmk_0123456789abcdef",
		Billing: &contract.Billing{PlanID: "prod_1", Email: "a@acme.example", CustomerID: "cus_1"},
	}}
	if !reflect.DeepEqual(k, want) {
		t.Errorf("ParseKeySecret = %+v, want %+v", k, want)
	}
}

func TestParseKeySecretRefusals(t *testing.T) {
	for _, tc := range []struct {
		name string
		data map[string][]byte
		want string
	}{
		{"no record", map[string][]byte{contract.KeySecretSHA256: []byte(hash)}, "tenant key Secret: tenant.json is missing"},
		{"record not json", map[string][]byte{contract.KeySecretRecord: []byte("{"), contract.KeySecretSHA256: []byte(hash)},
			"tenant key Secret: tenant.json is not a tenant record"},
		{"record of the wrong shape", map[string][]byte{contract.KeySecretRecord: []byte(`{"name": 3}`), contract.KeySecretSHA256: []byte(hash)},
			"tenant key Secret: tenant.json is not a tenant record"},
		{"record without name", map[string][]byte{contract.KeySecretRecord: []byte(`{}`), contract.KeySecretSHA256: []byte(hash)},
			"tenant key Secret: tenant.json has no name"},
		{"no hash", map[string][]byte{contract.KeySecretRecord: []byte(record)}, "tenant key Secret of tenant acme: key_sha256 is missing"},
		{"short hash", map[string][]byte{contract.KeySecretRecord: []byte(record), contract.KeySecretSHA256: []byte(hash[:63])},
			"tenant key Secret of tenant acme: key_sha256 is not a SHA-256 in hex (64 hex characters); it has 63 characters"},
		{"not hex", map[string][]byte{contract.KeySecretRecord: []byte(record), contract.KeySecretSHA256: []byte("z" + hash[1:])},
			"key_sha256 is not a SHA-256 in hex"},
		{"the key itself", map[string][]byte{contract.KeySecretRecord: []byte(record), contract.KeySecretSHA256: []byte(contract.APIKeyPrefix + "abc")},
			"key_sha256 is not a SHA-256 in hex"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := contract.ParseKeySecret(tc.data)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("ParseKeySecret = %v, want an error containing %q", err, tc.want)
			}
		})
	}
}
