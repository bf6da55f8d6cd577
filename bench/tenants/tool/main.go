// Command tool supports bench/tenants/run.sh:
//
//	tool render N PLATFORM   prints the Kubernetes objects of N tenants (bench-00 ...), as the
//	                         provider builds them, as YAML for `kubectl apply --server-side`
//	tool hcl N PLATFORM      prints the same tenants as a Terraform configuration
//	                         (render, hcl and check take a fourth argument: the names' prefix)
//	tool check N PLATFORM    runs the SubjectAccessReview isolation matrix (KUBECONFIG) over
//	                         the tenants, or over the first 10 of them when N > 20
//	tool report RESULTS      prints the tables of REPORT.md from run.sh's results file (lines
//	                         "tenants run operation provider_s kubectl_s provider_peak_kib")
package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
	"sigs.k8s.io/yaml"

	"github.com/octollm/terraform-provider-octollm/internal/tenant"
	"github.com/octollm/terraform-provider-octollm/internal/tenant/tenanttest"
)

// prefix starts every tenant's name: "bench-" unless the command's fourth argument says
// another (run.sh gives kubectl its own tenants when both sides' objects exist at once).
var prefix = "bench-"

func names(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%02d", prefix, i)
	}
	return out
}

func spec(name, platform string) tenant.Spec {
	key := "ollm_bench_" + name // the baseline's key; only its hash is applied
	return tenant.Spec{
		Name: name, Tier: "standard", Quota: tenant.TierQuota("standard"), AllowedModels: []string{"gpt-4o-mini"},
		Admins: []string{"admin@" + name + ".example"}, NetworkIsolation: true, DataRetentionDays: 30, APIKeyVersion: 1,
		APIKeyID: tenant.KeyID(key), APIKeyHash: tenant.KeyHash(key), PlatformNamespace: platform,
	}
}

func main() {
	if len(os.Args) == 3 && os.Args[1] == "report" {
		if err := report(os.Args[2]); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	if len(os.Args) != 4 && len(os.Args) != 5 {
		fmt.Fprintln(os.Stderr, "usage: tool render|hcl|check N PLATFORM [NAME-PREFIX], or tool report RESULTS")
		os.Exit(2)
	}
	if len(os.Args) == 5 {
		prefix = os.Args[4]
	}
	n, err := strconv.Atoi(os.Args[2])
	if err != nil || n < 1 {
		fmt.Fprintln(os.Stderr, "N must be a positive number")
		os.Exit(2)
	}
	platform := os.Args[3]
	switch os.Args[1] {
	case "render":
		err = render(n, platform)
	case "hcl":
		hcl(n)
	case "check":
		err = check(n, platform)
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func render(n int, platform string) error {
	var docs []string
	for _, name := range names(n) {
		s := spec(name, platform)
		secret, err := s.KeySecret()
		if err != nil {
			return err
		}
		objs := append(append([]any{s.NamespaceObject().Object}, objects(s)...), secret.Object)
		for _, o := range objs {
			b, err := yaml.Marshal(o)
			if err != nil {
				return err
			}
			docs = append(docs, string(b))
		}
	}
	fmt.Print(strings.Join(docs, "---\n"))
	return nil
}

func objects(s tenant.Spec) []any {
	var out []any
	for _, o := range s.NamespacedObjects() {
		out = append(out, o.Object)
	}
	return out
}

func hcl(n int) {
	for _, name := range names(n) {
		fmt.Printf(`resource "octollm_tenant" %q {
  name                = %q
  allowed_models      = ["gpt-4o-mini"]
  admins              = ["admin@%s.example"]
  deletion_protection = false
}
`, name, name, name)
	}
}

func check(n int, platform string) error {
	cfg, err := clientcmd.BuildConfigFromFlags("", os.Getenv("KUBECONFIG"))
	if err != nil {
		return err
	}
	cfg.QPS, cfg.Burst = 200, 400 // the matrix asks for thousands of SubjectAccessReviews
	kube, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return err
	}
	checked := names(n)
	if n > 20 { // the matrix grows as n squared: check a sample of 10 against each other and the platform
		checked = checked[:10]
	}
	wrong, err := tenanttest.IsolationMatrix(context.Background(), kube, platform, checked)
	if err != nil {
		return err
	}
	fmt.Printf("%d of %d tenants checked, %d SubjectAccessReviews, %d violations\n", len(checked), n, tenanttest.IsolationChecks(len(checked)), len(wrong))
	for _, w := range wrong {
		fmt.Println("  " + w)
	}
	if len(wrong) > 0 {
		return fmt.Errorf("isolation violated")
	}
	return nil
}
