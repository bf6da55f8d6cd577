package acctest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

// Example returns examples/resources/<resourceType>/resource.tf, the file the registry docs
// show, with each old string replaced by the new one after it (pairs: a test's namespace for
// the example's "octollm", a value a step changes). Each old string must occur in the file: an
// example edited so that a test no longer matches it fails the test, instead of the test going
// on with a copy the docs no longer show.
func Example(t testing.TB, resourceType string, oldNew ...string) string {
	t.Helper()
	file, config := readExample(t, filepath.Join("resources", resourceType, "resource.tf"))
	return replaceAll(t, file, config, oldNew)
}

// DataSourceExample is Example for a data source: examples/data-sources/<dataSourceType>/data-source.tf.
func DataSourceExample(t testing.TB, dataSourceType string, oldNew ...string) string {
	t.Helper()
	file, config := readExample(t, filepath.Join("data-sources", dataSourceType, "data-source.tf"))
	return replaceAll(t, file, config, oldNew)
}

// ExampleBlock is Example for one block of the file: resource "<resourceType>" "<name>" as the
// docs show it, from its first line to its closing brace, comments inside included.
func ExampleBlock(t testing.TB, resourceType, name string, oldNew ...string) string {
	t.Helper()
	file, config := readExample(t, filepath.Join("resources", resourceType, "resource.tf"))
	start := strings.Index(config, fmt.Sprintf("resource %q %q {\n", resourceType, name))
	if start < 0 {
		t.Fatalf("%s has no resource %q %q: update the test with the example", file, resourceType, name)
	}
	end := strings.Index(config[start:], "\n}\n")
	if end < 0 {
		t.Fatalf("%s: resource %q %q has no closing brace at the start of a line", file, resourceType, name)
	}
	return replaceAll(t, file, config[start:start+end+3], oldNew)
}

// readExample reads examples/<name>.
func readExample(t testing.TB, name string) (file, config string) {
	t.Helper()
	root, err := RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	file = filepath.Join("examples", name)
	b, err := os.ReadFile(filepath.Join(root, file))
	if err != nil {
		t.Fatal(err)
	}
	return file, string(b)
}

func replaceAll(t testing.TB, file, config string, oldNew []string) string {
	t.Helper()
	if len(oldNew)%2 != 0 {
		t.Fatalf("%s: replacements come in old, new pairs", file)
	}
	for i := 0; i < len(oldNew); i += 2 {
		if !strings.Contains(config, oldNew[i]) {
			t.Fatalf("%s no longer contains %q: update the test with the example", file, oldNew[i])
		}
		config = strings.ReplaceAll(config, oldNew[i], oldNew[i+1])
	}
	return config
}

// ExampleSteps are the steps of a test that applies a docs example: the configuration applied
// and checked as a reader of the docs would check it, then applied again with NoChanges.
func ExampleSteps(config string, checks ...statecheck.StateCheck) []resource.TestStep {
	return []resource.TestStep{{Config: config, ConfigStateChecks: checks}, {Config: config, ConfigPlanChecks: NoChanges}}
}
