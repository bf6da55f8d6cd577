package reliability

import (
	"fmt"
	"os"
	"testing"

	"github.com/octollm/terraform-provider-octollm/internal/acctest"
)

func TestMain(m *testing.M) { acctest.Main(m) }

// fullSuiteEnv is set by `make reliability` (scripts/reliability.sh). Without it only the fast
// part of the suite runs, as in `make test`.
const fullSuiteEnv = "OCTOLLM_RELIABILITY_FULL"

// requireFullSuite skips a heavy test unless `make reliability` runs it.
func requireFullSuite(t *testing.T) {
	t.Helper()
	if os.Getenv(fullSuiteEnv) == "" {
		t.Skipf("part of `make reliability` only (set %s=1 to run it here)", fullSuiteEnv)
	}
}

// report logs one line of the suite's report: `make reliability` gathers every "REPORT R<n>:"
// line at the top of dist/reliability-report.txt. Counts go in the line ("12 changes, 12 in the
// plan, 12 repaired").
func report(t *testing.T, id, format string, args ...any) {
	t.Helper()
	t.Logf("REPORT %s: %s", id, fmt.Sprintf(format, args...))
}
