package compliance

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Report is every catalog control of one framework evaluated over a scope.
type Report struct {
	Framework   string       `json:"framework"`
	Title       string       `json:"title"`
	Scope       Scope        `json:"scope"`
	EvaluatedAt string       `json:"evaluated_at"`
	Status      string       `json:"status"`
	Summary     Summary      `json:"summary"`
	Controls    []Evaluation `json:"controls"`
}

// Summary counts the report's controls by status.
type Summary struct {
	Controls     int `json:"controls"`
	Compliant    int `json:"compliant"`
	NonCompliant int `json:"non_compliant"`
}

// Mechanisms lists every mechanism the controls of a framework use, in catalog order.
func MechanismsOf(controls []Control) []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range controls {
		for _, m := range c.Mechanisms {
			if !seen[m] {
				seen[m] = true
				out = append(out, m)
			}
		}
	}
	return out
}

// BuildReport evaluates every control of framework on one snapshot, with each control's
// default parameters.
func BuildReport(framework string, scope Scope, s *Snapshot, at time.Time) Report {
	r := Report{Framework: framework, Title: FrameworkTitles[framework], Scope: scope, EvaluatedAt: at.UTC().Format(time.RFC3339), Status: Compliant}
	if r.Scope.Namespaces == nil {
		r.Scope.Namespaces = []string{}
	}
	for _, c := range ControlsOf(framework) {
		params, _ := ResolveParameters(c, nil)
		e := Evaluate(c, s, params, at)
		r.Controls = append(r.Controls, e)
		r.Summary.Controls++
		if e.Status == Compliant {
			r.Summary.Compliant++
		} else {
			r.Summary.NonCompliant++
			r.Status = NonCompliant
		}
	}
	return r
}

// JSON is the report as indented JSON with a stable field and control order.
func (r Report) JSON() (string, error) {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return "", err
	}
	return string(b) + "\n", nil
}

// Markdown is a summary for humans: one row per control and mechanism, then the findings.
func (r Report) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s compliance report\n\n", r.Title)
	fmt.Fprintf(&b, "Evaluated at %s. Scope: namespaces %s; all tenants: %t.\n\n", r.EvaluatedAt, codeList(r.Scope.Namespaces), r.Scope.AllTenants)
	fmt.Fprintf(&b, "**%s**: %d of %d controls compliant.\n\n", r.Status, r.Summary.Compliant, r.Summary.Controls)
	b.WriteString("| Control | Title | Status | Mechanism | Result |\n|---|---|---|---|---|\n")
	for _, c := range r.Controls {
		for i, m := range c.Mechanisms {
			id, title, status := "", "", ""
			if i == 0 {
				id, title, status = "`"+c.Control+"`", c.Title, c.Status
			}
			result := "pass"
			if !m.Passed {
				result = fmt.Sprintf("fail (%d)", len(m.Findings))
			}
			fmt.Fprintf(&b, "| %s | %s | %s | `%s` | %s |\n", id, title, status, m.Mechanism, result)
		}
	}
	var findings []string
	seen := map[string]bool{}
	for _, c := range r.Controls {
		for _, f := range c.Findings() {
			line := fmt.Sprintf("- `%s` %s: %s", f.Mechanism, f.Object, f.Message)
			if !seen[line] {
				seen[line] = true
				findings = append(findings, line)
			}
		}
	}
	if len(findings) > 0 {
		b.WriteString("\n## Findings\n\n" + strings.Join(findings, "\n") + "\n")
	}
	return b.String()
}

func codeList(items []string) string {
	if len(items) == 0 {
		return "none"
	}
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = "`" + s + "`"
	}
	return strings.Join(q, ", ")
}
