package tenant

import (
	"encoding/base64"
	"regexp"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/octollm/terraform-provider-octollm/internal/contract"
	"github.com/octollm/terraform-provider-octollm/internal/validate"
)

func acme() Spec {
	key := "ollm_testkey"
	return Spec{
		Name: "acme", DisplayName: "Acme Corp", Tier: "standard", Quota: TierQuota("standard"),
		AllowedModels: []string{"gpt-4o-mini", "claude-haiku-4-5"}, Admins: []string{"bob@acme.example", "alice@acme.example"},
		NetworkIsolation: true, DataRetentionDays: 30, APIKeyVersion: 1, APIKeyID: KeyID(key), APIKeyHash: KeyHash(key),
		PlatformNamespace: "octollm",
	}
}

func TestNewAPIKey(t *testing.T) {
	seen := map[string]bool{}
	re := regexp.MustCompile(`^ollm_[0-9A-Za-z]{40,43}$`)
	for range 50 {
		k, err := NewAPIKey()
		if err != nil {
			t.Fatal(err)
		}
		if !re.MatchString(k) {
			t.Fatalf("key %q is not ollm_ + 32 bytes in base62", k)
		}
		if seen[k] {
			t.Fatalf("key %q generated twice", k)
		}
		seen[k] = true
	}
}

func TestNamespaceObject(t *testing.T) {
	ns := acme().NamespaceObject()
	l := ns.GetLabels()
	for k, v := range map[string]string{
		"octollm.io/tenant": "acme", "octollm.io/tier": "standard", "pod-security.kubernetes.io/enforce": "restricted",
		"pod-security.kubernetes.io/audit": "restricted", "pod-security.kubernetes.io/warn": "restricted",
		"app.kubernetes.io/managed-by": "terraform-provider-octollm",
	} {
		if l[k] != v {
			t.Errorf("label %s = %q, want %q", k, l[k], v)
		}
	}
	if ns.GetName() != "tenant-acme" || ns.GetAnnotations()[contract.DataRetentionAnnotation] != "30" || ns.GetAnnotations()[DisplayNameAnno] != "Acme Corp" {
		t.Errorf("namespace = %v", ns.Object)
	}
}

// The key Secret holds the hash, never the key, and what the gateway meters by.
func TestKeySecret(t *testing.T) {
	s := acme()
	sec, err := s.KeySecret()
	if err != nil {
		t.Fatal(err)
	}
	if sec.GetNamespace() != "octollm" || sec.GetName() != "octollm-tenant-acme-key" || sec.GetLabels()[contract.KindLabel] != contract.KindAPIKey {
		t.Fatalf("secret = %v", sec.Object)
	}
	data, _, _ := unstructured.NestedStringMap(sec.Object, "data")
	all := ""
	for k, v := range data {
		raw, err := base64.StdEncoding.DecodeString(v)
		if err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		all += string(raw)
	}
	if strings.Contains(all, "ollm_testkey") {
		t.Fatal("the key Secret contains the API key itself")
	}
	if !strings.Contains(all, KeyHash("ollm_testkey")) || !strings.Contains(all, `["claude-haiku-4-5","gpt-4o-mini"]`) || !strings.Contains(all, `"requests_per_minute":600`) {
		t.Fatalf("secret data lacks the hash, the sorted models or the quota: %s", all)
	}
	rec, err := ParseRecord(sec)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Name != "acme" || rec.APIKeyHash != KeyHash("ollm_testkey") || rec.Quota != s.Quota || strings.Join(rec.Admins, ",") != "alice@acme.example,bob@acme.example" {
		t.Fatalf("record = %+v", rec)
	}
}

func TestDrift(t *testing.T) {
	s := acme()
	s.Quota.CPU = "1000m"
	want := s.ResourceQuota()
	live := acme().ResourceQuota() // cpu "8"
	if d := Drift(want, live); len(d) != 1 || d[0] != "ResourceQuota tenant-quota: spec differs" {
		t.Fatalf("Drift = %q", d)
	}
	same := acme()
	same.Quota.CPU = "8000m"
	if d := Drift(same.ResourceQuota(), live); len(d) != 0 {
		t.Fatalf("8000m against 8: Drift = %q, want none", d)
	}
	if d := Drift(want, nil); len(d) != 1 || d[0] != "ResourceQuota tenant-quota is missing" {
		t.Fatalf("missing: %q", d)
	}
	relabelled := acme().NamespaceObject()
	relabelled.SetLabels(map[string]string{"octollm.io/tenant": "acme"})
	if d := Drift(acme().NamespaceObject(), relabelled); len(d) == 0 || !strings.Contains(strings.Join(d, ";"), "pod-security.kubernetes.io/enforce") {
		t.Fatalf("removed Pod Security labels not reported: %q", d)
	}
}

func TestNamespacedObjects_optionalOnes(t *testing.T) {
	s := acme()
	kinds := func(s Spec) string {
		var out []string
		for _, o := range s.NamespacedObjects() {
			out = append(out, o.GetKind()+"/"+o.GetName())
		}
		return strings.Join(out, ",")
	}
	if got := kinds(s); !strings.Contains(got, "RoleBinding/tenant-admins") || !strings.Contains(got, "NetworkPolicy/default-deny") {
		t.Fatalf("objects = %s", got)
	}
	s.Admins, s.NetworkIsolation = nil, false
	if got := kinds(s); strings.Contains(got, "tenant-admins") || strings.Contains(got, "NetworkPolicy") {
		t.Fatalf("objects without admins and isolation = %s", got)
	}
	if len(unwanted(s)) != 1+len(NetworkPolicyNames) {
		t.Fatalf("unwanted = %v", unwanted(s))
	}
}

func TestProblems(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{NameProblem("Acme"), `"Acme" is not a valid tenant name`},
		{NameProblem(strings.Repeat("a", 41)), "it is 41 characters long"},
		{QuantityProblem("eight"), `"eight" is not a Kubernetes quantity`},
		{QuantityProblem("-1"), `"-1" is negative`},
		{validate.Email("alice"), `"alice" is not an email address`},
	} {
		if !strings.Contains(tc.got, tc.want) {
			t.Errorf("%q does not say %q", tc.got, tc.want)
		}
	}
	for _, ok := range []string{NameProblem("acme"), NameProblem(strings.Repeat("a", 40)), QuantityProblem("16Gi"), validate.Email("a@b.example")} {
		if ok != "" {
			t.Errorf("valid input refused: %s", ok)
		}
	}
}
