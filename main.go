// Command terraform-provider-octollm serves the octollm Terraform/OpenTofu provider.
package main

import (
	"context"
	"flag"
	"log"
	"os"
	runtimedebug "runtime/debug"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/octollm/terraform-provider-octollm/internal/provider"
)

// version is set by goreleaser at release time.
var version = "dev"

// defaultMemoryLimit is the Go runtime's soft memory limit unless GOMEMLIMIT sets another.
const defaultMemoryLimit = 96 << 20

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()
	if os.Getenv("GOMEMLIMIT") == "" {
		// A soft limit: the garbage collector runs more often as the heap nears it instead of
		// letting it double between collections, which kept a plan of 1,000 tenants above 200 MB
		// (bench/tenants). The heap may still grow past it when the live data needs more.
		runtimedebug.SetMemoryLimit(defaultMemoryLimit)
	}

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address:         "registry.terraform.io/octollm/octollm",
		Debug:           debug,
		ProtocolVersion: 6,
	})
	if err != nil {
		log.Fatal(err.Error())
	}
}
