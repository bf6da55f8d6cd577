package compliance_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/octollm/terraform-provider-octollm/internal/compliance"
)

func TestAppendRecordsKeepsTheNewest(t *testing.T) {
	h := ""
	for i := range compliance.MaxRecords + 5 {
		h = compliance.AppendRecords(h, fmt.Sprintf(`{"seq":%d}`, i), compliance.MaxRecords)
	}
	lines := strings.Split(strings.TrimSpace(h), "\n")
	if len(lines) != compliance.MaxRecords || lines[0] != `{"seq":5}` || lines[len(lines)-1] != fmt.Sprintf(`{"seq":%d}`, compliance.MaxRecords+4) {
		t.Fatalf("got %d lines, first %s, last %s", len(lines), lines[0], lines[len(lines)-1])
	}
	if got := compliance.AppendRecords("", `{"a":1}`, 3); got != "{\"a\":1}\n" {
		t.Fatalf("first record: %q", got)
	}
	// Records of a wide scope: the history stays within a ConfigMap's size.
	big := `{"checked":"` + strings.Repeat("x", 100<<10) + `"}`
	h = ""
	for range 20 {
		h = compliance.AppendRecords(h, big, compliance.MaxRecords)
	}
	if len(h) > compliance.MaxHistoryBytes || strings.Count(h, "\n") != compliance.MaxHistoryBytes/(len(big)+1) {
		t.Fatalf("history of %d bytes, %d records", len(h), strings.Count(h, "\n"))
	}
}

// Every control's object names are valid and distinct: evidence ConfigMaps, NetworkPolicies
// (DNS-1123 labels of at most 63) and field managers (at most 128 characters).
func TestObjectNamesAreValidAndDistinct(t *testing.T) {
	label := regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)
	seen := map[string]string{}
	for _, c := range compliance.Catalog {
		key := c.Framework + "/" + c.ID
		for _, name := range []string{compliance.EvidenceName(c), compliance.PolicyName(c)} {
			if len(name) > 63 || !label.MatchString(name) {
				t.Errorf("%s: %q is not a DNS-1123 label", key, name)
			}
			if other, dup := seen[name]; dup {
				t.Errorf("%s and %s share the name %q", key, other, name)
			}
			seen[name] = key
		}
		if len(compliance.FieldManager(c)) > 128 {
			t.Errorf("%s: field manager %q is too long", key, compliance.FieldManager(c))
		}
	}
	if got := compliance.ObjectName("hipaa", "164.312(a)(2)(iv)"); got != "hipaa-164-312-a-2-iv" {
		t.Errorf("ObjectName = %q", got)
	}
}

func TestUnknownControlListsTheValidIDs(t *testing.T) {
	got := compliance.UnknownControl("gdpr", "Art.99")
	if got != `"Art.99" is not a gdpr control in the built-in catalog. Use one of: "Art.5(1)(e)", "Art.17", "Art.25", "Art.32".` {
		t.Fatal(got)
	}
}
