// Package platform owns the octollm_platform resource: the platform namespace with its Pod
// Security labels, the gateway's ServiceAccount with read-only access to model routes and
// tenant key records, and the platform's NetworkPolicies (the flows the gateway, orchestrator
// and arms need on top of any default deny).
package platform
