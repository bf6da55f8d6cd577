// Package quickstart holds the acceptance test of `make demo`: scripts/demo.sh run twice
// against a sandbox of its own, then the platform it applied (examples/quickstart through
// modules/platform) checked the way only a running cluster would show it: the gateway serving
// tenants as its pod would run, the network paths through the live NetworkPolicies, the
// executor arm on GKE Sandbox nodes.
package quickstart
