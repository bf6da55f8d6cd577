package compliance

import (
	"fmt"
	"strings"
)

//go:generate go test -run TestCatalogDocTemplate -count=1 . -args -update

// DocTemplatePath is the tfplugindocs template of octollm_compliance_control, relative to the
// repository root; its catalog tables are written from Catalog and Mechanisms.
const DocTemplatePath = "templates/resources/compliance_control.md.tmpl"

// CatalogMarkdown renders the catalog as the documentation shows it: one table of controls
// (framework, control, title, mechanisms, parameters) and one of mechanisms.
func CatalogMarkdown() string {
	var b strings.Builder
	b.WriteString("| Framework | Control | Title | Mechanisms | Parameters |\n|---|---|---|---|---|\n")
	for _, c := range Catalog {
		mechs := make([]string, len(c.Mechanisms))
		for i, m := range c.Mechanisms {
			mechs[i] = "`" + m + "`"
		}
		params := "-"
		if ps := c.Parameters(); len(ps) > 0 {
			names := make([]string, len(ps))
			for i, p := range ps {
				names[i] = fmt.Sprintf("`%s` (default `%s`)", p.Name, p.Default)
			}
			params = strings.Join(names, ", ")
		}
		fmt.Fprintf(&b, "| `%s` | `%s` | %s | %s | %s |\n", c.Framework, c.ID, c.Title, strings.Join(mechs, ", "), params)
	}
	b.WriteString("\n| Mechanism | Where | Check | Enforce mode applies |\n|---|---|---|---|\n")
	for _, name := range mechanismOrder() {
		m := Mechanisms[name]
		where := "Kubernetes"
		if m.GKE {
			where = "GKE"
		}
		enforce := "nothing (check only)"
		if m.Enforceable {
			enforce = m.Enforce
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", name, where, m.Check, enforce)
	}
	return b.String()
}

// mechanismOrder lists the mechanisms in the order the issue and the docs present them.
func mechanismOrder() []string {
	return []string{PodSecurityRestricted, DefaultDenyNetwork, RBACLeastPrivilege, SecretsEncryption, AuditLogging,
		WorkloadIdentity, ShieldedNodes, BinaryAuthorization, ImageDigestPinning, DataRetention, TenantErasure}
}

// DocTemplate is the whole tfplugindocs template: the default layout with the catalog after
// the description.
func DocTemplate() string {
	return `---
page_title: "{{.Name}} {{.Type}} - {{.ProviderName}}"
subcategory: ""
description: |-
{{ .Description | plainmarkdown | trimspace | prefixlines "  " }}
---

# {{.Name}} ({{.Type}})

{{ .Description | trimspace }}

## Catalog

<!-- Written from internal/compliance/catalog.go by ` + "`go generate ./internal/compliance`" + `; do not edit by hand. -->

` + CatalogMarkdown() + `
{{ if .HasExample -}}
## Example Usage

{{tffile .ExampleFile }}
{{- end }}

{{ .SchemaMarkdown | trimspace }}
{{- if .HasImport }}

## Import

Import is supported using the following syntax:

{{codefile "shell" .ImportFile }}
{{- end }}
`
}
