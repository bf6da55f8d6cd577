// Package reliability holds the platform-wide reliability tests of issue 16: faults on every
// backend at once (the apiserver through the sandbox's fault proxy, GKE, Stripe). Its tests
// need a sandbox (TF_ACC); `make reliability` runs them on one started with apiserver faults.
package reliability
