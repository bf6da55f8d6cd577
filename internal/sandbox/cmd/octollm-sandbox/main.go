// Command octollm-sandbox starts, stops and inspects the local control plane (`make sandbox`,
// `make sandbox-down`), and serves the GKE and Stripe emulators inside it.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/octollm/terraform-provider-octollm/internal/sandbox"
	"github.com/octollm/terraform-provider-octollm/internal/sandbox/stripeemu"
)

const usage = `usage: octollm-sandbox <command> [flags]

commands:
  up          start a sandbox from an empty cluster and wait until it is ready
  down        stop exactly the processes the sandbox recorded and remove its data
  status      print whether a sandbox runs and where
  emulators   serve the GKE and Stripe emulators (started by "up")
  stripe-contract
              replay the Stripe requests the sandbox served against its stripe-mock;
              fails if stripe-mock rejects one, or if there were none
  run-pod     run a Deployment's container as its pod would (the binary out of its image,
              its env, its ServiceAccount's token), replacing this process
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "up":
		err = up(os.Args[2:])
	case "down":
		err = down(os.Args[2:])
	case "status":
		err = status(os.Args[2:])
	case "emulators":
		err = emulators(os.Args[2:])
	case "stripe-contract":
		err = stripeContract(os.Args[2:])
	case "run-pod":
		err = runPod(os.Args[2:])
	default:
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "octollm-sandbox:", err)
		os.Exit(1)
	}
}

func up(args []string) error {
	fs := flag.NewFlagSet("up", flag.ExitOnError)
	dir := fs.String("dir", ".sandbox", "state, data and logs directory")
	bin := fs.String("bin", "bin", "directory with the binaries tools/ built")
	timeout := fs.Duration("timeout", 90*time.Second, "how long to wait for readiness")
	opDuration := fs.Duration("operation-duration", 2*time.Second, "how long each emulated GKE operation runs")
	_ = fs.Parse(args)
	self, err := os.Executable()
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	begin := time.Now()
	s, err := sandbox.Up(ctx, sandbox.Options{
		Dir: *dir, BinDir: *bin, SandboxBinary: self, Log: os.Stdout,
		Timeout: *timeout, OperationDuration: *opDuration,
	})
	if errors.Is(err, sandbox.ErrAlreadyRunning) {
		fmt.Println("octollm-sandbox:", err)
		return nil
	}
	if err != nil {
		return err
	}
	fmt.Printf("sandbox ready in %s\n", time.Since(begin).Round(100*time.Millisecond))
	printState(s)
	return nil
}

func printState(s *sandbox.State) {
	fmt.Printf("  kube-apiserver  %s  (kubeconfig %s)\n", s.APIServerURL(), s.Kubeconfig)
	fmt.Printf("  GKE emulator    %s  (cluster projects/%s/locations/%s/clusters/%s)\n", s.GKEEndpoint(), sandbox.Project, sandbox.Location, sandbox.Cluster)
	fmt.Printf("  Stripe emulator %s\n", s.StripeURL())
	fmt.Printf("  OCI registry    %s  (make images pushes the gateway image there)\n", s.RegistryHost())
	fmt.Printf("  provider env    source %s/env\n", s.Dir)
}

func down(args []string) error {
	fs := flag.NewFlagSet("down", flag.ExitOnError)
	dir := fs.String("dir", ".sandbox", "state, data and logs directory")
	_ = fs.Parse(args)
	n, err := sandbox.Down(*dir)
	if err != nil {
		return err
	}
	if n == 0 {
		fmt.Println("octollm-sandbox: no sandbox running")
		return nil
	}
	fmt.Printf("octollm-sandbox: stopped %d processes and removed %s\n", n, *dir)
	return nil
}

func stripeContract(args []string) error {
	fs := flag.NewFlagSet("stripe-contract", flag.ExitOnError)
	dir := fs.String("dir", ".sandbox", "state, data and logs directory")
	_ = fs.Parse(args)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return runStripeContract(ctx, *dir, os.Stdout)
}

// runStripeContract replays the Stripe request log of the sandbox in dir against that
// sandbox's stripe-mock and prints the outcome to out. It fails when stripe-mock rejected a
// request and when the log holds none: a run that sent Stripe nothing proves nothing.
func runStripeContract(ctx context.Context, dir string, out io.Writer) error {
	st, err := sandbox.Load(dir)
	if err != nil {
		return err
	}
	if st == nil {
		return fmt.Errorf("no sandbox state in %s: start one with `make sandbox`", dir)
	}
	logPath := stripeRequestLog(st.Dir)
	f, err := os.Open(logPath)
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("stripe contract: no request log at %s: the Stripe emulator served no request", logPath)
	}
	if err != nil {
		return err
	}
	defer f.Close()
	rep, err := stripeemu.Replay(ctx, f, fmt.Sprintf("http://127.0.0.1:%d", st.Ports.StripeMock))
	if err != nil {
		return fmt.Errorf("stripe contract: %w", err)
	}
	fmt.Fprintf(out, "stripe contract: %d requests replayed against stripe-mock, %d rejected\n", rep.Replayed, len(rep.Rejected))
	for _, r := range rep.Rejected {
		fmt.Fprintf(out, "  %s\n", r)
	}
	switch {
	case rep.Replayed == 0:
		return fmt.Errorf("stripe contract: %s is empty: the run made no Stripe request", logPath)
	case len(rep.Rejected) > 0:
		return fmt.Errorf("stripe contract: stripe-mock rejected %d of %d requests", len(rep.Rejected), rep.Replayed)
	}
	return nil
}

func status(args []string) error {
	fs := flag.NewFlagSet("status", flag.ExitOnError)
	dir := fs.String("dir", ".sandbox", "state, data and logs directory")
	_ = fs.Parse(args)
	s, ok := sandbox.Running(*dir)
	if !ok {
		return fmt.Errorf("no sandbox running in %s: start one with `make sandbox`", *dir)
	}
	fmt.Println("sandbox running")
	printState(s)
	return nil
}
