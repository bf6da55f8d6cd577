package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"k8s.io/client-go/tools/clientcmd"

	"github.com/octollm/terraform-provider-octollm/internal/sandbox"
	"github.com/octollm/terraform-provider-octollm/internal/sandbox/podrun"
)

// runPod prepares the Deployment's container with podrun and then becomes it (exec), so the
// caller's pid file and signals reach the process itself.
func runPod(args []string) error {
	fs := flag.NewFlagSet("run-pod", flag.ExitOnError)
	dir := fs.String("dir", ".sandbox", "the sandbox's directory")
	ns := fs.String("namespace", "octollm", "the Deployment's namespace")
	deployment := fs.String("deployment", "gateway", "the Deployment whose pod template to run")
	containerName := fs.String("container", "", "the container to run (default: the first)")
	work := fs.String("work-dir", "", "where the image is unpacked (default: <dir>/pods/<deployment>)")
	var overrides multiFlag
	fs.Var(&overrides, "env", "NAME=value replacing a pod-local variable (repeatable), such as OCTOLLM_GATEWAY_LISTEN=127.0.0.1:16430")
	_ = fs.Parse(args)
	st, err := sandbox.Load(*dir)
	if err != nil {
		return err
	}
	cfg, err := clientcmd.BuildConfigFromFlags("", st.Kubeconfig)
	if err != nil {
		return err
	}
	if *work == "" {
		*work = filepath.Join(*dir, "pods", *deployment)
	}
	env := map[string]string{}
	for _, kv := range overrides {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return fmt.Errorf("--env %q: use NAME=value", kv)
		}
		env[k] = v
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	pod, err := podrun.Prepare(ctx, podrun.Options{Config: cfg, Namespace: *ns, Deployment: *deployment, Container: *containerName, WorkDir: *work, Overrides: env})
	if err != nil {
		return err
	}
	token := "no API token (the template mounts none)"
	if pod.Token {
		token = "a token of ServiceAccount " + *ns + "/" + pod.ServiceAccount
	}
	fmt.Fprintf(os.Stderr, "run-pod: %s/%s: %s (%s), %s, %d env vars\n", *ns, *deployment, pod.Image, pod.Digest, token, len(pod.Env))
	cmd := pod.Command(context.Background())
	return syscall.Exec(cmd.Path, cmd.Args, cmd.Env) //nolint:gosec // the pod's own entrypoint
}

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }
