package reliability

import (
	"testing"

	"github.com/octollm/terraform-provider-octollm/internal/acctest"
)

func TestMain(m *testing.M) { acctest.Main(m) }
