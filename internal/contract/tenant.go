package contract

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
)

// Quota is a tenant's resource and usage allowance.
type Quota struct {
	CPU               string `json:"cpu"`
	Memory            string `json:"memory"`
	Pods              int64  `json:"pods"`
	LLMTokensPerMonth int64  `json:"llm_tokens_per_month"`
	RequestsPerMinute int64  `json:"requests_per_minute"`
}

// Billing is the tenant's Stripe side as recorded.
type Billing struct {
	PlanID         string `json:"plan_id"`
	Email          string `json:"email"`
	DeleteCustomer bool   `json:"delete_customer"`
	CustomerID     string `json:"customer_id,omitempty"`
	SubscriptionID string `json:"subscription_id,omitempty"`
}

// TenantRecord is tenant.json, the KeySecretRecord of a tenant key Secret: the tenant as
// configured, what the gateway needs to authenticate, limit and meter its requests.
type TenantRecord struct {
	Name              string   `json:"name"`
	DisplayName       string   `json:"display_name"`
	Tier              string   `json:"tier"`
	Quota             Quota    `json:"quota"`
	QuotaFields       []string `json:"quota_fields,omitempty"` // the quota fields configured, not from the tier
	AllowedModels     []string `json:"allowed_models"`
	Admins            []string `json:"admins"`
	NetworkIsolation  bool     `json:"network_isolation"`
	DataRetentionDays int64    `json:"data_retention_days"`
	APIKeyVersion     int64    `json:"api_key_version"`
	APIKeyID          string   `json:"api_key_id"`
	Billing           *Billing `json:"billing,omitempty"`
}

// TenantKey is what a tenant key Secret tells the gateway: the record and the hex SHA-256 of
// the tenant's API key.
type TenantKey struct {
	Record    TenantRecord
	KeySHA256 string // lowercase hex, 64 characters
}

// ParseKeySecret reads a tenant key Secret's data (as in corev1.Secret.Data: already
// base64-decoded). It refuses a missing or invalid record and a key hash that is not 64 hex
// characters, naming the data key at fault.
func ParseKeySecret(data map[string][]byte) (TenantKey, error) {
	var k TenantKey
	raw, ok := data[KeySecretRecord]
	if !ok || len(raw) == 0 {
		return TenantKey{}, fmt.Errorf("tenant key Secret: %s is missing", KeySecretRecord)
	}
	if err := json.Unmarshal(raw, &k.Record); err != nil {
		return TenantKey{}, fmt.Errorf("tenant key Secret: %s is not a tenant record: %w", KeySecretRecord, err)
	}
	if k.Record.Name == "" {
		return TenantKey{}, fmt.Errorf("tenant key Secret: %s has no name", KeySecretRecord)
	}
	hash, ok := data[KeySecretSHA256]
	if !ok || len(hash) == 0 {
		return TenantKey{}, fmt.Errorf("tenant key Secret of tenant %s: %s is missing", k.Record.Name, KeySecretSHA256)
	}
	h := strings.ToLower(string(hash))
	if _, err := hex.DecodeString(h); len(h) != 64 || err != nil {
		return TenantKey{}, fmt.Errorf("tenant key Secret of tenant %s: %s is not a SHA-256 in hex (64 hex characters); it has %d characters", k.Record.Name, KeySecretSHA256, len(hash))
	}
	k.KeySHA256 = h
	return k, nil
}
