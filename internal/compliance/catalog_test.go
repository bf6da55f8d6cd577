package compliance_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/octollm/terraform-provider-octollm/internal/compliance"
)

var update = flag.Bool("update", false, "rewrite the docs template from the catalog")

func TestCatalogCoversTheIssue(t *testing.T) {
	if len(compliance.Catalog) < 15 {
		t.Fatalf("catalog has %d controls, want at least 15", len(compliance.Catalog))
	}
	want := map[string][]string{
		"soc2/CC6.1":              {compliance.RBACLeastPrivilege, compliance.PodSecurityRestricted, compliance.DefaultDenyNetwork},
		"soc2/CC6.6":              {compliance.DefaultDenyNetwork},
		"soc2/CC6.7":              {compliance.SecretsEncryption},
		"soc2/CC7.2":              {compliance.AuditLogging},
		"iso27001/A.5.15":         {compliance.RBACLeastPrivilege},
		"iso27001/A.8.15":         {compliance.AuditLogging},
		"iso27001/A.8.24":         {compliance.SecretsEncryption},
		"hipaa/164.312(a)(1)":     {compliance.RBACLeastPrivilege, compliance.DefaultDenyNetwork},
		"hipaa/164.312(b)":        {compliance.AuditLogging},
		"hipaa/164.312(a)(2)(iv)": {compliance.SecretsEncryption},
		"hipaa/164.312(e)(1)":     {compliance.DefaultDenyNetwork},
		"gdpr/Art.32":             {compliance.SecretsEncryption, compliance.DefaultDenyNetwork},
		"gdpr/Art.5(1)(e)":        {compliance.DataRetention},
		"gdpr/Art.17":             {compliance.TenantErasure},
		"ccpa/1798.105":           {compliance.TenantErasure},
		"ccpa/1798.150":           {compliance.SecretsEncryption, compliance.RBACLeastPrivilege},
	}
	for key, mechs := range want {
		fw, id, _ := strings.Cut(key, "/")
		c, ok := compliance.Lookup(fw, id)
		if !ok {
			t.Errorf("%s missing from the catalog", key)
			continue
		}
		for _, m := range mechs {
			if !contains(c.Mechanisms, m) {
				t.Errorf("%s lacks mechanism %s", key, m)
			}
		}
	}
	used := map[string]bool{}
	for _, c := range compliance.Catalog {
		if !contains(compliance.Frameworks, c.Framework) {
			t.Errorf("%s %s: unknown framework", c.Framework, c.ID)
		}
		for _, m := range c.Mechanisms {
			if _, ok := compliance.Mechanisms[m]; !ok {
				t.Errorf("%s %s: unknown mechanism %s", c.Framework, c.ID, m)
			}
			used[m] = true
		}
	}
	for name := range compliance.Mechanisms {
		if !used[name] {
			t.Errorf("mechanism %s is in no control", name)
		}
	}
}

func TestResolveParameters(t *testing.T) {
	c, _ := compliance.Lookup("gdpr", "Art.5(1)(e)")
	got, problems := compliance.ResolveParameters(c, nil)
	if len(problems) != 0 || got["retention_days"] != "30" {
		t.Fatalf("defaults: got %v %v", got, problems)
	}
	got, problems = compliance.ResolveParameters(c, map[string]string{"retention_days": "7"})
	if len(problems) != 0 || got["retention_days"] != "7" {
		t.Fatalf("explicit: got %v %v", got, problems)
	}
	_, problems = compliance.ResolveParameters(c, map[string]string{"retention_days": "a month", "color": "blue"})
	if len(problems) != 2 || !strings.Contains(problems[0], `"color" is not a parameter of gdpr Art.5(1)(e); it accepts: "retention_days"`) ||
		!strings.Contains(problems[1], `retention_days = "a month": must be a whole number of days`) {
		t.Fatalf("problems: %q", problems)
	}
	c, _ = compliance.Lookup("soc2", "CC6.7")
	if _, problems = compliance.ResolveParameters(c, map[string]string{"retention_days": "7"}); len(problems) != 1 || !strings.Contains(problems[0], "it accepts: none") {
		t.Fatalf("no parameters: %q", problems)
	}
}

// TestCatalogDocTemplate keeps the docs' catalog tables generated from the code: run
// `go generate ./internal/compliance` (then scripts/generate-docs.sh) after changing the catalog.
func TestCatalogDocTemplate(t *testing.T) {
	root := repoRoot(t)
	path := filepath.Join(root, compliance.DocTemplatePath)
	want := compliance.DocTemplate()
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path) //nolint:gosec // a path inside the repository
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Fatalf("%s is out of date with the catalog: run `go generate ./internal/compliance`", compliance.DocTemplatePath)
	}
	doc, err := os.ReadFile(filepath.Join(root, "docs/resources/compliance_control.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(doc), compliance.CatalogMarkdown()) {
		t.Fatal("docs/resources/compliance_control.md does not hold the current catalog: run scripts/generate-docs.sh")
	}
}

func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Dir(filepath.Dir(dir))
}
