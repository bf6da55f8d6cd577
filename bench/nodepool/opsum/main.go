// Command opsum prints the summed duration, in seconds, of the GKE operations of one type that
// targeted the named node pools, as the sandbox's GKE emulator recorded them: the benchmark's
// floor, since GKE runs one operation per cluster at a time.
//
//	opsum -type CREATE_NODE_POOL -since 2026-11-28T16:00:00Z pool-a pool-b pool-c
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"cloud.google.com/go/container/apiv1/containerpb"

	"github.com/octollm/terraform-provider-octollm/internal/clients"
)

func main() {
	opType := flag.String("type", "CREATE_NODE_POOL", "operation type to sum")
	since := flag.String("since", "", "only operations started at or after this RFC 3339 time")
	flag.Parse()
	if err := run(*opType, *since, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "opsum:", err)
		os.Exit(1)
	}
}

func run(opType, since string, pools []string) error {
	ctx := context.Background()
	cfg := clients.GKEConfig{
		Project: os.Getenv("GOOGLE_PROJECT"), Location: os.Getenv("OCTOLLM_GKE_LOCATION"), Cluster: os.Getenv("OCTOLLM_GKE_CLUSTER"),
		AccessToken: os.Getenv("GOOGLE_OAUTH_ACCESS_TOKEN"), Endpoint: os.Getenv("OCTOLLM_GKE_ENDPOINT"), Insecure: true,
	}
	g, err := clients.NewGKE(ctx, cfg, 30*time.Second)
	if err != nil {
		return err
	}
	defer func() { _ = g.Close() }()
	var from time.Time
	if since != "" {
		if from, err = time.Parse(time.RFC3339Nano, since); err != nil {
			return err
		}
	}
	resp, err := g.Client.ListOperations(ctx, &containerpb.ListOperationsRequest{Parent: fmt.Sprintf("projects/%s/locations/%s", cfg.Project, cfg.Location)})
	if err != nil {
		return err
	}
	var total time.Duration
	found := map[string]bool{}
	for _, op := range resp.GetOperations() {
		if op.GetOperationType().String() != opType || op.GetStatus() != containerpb.Operation_DONE {
			continue
		}
		start, err1 := time.Parse(time.RFC3339Nano, op.GetStartTime())
		end, err2 := time.Parse(time.RFC3339Nano, op.GetEndTime())
		if err1 != nil || err2 != nil || start.Before(from) {
			continue
		}
		for _, p := range pools {
			if strings.HasSuffix(op.GetTargetLink(), "/nodePools/"+p) && !found[p] {
				found[p] = true
				total += end.Sub(start)
			}
		}
	}
	if len(found) != len(pools) {
		return fmt.Errorf("found operations for %d of %d pools", len(found), len(pools))
	}
	fmt.Printf("%.2f\n", total.Seconds())
	return nil
}
